"""The HTTP cache of the feeds: ETag / Last-Modified validators, bodies, and parsed entries."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from newsletter.fsutil import write_atomic
from newsletter.i18n import _
from newsletter.sources import Candidate
from newsletter.sources.normalise import ParsedFeed

logger = logging.getLogger(__name__)


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
        # Writes (each one fsync'd by write_atomic) run on worker threads, off the fetch's
        # critical path; flush() waits for them.
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="http-cache")
        self._pending: list[Future[None]] = []

    def _write(self, path: Path, data: str | bytes | Callable[[], str]) -> None:
        self._write_many([(path, data)])

    def _write_many(self, files: list[tuple[Path, str | bytes | Callable[[], str]]]) -> None:
        def work() -> None:
            try:
                for path, data in files:
                    # Not durable (no fsync): a cache entry lost in a crash is only a full fetch
                    # next time, and a torn one fails its checksum and is deleted.
                    write_atomic(path, data() if callable(data) else data, durable=False)
            except Exception as exc:  # a cache that cannot be written is not worth failing a draft
                logger.warning("cannot write the HTTP cache in %s: %s", self.directory, exc)

        self._pending.append(self._pool.submit(work))

    def flush(self) -> None:
        """Wait for the pending cache writes."""
        for future in self._pending:
            future.result()
        self._pending.clear()
        self._pool.shutdown(wait=True)

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()[:32]
        return self.directory / f"{key}.json", self.directory / f"{key}.body"

    def drop(self, url: str) -> None:
        """Forget `url`'s entry: its next fetch is a full one."""
        for path in self._paths(url):
            path.unlink(missing_ok=True)

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

    def load_parsed(self, key: str, fetched_at: dt.datetime) -> ParsedFeed | None:
        """The entries normalised from the same bytes last time, or None (a bad entry is deleted)."""
        path = self.directory / f"{key[:32]}.parsed.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
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

    def store_parsed(self, key: str, parsed: ParsedFeed) -> None:
        if parsed.bozo and not parsed.candidates:
            return
        # Candidates are flat and frozen: vars() is their fields (asdict deep-copies, 10x slower),
        # and the JSON is encoded on the writer thread, not on the event loop.
        rows = [{**vars(c), "date": c.date.isoformat() if c.date else None} for c in parsed.candidates]
        payload = {"candidates": rows, "unusable": parsed.unusable, "warnings": list(parsed.warnings), "entries": parsed.entries}
        self._write(self.directory / f"{key[:32]}.parsed.json", lambda: json.dumps(payload, ensure_ascii=False))

    def store(self, url: str, response: CachedResponse) -> None:
        if not (response.etag or response.last_modified):
            return
        meta_path, body_path = self._paths(url)
        meta = {
            "url": url,
            "etag": response.etag,
            "last_modified": response.last_modified,
            "content_type": response.content_type,
            "sha256": response.digest or body_digest(response.body),
        }
        # The body first, in the same job: a meta file never points at a body not yet written.
        self._write_many([(body_path, response.body), (meta_path, json.dumps(meta, indent=1))])
