"""A real Oxigraph server (the ``oxigraph`` package from PyPI) for the graph store tests:
``oxigraph serve`` on a free loopback port in a temporary directory."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from graph.store_endpoints import StoreEndpoints

SERVER_TIMEOUT_S = 3  # the server's own query time limit (--timeout-s)


def oxigraph_binary() -> str | None:
    """The ``oxigraph`` command of this virtualenv, else one on PATH."""
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class OxigraphServer:
    url: str
    process: subprocess.Popen[bytes]

    @property
    def endpoints(self) -> StoreEndpoints:
        return StoreEndpoints.for_url(self.url)

    def clear(self) -> None:
        httpx.post(
            f"{self.url}/update",
            content=b"DROP SILENT ALL",
            headers={"Content-Type": "application/sparql-update"},
            timeout=30,
        ).raise_for_status()


def start_oxigraph(binary: str, root: Path) -> OxigraphServer:
    """``oxigraph serve`` on a free loopback port, answering queries when returned."""
    port = free_port()
    log = (root / "oxigraph.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(root / "db"), "--bind", f"127.0.0.1:{port}",
         "--timeout-s", str(SERVER_TIMEOUT_S)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited: {(root / 'oxigraph.log').read_text()}")
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
            return OxigraphServer(url, process)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("oxigraph serve did not answer within 30 s")
