"""Operating errors are one clear line and exit status 1, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from paths import ROOT

CANCU = [sys.executable, "-c", "from search_api.cli.commands import main; main()"]


def run_cancu(*args: str, timeout_s: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([*CANCU, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout_s, check=False)  # fmt: skip


def test_serve_on_a_port_in_use_says_so_before_announcing(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = run_cancu("--home", str(tmp_path / "home"), "serve", "--port", str(port))
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "serving on" not in out and "Traceback" not in out
    assert f"127.0.0.1:{port}" in out and "in use" in out
