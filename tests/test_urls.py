"""urls.py: the canonical form a draft writes, the key links are compared by, UTM on and off."""

from __future__ import annotations

import random
from urllib.parse import urljoin

import pytest

from newsletter.urls import add_utm, canonical_url, strip_utm, url_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://Example.ORG/a/b?utm_source=x&id=3#top", "https://example.org/a/b?id=3"),
        ("  https://example.org  ", "https://example.org/"),
        ("http://example.org:80/p", "http://example.org/p"),
        ("https://example.org:8443/p", "https://example.org:8443/p"),
        ("https://example.org/p?fbclid=abc&gclid=def", "https://example.org/p"),
        ("/actus/velobus/", "https://reseau.example.org/actus/velobus/"),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw, base="https://reseau.example.org/feed/") == expected


@pytest.mark.parametrize(
    "raw",
    [
        "https://example.org/a", "HTTP://Example.org/a?b=1#c", "http://example.org/a;", "http://example.org/a;p?q=1",
        "http://example.org/a/../b", "http:///a", "http:a", "https:/a", "http://\texample.org/a", "http://\t/a",
        "http://example.org/a\nb", "http://[::1]:8080/a", "http://[::1", "//example.org/a", "https://example.org",
        "ftp://example.org/a", "http://user@example.org/a", "http://example.org?x", "http://example.org#f",
    ],
)
@pytest.mark.parametrize("base", ["https://reseau.example.org/feed/", "http://reseau.example.org/", "https://reseau.example.org/a;b"])
def test_canonical_url_with_a_base_is_the_canonical_form_of_the_joined_url(raw: str, base: str) -> None:
    # An absolute URL skips the join: the result must be what joining first gives.
    try:
        joined = urljoin(base, raw)
    except ValueError:
        assert canonical_url(raw, base) is None
    else:
        assert canonical_url(raw, base) == canonical_url(joined)


@pytest.mark.parametrize("raw", ["", "   ", "mailto:contact@example.org", "javascript:alert(1)", "data:image/png;base64,AA", "https://", "http://[::1"])
def test_canonical_url_refuses_what_is_not_a_web_page(raw: str) -> None:
    assert canonical_url(raw) is None


def test_url_key_ignores_scheme_host_case_www_trailing_slash_and_fragment() -> None:
    forms = [
        "https://www.example.org/actus/rue-scolaire/",
        "http://example.org/actus/rue-scolaire",
        "https://EXAMPLE.org/actus/rue-scolaire/#commentaires",
        "https://example.org/actus/rue-scolaire/?utm_campaign=lettre-2026-12",
    ]
    assert len({url_key(form) for form in forms}) == 1


def test_url_key_keeps_what_names_another_page() -> None:
    assert url_key("https://example.org/a?id=1") != url_key("https://example.org/a?id=2")
    assert url_key("https://example.org/app#/fiche/1") != url_key("https://example.org/app#/fiche/2")
    assert url_key("https://example.org/a/?id=1") == url_key("https://example.org/a?id=1")


def test_url_key_reads_a_gogocarto_fiche_as_the_map_link_the_draft_writes() -> None:
    fiche = "https://carte.example.org/annuaire#/fiche/pedibus-ecole-jaures/Ab12/"
    assert url_key(fiche) == url_key("https://carte.example.org/map/Ab12")


def test_add_utm_never_overwrites_and_leaves_other_links_alone() -> None:
    params = {"utm_source": "lettre", "utm_medium": "email"}
    assert add_utm("https://example.org/p?utm_source=site#x", params) == "https://example.org/p?utm_source=site&utm_medium=email#x"
    assert add_utm("mailto:contact@example.org", params) == "mailto:contact@example.org"
    assert add_utm("{{ unsubscribe }}", params) == "{{ unsubscribe }}"
    assert add_utm("https://example.org/p", {}) == "https://example.org/p"


