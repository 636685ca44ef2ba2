"""Fixtures of the integration tests: a real Oxigraph server per test module (stopped when
the module ends: tests elsewhere check that no child process of theirs is left running)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from oxigraph_process import OxigraphServer, oxigraph_binary, start_oxigraph


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server binary is absent (pip install oxigraph)")
    server = start_oxigraph(binary, tmp_path_factory.mktemp("oxigraph"))
    try:
        yield server
    finally:
        server.process.terminate()
        try:
            server.process.wait(10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
