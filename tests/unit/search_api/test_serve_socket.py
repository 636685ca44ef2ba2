"""The listening socket ``serve`` hands to uvicorn: connections it accepts send at once.

Without TCP_NODELAY on accepted connections, each keep-alive answer written in two parts
(head, then body) waited ~40 ms for the client's delayed ACK; asyncio sets the option
only on sockets whose ``proto`` is TCP, so the test accepts a real connection through
asyncio, as uvicorn does, and reads the option back.
"""

from __future__ import annotations

import asyncio
import socket

import pytest

from search_api.api.serve import bind
from search_api.errors import SettingsError


def test_accepted_connections_have_tcp_nodelay() -> None:
    async def accept_one() -> int:
        listening = bind("127.0.0.1", 0)
        port = listening.getsockname()[1]
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        async def on_connect(_r: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = writer.get_extra_info("socket")
            seen.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=listening)
        async with server:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            value = await asyncio.wait_for(seen, 5)
            writer.close()
        return value

    assert asyncio.run(accept_one()) != 0


def test_a_port_in_use_is_a_settings_error() -> None:
    taken = bind("127.0.0.1", 0)
    try:
        with pytest.raises(SettingsError, match="in use"):
            bind("127.0.0.1", taken.getsockname()[1])
    finally:
        taken.close()
