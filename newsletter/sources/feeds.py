"""Veille feeds: auto-discover, and fetch_feed, which puts one feed together.

Fetching is in fetch.py, the HTTP cache in cache.py, parsing bytes in feedparse.py (the module
the parse workers import), entry normalisation in normalise.py.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from bs4 import BeautifulSoup

from newsletter import formats, i18n
from newsletter.config import FeedConfig
from newsletter.errors import SourceError
from newsletter.i18n import _
from newsletter.sources import Candidate, FetchStatus, SourceReport
from newsletter.sources.cache import parse_and_store
from newsletter.sources.feedparse import looks_like_html, parse_feed_bytes
from newsletter.sources.fetch import (
    Fetched,
    FetchOptions,
    describe_unexpected,
    fetch_url,
    read_local,
    resolve_feed_location,
)
from newsletter.sources.normalise import ParsedFeed
from newsletter.urls import canonical_url

logger = logging.getLogger(__name__)

PARSED_FORMAT = "parsed/5"  # bump when normalisation changes, so cached parses are redone
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}


def discover_feeds(page: bytes, page_url: str) -> list[str]:
    """Feed URLs a web page declares with <link rel="alternate">, comment feeds last."""
    soup = BeautifulSoup(page[:500_000], "html.parser")
    found: list[tuple[bool, str]] = []
    for link in soup.find_all("link"):
        rel: Any = link.get("rel") or []
        rels = [rel] if isinstance(rel, str) else [str(r) for r in rel]
        kind = str(link.get("type") or "").lower().split(";")[0].strip()
        href = str(link.get("href") or "")
        if "alternate" in [r.lower() for r in rels] and kind in FEED_TYPES and href:
            url = canonical_url(href, page_url)
            if url:
                is_comments = "comment" in (str(link.get("title") or "") + href).lower()
                found.append((is_comments, url))
    return [url for _, url in sorted(found, key=lambda pair: pair[0])]


@dataclass
class FeedOutcome:
    """One feed's report and the candidates read from it."""

    report: SourceReport
    candidates: list[Candidate] = field(default_factory=list)
    unusable: int = 0


async def _get(client: httpx.AsyncClient, url: str, options: FetchOptions) -> Fetched:
    _, local = resolve_feed_location(url, options.root)
    if local is not None:
        return read_local(local, max_bytes=options.max_bytes)
    return await fetch_url(client, url, max_bytes=options.max_bytes, timeout=options.timeout, cache=options.cache)


async def _discover(client: httpx.AsyncClient, page: Fetched | None, url: str, options: FetchOptions) -> str | None:
    """A feed URL declared by `page`, or by the site's home page when `page` is None."""
    if page is None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            return None
        home = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
        if home.rstrip("/") == url.rstrip("/"):
            return None
        try:
            page = await fetch_url(client, home, max_bytes=options.max_bytes, timeout=options.timeout)
        except SourceError:
            return None
    if not looks_like_html(page.body, page.content_type):
        return None
    found = [u for u in discover_feeds(page.body, page.url) if u.rstrip("/") != url.rstrip("/")]
    return found[0] if found else None


