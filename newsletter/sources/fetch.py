"""Fetching one URL: httpx GET with conditional headers, a size cap, redirects; local files.

Raises SourceError with a plain-words reason (HTTP status, timeout, DNS, redirect loop).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx

from newsletter import formats
from newsletter.errors import SourceError
from newsletter.i18n import N_, _
from newsletter.sources.cache import CachedResponse, HttpCache, body_digest
from newsletter.sources.parsepool import ParsePool

RESOLVE_ERRORS = ("name or service not known", "nodename nor servname", "temporary failure in name resolution", "getaddrinfo failed", "no address associated")


@dataclass(frozen=True)
class Fetched:
    """The bytes of one URL and how they were obtained."""

    body: bytes
    url: str  # final URL after redirects
    content_type: str = ""
    from_cache: bool = False
    truncated: bool = False
    permanent_redirect: bool = False
    digest: str = ""  # SHA-256 of `body` when the cache computed it (hex); "" otherwise
    to_cache: CachedResponse | None = None  # a new answer worth caching, under the URL asked for: the caller stores it
    asked: str = ""  # the URL asked for (the cache's key), before redirects


def network_error(exc: Exception, url: str, timeout: float) -> SourceError:
    """The SourceError for a network failure, marked unreachable when no connection was made."""
    unreachable = isinstance(exc, httpx.ConnectError) and not isinstance(exc, httpx.TimeoutException)
    return SourceError(describe_http_error(exc, url, timeout), unreachable=unreachable)


def describe_http_error(exc: Exception, url: str, timeout: float) -> str:
    """A plain-words reason for a network failure."""
    if isinstance(exc, httpx.TooManyRedirects):
        return _("too many redirects (a redirect loop?)")
    if isinstance(exc, httpx.TimeoutException):
        return _("no answer within {seconds} s (timeout)").format(seconds=_seconds(timeout))
    text = str(exc)
    if isinstance(exc, httpx.ConnectError):
        if any(marker in text.lower() for marker in RESOLVE_ERRORS):
            host = urlsplit(url).hostname or url
            return _("the host name {host} does not resolve (check the URL's spelling)").format(host=host)
        return _("cannot connect ({reason})").format(reason=text or type(exc).__name__)
    return _("network error ({reason})").format(reason=text or type(exc).__name__)


def _seconds(value: float) -> str:
    """10 -> '10', 2.5 -> '2,5' in French: a duration in seconds as the user reads it."""
    return formats.integer(int(value)) if float(value).is_integer() else formats.decimal(value)


def describe_unexpected(exc: BaseException) -> str:
    """A plain-words reason for a failure no reader expected (a source crafted to break parsers,
    a bug): it fails that one source, never the whole draft."""
    if isinstance(exc, RecursionError):
        return _("its content is nested too deeply to be read")
    if isinstance(exc, OverflowError):
        return _("it holds a number too large to be read")
    if isinstance(exc, MemoryError):
        return _("it is too large to be read in memory")
    text = str(exc)
    shown = f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
    return _("it could not be read ({reason})").format(reason=shown)


async def read_capped(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    """The body of a streamed response, at most `max_bytes` of it (decoded, so a small gzip that
    expands to gigabytes stops there too); True when there was more."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > max_bytes:
            chunks.append(chunk[: max_bytes - size])
            return b"".join(chunks), True
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks), False


def _http_status_reason(response: httpx.Response) -> str:
    code = response.status_code
    if code == 403 and ("cloudflare" in response.headers.get("server", "").lower() or "cf-ray" in response.headers):
        return _("HTTP 403: the site's anti-bot protection (Cloudflare) refuses automated readers")
    if code in HTTP_MEANINGS:
        return _(HTTP_MEANINGS[code]).format(code=code)
    phrase = response.reason_phrase or ""
    return _("HTTP {code} {phrase}").format(code=code, phrase=phrase).strip()


# What the usual refusals mean, in words (the server's own reason phrase is English).
HTTP_MEANINGS = {
    401: N_("HTTP {code}: the site asks for a login"),
    403: N_("HTTP {code}: the site refuses access"),
    404: N_("HTTP {code}: no page at this address (check the URL)"),
    410: N_("HTTP {code}: the page was removed"),
    429: N_("HTTP {code}: too many requests for the site; try again later"),
    500: N_("HTTP {code}: the site has a problem on its side; try again later"),
    502: N_("HTTP {code}: the site has a problem on its side; try again later"),
    503: N_("HTTP {code}: the site has a problem on its side; try again later"),
    504: N_("HTTP {code}: the site has a problem on its side; try again later"),
}


