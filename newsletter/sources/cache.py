"""The HTTP cache of the feeds: ETag / Last-Modified validators, bodies, and parsed entries."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from newsletter.i18n import _
from newsletter.sources import Candidate
from newsletter.sources.normalise import ParsedFeed

logger = logging.getLogger(__name__)

PARSE_SUFFIX = ".parse.json"  # <url's stem>.parse.json: a feed's last parse, with the key of what it was parsed from
OLD_PARSE_SUFFIX = ".parsed.json"  # <parse key>.parsed.json, before: deleted when seen


@dataclass(frozen=True)
class CachedResponse:
    """A previous 200 answer: validators and the body."""

    etag: str | None
    last_modified: str | None
    body: bytes
    content_type: str
    digest: str = ""  # SHA-256 of `body` (hex), computed once: the checksum and the parse key's input


def body_digest(body: bytes) -> str:
    """The SHA-256 of a body, hex: computed once per body (cache checksum, parse key)."""
    return hashlib.sha256(body).hexdigest()


def _header_value(value: object) -> bool:
    """None, or text that httpx can send as a header (printable ASCII)."""
    return value is None or (isinstance(value, str) and value.isascii() and value.isprintable())


def _well_typed(c: Candidate) -> bool:
    """The fields a cached entry gives back have the types the draft expects (exact types: this
    runs on every cached entry, 30,000 on a large draft)."""
    return (
        type(c.section) is str and type(c.title) is str and type(c.url) is str and type(c.source) is str
        and type(c.summary) is str and type(c.image_alt) is str and type(c.meta) is str and type(c.kind) is str
        and type(c.key) is str
        and all(type(text) is str for text in c.drafted)
        and type(c.date_known) is bool
        and (c.image is None or type(c.image) is str)
        and (c.date is None or c.date.tzinfo is not None)
    )


CacheFiles = Sequence[tuple[Path, bytes | Callable[[], bytes]]]  # (path, bytes or what makes them), in writing order


def write_cache_files(files: CacheFiles) -> None:
    """Write each file through a temporary name and a rename, in order (a reader never sees half
    an entry; a body is on disk before the metadata that points at it).

    Not fsutil.write_atomic: the cache is this tool's own rebuildable folder, so there is no link
    to write through, no mode to keep and no fsync (an entry lost in a crash is only a full
    fetch next time; a torn one fails its checksum). Three files a feed: its ten system calls
    each were most of the writer threads' time on a large draft.
    """
    if files:
        files[0][0].parent.mkdir(parents=True, exist_ok=True)
    for path, data in files:
        temporary = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        try:
            with open(temporary, "wb") as handle:
                handle.write(data() if callable(data) else data)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise


def parse_and_store(parse: Callable[[], ParsedFeed], files: CacheFiles, parsed_to: Path | None, key: str) -> tuple[ParsedFeed, str | None]:
    """On a parse worker: write a feed's cache entry, parse its bytes, write the parse beside it.

    The bytes are on the worker already (they were sent to be parsed): writing the entry there
    keeps the JSON encoding and the file writes off the process that fetches. Returns the parse
    and why the cache could not be written (None when it was): the caller says so, as for
    `HttpCache` writes, and a cache that cannot be written never fails a draft.
    """
    problem = None
    try:
        write_cache_files(files)
    except Exception as exc:
        problem = _short(exc)
    parsed = parse()
    if parsed_to is not None and problem is None:
        try:
            write_cache_files([(parsed_to, lambda: parsed_json(parsed, key))] if keeps_parse(parsed) else [])
        except Exception as exc:
            problem = _short(exc)
    return parsed, problem


def keeps_parse(parsed: ParsedFeed) -> bool:
    """Whether a parse is worth keeping for the next 304 (a feed that gave nothing readable is not)."""
    return not (parsed.bozo and not parsed.candidates)


def parsed_json(parsed: ParsedFeed, key: str) -> bytes:
    """A parse as the cache keeps it, under the key of what it was parsed from (`HttpCache.load_parsed` reads it back)."""
    # Candidates are flat and frozen: vars() is their fields (asdict deep-copies, 10x slower).
    rows = [{**vars(c), "date": c.date.isoformat() if c.date else None} for c in parsed.candidates]
    payload = {"key": key, "candidates": rows, "unusable": parsed.unusable, "warnings": list(parsed.warnings), "entries": parsed.entries}
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _short(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


class HttpCache:
    """ETag / Last-Modified validators and bodies, one JSON + one body file per URL.

    A corrupt entry is dropped (with a warning) and the URL is fetched in full again.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.warnings: list[str] = []
        # Writes run on worker threads, off the fetch's
        # critical path; flush() waits for them.
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="http-cache")
        self._pending: list[Future[None]] = [self._pool.submit(self._forget_old_parses)]

    def _write_many(self, files: CacheFiles) -> None:
        def work() -> None:
            try:
                write_cache_files(files)
            except Exception as exc:  # a cache that cannot be written is not worth failing a draft
                self.write_failed(_short(exc))

        self._pending.append(self._pool.submit(work))

    def write_failed(self, reason: str) -> None:
        """Say that an entry could not be written (here or on a parse worker)."""
        logger.warning(_("cannot write the HTTP cache in {folder} ({reason}): the next draft fetches these feeds in full").format(folder=self.directory, reason=reason))

    def flush(self) -> None:
        """Wait for the pending cache writes."""
        for future in self._pending:
            future.result()
        self._pending.clear()
        self._pool.shutdown(wait=True)

    def _paths(self, url: str) -> tuple[Path, Path]:
        stem = self._stem(url)
        return self.directory / f"{stem}.json", self.directory / f"{stem}.body"

    @staticmethod
    def _stem(url: str) -> str:
        return hashlib.sha256(url.encode()).hexdigest()[:32]

    def parse_path(self, url: str) -> Path:
        """Where `url`'s last parse is kept: one file per feed, replaced by each new parse."""
        return self.directory / f"{self._stem(url)}{PARSE_SUFFIX}"

    def drop(self, url: str) -> None:
        """Forget `url`'s entry and its parse: its next fetch is a full one."""
        for path in (*self._paths(url), self.parse_path(url)):
            path.unlink(missing_ok=True)

    def _forget_old_parses(self) -> None:
        """Delete the parses kept under the former naming (one file per version of a feed, never
        replaced, so the folder grew with every changed feed): a feed's parse now replaces its last."""
        try:
            for path in self.directory.glob(f"*{OLD_PARSE_SUFFIX}"):
                path.unlink(missing_ok=True)
        except OSError as exc:  # a cache that cannot be tidied is not worth failing a draft
            logger.debug("cannot tidy the HTTP cache in %s: %s", self.directory, exc)

    def load(self, url: str) -> CachedResponse | None:
        """The cached answer for `url`, or None. An entry that fails to load, whatever the reason
        (bad JSON, JSON nested too deep, a validator that is no valid header), is deleted."""
        meta_path, body_path = self._paths(url)
        if not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("url") != url:
                raise ValueError(_("not a cache entry for this URL"))
            etag, last_modified, content_type = (meta.get(k) for k in ("etag", "last_modified", "content_type"))
            if not all(_header_value(v) for v in (etag, last_modified, content_type)):
                raise ValueError(_("a validator is not a valid header value"))
            body = body_path.read_bytes()
            digest = body_digest(body)
            if digest != meta.get("sha256"):
                raise ValueError(_("body does not match its checksum"))
            return CachedResponse(etag, last_modified, body, content_type or "", digest)
        # Anything: a cache entry must never stop a draft (RecursionError, OverflowError are no ValueError).
        except Exception as exc:
            self.warnings.append(_("cache entry for {url} was corrupt ({reason}); it is rebuilt").format(url=url, reason=_short(exc)))
            self.drop(url)
            return None

    def load_parsed(self, url: str, key: str, fetched_at: dt.datetime) -> ParsedFeed | None:
        """The entries normalised last time from the same bytes (the same `key`), or None (a bad entry is deleted)."""
        path = self.parse_path(url)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["key"] != key:
                return None  # a parse of other bytes (or for another section, language…): replaced after this parse
            candidates = []
            for raw in data["candidates"]:
                known = bool(raw["date_known"])
                date = dt.datetime.fromisoformat(raw["date"]) if known and raw["date"] else fetched_at
                candidate = Candidate(**{**raw, "date": date, "drafted": tuple(raw.get("drafted", ()))})
                if not _well_typed(candidate):
                    raise ValueError(_("an entry has a field of the wrong type"))
                candidates.append(candidate)
            return ParsedFeed(candidates=candidates, unusable=int(data["unusable"]), warnings=[str(w) for w in data["warnings"]], entries=int(data["entries"]))
        except FileNotFoundError:
            return None
        except Exception as exc:  # as in load(): whatever the reason, the feed is parsed again
            self.warnings.append(_("cache entry {name} was corrupt ({reason}); the feed is parsed again").format(name=path.name, reason=_short(exc)))
            path.unlink(missing_ok=True)
            return None

    def store_parsed(self, url: str, key: str, parsed: ParsedFeed) -> None:
        if keeps_parse(parsed):
            # Encoded on the writer thread, not on the event loop.
            self._write_many([(self.parse_path(url), lambda: parsed_json(parsed, key))])

    def entry_files(self, url: str, response: CachedResponse) -> list[tuple[Path, bytes]]:
        """The files of `url`'s entry, body first: a meta file never points at a body not yet written."""
        if not (response.etag or response.last_modified):
            return []
        meta_path, body_path = self._paths(url)
        meta = {
            "url": url,
            "etag": response.etag,
            "last_modified": response.last_modified,
            "content_type": response.content_type,
            "sha256": response.digest or body_digest(response.body),
        }
        return [(body_path, response.body), (meta_path, json.dumps(meta, indent=1).encode("utf-8"))]

    def store(self, url: str, response: CachedResponse) -> None:
        files = self.entry_files(url, response)
        if files:
            self._write_many(files)
