"""A small cancu home for the API tests: the two fixture plans in tests/fixtures/api/,
ingested once per test process (real pipeline, real embedder) and then copied per module,
because RocksDB lets one open store per directory and some tests write."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from functools import cache
from pathlib import Path

import httpx
from paths import FIXTURES, ROOT

os.environ.setdefault("HF_HUB_OFFLINE", "1")

FIXTURES = FIXTURES / "api"
PLANS = sorted(FIXTURES.glob("*.txt"))
API_KEY = "test-key-123"


@cache
def built_home() -> Path:
    """Ingest the fixture plans once; the store is closed so copies can be opened."""
    from search_api.workspace import Workspace

    root = Path(tempfile.mkdtemp(prefix="cancu-api-"))
    atexit.register(shutil.rmtree, root, True)
    home = root / "home"
    ws = Workspace(home)
    report = ws.ingest(PLANS)
    assert not report.errors, report.errors
    assert len(report.added) == len(PLANS), report.to_json()
    ws.graph.close()
    return home


_copy_lock = threading.Lock()


def home_copy(target: Path) -> Path:
    """A private copy of the built home (each app needs its own RocksDB directory)."""
    with _copy_lock:
        shutil.copytree(built_home(), target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``search_api.api.serve.serve`` in its own process (a fresh interpreter, like ``cancu serve``).

    Output goes to ``log`` (a pipe nobody drains would fill up and stall the server).
    """
    code = (
        "from search_api.api.serve import serve; from search_api.settings import Settings; "
        f"serve(Settings.from_env(home={str(home)!r}), host='127.0.0.1', port={port})"
    )
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-u", "-c", code], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})  # fmt: skip


def wait_ready(base: str, proc: subprocess.Popen[bytes], log: Path, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text('utf-8', errors='replace')}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("server did not answer /health in time")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
