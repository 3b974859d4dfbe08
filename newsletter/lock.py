"""One command at a time per workspace: an operating-system lock on the workspace's state folder.

`send`, `draft` and `archive` read and rewrite the state and talk to the provider; two of them
at once could create two campaigns or mail the list twice. The lock is the operating system's
(filelock: flock on Linux and macOS, msvcrt on Windows), so it is released the moment the
process ends, even after a kill -9: there is never a stale lock to delete by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsletter import formats
from newsletter.errors import NewsletterError, WorkspaceBusyError
from newsletter.i18n import _, ngettext

LOCK_NAME = ".newsletter.lock"
HOLDER_NAME = ".newsletter.lock.json"  # who holds the lock, for the waiting command's message
DEFAULT_WAIT = 10.0  # seconds


def _holder(state_dir: Path) -> str:
    try:
        data = json.loads((state_dir / HOLDER_NAME).read_text(encoding="utf-8"))
        started = dt.datetime.fromisoformat(str(data["started"]))
        moment = _("{date} at {time}").format(date=formats.long_date(started.date()), time=started.strftime("%H:%M"))
        return _("`newsletter {command}` (process {pid}, started on {moment})").format(command=data["command"], pid=data["pid"], moment=moment)
    except (OSError, ValueError, KeyError, TypeError):
        return _("another newsletter command")


@contextmanager
def workspace_lock(state_dir: Path, *, command: str, now: dt.datetime, wait: float = DEFAULT_WAIT) -> Iterator[None]:
    """Hold the workspace lock for the block; wait up to `wait` seconds for it, then refuse.

    Raises WorkspaceBusyError when another command still holds it after `wait` seconds.
    """
    from filelock import FileLock, Timeout

    from newsletter.fsutil import write_atomic

    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NewsletterError(
            _("cannot create the state folder {path} ({reason})").format(path=state_dir, reason=exc.strerror or exc),
            hint=_("check that the workspace folder exists and that you may write in it"),
        ) from exc
    lock = FileLock(state_dir / LOCK_NAME, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise WorkspaceBusyError(
            ngettext(
                "{holder} is still running in this workspace (waited {n} second): `newsletter {command}` did nothing, "
                "so the two cannot send or write twice",
                "{holder} is still running in this workspace (waited {n} seconds): `newsletter {command}` did nothing, "
                "so the two cannot send or write twice",
                max(1, round(wait)),
            ).format(holder=_holder(state_dir), n=formats.decimal(wait, 0) if wait == int(wait) else formats.decimal(wait), command=command),
            hint=_("wait until the other command has finished (look at your other terminal windows), then run this one again"),
        ) from None
    try:
        holder = {"command": command, "pid": os.getpid(), "started": now.strftime("%Y-%m-%d %H:%M")}
        write_atomic(state_dir / HOLDER_NAME, json.dumps(holder) + "\n", durable=False)
        yield
    finally:
        # Gone before the lock is: a command that waits never names a holder that has ended.
        with contextlib.suppress(OSError):
            (state_dir / HOLDER_NAME).unlink()
        lock.release()
