"""ForkGate: a fork never overlaps a read in another thread, and waiting forks are not
starved by a stream of new reads (the store forks per untrusted query under load)."""

from __future__ import annotations

import threading

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
