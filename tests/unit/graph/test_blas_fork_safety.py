"""Before the SPARQL worker forks, OpenBLAS runs on the calling thread: a fork during a
multi-threaded BLAS product hangs in OpenBLAS's fork handler and froze the server."""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

from graph.sparql_worker import fork_supported, run_blas_single_threaded


def openblas_threads() -> int | None:
    """The thread count of the OpenBLAS numpy loaded, read back through its own getter."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        paths = {ln.rsplit(" ", 1)[-1].strip() for ln in maps if "openblas" in ln.lower()}
    for path in sorted(paths):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                     "scipy_openblas_get_num_threads", "openblas_get_num_threads"):  # fmt: skip
            getter = getattr(lib, name, None)
            if getter is not None:
                return int(getter())
    return None


@pytest.mark.skipif(not fork_supported(), reason="the SPARQL worker forks only on Linux")
def test_blas_runs_on_one_thread_once_made_fork_safe() -> None:
    np.ones((64, 64)) @ np.ones(64)  # OpenBLAS is loaded and initialised
    if openblas_threads() is None:
        pytest.skip("numpy is not linked against OpenBLAS here")
    run_blas_single_threaded()
    assert openblas_threads() == 1
    assert run_blas_single_threaded() == 0  # once per process
