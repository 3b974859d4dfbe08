"""The fast RSS 2.0 reader gives exactly what feedparser gives, or steps aside."""

from __future__ import annotations

import datetime as dt
import warnings
from zoneinfo import ZoneInfo

import pytest

from newsletter.sources import feedparse
from newsletter.sources.feedparse import parse_feed_bytes
from newsletter.sources.normalise import ParsedFeed
from newsletter.sources.rss2 import read_rss2
from tests.support.feeds import ASSETS

TZ = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=TZ)
URL = "https://ex.org/blog/feed/"
RSS_TYPE = "application/rss+xml; charset=UTF-8"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" '
    'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>Ex</title>'
    '<atom:link href="https://ex.org/blog/feed/" rel="self" type="application/rss+xml" /><link>https://ex.org/blog</link>'
)
ITEMS = [
    # relative link, &amp; in the query, the WordPress description + content pair
    "<item><title>L&#8217;école à vélo</title><link> /a?x=1&amp;amp;y=2&amp;utm_source=rss </link>"
    "<pubDate>Mon, 23 Nov 2026 08:00:00 +0000</pubDate><description><![CDATA[<p>Court &hellip;</p>]]></description>"
    "<content:encoded><![CDATA[<p>Long <img src='/i.jpg' width='600'></p>]]></content:encoded><guid isPermaLink=\"false\">https://ex.org/?p=1</guid></item>",
    # content before the description; a dc:date; a category and a creator
    "<item><title>Deux</title><link>https://ex.org/deux</link><content:encoded>Corps</content:encoded>"
    "<description>Résumé</description><dc:date>2026-11-20T10:00:00+01:00</dc:date><category>vélo</category><dc:creator>A</dc:creator></item>",
    # only a permalink guid, relative; only content
    "<item><title>Trois</title><guid>/trois</guid><content:encoded>Seulement le contenu</content:encoded></item>",
    # a guid that is not a permalink and no link: unusable
    '<item><title>Quatre</title><guid isPermaLink="false">tag:ex.org,4</guid></item>',
    # UTF-8 read as Latin-1 by the publisher, and Windows-1252 code points
    "<item><title>CafÃ© et &#146;quotes&#148;</title><link>https://ex.org/cinq</link></item>",
    # media, thumbnail, enclosure; an empty title
    '<item><title></title><link>https://ex.org/six</link><description>Une image</description>'
    '<media:content url="https://ex.org/m.jpg" medium="image" width="800" /><media:thumbnail url="https://ex.org/t.jpg" />'
    '<enclosure url="https://ex.org/e.png" type="IMAGE/PNG" length="10" /></item>',
    # a javascript: link, an empty link after a guid
    "<item><title>Sept</title><link>javascript:alert(1)</link></item>",
    "<item><title>Huit</title><guid>https://ex.org/huit</guid><link></link><description>x</description></item>",
    "<item><title>Neuf</title><pubDate>not a date</pubDate><link>https://ex.org/neuf</link></item>",
]


def _feed(*items: str, head: str = HEAD) -> bytes:
    return (head + "".join(items) + "</channel></rss>").encode()


def _both(body: bytes, content_type: str, monkeypatch: pytest.MonkeyPatch) -> tuple[ParsedFeed, ParsedFeed]:
    assert read_rss2(body, url=URL, content_type=content_type) is not None, "the fast reader should take this feed"
    fast = parse_feed_bytes(body, url=URL, content_type=content_type, source="S", section="veille", tz=TZ, fetched_at=NOW)
    with monkeypatch.context() as patch, warnings.catch_warnings():
        # feedparser's entries warn when read for updated_parsed and only published_parsed exists
        warnings.simplefilter("ignore", DeprecationWarning)
        patch.setattr(feedparse, "read_rss2", lambda *args, **kwargs: None)
        slow = parse_feed_bytes(body, url=URL, content_type=content_type, source="S", section="veille", tz=TZ, fetched_at=NOW)
    return fast, slow


@pytest.mark.parametrize("index", range(len(ITEMS)))
def test_each_kind_of_item_reads_as_feedparser_reads_it(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(_feed(ITEMS[index]), RSS_TYPE, monkeypatch)
    assert fast == slow


def test_a_whole_feed_and_the_feed_link(monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(_feed(*ITEMS), RSS_TYPE, monkeypatch)
    assert fast == slow
    assert len(fast.candidates) >= 6 and fast.unusable >= 1
    link, _ = read_rss2(_feed(*ITEMS), url=URL, content_type=RSS_TYPE) or ("", [])
    assert link == "https://ex.org/blog"


@pytest.mark.parametrize("name", ["reseau-wordpress.xml", "ecomobilite-spip.xml", "territoires-cyclables-media.xml"])
def test_the_sample_feeds_read_as_feedparser_reads_them(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both((ASSETS / name).read_bytes(), "application/rss+xml; charset=utf-8", monkeypatch)
    assert fast == slow
    assert fast.candidates


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ((ASSETS / "observatoire.atom").read_bytes(), "application/atom+xml"),
        (_feed(ITEMS[1]).replace(b"UTF-8", b"ISO-8859-1"), "application/rss+xml"),
        (_feed(ITEMS[1]), "text/xml"),  # US-ASCII to feedparser (RFC 3023)
        (_feed(ITEMS[1]), "application/rss+xml; charset=windows-1252"),
        (_feed(ITEMS[1]).replace(b"<channel>", b'<channel xml:base="https://other.org/">'), RSS_TYPE),
        (_feed("<item><title>&nbsp;</title></item>"), RSS_TYPE),  # not well-formed without a DTD
        (_feed("<item><title>T</title><source url='https://s.org/'>S</source></item>"), RSS_TYPE),  # unknown to the reader
        (_feed("<item><title>A</title><title>B</title></item>"), RSS_TYPE),  # repeated
        (_feed("<item><title type='html'>A</title></item>"), RSS_TYPE),  # attributes on a text element
        (_feed("<item><description>a <b>b</b></description></item>"), RSS_TYPE),  # markup, not text
        (_feed(ITEMS[1]).replace(b'version="2.0"', b'version="0.91"'), RSS_TYPE),
        (_feed(ITEMS[1]), "text/html; charset=utf-8"),  # feedparser flags the media type (bozo)
        (_feed("<item><title>T</title><link>https://ex.org/a</link><author><link>https://ex.org/b</link></author></item>"), RSS_TYPE),
    ],
)
def test_anything_else_is_left_to_feedparser(body: bytes, content_type: str) -> None:
    assert read_rss2(body, url=URL, content_type=content_type) is None
    assert parse_feed_bytes(body, url=URL, content_type=content_type, source="S", section="veille", tz=TZ, fetched_at=NOW) is not None
