"""Dense vector index over passages, in FAISS, tied to the embedder that built it.

- Exact inner-product search (``IndexFlatIP``) by default: on normalised vectors that is
  cosine similarity, and up to a few hundred thousand passages it is fast enough on CPU.
  Above ``HNSW_THRESHOLD`` vectors (or with ``kind="hnsw"``) an HNSW graph is used.
- The vectors are also kept as a plain matrix. Removal and HNSW rebuilds start from it
  (no re-embedding), and a filtered search scores the allowed rows exactly instead of
  over-fetching from FAISS and hoping enough survive the filter.
- The manifest records the embedder name and dimension; vectors from one model are
  meaningless to another, so opening with a different embedder raises
  ``IndexMismatchError`` rather than returning garbage.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search_api.errors import IndexMismatchError, InvalidIndexOptionError, MissingDependencyError

HNSW_THRESHOLD = 200_000
KINDS = ("auto", "flat", "hnsw")


def _faiss() -> Any:
    try:
        import faiss
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("dense search needs faiss: pip install faiss-cpu") from exc
    return faiss


def check_embedder(
    path: Path, built_with: str, built_dim: int, embedder: str, dim: int | None
) -> None:
    """Raise ``IndexMismatchError`` when an index is opened with another embedder.

    ``dim=None`` checks the name only (before loading a model just to learn its size).
    """
    if built_with != embedder or (dim is not None and built_dim != dim):
        opened = f"{embedder!r}" + (f" (dimension {dim})" if dim is not None else "")
        raise IndexMismatchError(
            f"the index at {path} was built with embedder {built_with!r} (dimension {built_dim}) "
            f"but was opened with {opened}; open it with {built_with!r} "
            "or rebuild it (cancu reindex --embedder ...)"
        )


class DenseIndex:
    """Vectors keyed by passage id, searched by inner product."""

    def __init__(self, embedder: str, dim: int, kind: str = "auto") -> None:
        if kind not in KINDS:
            raise InvalidIndexOptionError(f"unknown dense index kind {kind!r}: use one of {KINDS}")
        self.embedder = embedder
        self.dim = dim
        self.kind = kind
        self.ids: list[str] = []
        self.vectors = np.zeros((0, dim), dtype=np.float32)
        self._faiss_index: Any = None

    def __len__(self) -> int:
        return len(self.ids)

    def copy(self) -> DenseIndex:
        """A copy to change while searches read this one: ``add`` and ``remove`` replace
        the vector matrix rather than write into it, so the matrix is shared; the FAISS
        index is not (a flat one is appended to in place) and is rebuilt when needed."""
        other = DenseIndex(self.embedder, self.dim, self.kind)
        other.ids = list(self.ids)
        other.vectors = self.vectors
        return other

    @property
    def effective_kind(self) -> str:
        if self.kind != "auto":
            return self.kind
        return "hnsw" if len(self.ids) >= HNSW_THRESHOLD else "flat"

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        vecs = np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1) if len(ids) else None
        if vecs is None:
            return
        if vecs.shape[1] != self.dim:
            raise IndexMismatchError(
                f"vectors of dimension {vecs.shape[1]} added to a {self.dim}-d index"
            )
        self.ids.extend(ids)
        self.vectors = np.vstack([self.vectors, vecs])
        if self._faiss_index is not None and self.effective_kind == "flat":
            self._faiss_index.add(vecs)
        else:
            self._faiss_index = None

    def remove(self, ids: set[str]) -> int:
        keep = np.array([pid not in ids for pid in self.ids], dtype=bool)
        removed = int((~keep).sum())
        if removed:
            self.ids = [pid for pid, k in zip(self.ids, keep, strict=True) if k]
            self.vectors = self.vectors[keep]
            self._faiss_index = None  # rebuilt from the kept vectors on next search
        return removed

    def _build(self) -> Any:
        faiss = _faiss()
        if self.effective_kind == "hnsw":
            index = faiss.IndexHNSWFlat(self.dim, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efSearch = 128
        else:
            index = faiss.IndexFlatIP(self.dim)
        if len(self.ids):
            index.add(self.vectors)
        return index

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(row positions, scores) of the ``k`` best rows, best first.

        ``allowed`` is a boolean mask over rows: those rows are scored exactly, so a
        filter never starves the result list.
        """
        if not self.ids or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.asarray(query, dtype=np.float32).reshape(1, -1)
        if allowed is not None:
            rows = np.flatnonzero(allowed)
            scores = self.vectors[rows] @ q[0]
            order = np.argsort(-scores, kind="stable")[:k]
            return rows[order].astype(np.int64), scores[order].astype(np.float32)
        if self._faiss_index is None:
            self._faiss_index = self._build()
        scores, rows = self._faiss_index.search(q, min(k, len(self.ids)))
        valid = rows[0] >= 0
        return rows[0][valid].astype(np.int64), scores[0][valid].astype(np.float32)

    def all_scores(self, query: np.ndarray) -> np.ndarray:
        """Exact score of every row (used by fusion, which needs every candidate's score)."""
        if not self.ids:
            return np.zeros(0, dtype=np.float32)
        return (self.vectors @ np.asarray(query, dtype=np.float32).reshape(-1)).astype(np.float32)

    def save(self, directory: Path, gen: int) -> list[str]:
        """Write generation ``gen`` (temp files, then rename); return the file names."""
        faiss = _faiss()
        directory.mkdir(parents=True, exist_ok=True)
        vec_name, faiss_name, meta_name = (
            f"dense-{gen}.npy",
            f"dense-{gen}.faiss",
            f"dense-{gen}.json",
        )
        tmp = directory / f".{vec_name}.tmp"
        with open(tmp, "wb") as fh:
            np.save(fh, self.vectors)
        os.replace(tmp, directory / vec_name)
        if self._faiss_index is None:
            self._faiss_index = self._build()
        tmp = directory / f".{faiss_name}.tmp"
        faiss.write_index(self._faiss_index, str(tmp))
        os.replace(tmp, directory / faiss_name)
        meta = {"embedder": self.embedder, "dim": self.dim, "kind": self.kind, "ids": self.ids}
        tmp = directory / f".{meta_name}.tmp"
        tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, directory / meta_name)
        return [vec_name, faiss_name, meta_name]

    @classmethod
    def load(cls, directory: Path, gen: int, embedder: str, dim: int) -> DenseIndex:
        """Open generation ``gen``; ``IndexMismatchError`` if built with another embedder."""
        meta = json.loads((directory / f"dense-{gen}.json").read_text(encoding="utf-8"))
        check_embedder(directory, meta["embedder"], int(meta["dim"]), embedder, dim)
        index = cls(embedder, dim, meta.get("kind", "auto"))
        index.ids = list(meta["ids"])
        index.vectors = np.load(directory / f"dense-{gen}.npy").astype(np.float32, copy=False)
        faiss_path = directory / f"dense-{gen}.faiss"
        if faiss_path.exists():
            loaded = _faiss().read_index(str(faiss_path))
            if loaded.ntotal == len(index.ids):
                index._faiss_index = loaded
        return index
