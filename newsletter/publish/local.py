"""file:// targets: a mounted folder (a network share, a synced folder, a web server's document root)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from newsletter.errors import PublishError
from newsletter.i18n import _
from newsletter.publish.remote import BytesSent, temp_name


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
