"""A threaded 127.0.0.1 HTTP server for feeds and a GoGoCarto API, and workspace helpers."""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.support.http import LocalServer

ASSETS = Path(__file__).resolve().parent.parent / "assets" / "draft"


def asset(name: str) -> bytes:
    return (ASSETS / name).read_bytes()


@dataclass
class Route:
    """A canned answer."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    gzip: bool = False


class FeedServer(LocalServer):
    """Routes by path; records every request (path, headers)."""

    def __init__(self) -> None:
        super().__init__()
        self.routes: dict[str, Route | Callable[[BaseHTTPRequestHandler], Route]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    @property
    def url(self) -> str:
        return self.base_url

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        self.requests.append((request.path, dict(request.headers.items())))
        route = self.routes.get(request.path) or self.routes.get(request.path.split("?")[0])
        if callable(route):
            route = route(request)
        if route is None:
            route = Route(b"<html><body>Not found</body></html>", 404, "text/html")
        if route.delay:
            time.sleep(route.delay)
        if route.etag and request.headers.get("If-None-Match") == route.etag:
            request.send_response(304)
            request.send_header("ETag", route.etag)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        body = gzip.compress(route.body) if route.gzip else route.body
        request.send_response(route.status)
        request.send_header("Content-Type", route.content_type)
        request.send_header("Content-Length", str(len(body)))
        if route.gzip:
            request.send_header("Content-Encoding", "gzip")
        if route.etag:
            request.send_header("ETag", route.etag)
        for key, value in route.headers.items():
            request.send_header(key, value)
        request.end_headers()
        request.wfile.write(body)

    def add(self, path: str, route: Route | Callable[[BaseHTTPRequestHandler], Route]) -> str:
        self.routes[path] = route
        return self.url + path


def serve_realistic(server: FeedServer) -> None:
    """The realistic feeds, a broken one and the GoGoCarto API."""
    server.add("/wordpress/feed/", Route(asset("reseau-wordpress.xml"), etag='"wp-1"'))
    server.add("/atom.xml", Route(asset("observatoire.atom"), content_type="application/atom+xml", gzip=True))
    server.add("/spip.php", Route(asset("ecomobilite-spip.xml"), headers={"Last-Modified": "Tue, 24 Nov 2026 08:15:00 GMT"}))
    server.add("/media.xml", Route(asset("territoires-cyclables-media.xml"), etag='"m-1"'))
    server.add("/broken.xml", Route(b"<?xml version=\"1.0\"?><rss><channel><title>Cass", content_type="application/xml"))
    server.add("/carte/api/elements.json", Route(asset("map-elements.json"), content_type="application/json"))
    server.add("/carte/api/taxonomy.json", Route(asset("gogocarto-taxonomy.json"), content_type="application/json"))


SECTIONS = """
[[sections]]
id = "edito"
title = "Édito"
layout = "text"

[[sections]]
id = "reseau"
title = "Actus du réseau"
layout = "cards"

[[sections]]
id = "acteurs"
title = "Nouveaux acteurs sur la carte"
layout = "actors"

[[sections]]
id = "veille"
title = "Veille et ressources"
layout = "list"
keywords = ["pédibus", "vélobus", "rue scolaire", "rues scolaires", "école", "PDES", "plan de mobilité scolaire", "savoir rouler"]

[[sections]]
id = "appels"
title = "Appels à projets et financements"
layout = "list"
"""


def write_workspace(root: Path, server_url: str, *, feeds: list[tuple[str, str, str]] | None = None, actor_map: bool = True, fetch: str = "") -> Path:
    """A workspace whose [[feeds]] point at the test server; returns newsletter.toml."""
    if feeds is None:
        feeds = [
            ("Mobiscol", "/wordpress/feed/", "reseau"),
            ("Observatoire", "/atom.xml", "veille"),
            ("Écomobilité en région", "/spip.php?page=backend", "appels"),
            ("Territoires cyclables", "/media.xml", "veille"),
            ("Cassé", "/broken.xml", "veille"),
        ]
    lines = [
        "[newsletter]",
        'name = "Mobiscol"',
        'title = "La lettre de Mobiscol"',
        'provider = "outbox"',
        'unsubscribe_url = "https://example.org/desinscription"',
        'organisation = "Vivacités Île-de-France"',
        'address = "Vivacités Île-de-France · 75011 Paris"',
        SECTIONS,
        "[fetch]\ntimeout = 2\ndeadline = 8\n" + fetch,
    ]
    for name, path, section in feeds:
        url = path if path.startswith(("http", "/tmp")) or not path.startswith("/") else server_url + path
        lines.append(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\nsection = "{section}"\n')
    if actor_map:
        lines.append(f'[actor_map]\nkind = "gogocarto"\nurl = "{server_url}/carte"\nsection = "acteurs"\ninclude_updated = true\n')
    config = root / "newsletter.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    (root / "issues").mkdir(exist_ok=True)
    return config


PREVIOUS_ISSUE = """---
title: "La lettre de Mobiscol — novembre 2026"
subject: "Rues scolaires et vélobus"
preheader: "L'actualité de novembre"
date: 2026-11-10
number: 36
---

## Actus du réseau

### [Vélobus : le replay du webinaire](https://www.example.org/mobiscol/actus/webinaire-velobus-replay?utm_source=lettre)
*Mobiscol · 22 octobre 2026*
Le replay est en ligne.
"""