async def fetch_feed(client: httpx.AsyncClient, feed: FeedConfig, options: FetchOptions) -> FeedOutcome:
    """Fetch, auto-discover when needed, parse and normalise one feed. Never raises: any failure,
    even one no reader expected, becomes this feed's failure with a plain reason."""
    report = SourceReport(name=feed.name, kind="feed", url=feed.url)
    outcome = FeedOutcome(report)
    try:
        try:
            fetched = await _get(client, feed.url, options)
        except SourceError as exc:
            discovered = await _discover(client, None, feed.url, options)
            if discovered is None:
                raise
            report.warnings.append(
                _("{url} failed ({reason}); using the feed declared by the site: {feed}").format(url=feed.url, reason=exc.message, feed=discovered)
            )
            fetched = await _get(client, discovered, options)
            report.status, report.final_url = FetchStatus.discovered, discovered
        parsed = await _parse(fetched, feed, options)
        if not parsed.candidates and not parsed.unusable and (parsed.looks_html or parsed.bozo):
            discovered = await _discover(client, fetched, feed.url, options)
            if discovered is None:
                if parsed.looks_html:
                    raise SourceError(_('the URL returns a web page, not a feed, and the page declares no feed (<link rel="alternate">)'))
                raise SourceError(_("not a readable feed ({reason})").format(reason=parsed.bozo))
            fetched = await _get(client, discovered, options)
            report.status, report.final_url = FetchStatus.discovered, discovered
            report.warnings.append(_("feed found at {url} (put this address in newsletter.toml)").format(url=discovered))
            parsed = await _parse(fetched, feed, options)
            if not parsed.candidates and parsed.bozo:
                raise SourceError(_("the discovered feed {url} is not readable ({reason})").format(url=discovered, reason=parsed.bozo))
    except SourceError as exc:
        report.fail(exc.message, unreachable=exc.unreachable)
        return outcome
    except Exception as exc:
        logger.debug("feed %s failed unexpectedly", feed.url, exc_info=True)
        report.fail(describe_unexpected(exc))
        if options.cache is not None:
            # The cached answer may be what breaks the reader: the next fetch is a full one.
            options.cache.drop(feed.url)
        return outcome
    if report.status is FetchStatus.ok:
        if fetched.from_cache:
            report.status = FetchStatus.cached
        if fetched.permanent_redirect and fetched.url != feed.url:
            report.status, report.final_url = FetchStatus.redirected, fetched.url
            report.warnings.append(_("the feed moved permanently to {url}; update its url in newsletter.toml").format(url=fetched.url))
    if fetched.truncated:
        report.warnings.append(
            _("the feed is larger than {size} bytes; only the beginning was read").format(size=formats.integer(options.max_bytes))
        )
    report.warnings.extend(parsed.warnings)
    outcome.candidates = parsed.candidates
    outcome.unusable = parsed.unusable
    report.found = parsed.entries
    dates = [c.date for c in parsed.candidates if c.date and c.date_known]
    report.last_item = max(dates) if dates else None
    return outcome


async def _parse(fetched: Fetched, feed: FeedConfig, options: FetchOptions) -> ParsedFeed:
    """Parse the bytes (on the worker processes when there is a pool), and cache the answer and
    its parse; on a 304 answer, reuse the entries normalised last time (no re-parse)."""
    cache = options.cache
    # Keyed on the body's digest, which the cache computed once already (its checksum): the body
    # is hashed once per fetch, not twice. No digest: the answer is not cached (no validators,
    # truncated, a local file), so no later 304 can reuse a parse either.
    key = ""
    if fetched.digest and cache is not None:
        # The language too: a parse's warnings are written in it.
        parts = [PARSED_FORMAT, fetched.url, feed.name, feed.section, str(options.tz), fetched.digest, i18n.language()]
        key = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
        if fetched.from_cache:
            reused = cache.load_parsed(fetched.asked, key, options.fetched_at)
            if reused is not None:
                return reused
    call = functools.partial(
        parse_feed_bytes,
        fetched.body,
        url=fetched.url,
        content_type=fetched.content_type,
        source=feed.name,
        section=feed.section,
        tz=options.tz,
        fetched_at=options.fetched_at,
        prepare=options.parse_pool is not None,
    )
    to_cache = fetched.to_cache if cache is not None else None
    if options.parse_pool is not None and cache is not None:
        # The worker has the bytes already: it writes the entry and the parse (cache.parse_and_store).
        files = cache.entry_files(fetched.asked, to_cache) if to_cache else []
        job = functools.partial(parse_and_store, call, files, cache.parse_path(fetched.asked) if key else None, key)
        parsed, problem = await options.parse_pool.run(job)
        if problem:
            cache.write_failed(problem)
        return parsed
    if to_cache is not None and cache is not None:
        cache.store(fetched.asked, to_cache)
    parsed = await options.parse_pool.run(call) if options.parse_pool is not None else call()
    if key and cache is not None:
        cache.store_parsed(fetched.asked, key, parsed)
    return parsed
