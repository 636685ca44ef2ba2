"""``serve(settings, host, port)``: run the cancu app under uvicorn and say where it listens.

Why the socket is bound here: announcing "serving on ..." and then failing because the
port is taken misleads; binding first (and handing the socket to uvicorn) turns a port in
use into one ``SettingsError`` line before anything is printed. The graph store is opened
first for the same reason: a home held by another process is a ``StoreLockedError`` line,
not a failed-startup traceback.
"""

from __future__ import annotations

import errno
import socket

from search_api.api.app import create_app
from search_api.errors import SettingsError
from search_api.settings import Settings


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); ``SettingsError`` when it cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not left 0: asyncio sets TCP_NODELAY only on sockets whose
    # ``proto`` says TCP, and without it every keep-alive answer written in two parts
    # (head, body) waited ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            reason = "it is in use (another server?); choose another with --port"
        else:
            reason = err.strerror or str(err)
        raise SettingsError(f"cannot listen on {host}:{port}: {reason}") from err
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the API, SPARQL endpoint and web page over ``settings.home`` until interrupted.

    One worker process with the embedded store (RocksDB admits one process per home
    directory); with a graph store server, run several (README: graph store).
    """
    import uvicorn

    app = create_app(settings)
    _ = app.state.workspace.graph  # StoreLockedError now, as one line, if the home is held
    sock = bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    print(f"cancu serving on http://{shown}:{port}", flush=True)
    if not settings.api_key:
        print("uploads are off: set CANCU_API_KEY to allow POST/DELETE /documents", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="info"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
