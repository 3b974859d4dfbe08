"""Normalisation and selection rules, on plain values."""

from __future__ import annotations

import datetime as dt
import html
import random
import re
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newsletter.draft.actors import departement
from newsletter.draft.selection import Filter
from newsletter.mdtext import md_text
from newsletter.sources.feedparse import parse_feed_bytes
from newsletter.sources.normalise import clean_summary, html_to_text, shorten
from newsletter.urls import canonical_url, url_key

TZ = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=TZ)


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://Ex.org/a?utm_source=x&id=3&fbclid=1&gclid=2&mc_cid=9#frag", "", "https://ex.org/a?id=3"),
        ("/b/c?mc_eid=1", "https://ex.org/feed/", "https://ex.org/b/c"),
        ("article.html", "https://ex.org/dir/feed.xml", "https://ex.org/dir/article.html"),
        ("https://ex.org:443/x", "", "https://ex.org/x"),
        ("javascript:alert(1)", "https://ex.org/", None),
        ("data:text/html,x", "", None),
        ("mailto:a@b.org", "", None),
        ("", "", None),
    ],
)
def test_canonical_url(url: str, base: str, expected: str | None) -> None:
    assert canonical_url(url, base) == expected


def test_url_key_matches_gogocarto_fiche_and_map_links() -> None:
    assert url_key("https://carte.example.org/annuaire#/fiche/pedibus/2Kq/") == url_key("https://carte.example.org/map/2Kq")
    assert url_key("https://ex.org/a/?utm_source=x") == url_key("http://www.ex.org/a")
    assert url_key("https://Ex.org/a/?id=1#top") == url_key("http://www.ex.org/a?id=1")


def test_title_and_summary_are_plain_text() -> None:
    assert html_to_text("L&amp;#8217;école <em>en</em> &laquo;marche&raquo;") == "L’école en «marche»"
    text = clean_summary("<p>Bonjour<script>alert('x')</script> <b>le</b>   monde</p><style>p{}</style>")
    assert text == "Bonjour le monde"
    long = "mot " * 200
    cut = shorten(long.strip())
    assert cut.endswith("…") and len(cut) <= 301 and not cut[:-1].endswith(" ")


@pytest.mark.parametrize(
    ("text", "kept"),
    [("Un Vélo pour tous", True), ("le velo à l'école", True), ("Le vélodrome ouvre", False), ("Vélo et voiture", False)],
)
def test_keyword_filter_whole_words_accent_insensitive(text: str, kept: bool) -> None:
    assert Filter.of(["vélo"], ["voiture"]).accepts(text) is kept


def test_multiword_keyword_and_apostrophes() -> None:
    assert Filter.of(["hauteur d'enfants"], []).accepts("Des villes à hauteur d’enfants")


def test_markdown_escaping_keeps_text_inert() -> None:
    assert md_text("[x](javascript:y) *a* <b> # t") == "\\[x\\](javascript:y) \\*a\\* \\<b\\> \\# t"
    assert md_text("- liste").startswith("\\-")


def test_departement() -> None:
    assert [departement(c) for c in ("94200", "20090", "20200", "97400", "x")] == ["94", "2A", "2B", "974", ""]


def _parse(body: bytes, content_type: str = "application/rss+xml") -> object:
    return parse_feed_bytes(body, url="https://ex.org/feed/", content_type=content_type, source="S", section="veille", tz=TZ, fetched_at=NOW)


