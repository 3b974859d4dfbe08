"""URL canonicalisation and comparison, and UTM tagging: one place for every module (stdlib only).

`canonical_url` gives the form a draft writes, `url_key` the form two links are compared by
(draft memory, click statistics), `add_utm` / `strip_utm` tag a link and take the tag off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode, urljoin, urlsplit, urlunsplit

_ABSOLUTE_HTTP = re.compile(r"https?://[^/?#]", re.I)
# The links of nearly every feed: a lower-case http(s) scheme, a plain host name (no user, no
# port), no `;` in the path, no fragment, no empty `?`. For such a URL (printable, no white
# space), urljoin with any base gives it back unchanged, and urlsplit's parts are these groups,
# so both are skipped: parsing each link three times was a third of a large draft's parse time.
# tests/test_urls.py compares this path with urllib's on thousands of generated URLs.
PLAIN_ABSOLUTE = re.compile(r"(https?)://([A-Za-z0-9._-]+)(/[^\s?#;]*)?(?:\?([^\s#]+))?")
TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_.*|_hsenc|_hsmi|mkt_tok|xtor)$", re.I)


def canonical_url(url: str, base: str = "") -> str | None:
    """Absolute http(s) URL without fragment or tracking parameters; None when unusable.

    `javascript:`, `data:` and `mailto:` links, and anything without a host, give None.
    """
    return _canonical_url(url or "", base)


# A pure function of two strings, called twice per entry (the link, then its comparison key on
# the canonical form, which for most feeds is the link as written): the second call is a lookup.
@lru_cache(maxsize=65536)
def _canonical_url(url: str, base: str) -> str | None:
    url = url.strip()
    if not url:
        return None
    plain = PLAIN_ABSOLUTE.fullmatch(url)
    if plain is not None and url.isprintable():
        scheme, host, path, query = plain.groups()
        query = _without_params(query, TRACKING_PARAMS.match) if query else ""
        return f"{scheme}://{host.lower()}{path or '/'}" + (f"?{query}" if query else "")
    return _parsed_canonical_url(url, base)


def _parsed_canonical_url(url: str, base: str) -> str | None:
    """`_canonical_url` through urllib: any URL (the reference the fast path is tested against)."""
    try:
        # An absolute http(s) URL with a host is its own join (urljoin parses both and rebuilds
        # the same URL): skipped for the 60,000 links of a large draft. Not for a `;` (urljoin
        # drops an empty `;params`) nor a tab or line break (removed before the host is read).
        joined = bool(base) and not (_ABSOLUTE_HTTP.match(url) and ";" not in url and url.isprintable())
        absolute = urljoin(base, url) if joined else url
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower()
    try:
        port = parts.port
    except ValueError:
        return None
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = _without_params(parts.query, TRACKING_PARAMS.match)
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def _param_name(piece: str) -> str:
    return unquote_plus(piece.split("=", 1)[0])


def _without_params(query: str, drop: Callable[[str], object]) -> str:
    """`query` as written, less the parameters whose (decoded) name `drop` accepts.

    The query string is edited, never rebuilt: parse_qsl + urlencode turned SPIP's
    `spip.php?article412` into `spip.php?article412=`, a page the site does not serve.
    """
    if not query:
        return query
    pieces = query.split("&")
    kept = [piece for piece in pieces if not (piece and drop(_param_name(piece)))]
    if len(kept) == len(pieces):
        return query
    return "&".join(piece for piece in kept if piece)


def _query_key(query: str) -> str:
    """The query in one spelling: each name and value decoded and re-encoded, `name=` read as `name`.

    Drafts written before the query was kept as written hold `?article412=`, `a%2Fb` for `a/b`,
    `+` for a space: their links must still match the ones written now.
    """
    pieces = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        pieces.append(quote(unquote_plus(name), safe="") + ("=" + quote(unquote_plus(value), safe="") if value else ""))
    return "&".join(pieces)


SLASHES_BEFORE_QUERY = re.compile(r"/+(?=\?)")
SCHEME_AND_WWW = re.compile(r"^https?://(www\.)?")
GOGOCARTO_FICHE = re.compile(r"#/fiche/[^/]*/([^/?#]+)/?$")


def url_key(url: str) -> str:
    """The comparison key of a URL: canonical, scheme-less, trailing slash dropped.

    Router fragments are kept (`#/…`), and GoGoCarto's `/annuaire#/fiche/<slug>/<id>/` links
    become `/map/<id>`, the form the draft writes, so an actor announced either way is known.
    """
    url = url.strip()
    fiche = GOGOCARTO_FICHE.search(url)
    if fiche:
        url = url[: url.index("#")].rsplit("/", 1)[0] + f"/map/{fiche.group(1)}"
    fragment = url.split("#", 1)[1] if "#" in url else ""
    canon = canonical_url(url) or url
    if "?" in canon:
        head, _, query = canon.partition("?")
        canon = head + ("?" + _query_key(query) if query else "")
    # The path's trailing slash goes even before a query: /a/?id=1 and /a?id=1 are one page.
    canon = SLASHES_BEFORE_QUERY.sub("", canon, count=1)
    if fragment.startswith(("/", "!")):
        canon += "#" + fragment
    return SCHEME_AND_WWW.sub("", canon).rstrip("/")


def add_utm(url: str, params: Mapping[str, str]) -> str:
    """Add UTM parameters to an http(s) URL, never overwriting ones it already has."""
    if not params or not url.startswith(("http://", "https://")):
        return url
    parts = urlsplit(url)
    existing = parse_qsl(parts.query, keep_blank_values=True)
    present = {key for key, _ in existing}
    missing = [(key, value) for key, value in params.items() if key not in present]
    if not missing:
        return url
    query = parts.query + ("&" if parts.query else "") + urlencode(missing)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def strip_utm(url: str) -> str:
    """The URL without utm_* parameters (to match a tagged link back to its item)."""
    parts = urlsplit(url)
    query = _without_params(parts.query, lambda name: name.startswith("utm_"))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))
