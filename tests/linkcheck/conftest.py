"""A real HTTP server on 127.0.0.1 with one route per kind of link: good, broken, slow, looping."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SLOW_SECONDS = 1.0


@dataclass
class LinkServer:
    """The server's base URL and every request it received (method, path, User-Agent)."""

    base: str
    requests: list[tuple[str, str, str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.requests if method is None or m == method]


class _Handler(BaseHTTPRequestHandler):
    server_state: LinkServer  # set on the subclass the fixture builds

    def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
        pass

    def _answer(self, status: int, *, location: str | None = None, body: bytes = b"ok") -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _route(self) -> None:
        self.server_state.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
        path = self.path.split("?", 1)[0]
        if path in {"/ok", "/ok-too", "/image.png", "/site", "/new-home"}:
            self._answer(200)
        elif path == "/missing":
            self._answer(404)
        elif path == "/error":
            self._answer(500)
        elif path == "/no-head":
            self._answer(405 if self.command == "HEAD" else 200)
        elif path == "/old-home":
            self._answer(301, location="/new-home")
        elif path == "/temporary":
            self._answer(302, location="/ok")
        elif path == "/loop-a":
            self._answer(302, location="/loop-b")
        elif path == "/loop-b":
            self._answer(302, location="/loop-a")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._answer(200)
        else:
            self._answer(404)

    do_GET = _route
    do_HEAD = _route


@pytest.fixture
def link_server() -> Iterator[LinkServer]:
    state = LinkServer(base="")
    handler = type("Handler", (_Handler,), {"server_state": state})
    # The default listen backlog (5) is smaller than the checker's 8 parallel connections: the
    # kernel would drop a SYN and the retry after 1 s would look like a timeout.
    server_class = type("Server", (ThreadingHTTPServer,), {"request_queue_size": 64})
    server = server_class(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.block_on_close = False  # the slow route may still sleep when the test ends
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
