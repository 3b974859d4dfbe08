"""URL canonicalisation and comparison, and UTM tagging: one place for every module (stdlib only).

`canonical_url` gives the form a draft writes, `url_key` the form two links are compared by
(draft memory, click statistics), `add_utm` / `strip_utm` tag a link and take the tag off.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|mc_.*|_hsenc|_hsmi|mkt_tok|xtor)$", re.I)


def canonical_url(url: str, base: str = "") -> str | None:
    """Absolute http(s) URL without fragment or tracking parameters; None when unusable.

    `javascript:`, `data:` and `mailto:` links, and anything without a host, give None.
    """
    url = (url or "").strip()
    if not url:
        return None
    try:
        absolute = urljoin(base, url) if base else url
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
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)])
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


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
    # The path's trailing slash goes even before a query: /a/?id=1 and /a?id=1 are one page.
    canon = re.sub(r"/+(?=\?)", "", canon, count=1)
    if fragment.startswith(("/", "!")):
        canon += "#" + fragment
    return re.sub(r"^https?://(www\.)?", "", canon).rstrip("/")


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
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment))
