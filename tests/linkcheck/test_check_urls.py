"""`check_urls`, the core: HEAD then GET, dedupe, the concurrency bound, and each kind of failure."""

from __future__ import annotations

import asyncio
import socket

import httpx

from newsletter.http import build_async_client
from newsletter.linkcheck import LinkStatus, check_urls, is_checkable, problems_from_statuses
from tests.linkcheck.conftest import LinkServer


def run_check(urls: list[str], *, transport: httpx.AsyncBaseTransport | None = None, concurrency: int = 8, timeout: float = 0.3) -> dict[str, LinkStatus]:
    async def go() -> dict[str, LinkStatus]:
        async with build_async_client(timeout=timeout, transport=transport) as client:
            return dict(await check_urls(urls, client=client, concurrency=concurrency, timeout=timeout))

    return asyncio.run(go())


def test_placeholders_mailto_tel_are_ignored_and_urls_deduplicated(link_server: LinkServer) -> None:
    ok = link_server.url("/ok")
    urls = [ok, ok, "mailto:a@example.org", "tel:+331", "{{ unsubscribe }}", "[[UNSUB_LINK_FR]]", "/relative", ""]
    statuses = run_check(urls)
    assert list(statuses) == [ok]
    assert link_server.paths() == ["/ok"]
    assert not is_checkable("https://example.org/{{ mirror }}")


def test_head_refused_then_get(link_server: LinkServer) -> None:
    url = link_server.url("/no-head")
    status = run_check([url])[url]
    assert status.ok is True
    assert [m for m, _, _ in link_server.requests] == ["HEAD", "GET"]


def test_head_failure_falls_back_to_get() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "HEAD":
            raise httpx.RemoteProtocolError("server closed the connection", request=request)
        return httpx.Response(200)

    status = run_check(["https://example.org/page"], transport=httpx.MockTransport(handler))["https://example.org/page"]
    assert status.ok is True


def test_dns_failure_and_connection_refused_are_broken() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    url = "https://no-such-host.example/"
    status = run_check([url], transport=httpx.MockTransport(handler))[url]
    assert status.ok is False
    assert "DNS" in status.reason

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    refused = f"http://127.0.0.1:{port}/"
    status = run_check([refused])[refused]
    assert status.ok is False
    assert "refused" in status.reason


def test_concurrency_is_bounded() -> None:
    running = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.02)
        running -= 1
        return httpx.Response(200)

    urls = [f"https://example.org/{n}" for n in range(12)]
    statuses = run_check(urls, transport=httpx.MockTransport(handler), concurrency=3)
    assert len(statuses) == 12
    assert peak == 3


def test_every_address_unreachable_says_once_that_the_computer_seems_offline() -> None:
    statuses = {
        f"https://example.org/{n}": LinkStatus(f"https://example.org/{n}", ok=False, reason="cannot be reached", unreachable=True) for n in range(3)
    }
    problems = problems_from_statuses(statuses, dict.fromkeys(statuses, 4))
    assert [p.code for p in problems] == ["link-offline"]
    assert "seems to be offline" in problems[0].message
    statuses["https://example.org/ok"] = LinkStatus("https://example.org/ok", ok=True, status=200)
    assert not any(p.code == "link-offline" for p in problems_from_statuses(statuses, {}))
    timeouts = {url: LinkStatus(url, ok=False, reason="did not answer") for url in statuses}  # a connection was made
    assert [p.code for p in problems_from_statuses(timeouts, {})].count("link-broken") == 4
