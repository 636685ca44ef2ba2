"""The embedded backend: an Oxigraph store in this process (on disk, or in memory).

Why pyoxigraph directly: loading and SPARQL through rdflib's own engine are orders of
magnitude slower. RocksDB admits one process per directory: a second one gets
``StoreLockedError`` (several processes share a graph through a SPARQL server instead,
``graph.remote_store``).

Concurrency inside the process: Oxigraph reads from snapshots and releases the GIL while
it works, so the library's own queries (``run_trusted``, a thread) never wait behind a
write. Untrusted queries run in a forked child killed at the time limit
(``graph.sparql_worker``); the fork needs a moment when none of our writes is half done
in the copied memory, so it takes the write lock. While a write holds it, the query does
not wait for it: it runs in a thread of this process on the snapshot before the write
(guard first, same limits; only a time-out cannot stop the work there, which finishes in
the background as on systems without ``fork``). For ``SETTLE_S`` after an on-disk store
is opened or written, a fork waits: RocksDB's background threads are busy then, and a
child forked while one of them held a RocksDB lock blocked on it until killed (about one
query in four right after a fresh store's first write, measured; none 0.3 s later).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.errors import InvalidGraphError, StoreLockedError
from graph.fork_gate import ForkGate
from graph.sparql import QueryResult, output_bytes, run_query
from graph.sparql_worker import NetworkBlocker, fork_supported, run_isolated

SETTLE_S = 0.5  # no fork this long after an on-disk store is opened or written


def open_store(path: Path) -> ox.Store:
    """The Oxigraph store in ``path``; StoreLockedError when another process holds it."""
    try:
        return ox.Store(str(path))
    except OSError as exc:
        # RocksDB's words: "While lock file: <path>/LOCK: Resource temporarily unavailable"
        # (another process), "lock hold by current process" (this one).
        if not any(words in str(exc) for words in ("While lock file", "lock hold by")):
            raise
        if "lock hold by" in str(exc):
            # This process: a store closed while an exception's frames still held it is
            # freed once those frames are collected.
            gc.collect()
            try:
                return ox.Store(str(path))
            except OSError:
                pass
        raise StoreLockedError(
            f"the graph store in {path} is locked: another cancu process (a server or a "
            "command) has it open; stop it or use another home directory"
        ) from exc


class EmbeddedBackend:
    """``StoreBackend`` over a ``pyoxigraph.Store`` (``path=None``: in memory)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        if path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self.store: Any = open_store(path)
        else:
            self.store = ox.Store()
        self.write_lock = threading.Lock()
        self.fork_gate = ForkGate()  # reads in threads never overlap a fork
        self.network_blocker = NetworkBlocker()  # prepared here: children only apply it
        self.fork_after = 0.0
        self.settle()

    def settle(self) -> None:
        """Forks wait until RocksDB's background work after this open or write settled."""
        if self.path is not None:
            self.fork_after = time.monotonic() + SETTLE_S

    @property
    def location(self) -> str:
        return str(self.path) if self.path is not None else "memory"

    def update(self, sparql_update: str) -> None:
        with self.write_lock:
            try:
                self.store.update(sparql_update)
            except (SyntaxError, ValueError) as exc:  # a term Oxigraph refuses (relative IRI)
                raise InvalidGraphError(str(exc)) from exc
            finally:
                self.settle()

    def drop_graph(self, graph_uri: str) -> bool:
        node = ox.NamedNode(graph_uri)
        with self.write_lock:
            if next(iter(self.store.quads_for_pattern(None, None, None, node)), None) is None:
                return False
            self.store.update(f"DROP SILENT GRAPH <{graph_uri}>")
            self.settle()
            return True

    def run_trusted(
        self, sparql: str, *, form: str, timeout_s: float, max_rows: int
    ) -> QueryResult:
        with self.fork_gate.reading():
            return run_query(
                self.store, sparql, timeout_s=timeout_s, max_rows=max_rows, trusted_form=form
            )

    def run_untrusted(self, sparql: str, *, timeout_s: float, max_rows: int) -> QueryResult:
        if fork_supported():
            time.sleep(max(0.0, self.fork_after - time.monotonic()))  # at most SETTLE_S
        if not fork_supported() or not self.write_lock.acquire(blocking=False):
            # No fork here, or a write in progress: a thread on the current snapshot.
            with self.fork_gate.reading():
                return run_query(self.store, sparql, timeout_s=timeout_s, max_rows=max_rows)
        self.write_lock.release()  # run_isolated takes it again around the fork itself
        return run_isolated(
            self.store,
            sparql,
            timeout_s=timeout_s,
            max_rows=max_rows,
            fork_lock=self.write_lock,
            fork_gate=self.fork_gate,
            blocker=self.network_blocker,
        )

    def quads(self, graph_uri: str | None = None) -> Iterator[Any]:
        graph = ox.NamedNode(graph_uri) if graph_uri is not None else None
        return iter(self.store.quads_for_pattern(None, None, None, graph))

    def quad_count(self) -> int:
        with self.fork_gate.reading():
            return len(self.store)

    def dump(self, rdf_format: Any, prefixes: dict[str, str] | None) -> bytes:
        return output_bytes(self.store.dump(format=rdf_format, prefixes=prefixes))

    def flush(self) -> None:
        if self.path is not None:
            self.store.flush()

    def close(self) -> None:
        """Flush and release the RocksDB lock."""
        self.flush()
        del self.store
        # The lock goes with the last reference: frames kept by reference cycles (the
        # rdflib/pyparsing parser's exceptions hold the stack that called it) can hold one.
        gc.collect()
