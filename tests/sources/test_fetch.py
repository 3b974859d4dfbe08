"""Fetching feeds from a real 127.0.0.1 server: faults, discovery, cache, size cap."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from newsletter.config import FeedConfig
from newsletter.http import USER_AGENT, build_async_client
from newsletter.sources import FetchStatus
from newsletter.sources.cache import HttpCache
from newsletter.sources.feeds import FeedOutcome, fetch_feed
from newsletter.sources.fetch import FetchOptions
from tests.support.feeds import FeedServer, Route, asset

TZ = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=TZ)


def fetch(
    url: str, tmp_path: Path, *, timeout: float = 2.0, max_bytes: int = 5_000_000, cache: bool = True, max_redirects: int = 5,
    transport: httpx.AsyncBaseTransport | None = None,
) -> FeedOutcome:
    options = FetchOptions(
        root=tmp_path, tz=TZ, fetched_at=NOW, max_bytes=max_bytes, timeout=timeout,
        cache=HttpCache(tmp_path / "cache") if cache else None,
    )
    feed = FeedConfig(name="Test", url=url, section="veille")

    async def run() -> FeedOutcome:
        async with build_async_client(timeout=timeout, max_redirects=max_redirects, transport=transport) as client:
            return await fetch_feed(client, feed, options)

    outcome = asyncio.run(run())
    if options.cache is not None:
        options.cache.flush()
    return outcome


def test_wordpress_feed_ok_with_user_agent(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/feed/", Route(asset("reseau-wordpress.xml")))
    outcome = fetch(url, tmp_path)
    assert outcome.report.status is FetchStatus.ok and outcome.report.found == 4
    assert server.requests[0][1]["User-Agent"] == USER_AGENT
    first = outcome.candidates[0]
    assert first.url == "https://www.example.org/mobiscol/actus/rencontre-nationale-2027/"
    assert first.image and first.image.endswith("rencontre-2027.jpg")
    assert "apparu en premier" not in first.summary


def test_atom_gzip_and_relative_links(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/atom.xml", Route(asset("observatoire.atom"), content_type="application/atom+xml", gzip=True))
    outcome = fetch(url, tmp_path)
    urls = [c.url for c in outcome.candidates]
    assert "https://observatoire-mobilites.example.org/fr/actualites/pdes-methode-cinq-etapes?id=77" in urls
    assert outcome.candidates[0].title == "Rues scolaires : guide de mise en œuvre 2e édition"


def test_media_content_and_thumbnail_images(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/media.xml", Route(asset("territoires-cyclables-media.xml")))
    images = [c.image for c in fetch(url, tmp_path).candidates]
    assert images[0] == "https://territoires-cyclables.example.org/media/velobus-premiere-annee.jpg"
    assert images[1] == "https://territoires-cyclables.example.org/media/rues-scolaires-thumb.jpg"


def test_timeout(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/slow", Route(asset("reseau-wordpress.xml"), delay=1.0))
    report = fetch(url, tmp_path, timeout=0.3).report
    assert report.failed and "timeout" in (report.error or "")


@pytest.mark.parametrize("status", [404, 500])
def test_http_errors(server: FeedServer, tmp_path: Path, status: int) -> None:
    url = server.add("/feed/x", Route(b"nope", status, "text/plain"))
    report = fetch(url, tmp_path).report
    assert report.failed and f"HTTP {status}" in (report.error or "")


def test_redirect_loop(server: FeedServer, tmp_path: Path) -> None:
    server.add("/a", Route(status=302, headers={"Location": "/b"}))
    url = server.add("/b", Route(status=302, headers={"Location": "/a"}))
    report = fetch(url, tmp_path).report
    assert report.failed and "redirect" in (report.error or "")


def test_permanent_redirect_is_reported(server: FeedServer, tmp_path: Path) -> None:
    target = server.add("/new-feed", Route(asset("ecomobilite-spip.xml")))
    url = server.add("/old-feed", Route(status=301, headers={"Location": "/new-feed"}))
    report = fetch(url, tmp_path).report
    assert report.status is FetchStatus.redirected and report.final_url == target


def test_html_page_without_feed_fails(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/page", Route(b"<!doctype html><html><head><title>Accueil</title></head><body>Bonjour</body></html>", content_type="text/html"))
    report = fetch(url, tmp_path).report
    assert report.failed and "web page" in (report.error or "")


def test_html_page_with_alternate_link_is_discovered(server: FeedServer, tmp_path: Path) -> None:
    server.add("/feed/", Route(asset("reseau-wordpress.xml")))
    page = b'<!doctype html><html><head><link rel="alternate" type="application/rss+xml" title="Commentaires" href="/comments/feed/"><link rel="alternate" type="application/rss+xml" href="/feed/"></head><body></body></html>'
    url = server.add("/site", Route(page, content_type="text/html; charset=utf-8"))
    outcome = fetch(url, tmp_path)
    assert outcome.report.status is FetchStatus.discovered
    assert outcome.report.final_url == server.url + "/feed/"
    assert outcome.report.found == 4


def test_malformed_xml_keeps_what_was_read(server: FeedServer, tmp_path: Path) -> None:
    body = asset("reseau-wordpress.xml").replace(b"</channel>", b"<item><title>cass\xc3\xa9 &nbsp; <b></item></channel>")
    url = server.add("/bad", Route(body))
    outcome = fetch(url, tmp_path)
    assert not outcome.report.failed and len(outcome.candidates) >= 4
    assert any("well-formed" in w for w in outcome.report.warnings)


def test_unreadable_bytes_fail(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/garbage", Route(b"\x00\x01 not a feed at all", content_type="application/xml"))
    assert fetch(url, tmp_path).report.failed


def test_size_cap_stops_reading_and_warns(server: FeedServer, tmp_path: Path) -> None:
    body = asset("reseau-wordpress.xml")
    url = server.add("/big", Route(body + b"<!--" + b"x" * 50_000 + b"-->"))
    outcome = fetch(url, tmp_path, max_bytes=len(body) - 200)
    assert any("larger than" in w for w in outcome.report.warnings)
    assert not outcome.report.failed and outcome.candidates


def test_host_that_does_not_resolve(tmp_path: Path) -> None:
    # The resolver's own failure, as httpcore raises it, without asking a real DNS server.
    def no_such_host(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    report = fetch("http://flux.invalid/feed/", tmp_path, timeout=2, transport=httpx.MockTransport(no_such_host)).report
    assert report.failed and report.unreachable
    assert report.error == "the host name flux.invalid does not resolve (check the URL's spelling)"


def test_conditional_request_served_from_cache(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/etag", Route(asset("reseau-wordpress.xml"), etag='"v1"'))
    first = fetch(url, tmp_path)
    second = fetch(url, tmp_path)
    assert second.report.status is FetchStatus.cached
    assert server.requests[1][1].get("If-None-Match") == '"v1"'
    assert [c.url for c in second.candidates] == [c.url for c in first.candidates]


def test_corrupt_cache_is_rebuilt_with_warning(server: FeedServer, tmp_path: Path) -> None:
    url = server.add("/etag", Route(asset("reseau-wordpress.xml"), etag='"v1"'))
    fetch(url, tmp_path)
    for path in (tmp_path / "cache").glob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    cache = HttpCache(tmp_path / "cache")
    assert cache.load(url) is None and "corrupt" in cache.warnings[0]
    outcome = fetch(url, tmp_path)
    assert outcome.report.status is FetchStatus.ok and "If-None-Match" not in server.requests[-1][1]


def test_local_path_is_a_feed(tmp_path: Path) -> None:
    (tmp_path / "f.xml").write_bytes(asset("ecomobilite-spip.xml"))
    outcome = fetch("f.xml", tmp_path)
    assert outcome.report.found == 3 and outcome.report.status is FetchStatus.ok
