"""Atomic file writes: a reader or a Ctrl-C never sees half a file."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from newsletter.errors import OutputError
from newsletter.i18n import _


def _stat(function: Callable[[Path], os.stat_result], path: Path) -> os.stat_result | None:
    try:
        return function(path)
    except OSError:  # missing, a loop of links, no permission: the write says what is wrong
        return None


def write_atomic(
    path: Path, data: str | bytes, *, encoding: str = "utf-8", durable: bool = True, hint: str | None = None
) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    `durable=False` skips the fsync, for files that can be rebuilt (build outputs): a reader
    still never sees half a file, but a power cut may lose the latest version.
    A symlink is written through (its target gets the new text, the link stays); an existing
    file keeps its permissions.
    Raises OutputError (with what to do) when the folder cannot be created or written.
    """
    payload = data.encode(encoding) if isinstance(data, str) else data
    target, info = path, _stat(os.lstat, path)
    if info is not None and stat.S_ISLNK(info.st_mode):
        # The rename must replace the link's target, not the link (an issue kept in a synced folder).
        target = Path(os.path.realpath(path))
        info = _stat(os.stat, target)
    mode = stat.S_IMODE(info.st_mode) if info is not None and stat.S_ISREG(info.st_mode) else None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(
            _("cannot write {path}: it is a folder").format(path=path), hint=_("move or rename the folder {path}, then run the command again").format(path=path)
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(
            _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc),
            hint=hint or _("check that {folder} is a folder you may write in (not a file, not read-only)").format(folder=path.parent),
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is None:
            # A new file gets the permissions a plain open() would give (mkstemp makes 0600 files).
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise OutputError(
                _("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc),
                hint=_("check the free disk space and the folder's permissions"),
            ) from exc
        raise


def backup_copy(path: Path, moment: dt.datetime, *, hint: str) -> Path:
    """Copy `path` to a new `<name>.bak-YYYYmmdd-HHMMSS[-N]` next to it; never overwrites a file.

    `moment` (the CLI's clock) names the copy; OutputError (with `hint`) when no name is free.
    """
    from newsletter.i18n import _

    data = path.read_bytes()
    stem = f"{path.name}.bak-{moment.strftime('%Y%m%d-%H%M%S')}"
    for attempt in range(1, 1000):
        backup = path.with_name(stem if attempt == 1 else f"{stem}-{attempt}")
        try:
            # O_EXCL: two backups in the same second get two files, never one over the other.
            with backup.open("xb") as handle:
                handle.write(data)
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(_("cannot write the backup {path}: {reason}").format(path=backup, reason=exc.strerror or exc), hint=hint) from exc
        return backup
    raise OutputError(_("cannot find a free backup name next to {path}").format(path=path), hint=hint)
