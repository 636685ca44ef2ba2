"""Per-request stage timings, read by the API's ``Server-Timing`` header.

A request opens a recorder (``recording()``); code on its path wraps each stage in
``stage(name)``. The recorder lives in a context variable, so the stages of one request
never mix with another's; the worker threads FastAPI runs sync routes in get a copy of
the request's context, and the recorder is a mutable dict, so what they record is seen by
the middleware. Outside a recording, ``stage`` costs one context-variable read.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_recorder: ContextVar[dict[str, float] | None] = ContextVar("cancu_timings", default=None)


@contextmanager
def recording() -> Iterator[dict[str, float]]:
    """Record the stages run inside the block: name -> milliseconds (summed on repeats)."""
    timings: dict[str, float] = {}
    token = _recorder.set(timings)
    try:
        yield timings
    finally:
        _recorder.reset(token)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time the block as stage ``name`` of the current recording, if there is one."""
    timings = _recorder.get()
    if timings is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + (time.perf_counter() - start) * 1000.0