def test_unsafe_entries_never_reach_candidates() -> None:
    body = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>https://ex.org/</link>
    <item><title>Bon &lt;script&gt;alert(1)&lt;/script&gt; titre</title><link>https://ex.org/ok</link>
      <description><![CDATA[<p>Texte<script>document.cookie</script></p><img src="https://ex.org/pixel.gif" width="1" height="1"/><img src="https://track.ex.org/open.gif?u=1"/>]]></description></item>
    <item><title>Lien piege</title><link>javascript:alert(1)</link></item>
    <item><title>Sans lien</title></item>
    <item><link>https://ex.org/sans-titre</link><description>Une description sans titre.</description></item>
    <item></item>
    </channel></rss>"""
    parsed = _parse(body)
    candidates = parsed.candidates  # type: ignore[attr-defined]
    assert [c.url for c in candidates] == ["https://ex.org/ok", "https://ex.org/sans-titre"]
    assert candidates[0].title == "Bon titre"
    assert candidates[0].summary == "Texte"
    assert candidates[0].image is None
    assert candidates[1].title == "Une description sans titre."
    assert parsed.unusable == 3  # type: ignore[attr-defined]
    assert all("alert" not in c.summary + c.title and "cookie" not in c.summary and "javascript" not in c.url for c in candidates)


def test_undated_entry_takes_fetch_time_and_is_marked() -> None:
    body = b'<rss version="2.0"><channel><title>t</title><item><title>Sans date</title><link>https://ex.org/a</link></item></channel></rss>'
    candidate = _parse(body).candidates[0]  # type: ignore[attr-defined]
    assert candidate.date == NOW and candidate.date_known is False


def test_wrong_declared_encoding_is_read_as_utf8_with_warning() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>t</title><item><title>Écoles à vélo</title><link>https://ex.org/a</link><pubDate>Mon, 23 Nov 2026 07:45:00 +0100</pubDate></item></channel></rss>'.encode()
    parsed = _parse(body, "application/rss+xml; charset=ISO-8859-1")
    assert parsed.candidates[0].title == "Écoles à vélo"  # type: ignore[attr-defined]
    assert any("encoding" in w for w in parsed.warnings)  # type: ignore[attr-defined]


def test_latin1_bytes_declared_utf8_do_not_crash() -> None:
    body = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item><title>Écoles</title><link>https://ex.org/a</link></item></channel></rss>'.encode("latin-1")
    parsed = _parse(body)
    assert len(parsed.candidates) == 1  # type: ignore[attr-defined]


def test_parsed_entries_carry_their_url_key_through_the_parsed_cache(tmp_path: Path) -> None:
    from newsletter.sources.cache import HttpCache

    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>S</title><link>https://www.ex.org/</link>'
        b"<item><title>A</title><link>https://www.ex.org/a/?utm_source=rss&amp;id=1</link></item>"
        b"<item><title>B</title><link>/annuaire#/fiche/velo/42/</link></item></channel></rss>"
    )
    fetched_at = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    parsed = parse_feed_bytes(body, url="https://www.ex.org/feed", source="S", section="veille", tz=ZoneInfo("Europe/Paris"), fetched_at=fetched_at)
    assert [c.key for c in parsed.candidates] == [url_key(c.url) for c in parsed.candidates] == ["ex.org/a?id=1", "ex.org/annuaire"]
    cache = HttpCache(tmp_path)
    cache.store_parsed("https://www.ex.org/feed", "k" * 64, parsed)
    cache.flush()
    assert HttpCache(tmp_path).load_parsed("https://www.ex.org/feed", "j" * 64, fetched_at) is None  # parsed from other bytes
    reused = cache.load_parsed("https://www.ex.org/feed", "k" * 64, fetched_at)
    assert reused is not None
    assert [c.key for c in reused.candidates] == [c.key for c in parsed.candidates]
    assert reused.candidates == parsed.candidates
    # The key is derived data: two candidates differing only by it are the same candidate.
    assert replace(parsed.candidates[0], key="") == parsed.candidates[0]


def _html_to_text_before(fragment: str) -> str:
    """html_to_text as it was written before its whitespace folding was made one pass: the reference."""
    from newsletter.sources import normalise as n

    if not fragment:
        return ""
    if "<" not in fragment and "&" not in fragment:
        return " ".join(fragment.split())
    text, blocks = fragment, False
    if "<" in text:
        text = n.UNSAFE_BLOCK.sub(" ", text)
        text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
        if n.BLOCK in text or n.ITEM in text:
            text = text.replace(n.BLOCK, " ").replace(n.ITEM, " ")
        marked = n.ITEM_END.sub(n.ITEM, n.BLOCK_TAG.sub(n.BLOCK, text))
        blocks = marked != text
        text = re.sub(r"<[^>]*>?", " ", marked)
    if "&" in text:
        text = html.unescape(text)
    if re.search(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});", text):
        text = html.unescape(text)
    text = re.sub(r"[^\S\x1e\x1f]+", " ", text).strip()
    if not blocks:
        return text
    parts = re.split(r"\s*([\x1e\x1f]+)\s*", text)
    out = parts[0]
    for mark, chunk in zip(parts[1::2], parts[2::2], strict=True):
        if not chunk:
            continue
        if not out:
            out = chunk
        elif out.endswith(n.SENTENCE_END) or (n.ITEM not in mark and n.BLOCK not in mark):
            out += " " + chunk
        elif n.BLOCK in mark:
            out += ". " + chunk
        else:
            out = out.rstrip(",") + "; " + chunk
    return out.strip()


def test_html_to_text_folds_whitespace_and_blocks_as_it_always_did() -> None:
    # 20,000 random fragments of tags, marks, entities and every kind of space, against the reference.
    pieces = [
        " ", "  ", "\t", "\n", "\xa0", "\u202f", "\x1e", "\x1f", "\x1c", ",", ".", ";", "?", "…", "a", "Bé", "mot",
        "<p>", "</p>", "<li>", "</li>", "<br>", "<br/>", "<td>", "</td>", "<h2>", "<ul>", "</ul>", "<em>", "</em>",
        "&amp;", "&#31;", "&#30;", "&#x1f;", "&nbsp;", "&lt;p&gt;", "<!-- c -->", "<script>x</script>", "<",
    ]
    rng = random.Random(8)
    for _ in range(20_000):
        fragment = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert html_to_text(fragment) == _html_to_text_before(fragment), repr(fragment)
