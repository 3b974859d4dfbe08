"""A real HTTP server on 127.0.0.1 with one route per kind of link: good, broken, slow, looping."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from tests.support.http import LocalServer

SLOW_SECONDS = 1.0


class LinkServer(LocalServer):
    """One route per kind of link; records every request (method, path, User-Agent)."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[str, str, str]] = []

    @property
    def base(self) -> str:
        return self.base_url

    def url(self, path: str) -> str:
        return self.base_url + path

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.requests if method is None or m == method]

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        self.requests.append((request.command, request.path, request.headers.get("User-Agent", "")))
        path = request.path.split("?", 1)[0]
        if path in {"/ok", "/ok-too", "/image.png", "/site", "/new-home"}:
            _answer(request, 200)
        elif path == "/missing":
            _answer(request, 404)
        elif path == "/error":
            _answer(request, 500)
        elif path == "/no-head":
            _answer(request, 405 if request.command == "HEAD" else 200)
        elif path == "/old-home":
            _answer(request, 301, location="/new-home")
        elif path == "/temporary":
            _answer(request, 302, location="/ok")
        elif path == "/loop-a":
            _answer(request, 302, location="/loop-b")
        elif path == "/loop-b":
            _answer(request, 302, location="/loop-a")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            _answer(request, 200)
        else:
            _answer(request, 404)


def _answer(request: BaseHTTPRequestHandler, status: int, *, location: str | None = None, body: bytes = b"ok") -> None:
    request.send_response(status)
    if location:
        request.send_header("Location", location)
    request.send_header("Content-Type", "text/plain")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if request.command != "HEAD":
        request.wfile.write(body)


@pytest.fixture
def link_server() -> Iterator[LinkServer]:
    with LinkServer() as server:
        yield server
