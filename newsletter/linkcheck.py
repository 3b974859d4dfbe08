"""Link checking for `newsletter check --links`: fetch every link and image once, concurrently.

HEAD first (cheap), then GET when a server refuses HEAD (405/403/501) or the HEAD request
fails; redirects are followed (limit 5 in `build_async_client`). UTM parameters are stripped
before fetching so the check does not show up in partners' analytics.
"""

from __future__ import annotations

import asyncio
import http
import logging
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsletter import formats
from newsletter.i18n import _
from newsletter.render.checks import Level, Problem
from newsletter.urls import strip_utm

if TYPE_CHECKING:
    import httpx

    from newsletter.render.pipeline import RenderResult

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8
DEFAULT_TIMEOUT = 10.0  # seconds, per request
HEAD_REFUSED = frozenset({403, 405, 501})
PERMANENT_REDIRECTS = frozenset({301, 308})


@dataclass(frozen=True)
class LinkStatus:
    """What fetching one URL gave: `ok`, the final status, a readable reason, a permanent move."""

    url: str
    ok: bool
    status: int | None = None
    reason: str = ""
    moved_to: str | None = None
    unreachable: bool = False  # no connection was made (DNS or connect failure): offline, or the site is gone


def is_checkable(url: str) -> bool:
    """True for absolute http(s) URLs; False for mailto:, tel:, provider placeholders, relative."""
    stripped = url.strip()
    if "{{" in stripped or "[[" in stripped or " " in stripped:
        return False
    return stripped.lower().startswith(("http://", "https://"))


def fetch_url(url: str) -> str:
    """The URL to request: without utm_* parameters (other parameters left untouched)."""
    return strip_utm(url) if "utm_" in url else url


def _status_reason(status: int, phrase: str) -> str:
    if not phrase:
        try:
            phrase = http.HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
    return f"{status} {phrase}".strip()


def _cause_chain(exc: BaseException) -> list[BaseException]:
    # httpx wraps the socket error (gaierror, ConnectionRefusedError) a few levels down.
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def _seconds(timeout: float) -> str:
    return formats.integer(int(timeout)) if timeout == int(timeout) else formats.decimal(timeout)


