"""What every protocol offers the pipeline, the mounted-folder one, and the factory of them all.

Each protocol module (ftp, sftp, git) is imported only when its target is used: paramiko alone
takes a third of a second to import.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from newsletter.errors import PublishError
from newsletter.i18n import _

if TYPE_CHECKING:
    from newsletter.publish.target import PublishTarget

BytesSent = Callable[[int], None]
TEMP_SUFFIX = ".newsletter-upload"  # a file arrives under `.name.newsletter-upload`, then is renamed


def temp_name(path: str) -> str:
    """The temporary name a file is uploaded under, in its own folder (a rename never crosses folders)."""
    folder, _sep, name = path.rpartition("/")
    return f"{folder}/.{name}{TEMP_SUFFIX}" if folder else f".{name}{TEMP_SUFFIX}"


class Remote(Protocol):
    """An open connection to a target. Paths are relative to the target's folder, with '/'."""

    #: True when nothing is visible before `finish` (Git: one commit, pushed); else each `put` is
    #: visible, whole, as soon as it returns.
    transactional: bool

    def put(self, path: str, data: bytes, sent: BytesSent) -> None:
        """Write `data` at `path` whole or not at all (temporary name, then rename); `sent(n)` reports progress."""

    def remove(self, path: str) -> None:
        """Delete `path`; a file already gone is not an error."""

    def finish(self, message: str) -> None:
        """Make the changes visible (Git: commit and push); a no-op for file transfers."""

    def close(self) -> None:
        """Close the connection; never raises."""


@dataclass(frozen=True)
class Connection:
    """What opening a target needs besides the URL (resolved by the caller, from settings)."""

    password: str | None
    timeout: float
    known_hosts: Path  # the hosts whose key was accepted (SFTP), in the state folder
    accept_key: str | None = None  # a SHA256 fingerprint the user accepted for an unknown host


def open_remote(target: PublishTarget, connection: Connection) -> Remote:
    """Connect to `target`; PublishError says what went wrong in plain words (never the password)."""
    if target.scheme == "file":
        return LocalRemote(Path(target.path))
    if target.scheme in ("ftp", "ftps"):
        from newsletter.publish.ftp import FtpRemote

        return FtpRemote.connect(target, connection)
    if target.scheme == "sftp":
        from newsletter.publish.sftp import SftpRemote

        return SftpRemote.connect(target, connection)
    from newsletter.publish.git import GitRemote

    return GitRemote.connect(target, connection)


class LocalRemote:
    """A mounted folder (file://): a network share, a synced folder, a web server's document root."""

    transactional = False

    def __init__(self, root: Path) -> None:
        if not root.is_dir():
            raise PublishError(
                _("the target folder {path} does not exist").format(path=root),
                hint=_("create it (or mount the share), or fix [publish] target in newsletter.toml"),
            )
        self.root = root

    def put(self, path: str, data: bytes, sent: BytesSent) -> None:
        destination = self.root / path
        temporary = self.root / temp_name(path)
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                for start in range(0, len(data), 1 << 16):
                    chunk = data[start:start + (1 << 16)]
                    handle.write(chunk)
                    sent(len(chunk))
            os.replace(temporary, destination)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise PublishError(
                _("cannot write {path} in the target folder: {reason}").format(path=path, reason=exc.strerror or exc),
                hint=_("check the free space and the permissions of {root}").format(root=self.root),
            ) from exc

    def remove(self, path: str) -> None:
        try:
            (self.root / path).unlink(missing_ok=True)
        except OSError as exc:
            raise PublishError(
                _("cannot remove {path} from the target folder: {reason}").format(path=path, reason=exc.strerror or exc),
                hint=_("check the permissions of {root}").format(root=self.root),
            ) from exc

    def finish(self, message: str) -> None:
        return None

    def close(self) -> None:
        return None
