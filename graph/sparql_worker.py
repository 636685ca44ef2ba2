"""Untrusted SPARQL in a child process that the time limit kills, with no network.

Why a process: pyoxigraph has no query timeout nor cancellation, and one ``next()`` over
an aggregate of a huge join computes the whole join; a thread cannot be stopped, so it
kept a core busy long after the caller had its time-out answer. The rdflib parse of the
guard holds the GIL (about a millisecond per hundred tokens), so it runs there too.

How: the caller forks (the child shares the open store, on disk or in memory, copy on
write, so it sees exactly the data of that instant) while holding the store's write lock,
so no write of ours is half done in the copy. The child checks the query
(``graph.sparql_guard``), evaluates it and streams its rows back over a pipe in small
batches; the parent waits at most the time limit, then kills the child (SIGKILL) and
keeps the rows already received, flagged ``timed_out``. Checking has its own budget of
``max(timeout_s, CHECK_BUDGET_S)``; the time limit counts from the end of the check.

Second wall against SERVICE (pyoxigraph has no option to turn federation off): on Linux
x86_64/aarch64 the child installs a seccomp filter that makes ``socket()`` and
``connect()`` fail, so even a SERVICE the guard missed cannot reach the network. Limits:
POSIX ``fork`` only (elsewhere the store falls back to a worker thread). Reads in other
threads never overlap the fork (``graph.fork_gate``); a fork while a RocksDB background
thread holds one of its own locks could still leave the child blocked: it is then killed
at the time limit like any slow query.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import platform
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from graph.errors import QueryError
from graph.fork_gate import ForkGate
from graph.sparql import QueryResult, output_bytes, term_json, term_value
from graph.sparql_guard import PARSE_LOCK, parse_read_only, warm_parser

CHECK_BUDGET_S = 2.0  # the longest a query may take to be parsed and checked
BATCH_ROWS = 200
BATCH_SECONDS = 0.02  # rows reach the parent at least this often, for partial answers
FRAME_HEADER = struct.Struct(">I")

# seccomp: (audit arch, socket nr, connect nr) per machine; see seccomp(2), <linux/audit.h>.
SYSCALLS = {"x86_64": (0xC000003E, 41, 42), "aarch64": (0xC00000B7, 198, 203)}
PR_SET_PDEATHSIG, PR_SET_SECCOMP, PR_SET_NO_NEW_PRIVS = 1, 22, 38
SECCOMP_MODE_FILTER = 2
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO_EPERM = 0x7FFF0000, 0x00050001
BPF_LD_W_ABS, BPF_JEQ_K, BPF_RET_K = 0x20, 0x15, 0x06


class SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(SockFilter))]


# Names under which OpenBLAS builds export their thread-count setter (numpy's wheels
# bundle "scipy_openblas", 64-bit interface).
_OPENBLAS_SET_THREADS = (
    "scipy_openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "openblas_set_num_threads",
)
_blas_checked = threading.Event()


def run_blas_single_threaded() -> int:
    """Run every OpenBLAS loaded in this process on the calling thread; return how many.

    Why, twice over: (1) OpenBLAS registers a fork handler that waits for its worker
    threads; a fork while another thread runs a multi-threaded BLAS product (a search
    scoring vectors) hangs in that handler while holding the GIL, and the whole server
    freezes; so the pool is turned off before the first fork. (2) After each product its
    idle workers spin for a while: a search whose matrix-vector product takes 1 ms cost
    50 ms of a second core, so the server turns the pool off at start. A matrix-vector
    product gains nothing from the pool. Once per process.
    """
    if _blas_checked.is_set():
        return 0
    _blas_checked.set()
    paths: set[str] = set()
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            for line in maps:
                path = line.rsplit(" ", 1)[-1].strip()
                name = path.rsplit("/", 1)[-1].lower()
                if "openblas" in name and (name.endswith(".so") or ".so." in name):
                    paths.add(path)
    except OSError:
        return 0
    done = 0
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _OPENBLAS_SET_THREADS:
            setter = getattr(lib, name, None)
            if setter is not None:
                setter(1)
                done += 1
                break
    return done


def fork_supported() -> bool:
    """Whether untrusted queries can run in a killable child here (Linux with fork)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class NetworkBlocker:
    """A seccomp filter prepared in the parent (no ``dlopen`` after fork), applied in the child."""

    def __init__(self) -> None:
        self.libc: Any = None
        self.program: SockFprog | None = None
        numbers = SYSCALLS.get(platform.machine())
        if numbers is None:
            return
        arch, socket_nr, connect_nr = numbers
        code = [
            (BPF_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
            (BPF_JEQ_K, 0, 3, arch),  # another ABI: allow
            (BPF_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
            (BPF_JEQ_K, 2, 0, socket_nr),
            (BPF_JEQ_K, 1, 0, connect_nr),
            (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
            (BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO_EPERM),
        ]
        self.filters = (SockFilter * len(code))(*(SockFilter(*op) for op in code))
        self.program = SockFprog(len(code), self.filters)
        try:
            self.libc = ctypes.CDLL(None, use_errno=True)
        except OSError:
            self.program = None

    def apply(self) -> bool:
        """In the child: sockets fail from now on (True), or no filter could be set."""
        if self.program is None or self.libc is None:
            return False
        if self.libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return bool(
            self.libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(self.program), 0, 0)
            == 0
        )

    def die_with_parent(self) -> None:
        """In the child: the kernel kills it if the thread that forked it goes away."""
        if self.libc is not None:
            self.libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


# ------------------------------------------------------------------ the child


def send(fd: int, message: tuple[Any, ...]) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(FRAME_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def batches(items: Iterator[Any]) -> Iterator[list[Any]]:
    """Items in lists of at most BATCH_ROWS, each handed on within BATCH_SECONDS."""
    batch: list[Any] = []
    last = time.monotonic()
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH_ROWS or time.monotonic() - last >= BATCH_SECONDS:
            yield batch
            batch, last = [], time.monotonic()
    if batch:
        yield batch


def capped(items: Iterator[Any], max_rows: int, state: dict[str, bool]) -> Iterator[Any]:
    for n, item in enumerate(items):
        if n >= max_rows:
            state["truncated"] = True
            return
        yield item


def evaluate(store: ox.Store, sparql: str, max_rows: int, fd: int) -> None:
    """The child's work: check, evaluate, stream (``head``, rows or triples, ``done``)."""
    form, text = parse_read_only(sparql)
    send(fd, ("head", form))
    answer = store.query(text, use_default_graph_as_union=True)
    state = {"truncated": False}
    if isinstance(answer, ox.QueryBoolean):
        send(fd, ("boolean", bool(answer)))
    elif isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        send(fd, ("vars", variables))
        for batch in batches(capped(iter(answer), max_rows, state)):
            rows = []
            for solution in batch:
                row, binding = {}, {}
                for var in variables:
                    term = solution[var]
                    if term is not None:
                        row[var] = term_value(term)
                        binding[var] = term_json(term)
                rows.append((row, binding))
            send(fd, ("rows", rows))
    else:
        for batch in batches(capped(iter(answer), max_rows, state)):
            send(fd, ("triples", output_bytes(ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES))))
    send(fd, ("done", state["truncated"]))


def child_main(
    store: ox.Store, sparql: str, max_rows: int, fd: int, blocker: NetworkBlocker
) -> None:
    """Never returns: the child ends with ``os._exit`` (no atexit, no parent buffers)."""
    status = 0
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)  # the parent's event loop must not hear our signals
        blocker.die_with_parent()
        blocker.apply()
        evaluate(store, sparql, max_rows, fd)
    except QueryError as exc:
        send(fd, ("refused", str(exc)))
    except SyntaxError as exc:
        send(fd, ("refused", f"SPARQL syntax error: {exc}"))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        try:
            send(fd, ("refused", f"query failed: {exc}"))
        except BaseException:  # noqa: BLE001 - nothing left to tell
            status = 1
    finally:
        os._exit(status)


# ------------------------------------------------------------------ the parent


def frames(buffer: bytearray) -> Iterator[tuple[Any, ...]]:
    """Complete messages at the start of ``buffer`` (consumed from it)."""
    while len(buffer) >= FRAME_HEADER.size:
        (size,) = FRAME_HEADER.unpack_from(buffer)
        if len(buffer) < FRAME_HEADER.size + size:
            return
        data = bytes(buffer[FRAME_HEADER.size : FRAME_HEADER.size + size])
        del buffer[: FRAME_HEADER.size + size]
        # Our own forked child wrote it: pickle carries Decimal and date values as they are.
        yield pickle.loads(data)  # noqa: S301


def apply_message(out: QueryResult, message: tuple[Any, ...]) -> bool:
    """Folds one child message into ``out``; True once the child said it is done."""
    kind = message[0]
    if kind == "head":
        out.form = message[1]
    elif kind == "vars":
        out.vars = list(message[1])
    elif kind == "rows":
        for row, binding in message[1]:
            out.rows.append(row)
            out.bindings.append(binding)
    elif kind == "triples":
        out.triples.extend(
            ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(message[1], format=ox.RdfFormat.N_TRIPLES)
        )
    elif kind == "boolean":
        out.boolean = bool(message[1])
    elif kind == "done":
        out.truncated = bool(message[1])
        return True
    elif kind == "refused":
        raise QueryError(message[1])
    return False


def run_isolated(
    store: ox.Store,
    sparql: str,
    *,
    timeout_s: float,
    max_rows: int,
    fork_lock: threading.Lock,
    fork_gate: ForkGate | None = None,
    blocker: NetworkBlocker | None = None,
) -> QueryResult:
    """Check and evaluate ``sparql`` in a child process killed at the time limit.

    ``fork_lock`` excludes writes and ``fork_gate`` reads in other threads at the fork."""
    blocker = blocker or NetworkBlocker()
    out = QueryResult(form="", max_rows=max_rows)
    read_fd, write_fd = os.pipe()
    started = time.perf_counter()
    # Neither lock may be held by another thread at the fork: the child would inherit it
    # locked, with no thread to release it (our writes would be half applied in its copy,
    # or its query check would wait on the parser's lock until it is killed).
    run_blas_single_threaded()
    warm_parser()
    # Lock order, the same on every path: the write lock, the gate, the parser's lock (a
    # read that fell back to a thread holds the gate and then parses).
    with fork_lock, (fork_gate or ForkGate()).forking(), PARSE_LOCK:
        pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        child_main(store, sparql, max_rows, write_fd, blocker)
    os.close(write_fd)
    done = False
    try:
        done = wait_for_child(read_fd, out, started, timeout_s)
    finally:
        os.close(read_fd)
        if not done:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    out.elapsed_s = time.perf_counter() - started
    return out


def wait_for_child(read_fd: int, out: QueryResult, started: float, timeout_s: float) -> bool:
    """Reads the child's messages until it is done (True) or its time is up (False)."""
    poller = select.poll()
    poller.register(read_fd, select.POLLIN | select.POLLHUP)
    buffer = bytearray()
    deadline = started + max(timeout_s, CHECK_BUDGET_S)
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            if not out.form:
                raise QueryError(
                    f"query too complex: not checked within {max(timeout_s, CHECK_BUDGET_S)}s"
                )
            out.timed_out = True
            return False
        if not poller.poll(remaining * 1000):
            continue
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            raise QueryError("query failed: the query process ended without an answer")
        buffer += chunk
        for message in frames(buffer):
            had_form = bool(out.form)
            if apply_message(out, message):
                return True
            if out.form and not had_form:  # checked: the time limit starts now
                deadline = time.perf_counter() + timeout_s
