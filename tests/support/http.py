"""The one base of every fake HTTP server in the tests: a threaded server on 127.0.0.1.

Feeds, the actor map, Brevo, Mailjet and the link checker's targets all subclass it and only
say how to answer a request (`handle`). It listens on a free port of the loopback interface
and nowhere else.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a slow route may still be sleeping when the test ends
    # The default listen backlog (5) is smaller than a client's parallel connections: the kernel
    # would drop a SYN, and the client's retry after 1 s would look like a timeout.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up early (timeouts, size caps) is expected in these tests


class LocalServer:
    """A threaded HTTP/1.1 server on 127.0.0.1; subclasses answer in `handle(request)`.

    Use it as a context manager, or call `start()` and `stop()`; `base_url` is
    "http://127.0.0.1:<port>".
    """

    protocol_version = "HTTP/1.1"

    def __init__(self) -> None:
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        """Answer one request (any method); called on the server's thread for that connection."""
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the server is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = owner.protocol_version
            # One write per answer and no Nagle: otherwise each call waits ~40 ms for a delayed ACK.
            wbufsize = 1 << 16
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # keep pytest's output clean
                pass

            def _handle(self) -> None:
                try:
                    owner.handle(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout or a size cap under test)

            do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _handle  # noqa: N815

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