def _describe_error(exc: Exception, timeout: float) -> str:
    """What happened, as the end of a sentence that starts with the address."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return _("did not answer within {seconds} s").format(seconds=_seconds(timeout))
    if isinstance(exc, httpx.TooManyRedirects):
        return _("redirects too many times (a redirect loop?)")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return _("is not a valid web address")
    text = str(exc)
    chain = _cause_chain(exc)
    lowered = " ".join(str(e) for e in chain).lower()
    if isinstance(exc, httpx.ConnectError):
        dns_markers = ("name or service not known", "nodename nor servname", "getaddrinfo", "no address associated", "name resolution")
        if any(isinstance(e, socket.gaierror) for e in chain) or any(m in lowered for m in dns_markers):
            return _("cannot be reached: the domain name does not exist (DNS lookup failed)")
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in lowered:
            return _("cannot be reached: the connection was refused")
        return _("cannot be reached ({reason})").format(reason=text or type(exc).__name__)
    detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return _("failed ({reason})").format(reason=detail)


async def _request(client: httpx.AsyncClient, method: str, url: str, timeout: float) -> httpx.Response:
    # stream() reads only the status line and headers: a GET on a large image downloads nothing.
    async with client.stream(method, url, timeout=timeout) as response:
        return response


async def _check_one(client: httpx.AsyncClient, url: str, timeout: float) -> LinkStatus:
    import httpx

    target = fetch_url(url)
    response: httpx.Response | None = None
    try:
        response = await _request(client, "HEAD", target, timeout)
    except (httpx.TimeoutException, httpx.TooManyRedirects, httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        # Retrying these with GET would only double the wait or loop again.
        return LinkStatus(url, ok=False, reason=_describe_error(exc, timeout))
    except httpx.HTTPError as exc:
        logger.debug("HEAD %s failed (%s); trying GET", target, exc)
    if response is None or response.status_code in HEAD_REFUSED:
        try:
            response = await _request(client, "GET", target, timeout)
        except httpx.HTTPError as exc:
            # As the draft's sources (sources/fetch.py network_error): a timeout made a connection.
            return LinkStatus(url, ok=False, reason=_describe_error(exc, timeout), unreachable=isinstance(exc, httpx.ConnectError))
    status = response.status_code
    reason = _status_reason(status, response.reason_phrase)
    if status >= 400:
        return LinkStatus(url, ok=False, status=status, reason=reason)
    moved_to = None
    if response.history and response.history[0].status_code in PERMANENT_REDIRECTS:
        final = str(response.url)
        if final != target:
            moved_to = final
    return LinkStatus(url, ok=True, status=status, reason=reason, moved_to=moved_to)


async def check_urls(
    urls: Iterable[str],
    *,
    client: httpx.AsyncClient,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, LinkStatus]:
    """Fetch each checkable URL once, at most `concurrency` at a time; map each URL to its status.

    Keys are the URLs as given (deduplicated); mailto:, tel: and placeholders are left out.
    """
    unique = list(dict.fromkeys(u.strip() for u in urls if is_checkable(u)))
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def bounded(url: str) -> LinkStatus:
        async with semaphore:
            try:
                status = await _check_one(client, url, timeout)
            except Exception as exc:  # one odd server must not stop the other checks
                logger.debug("checking %s failed unexpectedly", url, exc_info=True)
                status = LinkStatus(url, ok=False, reason=_describe_error(exc, timeout))
            logger.debug("%s -> %s", url, status.reason)
            return status

    results = await asyncio.gather(*(bounded(url) for url in unique))
    return dict(zip(unique, results, strict=True))


def _theme_urls(html: str) -> list[str]:
    from newsletter.render.checks import Document

    document = Document(html)
    found: list[str] = []
    for tag in document.find_all("a") + document.find_all("img"):
        value = tag.get("href") if tag.name == "a" else tag.get("src")
        if value is not None and is_checkable(value):
            found.append(value.strip())
    return found


def collect_urls(result: RenderResult) -> dict[str, int | None]:
    """Every URL to check (UTM stripped), with its Markdown line (None for theme links).

    The issue's own web version is left out: it is published after sending.
    """
    urls: dict[str, int | None] = {}
    for href, line in [(link.href, link.line) for link in result.issue.links] + [(img.src, img.line) for img in result.issue.images]:
        if is_checkable(href):
            urls.setdefault(strip_utm(href.strip()), line)
    web_version = f"/{result.issue.stem}.html"
    for url in _theme_urls(result.html):
        key = strip_utm(url)
        if key not in urls and not key.endswith(web_version):
            urls[key] = None
    return urls


def seems_offline(statuses: dict[str, LinkStatus]) -> bool:
    """No address could even be connected to (at least 3 of them): the computer, not the links."""
    return len(statuses) >= 3 and all(not s.ok and s.unreachable for s in statuses.values())


def problems_from_statuses(statuses: dict[str, LinkStatus], lines: dict[str, int | None]) -> list[Problem]:
    """Broken links become errors, permanent moves warnings; each with its Markdown line.

    When the computer seems offline, one error says so instead of one per link: the links were
    not checked, and none of them is known to be broken.
    """
    if seems_offline(statuses):
        return [
            Problem(
                Level.error,
                "link-offline",
                _(
                    "none of the {count} addresses could be reached: this computer seems to be offline (no internet connection, "
                    "or a proxy in the way), so the links were not checked; run `newsletter check --links` again once it is connected"
                ).format(count=len(statuses)),
                None,
            )
        ]
    problems: list[Problem] = []
    for url, status in statuses.items():
        line = lines.get(url)
        if not status.ok:
            if status.status is not None:
                message = _("{url} answered {status}").format(url=url, status=status.reason)
            else:
                message = _("{url} {reason}").format(url=url, reason=status.reason)
            problems.append(Problem(Level.error, "link-broken", _in_theme(message, line), line))
        elif status.moved_to:
            message = _("{url} moved permanently to {new_url}; update the link").format(url=url, new_url=status.moved_to)
            problems.append(Problem(Level.warning, "link-moved", _in_theme(message, line), line))
    return sorted(problems, key=lambda p: (p.level != Level.error, p.line or 0))


def _in_theme(message: str, line: int | None) -> str:
    """A link of the theme has no Markdown line: say where it is instead."""
    return message if line is not None else _("in the theme: {problem}").format(problem=message)


def check_result_links(
    result: RenderResult,
    *,
    concurrency: int | None = None,
    timeout: float | None = None,
) -> list[Problem]:
    """Fetch every link and image of a rendered issue and return the broken (and moved) ones."""
    from newsletter.http import build_async_client

    lines = collect_urls(result)
    chosen_timeout = DEFAULT_TIMEOUT if timeout is None else timeout
    chosen_concurrency = DEFAULT_CONCURRENCY if concurrency is None else concurrency

    async def run() -> dict[str, LinkStatus]:
        async with build_async_client(timeout=chosen_timeout, max_redirects=5, max_connections=chosen_concurrency) as client:
            return await check_urls(lines, client=client, concurrency=chosen_concurrency, timeout=chosen_timeout)

    logger.info("checking %d links", len(lines))
    statuses = asyncio.run(run())
    return problems_from_statuses(statuses, lines)


def with_link_problems(result: RenderResult) -> RenderResult:
    """The same result, with the broken and moved links added to its problems."""
    from dataclasses import replace

    return replace(result, problems=result.problems + tuple(check_result_links(result)))
