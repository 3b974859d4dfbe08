"""hashes.py: the site's files are read again only when their size or time changed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from newsletter.publish.hashes import HASHES, SiteHashes

HOUR_NS = 3600 * 10**9


def _site(root: Path, files: dict[str, bytes], *, age_ns: int) -> dict[str, Path]:
    paths = {}
    for name, data in files.items():
        path = root / "site" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        mtime = path.stat().st_mtime_ns - age_ns
        os.utime(path, ns=(mtime, mtime))
        paths[name] = path
    return paths


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rewrite_keeping_time(path: Path, data: bytes) -> None:
    info = path.stat()
    path.write_bytes(data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_file_with_the_same_size_and_time_keeps_its_hash_and_is_not_read(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    files = _site(tmp_path, {"index.html": b"<p>un</p>", "2026-12.html": b"<p>deux</p>"}, age_ns=HOUR_NS)
    first = SiteHashes(state)
    assert first.digests(files) == {"index.html": _sha(b"<p>un</p>"), "2026-12.html": _sha(b"<p>deux</p>")}
    first.save()
    assert (state / HASHES).is_file()
    # Same size and time: the list's hash is used, the bytes are not read (what rsync's quick check does).
    _rewrite_keeping_time(files["index.html"], b"<p>UN</p>")
    files["2026-12.html"].write_bytes(b"<p>deux, revu</p>")  # another size and a new time: read again
    again = SiteHashes(state).digests(files)
    assert again == {"index.html": _sha(b"<p>un</p>"), "2026-12.html": _sha(b"<p>deux, revu</p>")}


def test_a_file_changed_just_before_the_list_was_written_is_read_again(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    files = _site(tmp_path, {"index.html": b"<p>un</p>"}, age_ns=0)  # written now, like the list
    first = SiteHashes(state)
    first.digests(files)
    first.save()
    # Changed within the same tick of the clock: size and time say nothing, so the entry is not trusted.
    _rewrite_keeping_time(files["index.html"], b"<p>UN</p>")
    assert SiteHashes(state).digests(files) == {"index.html": _sha(b"<p>UN</p>")}


def test_an_unreadable_list_means_hashing_everything_and_a_part_keeps_the_rest(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / HASHES).write_text('{"version": 1, "files": {"index.html": [1, 2]}}', encoding="utf-8")
    files = _site(tmp_path, {"index.html": b"<p>un</p>", "images/a.jpg": b"jpeg"}, age_ns=HOUR_NS)
    whole = SiteHashes(state)
    assert whole.digests(files) == {"index.html": _sha(b"<p>un</p>"), "images/a.jpg": _sha(b"jpeg")}
    whole.save()
    files["images/a.jpg"].write_bytes(b"jpeg, recadree")
    part = SiteHashes(state, complete=False)  # send publishes one issue's image: the others stay listed
    assert part.digests({"images/a.jpg": files["images/a.jpg"]}) == {"images/a.jpg": _sha(b"jpeg, recadree")}
    part.save()
    listed = (state / HASHES).read_text(encoding="utf-8")
    assert '"index.html"' in listed and _sha(b"jpeg, recadree") in listed


def test_a_part_does_not_make_an_entry_too_recent_to_trust_look_old(tmp_path: Path) -> None:
    """`send` publishes one image while the list holds a page changed within the same clock tick."""
    state = tmp_path / "state"
    state.mkdir()
    files = _site(tmp_path, {"index.html": b"<p>v1</p>", "images/x.jpg": b"jpeg"}, age_ns=HOUR_NS)
    recent = files["index.html"].stat().st_mtime_ns + HOUR_NS - 10**9  # a second before the list is written
    os.utime(files["index.html"], ns=(recent, recent))
    whole = SiteHashes(state)
    whole.digests(files)
    whole.save()
    _rewrite_keeping_time(files["index.html"], b"<p>v2</p>")
    part = SiteHashes(state, complete=False)
    part.digests({"images/x.jpg": files["images/x.jpg"]})
    part.save()
    later = (state / HASHES).stat().st_mtime_ns + 5 * 10**9  # the list as if written long after the page
    os.utime(state / HASHES, ns=(later, later))
    assert SiteHashes(state).digests(files)["index.html"] == _sha(b"<p>v2</p>")
