"""Atomic file writes: a reader or a Ctrl-C never sees half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from newsletter.errors import OutputError


def write_atomic(
    path: Path, data: str | bytes, *, encoding: str = "utf-8", durable: bool = True, hint: str | None = None
) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    `durable=False` skips the fsync, for files that can be rebuilt (build outputs): a reader
    still never sees half a file, but a power cut may lose the latest version.
    Raises OutputError (with what to do) when the folder cannot be created or written.
    """
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {exc.strerror or exc}",
            hint=hint or f"check that {path.parent} is a folder you may write in (not a file, not read-only)",
        ) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        # Keep the permissions a plain open() would give (mkstemp makes 0600 files).
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise OutputError(
                f"cannot write {path}: {exc.strerror or exc}",
                hint="check the free disk space and the folder's permissions",
            ) from exc
        raise
