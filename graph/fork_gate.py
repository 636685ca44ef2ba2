"""``ForkGate``: reads of the embedded store in threads never overlap a fork of the process.

Why: a fork copies the store's memory with whatever RocksDB mutex (block cache shard,
table reader) a reading thread holds at that instant still locked, with no thread in the
child to release it; the child then blocks until the time limit kills it, and the user
gets an empty "timed out" answer to a trivial query (5 in 1,700 queries under three
concurrent readers). Reads share the gate; a fork waits for them to finish, takes it
alone for the few milliseconds of ``os.fork()``, and new reads wait behind a waiting fork
so that forks are not starved under load.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ForkGate:
    """Shared by reads, taken alone by a fork (writer preference)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._forks_waiting = 0
        self._forking = False

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._forking or self._forks_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def forking(self) -> Iterator[None]:
        with self._cond:
            self._forks_waiting += 1
            try:
                while self._forking or self._readers:
                    self._cond.wait()
            finally:
                self._forks_waiting -= 1
            self._forking = True
        try:
            yield
        finally:
            with self._cond:
                self._forking = False
                self._cond.notify_all()

    @property
    def readers(self) -> int:
        """Reads in progress now (for tests and diagnostics)."""
        with self._cond:
            return self._readers

    @property
    def forks_waiting(self) -> int:
        """Forks waiting for reads to finish (for tests and diagnostics)."""
        with self._cond:
            return self._forks_waiting
