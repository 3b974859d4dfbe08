"""Feed bytes -> normalised entries: plain RSS 2.0 through the fast reader (rss2.py), the rest
through feedparser. The module the parse workers import: it pulls in no HTTP, config nor
pydantic code (parsepool.py preloads it in the forkserver)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import feedparser

from newsletter import formats
from newsletter.i18n import _, ngettext
from newsletter.sources.normalise import ParsedFeed, normalise_entry
from newsletter.sources.rss2 import read_rss2


def looks_like_html(body: bytes, content_type: str) -> bool:
    """True for a web page (rather than a feed)."""
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    return "html" in content_type.lower() and b"<rss" not in head and b"<feed" not in head and b"<rdf" not in head


def _charset_override(body: bytes, content_type: str) -> str | None:
    """Force UTF-8 when the bytes are valid non-ASCII UTF-8 but the feed declares another charset."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if body.isascii():
        return None
    match = re.search(rb"<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)", body[:200])
    declared = (match.group(1).decode().lower() if match else "") or (re.search(r"charset=([\w.-]+)", content_type) or [None, ""])[1]
    if declared and declared.lower().replace("_", "-") not in {"utf-8", "utf8"}:
        return declared
    return None


def parse_feed_bytes(
    body: bytes,
    *,
    url: str,
    content_type: str = "",
    source: str,
    section: str,
    tz: ZoneInfo,
    fetched_at: dt.datetime,
    prepare: bool = False,
) -> ParsedFeed:
    """Parse feed bytes (rss2.py's fast reader, else feedparser) and normalise every entry into a Candidate.

    `prepare`: also write each entry's text as the draft will (Candidate.drafted); worth it on
    the parse workers, which do it while other feeds are fetched, not when parsing inline.
    """
    result = ParsedFeed(looks_html=looks_like_html(body, content_type))
    headers = {"content-location": url}
    wrong = _charset_override(body, content_type)
    if wrong:
        headers["content-type"] = "application/xml; charset=utf-8"
        result.warnings.append(_("the feed declares the encoding {encoding} but is UTF-8; read as UTF-8").format(encoding=wrong))
    elif content_type:
        headers["content-type"] = content_type
    fast = read_rss2(body, url=url, content_type=headers.get("content-type", ""))
    if fast is not None:
        link, entries = fast
        return _normalise_all(result, entries, url=url, feed_base=link or url, source=source, section=section, tz=tz, fetched_at=fetched_at, prepare=prepare)
    # No sanitising nor URI rewriting inside feedparser: we keep plain text only and resolve
    # links ourselves; both passes cost a third of the parse time.
    parsed = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    result.entries = len(entries)
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        result.bozo = f"{type(exc).__name__}: {exc}" if exc else _("malformed feed")
        if entries and not result.looks_html and not isinstance(exc, feedparser.NonXMLContentType):
            if "CharacterEncoding" in result.bozo:
                result.warnings.append(_("the feed's declared encoding looks wrong ({reason}); read anyway").format(reason=exc))
            else:
                result.warnings.append(
                    ngettext(
                        "the feed is not well-formed XML ({reason}); {n} entry could be read",
                        "the feed is not well-formed XML ({reason}); {n} entries could be read",
                        len(entries),
                    ).format(reason=exc, n=formats.integer(len(entries)))
                )
    feed_base = str(parsed.get("feed", {}).get("link") or url)
    return _normalise_all(result, entries, url=url, feed_base=feed_base, source=source, section=section, tz=tz, fetched_at=fetched_at, prepare=prepare)


def _normalise_all(
    result: ParsedFeed, entries: list[Any], *, url: str, feed_base: str, source: str, section: str, tz: ZoneInfo, fetched_at: dt.datetime,
    prepare: bool,
) -> ParsedFeed:
    result.entries = len(entries)
    for entry in entries:
        candidate = normalise_entry(entry, base=url, feed_base=feed_base, source=source, section=section, tz=tz, fetched_at=fetched_at, prepare=prepare)
        if candidate is None:
            result.unusable += 1
        else:
            result.candidates.append(candidate)
    return result