def read_local(path: Path, *, max_bytes: int) -> Fetched:
    """A feed given as a local file (the offline example)."""
    try:
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceError(_("no file at {path}").format(path=path)) from None
    except OSError as exc:
        raise SourceError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    truncated = len(body) > max_bytes
    return Fetched(body=body[:max_bytes], url=path.resolve().as_uri(), content_type="application/xml", truncated=truncated)


async def fetch_url(
    client: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int,
    timeout: float,
    cache: HttpCache | None = None,
) -> Fetched:
    """GET `url` with conditional headers from the cache, reading at most `max_bytes`.

    A new answer with validators comes back as `to_cache`, for the caller to store (on a parse
    worker, with the parse: feeds.py); this function only reads the cache.
    Raises SourceError with a plain-words reason (HTTP status, timeout, DNS, redirect loop).
    """
    cached = cache.load(url) if cache else None
    headers: dict[str, str] = {}
    if cached:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    try:
        async with client.stream("GET", url, headers=headers) as response:
            permanent = any(r.status_code in (301, 308) for r in response.history)
            final = str(response.url)
            if response.status_code == 304 and cached:
                return Fetched(
                    cached.body, final, cached.content_type, from_cache=True, permanent_redirect=permanent, digest=cached.digest, asked=url
                )
            if response.status_code >= 400:
                raise SourceError(_http_status_reason(response))
            body, truncated = await read_capped(response, max_bytes)
            content_type = response.headers.get("content-type", "")
            digest, to_cache = "", None
            if cache is not None and not truncated and response.status_code == 200:
                validators = (response.headers.get("etag"), response.headers.get("last-modified"))
                if any(validators):
                    digest = body_digest(body)
                    to_cache = CachedResponse(*validators, body, content_type, digest)
            return Fetched(
                body, final, content_type, truncated=truncated, permanent_redirect=permanent, digest=digest, to_cache=to_cache, asked=url
            )
    except httpx.HTTPError as exc:
        raise network_error(exc, url, timeout) from exc


# A host name first ("www.example.org/feed", "example.org/rss"): a web address written without
# https://. The last label must not be a file extension, so "feeds/local.xml" is not one.
_HOST_FIRST = re.compile(r"^(?:www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?::\d+)?(?:[/?#]|$)", re.I)
_FILE_SUFFIXES = frozenset({"xml", "rss", "atom", "json", "geojson", "txt", "html", "htm", "rdf"})


def web_address_without_scheme(url: str) -> str | None:
    """"https://" + `url` when `url` looks like a web address written without its scheme, else None."""
    match = _HOST_FIRST.match(url.strip())
    if match is None or url.startswith(("/", ".", "~")):
        return None
    host = match.group(0).rstrip("/?#").split(":")[0]
    if not host.lower().startswith("www.") and host.rsplit(".", 1)[-1].lower() in _FILE_SUFFIXES:
        return None
    return "https://" + url.strip()


def resolve_feed_location(url: str, root: Path) -> tuple[str, Path | None]:
    """(url, local path): a URL without an http(s) scheme is a file relative to the workspace.

    Raises SourceError when no such file exists and the text looks like a web address written
    without https:// (`www.example.org/feed`): the fix is the scheme, not a missing file.
    """
    if url.startswith(("http://", "https://")):
        return url, None
    path = Path(url.removeprefix("file://")).expanduser()
    local = path if path.is_absolute() else root / path
    suggestion = None if url.startswith("file://") else web_address_without_scheme(url)
    if suggestion is not None and not local.exists():
        raise SourceError(
            _('"{url}" looks like a web address, but without https:// it is read as a file of the workspace (there is none): '
              'write url = "{suggestion}"').format(url=url, suggestion=suggestion)
        )
    return url, local


@dataclass(frozen=True)
class FetchOptions:
    """What every feed fetch needs besides the client."""

    root: Path
    tz: ZoneInfo
    fetched_at: dt.datetime
    max_bytes: int
    timeout: float
    cache: HttpCache | None = None
    parse_pool: ParsePool | None = None  # None: feeds are parsed inline, on the event loop