def test_strip_utm_takes_off_only_the_utm_parameters() -> None:
    tagged = add_utm("https://example.org/p?id=3#haut", {"utm_source": "lettre", "utm_campaign": "2026-12"})
    assert strip_utm(tagged) == "https://example.org/p?id=3#haut"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://ecomobilite.example.org/spip.php?article412", "https://ecomobilite.example.org/spip.php?article412"),
        ("https://ecomobilite.example.org/spip.php?article415&lang=fr", "https://ecomobilite.example.org/spip.php?article415&lang=fr"),
        ("https://ecomobilite.example.org/spip.php?article415&utm_source=rss&lang=fr", "https://ecomobilite.example.org/spip.php?article415&lang=fr"),
        ("https://ex.org/p?q=a/b+c&x=%7E&fbclid=1", "https://ex.org/p?q=a/b+c&x=%7E"),
        ("https://ex.org/p?utm_source=a&utm_medium=b", "https://ex.org/p"),
        ("https://ex.org/p?a=1;b=2", "https://ex.org/p?a=1;b=2"),
    ],
)
def test_canonical_url_keeps_the_query_as_the_source_wrote_it(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # what drafts and issues written before held (parse_qsl + urlencode), and what is written now
        ("https://ecomobilite.example.org/spip.php?article412=", "https://ecomobilite.example.org/spip.php?article412"),
        ("https://ecomobilite.example.org/spip.php?article415=&lang=fr", "https://ecomobilite.example.org/spip.php?article415&lang=fr"),
        ("https://ex.org/p?q=a%2Fb+c", "https://ex.org/p?q=a/b%20c"),
    ],
)
def test_url_key_matches_links_written_in_the_old_canonical_form(old: str, new: str) -> None:
    assert url_key(old) == url_key(new)
    assert url_key(old) == url_key(new + "&utm_source=lettre&utm_campaign=2026-12")  # a clicked, tagged link


def test_strip_utm_keeps_the_rest_of_the_query_as_written() -> None:
    tagged = add_utm("https://ecomobilite.example.org/spip.php?article412", {"utm_source": "lettre"})
    assert tagged == "https://ecomobilite.example.org/spip.php?article412&utm_source=lettre"
    assert strip_utm(tagged) == "https://ecomobilite.example.org/spip.php?article412"


def _generated_urls() -> list[str]:
    """Combinations of awkward parts: every one around plain hosts, a fixed sample of the rest."""
    schemes = ["https://", "http://", "HTTP://", "Https://", "ftp://", "javascript:", "//", ""]
    hosts = ["example.org", "Example.ORG", "www.site_1.example.org", "a-b.example.org.", "[::1]", "user@example.org", "example.org:8080",
             "example.org:80", "example.org:443", "example.org:99999", "", "exa mple.org", "ex%41mple.org"]
    paths = ["", "/", "/a/b", "/a;b", "/a b", "/école/été", "/a\tb", "//x", "/a/../b", "/%41", "/a@b:c", "/a\\b", "/a\x01b", "/p/"]
    queries = ["", "?", "?utm_source=rss", "?a=1&utm_medium=y", "?a?b", "?x=1;y=2", "?é=1", "?fbclid=1&id=2&"]
    fragments = ["", "#", "#frag", "#/fiche/x/1/"]
    pad = ["", "  ", "\n"]
    every = [
        f"{pad[(i + j) % 3]}{scheme}{host}{path}{query}{fragment}"
        for i, scheme in enumerate(schemes)
        for j, host in enumerate(hosts)
        for path in paths
        for query in queries
        for fragment in fragments
    ]
    near_plain = [url for url in every if url.lstrip().startswith(("http://", "https://")) and "[" not in url and ":" not in url.split("//")[1]]
    return near_plain + random.Random(8).sample(every, 4000)


def test_the_fast_path_for_plain_links_gives_what_urllib_gives() -> None:
    from newsletter import urls

    fast, parsed = urls._canonical_url.__wrapped__, urls._parsed_canonical_url  # type: ignore[attr-defined]
    plain = 0
    for url in filter(str.strip, _generated_urls()):  # "" is None before either path is taken
        for base in ("", "https://reseau.example.org/feed/", "http://other.example.org"):
            assert fast(url, base) == parsed(url.strip(), base), (url, base)
        plain += urls.PLAIN_ABSOLUTE.fullmatch(url.strip()) is not None
    assert plain > 300  # the fast path was taken, not only the reference


def test_the_fast_join_of_a_feed_reader_gives_what_feedparser_gives() -> None:
    from feedparser.urls import _urljoin as feedparser_urljoin

    from newsletter.sources.rss2 import _urljoin

    for uri in _generated_urls():
        for base in ("https://reseau.example.org/feed/", "http://other.example.org/rss.xml", "https://Upper.example.org/"):
            assert _urljoin(base, uri) == feedparser_urljoin(base, uri), (uri, base)


def test_a_link_needing_no_quoting_is_written_as_it_is_and_any_other_is_quoted() -> None:
    from urllib.parse import quote

    from newsletter.mdtext import MD_URL_SAFE, md_url

    links = [*_generated_urls(), "https://example.org/a(b)", "https://example.org/é?q=a b", 'https://example.org/"x"', "https://example.org/%7E"]
    for link in links:
        assert md_url(link) == quote(link, safe=MD_URL_SAFE), link
    assert md_url("https://example.org/a(b)") == "https://example.org/a%28b%29"  # a ')' would end the Markdown link
