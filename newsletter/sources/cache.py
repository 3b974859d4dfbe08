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
                    write_atomic(path, data() if callable(data) else data)
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

    def load(self, url: str) -> CachedResponse | None:
        meta_path, body_path = self._paths(url)
        if not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if not isinstance(meta, dict) or meta.get("url") != url:
                raise ValueError("not a cache entry for this URL")
            body = body_path.read_bytes()
            if hashlib.sha256(body).hexdigest() != meta.get("sha256"):
                raise ValueError("body does not match its checksum")
            return CachedResponse(meta.get("etag"), meta.get("last_modified"), body, str(meta.get("content_type", "")))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            self.warnings.append(f"cache entry for {url} was corrupt ({exc}); it is rebuilt")
            for path in (meta_path, body_path):
                path.unlink(missing_ok=True)
            return None

    def load_parsed(self, key: str, fetched_at: dt.datetime) -> ParsedFeed | None:
        """The entries normalised from the same bytes last time, or None."""
        path = self.directory / f"{key[:32]}.parsed.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            candidates = []
            for raw in data["candidates"]:
                known = bool(raw["date_known"])
                date = dt.datetime.fromisoformat(raw["date"]) if known and raw["date"] else fetched_at
                candidates.append(Candidate(**{**raw, "date": date}))
            return ParsedFeed(candidates=candidates, unusable=int(data["unusable"]), warnings=list(data["warnings"]), entries=int(data["entries"]))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            self.warnings.append(f"cache entry {path.name} was corrupt ({exc}); the feed is parsed again")
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
            "sha256": hashlib.sha256(response.body).hexdigest(),
        }
        # The body first, in the same job: a meta file never points at a body not yet written.
        self._write_many([(body_path, response.body), (meta_path, json.dumps(meta, indent=1))])
