"""ForkGate: a fork never overlaps a read in another thread, and waiting forks are not
starved by a stream of new reads (the store forks per untrusted query under load)."""

from __future__ import annotations

import threading
import time

from graph.embedded_store import EmbeddedBackend
from graph.fork_gate import ForkGate


def test_a_fork_waits_for_the_reads_in_progress() -> None:
    gate = ForkGate()
    read_started, release_read, forked = threading.Event(), threading.Event(), threading.Event()

    def reader() -> None:
        with gate.reading():
            read_started.set()
            release_read.wait(5)

    def forker() -> None:
        with gate.forking():
            forked.set()

    threads = [threading.Thread(target=reader), threading.Thread(target=forker)]
    threads[0].start()
    assert read_started.wait(5)
    threads[1].start()
    assert not forked.wait(0.2)  # the read is still in progress
    release_read.set()
    assert forked.wait(5)
    for t in threads:
        t.join(5)
    assert gate.readers == 0


def test_new_reads_wait_behind_a_waiting_fork() -> None:
    gate = ForkGate()
    order: list[str] = []
    first_read, release_first, fork_waiting = (
        threading.Event(),
        threading.Event(),
        threading.Event(),
    )

    def first_reader() -> None:
        with gate.reading():
            first_read.set()
            release_first.wait(5)
            order.append("first read")

    def forker() -> None:
        fork_waiting.set()
        with gate.forking():
            order.append("fork")

    def late_reader() -> None:
        with gate.reading():
            order.append("late read")

    a = threading.Thread(target=first_reader)
    a.start()
    assert first_read.wait(5)
    b = threading.Thread(target=forker)
    b.start()
    assert fork_waiting.wait(5)
    while not gate.forks_waiting:
        pass
    c = threading.Thread(target=late_reader)
    c.start()
    release_first.set()
    for t in (a, b, c):
        t.join(5)
    assert order == ["first read", "fork", "late read"]


def test_untrusted_queries_and_writes_together_never_deadlock(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Forks (untrusted queries), in-thread fallbacks (a write holds the lock) and writes,
    from several threads at once: every call returns. The lock order is the same on every
    path (write lock, then the gate, then the parser's lock)."""
    backend = EmbeddedBackend(tmp_path / "store")
    backend.fork_after = 0.0
    query = "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 5"
    stop = threading.Event()
    failures: list[BaseException] = []

    def querying() -> None:
        try:
            while not stop.is_set():
                backend.run_untrusted(query, timeout_s=5, max_rows=10)
                backend.run_trusted(query, form="SELECT", timeout_s=5, max_rows=10)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    def writing() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            triples = " ".join(f"<urn:s{n}> <urn:p{i}> {i} ." for i in range(300))
            backend.update(f"INSERT DATA {{ GRAPH <urn:g{n % 3}> {{ {triples} }} }}")
            backend.fork_after = 0.0  # no settling pause: make forks and writes interleave

    threads = [threading.Thread(target=querying, daemon=True) for _ in range(4)]
    threads.append(threading.Thread(target=writing, daemon=True))
    for t in threads:
        t.start()
    stop.wait(4)
    stop.set()
    deadline = time.monotonic() + 20
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    assert not [t for t in threads if t.is_alive()], "a thread is stuck: lock-order deadlock"
    assert not failures
