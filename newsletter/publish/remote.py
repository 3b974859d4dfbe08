"""What every protocol module (local, ftp, sftp, git) offers the pipeline, and what it needs to connect."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

BytesSent = Callable[[int], None]
TEMP_SUFFIX = ".newsletter-upload"  # a file arrives under `.name.newsletter-upload`, then is renamed


def temp_name(path: str) -> str:
    """The temporary name a file is uploaded under, in its own folder (a rename never crosses folders)."""
    folder, _sep, name = path.rpartition("/")
    return f"{folder}/.{name}{TEMP_SUFFIX}" if folder else f".{name}{TEMP_SUFFIX}"


def parent_folders(path: str) -> list[str]:
    """'a/b/c.html' -> ['a', 'a/b']: the folders a file needs on the server, shallowest first."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]


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
    ca_file: Path | None = None  # ftps://: certificates trusted besides the system's ([publish] ca_file)
