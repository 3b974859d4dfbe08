"""Images written as a file of the computer (`images/velobus.png`, `images\\velobus.png`, `C:\\…`).

A mail client cannot load a file of the writer's computer. When the file is in the workspace's
images/ folder, which `newsletter archive` publishes under web_url, the address is rewritten to
`<web_url>images/velobus.png` before the issue is parsed (line numbers unchanged); otherwise the
check says which file it looked for and which address to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

IMAGES_DIR = "images"
# An image's address: up to a ')' or the space before a title (an address with a space is
# another slip, reported by the checks).
_IMAGE = re.compile(r"(!\[[^\]\n]*\]\([ \t]*)(<[^>\n]*>|[^)\s]+)(?=[ \t]*\)|[ \t]+[\"'(])")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # https:, data:, cid: (one letter is a drive)
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class LocalImage:
    """An image written as a file: where, as written, the file looked for, and its web address."""

    line: int
    written: str
    file: Path  # the file of the workspace's images/ that stands for it
    url: str | None  # its address under web_url (None when web_url is not set)
    found: bool  # the file exists: the address was rewritten to `url` (when there is one)
    elsewhere: bool  # written as a path outside the workspace (C:\…, /home/…, file://)


def _relative(address: str) -> tuple[str, bool]:
    """The path under images/ that `address` stands for, and whether it pointed outside the workspace."""
    path = address.replace("\\", "/")
    if path.lower().startswith("file:"):
        path = re.sub(r"^file:/*", "/", path, flags=re.I)
    if _DRIVE.match(address) or path.startswith("/"):
        return PurePosixPath(path).name, True
    parts = [part for part in path.split("/") if part not in ("", ".", "..")]
    if parts and parts[0] == IMAGES_DIR:
        parts = parts[1:]
    return "/".join(parts), False


def localise_images(source: str, *, root: Path, web_url: str | None) -> tuple[str, tuple[LocalImage, ...]]:
    """`source` with each image of the workspace's images/ at its web address, and every local image found."""
    if "![" not in source:
        return source, ()
    found: list[LocalImage] = []
    base = web_url.rstrip("/") + "/" + IMAGES_DIR + "/" if web_url else None

    def replace(match: re.Match[str]) -> str:
        written = match.group(2)
        address = written[1:-1] if written.startswith("<") else written
        if (_SCHEME.match(address) and not _DRIVE.match(address) and not address.lower().startswith("file:")) or address.startswith(("//", "#", "{{", "[[")):
            return match.group(0)
        relative, elsewhere = _relative(address)
        file = root / IMAGES_DIR / relative
        exists = bool(relative) and file.is_file()
        url = base + quote(relative) if base and relative else None
        line = source.count("\n", 0, match.start()) + 1
        found.append(LocalImage(line, address, file, url, exists, elsewhere))
        return match.group(1) + url if exists and url else match.group(0)

    rewritten = _IMAGE.sub(replace, source)
    return rewritten, tuple(found)
