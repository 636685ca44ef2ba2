"""Persistent embedding cache: no text is ever embedded twice by the same embedder.

Embedding is by far the slowest step of indexing (minutes per thousand passages on a
laptop CPU), while re-ingesting a changed plan, rebuilding an index or running a benchmark
again sees mostly texts already embedded. The cache is one SQLite file keyed by
``(embedder name, sha1(text))``; vectors are stored as raw float32 bytes. SQLite gives
atomic commits, so an interrupted run loses at most the current batch, never the file.
A cache may be seeded with shipped vectors (``seed_vectors``): a missing text the seed
file has is copied from it, not embedded.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from search_api.retrieval.seed_vectors import SeedVectors

EmbedFn = Callable[[list[str]], np.ndarray]


def text_key(text: str) -> str:
    """The cache key of a text: its sha1, so the cache never stores the text itself."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A SQLite table of vectors keyed by (embedder name, sha1 of the text)."""

    def __init__(self, path: Path, seeds: Sequence[SeedVectors] = ()) -> None:
        self.path = Path(path)
        self.seeds = list(seeds)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by the API's threads (search and background ingest),
        # serialised by a lock: sqlite3 objects are not safe to use concurrently.
        self._db = sqlite3.connect(str(self.path), timeout=60, check_same_thread=False)
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors ("
            " embedder TEXT NOT NULL, key TEXT NOT NULL, dim INTEGER NOT NULL,"
            " vec BLOB NOT NULL, PRIMARY KEY (embedder, key))"
        )
        self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def get_many(self, embedder: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vectors among ``keys`` (missing keys are simply absent)."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        with self._lock:
            self._select_into(found, embedder, unique)
        return found

    def _select_into(self, found: dict[str, np.ndarray], embedder: str, unique: list[str]) -> None:
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, vec FROM vectors WHERE embedder = ? AND key IN ({marks})",
                [embedder, *chunk],
            )
            for key, blob in rows:
                found[key] = np.frombuffer(blob, dtype=np.float32)

    def put_many(self, embedder: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        """Store vectors and commit at once, so finished batches survive a crash."""
        with self._lock:
            self._put_many(embedder, items)

    def _put_many(self, embedder: str, items: Sequence[tuple[str, np.ndarray]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO vectors (embedder, key, dim, vec) VALUES (?, ?, ?, ?)",
            [
                (embedder, key, int(vec.shape[0]), np.asarray(vec, dtype=np.float32).tobytes())
                for key, vec in items
            ],
        )
        self._db.commit()

    def _seed(
        self, embedder: str, missing: dict[str, str], cached: dict[str, np.ndarray], fn: EmbedFn
    ) -> None:
        """Move the missing texts a matching seed file has into the cache (and out of
        ``missing``), so they are stored as if embedded and never looked up again."""
        for seed in self.seeds:
            found = seed.vectors_for(embedder, list(missing), fn)
            if not found:
                continue
            items = list(found.items())
            self.put_many(embedder, items)
            cached.update(found)
            for key in found:
                del missing[key]

    def keys(self, embedder: str) -> list[str]:
        """Every key cached for ``embedder``, sorted (what a seed file is built from)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT key FROM vectors WHERE embedder = ? ORDER BY key", [embedder]
            )
            return [str(key) for (key,) in rows]

    def count(self, embedder: str | None = None) -> int:
        with self._lock:
            return self._count(embedder)

    def _count(self, embedder: str | None) -> int:
        if embedder is None:
            return int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
        row = self._db.execute("SELECT COUNT(*) FROM vectors WHERE embedder = ?", [embedder])
        return int(row.fetchone()[0])

    def embed(
        self,
        embedder: str,
        texts: Sequence[str],
        fn: EmbedFn,
        *,
        batch_size: int = 64,
        progress: Callable[[int, int], None] | None = None,
    ) -> np.ndarray:
        """Vectors for ``texts`` in order; only texts never seen before go through ``fn``.

        Missing texts are embedded in batches, each committed before the next starts, so
        a long run that is interrupted resumes where it stopped. Duplicate texts within
        the call are embedded once.
        """
        keys = [text_key(t) for t in texts]
        cached = self.get_many(embedder, keys)
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in cached and key not in missing:
                missing[key] = text
        if missing and self.seeds:
            self._seed(embedder, missing, cached, fn)
        todo = list(missing.items())
        done = len(texts) - len(todo)
        if progress is not None:
            progress(done, len(texts))
        for i in range(0, len(todo), batch_size):
            batch = todo[i : i + batch_size]
            vecs = np.asarray(fn([t for _, t in batch]), dtype=np.float32)
            items = [(k, vecs[j]) for j, (k, _) in enumerate(batch)]
            self.put_many(embedder, items)
            cached.update(items)
            done += len(batch)
            if progress is not None:
                progress(min(done, len(texts)), len(texts))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([cached[k] for k in keys]).astype(np.float32, copy=False)
