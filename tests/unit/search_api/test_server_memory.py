"""The server gives freed heap back to the system after a job (glibc keeps it otherwise).

Measured in a fresh interpreter: many mid-sized buffers allocated and freed except one
kept at the top of the heap (as a server's live data is), then resident memory read
before and after ``release_free_memory``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from search_api.api.memory import limit_malloc_arenas, release_free_memory
from tests.paths import ROOT

HEAP_AFTER_FREE = """
from search_api.api.memory import release_free_memory

def rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

blocks = [bytearray(4000) for _ in range(60_000)]  # ~240 MB through malloc, not mmap
top = bytearray(4000)  # live data above the freed blocks: no shrinking from the top
del blocks
before = rss_mib()
trimmed = release_free_memory()
print(before, rss_mib(), trimmed)
"""

glibc_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc calls")


@glibc_only
def test_freed_heap_goes_back_to_the_system() -> None:
    done = subprocess.run(
        [sys.executable, "-c", HEAP_AFTER_FREE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    before, after, trimmed = done.stdout.split()
    assert trimmed == "True"
    assert float(before) - float(after) > 150, done.stdout


@glibc_only
def test_the_arena_cap_is_accepted() -> None:
    assert limit_malloc_arenas(2) is True
    assert isinstance(release_free_memory(), bool)
