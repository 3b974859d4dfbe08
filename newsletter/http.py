"""The one place that builds httpx clients: honest User-Agent, timeouts, a redirect limit.

Tests hand in a `transport` (httpx.MockTransport) or point `base_url` at a local server.
"""

from __future__ import annotations

import functools
import ssl
import urllib.request
from collections.abc import Mapping

import httpx

from newsletter import __version__

USER_AGENT = f"newsletter/{__version__} (+https://mobiscol.org/)"


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: building one loads the CA bundle (20-150 ms)."""
    return httpx.create_ssl_context()


def _headers(extra: Mapping[str, str] | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT}
    if extra:
        headers.update(extra)
    return headers


def build_client(
    *,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
    base_url: str = "",
    headers: Mapping[str, str] | None = None,
    follow_redirects: bool = True,
    max_redirects: int = 5,
) -> httpx.Client:
    """A synchronous client with our User-Agent, a per-request timeout and a redirect limit."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout),
        transport=transport,
        base_url=base_url,
        headers=_headers(headers),
        follow_redirects=follow_redirects,
        max_redirects=max_redirects,
    )


def build_async_client(
    *,
    timeout: float,
    transport: httpx.AsyncBaseTransport | None = None,
    base_url: str = "",
    headers: Mapping[str, str] | None = None,
    follow_redirects: bool = True,
    max_redirects: int = 5,
    max_connections: int = 100,
) -> httpx.AsyncClient:
    """An asyncio client with the same defaults as `build_client`, and a connection-pool size."""
    # Few idle connections: httpcore scans its whole pool on every request, and with 100 kept
    # alive that scan alone costs a third of a second on 100 feeds (bench/draft.py).
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=min(max_connections, 10))
    if transport is None and not urllib.request.getproxies():
        # httpx's own transport when proxies come from the environment: a client given a
        # transport ignores them.
        transport = _FastTransport(limits)
    return httpx.AsyncClient(
        verify=_ssl_context(),
        timeout=httpx.Timeout(timeout),
        transport=transport,
        base_url=base_url,
        headers=_headers(headers),
        follow_redirects=follow_redirects,
        max_redirects=max_redirects,
        limits=limits,
    )


class _FastTransport(httpx.AsyncHTTPTransport):
    """httpx's transport over a pool whose connections answer httpcore's per-request idle check
    cheaply (netbackend.py). httpx has no parameter for httpcore's `network_backend`, so the pool
    it built is replaced by the same pool built with one: `_pool` is the one private name used."""

    def __init__(self, limits: httpx.Limits) -> None:
        import httpcore

        from newsletter.netbackend import CachedSocketBackend

        super().__init__(verify=_ssl_context(), limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=CachedSocketBackend(),
        )
