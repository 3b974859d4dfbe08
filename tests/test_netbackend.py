"""The client's network backend: an idle connection the server closed is seen as gone (is_readable)
and the next request opens a new one instead of failing on the dead one."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from newsletter.http import build_async_client


async def _serve_once_then_close(connections: list[int]) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await reader.readuntil(b"\r\n\r\n")
        # Keep-alive announced, then the server closes: the connection is idle and readable (EOF).
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok")
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


def test_a_connection_closed_by_the_server_is_replaced() -> None:
    connections: list[int] = []

    async def run() -> list[str]:
        server = await _serve_once_then_close(connections)
        port = server.sockets[0].getsockname()[1]
        bodies = []
        async with server, build_async_client(timeout=5) as client:
            for _ in range(3):
                response = await client.get(f"http://127.0.0.1:{port}/")
                bodies.append(response.text)
                await asyncio.sleep(0.05)  # the server's close reaches the client's socket
        return bodies

    assert asyncio.run(run()) == ["ok", "ok", "ok"]
    assert len(connections) == 3


def test_the_readability_check_answers_from_the_socket() -> None:
    from newsletter.netbackend import CachedSocketBackend

    async def run() -> tuple[bool, bool]:
        server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            stream = await CachedSocketBackend().connect_tcp("127.0.0.1", port, timeout=5)
            await asyncio.sleep(0.05)
            closed_by_peer = stream.get_extra_info("is_readable")
            assert stream.get_extra_info("server_addr") == ("127.0.0.1", port)
            await stream.aclose()
            return closed_by_peer, stream.get_extra_info("is_readable")

    assert asyncio.run(run()) == (True, True)


def test_proxies_from_the_environment_keep_httpx_s_own_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    client = build_async_client(timeout=5)
    assert any(transport is not None for transport in client._mounts.values())
    asyncio.run(client.aclose())
    monkeypatch.delenv("HTTPS_PROXY")
    for name in ("HTTP_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    plain = build_async_client(timeout=5)
    assert not plain._mounts and type(plain._transport) is not httpx.AsyncHTTPTransport
    asyncio.run(plain.aclose())
