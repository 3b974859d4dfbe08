"""The SHA-256 of the site's files, computed again only for the files that changed.

A publish compares each file's hash with the manifest's. Hashing the whole site on every run
reads all of it (18.5 MB for 240 issues, more with images): `state/site-hashes.json` keeps each
file's size, modification time and hash, and a file whose size and time are unchanged keeps its
hash (the quick check of rsync and git). A file modified less than two seconds before that list
was written may have changed again within the same tick of the file system's clock: its entry is
not trusted (git's "racily clean" rule). The list is a cache: lost or unreadable, the next publish
hashes every file again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from newsletter.errors import OutputError
from newsletter.fsutil import write_atomic

logger = logging.getLogger(__name__)

HASHES = "site-hashes.json"
VERSION = 1
RACY_NS = 2_000_000_000

Entry = tuple[int, int, str]  # size, modification time in ns, sha256 hex


def _load(path: Path) -> tuple[dict[str, Entry], dict[str, Entry]]:
    """(every entry, the entries old enough to be trusted); empty when the list is unreadable."""
    try:
        written = path.stat().st_mtime_ns
        raw = json.loads(path.read_bytes())
        rows = raw["files"] if raw.get("version") == VERSION else {}
        entries = {str(name): (int(size), int(mtime), str(digest)) for name, (size, mtime, digest) in rows.items()}
    except FileNotFoundError:
        return {}, {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        logger.debug("cannot read %s (%s): every file is hashed again", path, exc)
        return {}, {}
    return entries, {name: entry for name, entry in entries.items() if entry[1] < written - RACY_NS}


class SiteHashes:
    """The site's hashes: `digests(files)` reads only what changed; `save()` keeps them for the next run.

    Saved by the caller once its command succeeded: a publish that fails (or a dry run) leaves
    the state as it found it.
    """

    def __init__(self, state_dir: Path, *, complete: bool = True) -> None:
        """`complete`: the files to hash are the whole site (entries of other files are dropped);
        False for a part of it (the images and page of one issue), whose entries join the others."""
        self.path = state_dir / HASHES
        self.complete = complete
        self._every: dict[str, Entry] = {}
        self._trusted: dict[str, Entry] = {}
        self._rows: dict[str, Entry] | None = None

    def digests(self, files: dict[str, Path]) -> dict[str, str]:
        """{relative path: sha256 hex} of `files`."""
        self._every, self._trusted = _load(self.path)
        # A part keeps the other files' entries, but only the trusted ones: an entry too recent to
        # trust, written again now, would look old enough next time without its file being read.
        rows: dict[str, Entry] = {} if self.complete else dict(self._trusted)
        digests: dict[str, str] = {}
        for name, local in files.items():
            info = local.stat()
            entry = self._trusted.get(name)
            if entry is not None and entry[0] == info.st_size and entry[1] == info.st_mtime_ns:
                digest = entry[2]
            else:
                digest = hashlib.sha256(local.read_bytes()).hexdigest()
            digests[name] = digest
            rows[name] = (info.st_size, info.st_mtime_ns, digest)
        self._rows = rows
        return digests

    def save(self) -> None:
        """Keep the hashes of the last `digests` call (a list that cannot be written is only a cache)."""
        rows = self._rows
        # Also rewritten when entries were too recent to trust: written again, they no longer are.
        if rows is None or (rows == self._every and len(self._trusted) == len(self._every)):
            return
        body = {"version": VERSION, "files": {name: list(entry) for name, entry in sorted(rows.items())}}
        try:
            write_atomic(self.path, json.dumps(body, separators=(",", ":")) + "\n", durable=False)
        except OutputError as exc:
            logger.debug("cannot write %s: %s", self.path, exc.message)
