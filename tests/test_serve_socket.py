"""`serve --workers N`: the connections the workers accept are sent without Nagle's delay.

uvicorn opens the socket its workers share with protocol 0, and asyncio sets TCP_NODELAY only on
connections accepted from a TCP-protocol socket: every keep-alive response then waited for the
client's delayed ACK (about 40 ms). These tests run the socket `serve` hands to the workers
through asyncio as a worker does, and ask the accepted connection for the option.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

uvicorn = pytest.importorskip("uvicorn")

from sanctionwatch.cli import serve as serve_cli  # noqa: E402


def _shared_socket(monkeypatch: pytest.MonkeyPatch, workers: int) -> socket.socket:
    handed: list[socket.socket] = []

    class Supervisor:
        def __init__(self, config: object, sockets: list[socket.socket]) -> None:
            handed.extend(sockets)

        def run(self) -> None:
            pass

    monkeypatch.setattr("uvicorn.supervisors.Multiprocess", Supervisor)
    serve_cli._run(uvicorn.Config("sanctionwatch.web.app:create_app", factory=True, host="127.0.0.1",
                                  port=0, workers=workers))
    assert len(handed) == 1
    return handed[0]


def _nodelay_of_accepted(listening: socket.socket) -> int:
    async def accept_one() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Protocol(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                conn = transport.get_extra_info("socket")
                accepted.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Protocol, sock=listening)
        try:
            _, writer = await asyncio.open_connection(*listening.getsockname()[:2])
            value = await asyncio.wait_for(accepted, 10)
            writer.close()
            return value
        finally:
            server.close()

    return asyncio.run(accept_one())


def test_the_workers_shared_socket_gives_connections_without_nagle(monkeypatch) -> None:
    sock = _shared_socket(monkeypatch, workers=2)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert _nodelay_of_accepted(sock) != 0
    finally:
        sock.close()

