"""Dense vector index over passages, in parts, exact while small and approximate past a size.

- Each added batch of passages is one ``VectorPart`` (a matrix, memory-mapped once saved:
  ``segments`` opens it with ``np.load(mmap_mode="r")``); a deletion is a mask bit, so
  adding or removing a document never copies the other vectors.
- A part of at least ``ANN_MIN_ROWS`` vectors (``kind="auto"``) gets an approximate FAISS
  index (IVF-Flat by default, HNSW with ``kind="hnsw"``), built once when the part is made
  (a bulk add or a segment merge) and stored with it; smaller parts are scored exactly.
  While no part is approximate, search is exact and identical to scoring every row.
- Deleted rows and filters reach FAISS as an ID selector, so they are excluded inside the
  search rather than filtered from an over-fetched list; a filter allowing few rows
  (``EXACT_FILTER_ROWS``) scores those rows exactly, and an approximate search that
  returns fewer rows than asked falls back to exact scoring: a filter never starves the
  result list.
- The manifest records the embedder name and dimension; vectors from one model are
  meaningless to another, so opening with a different embedder raises
  ``IndexMismatchError`` rather than returning garbage.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from search_api.errors import IndexMismatchError, InvalidIndexOptionError, MissingDependencyError
from search_api.retrieval.tombstones import live_keys, without_rows
from search_api.retrieval.topk import best_rows, top_of

ANN_MIN_ROWS = 50_000  # a part this large gets an approximate index (kind "auto")
EXACT_FILTER_ROWS = 50_000  # a filter allowing at most this many rows is scored exactly
KINDS = ("auto", "flat", "ivf", "hnsw")
IVF_NPROBE_SHARE = 24  # lists probed: nlist / this (at least 16); recall@10 >= .95 measured
HNSW_EF_SEARCH = 128


def faiss_module() -> Any:
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


def ann_kind(kind: str, rows: int) -> str | None:
    """The approximate index a part of ``rows`` vectors gets (None: exact search)."""
    if kind == "flat":
        return None
    if kind == "auto":
        return "ivf" if rows >= ANN_MIN_ROWS else None
    return kind


def build_ann(vectors: np.ndarray, kind: str) -> Any:
    """A FAISS inner-product index over ``vectors`` (ids = row numbers)."""
    faiss = faiss_module()
    dim = vectors.shape[1]
    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        nlist = max(1, min(int(2 * math.sqrt(len(vectors))), len(vectors) // 39))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        index.cp.niter = 10
        rng = np.random.default_rng(0)
        sample = rng.choice(len(vectors), size=min(len(vectors), 40 * nlist), replace=False)
        index.train(np.ascontiguousarray(vectors[np.sort(sample)], dtype=np.float32))
        index.nprobe = max(16, nlist // IVF_NPROBE_SHARE)
    for start in range(0, len(vectors), 65536):
        index.add(np.ascontiguousarray(vectors[start : start + 65536], dtype=np.float32))
    return index


def search_params(index: Any, allowed: np.ndarray | None) -> tuple[Any, Any]:
    """FAISS search parameters restricting ``index`` to the ``allowed`` rows (and the
    bitmap, which must outlive the search)."""
    faiss = faiss_module()
    if allowed is None:
        return None, None
    bits = np.packbits(allowed, bitorder="little")
    selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
    if isinstance(index, faiss.IndexHNSW):
        return faiss.SearchParametersHNSW(sel=selector, efSearch=index.hnsw.efSearch), bits
    return faiss.SearchParametersIVF(sel=selector, nprobe=index.nprobe), bits


@dataclass(eq=False)
class VectorPart:
    """The vectors of one batch of passages; never changed. ``ann`` is its approximate
    index (None: scored exactly); ``seg`` its segment id on disk (None until saved)."""

    keys: list[str]
    vectors: np.ndarray
    seg: int | None = None
    ann: Any = None

    def __len__(self) -> int:
        return len(self.keys)


class DenseIndex:
    """Vectors keyed by passage id, in parts with deletion masks, searched by inner product."""

    def __init__(self, embedder: str, dim: int, kind: str = "auto") -> None:
        if kind not in KINDS:
            raise InvalidIndexOptionError(f"unknown dense index kind {kind!r}: use one of {KINDS}")
        self.embedder = embedder
        self.dim = dim
        self.kind = kind
        self.parts: list[VectorPart] = []
        self.live: list[np.ndarray | None] = []
        self._layout: list[tuple[int, np.ndarray | None]] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return sum(n for n in self._live_counts())

    def _live_counts(self) -> list[int]:
        return [
            len(p) if m is None else int(m.sum())
            for p, m in zip(self.parts, self.live, strict=True)
        ]

    def copy(self) -> DenseIndex:
        """A copy to change while searches read this one (the parts are shared)."""
        other = DenseIndex(self.embedder, self.dim, self.kind)
        other.parts = list(self.parts)
        other.live = list(self.live)
        return other

    @property
    def ids(self) -> list[str]:
        return live_keys(self.parts, self.live)

    @property
    def vectors(self) -> np.ndarray:
        """Every live vector in row order (a copy: for tools, not search)."""
        blocks = [
            p.vectors if m is None else p.vectors[m]
            for p, m in zip(self.parts, self.live, strict=True)
        ]
        if not blocks:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(blocks).astype(np.float32, copy=False)

    @property
    def approximate(self) -> bool:
        """Whether some part is searched approximately."""
        return any(p.ann is not None for p in self.parts)

    @property
    def effective_kind(self) -> str:
        kinds = {type(p.ann).__name__ for p in self.parts if p.ann is not None}
        if not kinds:
            return "flat"
        return "hnsw" if any("HNSW" in k for k in kinds) else "ivf"

    def add(self, ids: Sequence[str], vectors: np.ndarray) -> None:
        """Add passages as one new part (an approximate index built when it is large)."""
        if not len(ids):
            return
        vecs = np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1)
        if vecs.shape[1] != self.dim:
            raise IndexMismatchError(
                f"vectors of dimension {vecs.shape[1]} added to a {self.dim}-d index"
            )
        kind = ann_kind(self.kind, len(ids))
        ann = build_ann(vecs, kind) if kind else None
        self.add_part(VectorPart(list(ids), vecs, None, ann))

    def add_part(self, part: VectorPart, live: np.ndarray | None = None) -> None:
        if part.vectors.shape[1:] != (self.dim,):
            raise IndexMismatchError(
                f"a part of dimension {part.vectors.shape} in a {self.dim}-d index"
            )
        self.parts.append(part)
        self.live.append(live)
        self._layout = None

    def remove(self, ids: set[str]) -> int:
        rows = np.array([i for i, key in enumerate(self.ids) if key in ids], dtype=np.int64)
        return self.remove_rows(rows)

    def remove_rows(self, rows: np.ndarray) -> int:
        """Mark live rows (global positions) deleted; return how many."""
        if not len(rows):
            return 0
        self.live = without_rows([len(part) for part in self.parts], self.live, rows)
        self._layout = None
        return len(rows)

    # -- layout: global rows <-> (part, local row) ------------------------------------

    def layout(self) -> list[tuple[int, np.ndarray | None]]:
        """Per part: (first global row, its live local rows; None when all are live)."""
        layout = self._layout
        if layout is None:
            with self._lock:
                layout, start = [], 0
                for part, mask in zip(self.parts, self.live, strict=True):
                    local = None if mask is None else np.flatnonzero(mask)
                    layout.append((start, local))
                    start += len(part) if local is None else len(local)
                self._layout = layout
        return layout

    def _part_rows(self, rows: np.ndarray) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """Global ``rows`` split by part: (part index, positions in ``rows``, local rows)."""
        layout = self.layout()
        starts = np.array([s for s, _ in layout], dtype=np.int64)
        which = np.searchsorted(starts, rows, side="right") - 1
        out = []
        for i in np.unique(which).tolist():
            pos = np.flatnonzero(which == i)
            local = rows[pos] - starts[i]
            live_local = layout[i][1]
            out.append((i, pos, local if live_local is None else live_local[local]))
        return out

    # -- search ------------------------------------------------------------------------

    def all_scores(self, query: np.ndarray) -> np.ndarray:
        """Exact score of every live row."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        blocks = []
        for part, (_, local) in zip(self.parts, self.layout(), strict=True):
            if len(part):
                scores = part.vectors @ q
                blocks.append(scores if local is None else scores[local])
        if not blocks:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(blocks).astype(np.float32)

    def scores_of(self, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Exact scores of some live rows (global positions), in their order."""
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros(len(rows), dtype=np.float32)
        for i, pos, local in self._part_rows(rows):
            order = np.argsort(local)  # ascending reads of a memory map
            out[pos[order]] = self.parts[i].vectors[local[order]] @ q
        return out

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(row positions, scores) of the ``k`` best live rows, best first.

        ``allowed`` is a boolean mask over rows. Exact while no part is approximate;
        a filter never starves the result list (see the module docstring).
        """
        total = len(self)
        if not total or k <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        q = np.asarray(query, dtype=np.float32).reshape(-1)
        if allowed is not None and int(allowed.sum()) <= EXACT_FILTER_ROWS:
            rows = np.flatnonzero(allowed)
            return top_of(rows, self.scores_of(q, rows), k)
        if not self.approximate:
            scores = self.all_scores(q)
            rows = best_rows(scores, k, allowed)
            return rows, scores[rows]
        rows, scores = self._approximate_top(q, k, allowed)
        want = min(k, total if allowed is None else int(allowed.sum()))
        if len(rows) < want:  # the approximate index found too few allowed rows
            scores = self.all_scores(q)
            rows = best_rows(scores, k, allowed)
            return rows, scores[rows]
        return rows, scores

    def _approximate_top(
        self, q: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        found_rows, found_scores = [], []
        for part, mask, (start, local) in zip(self.parts, self.live, self.layout(), strict=True):
            n_live = len(part) if local is None else len(local)
            if not n_live:
                continue
            part_allowed = None if allowed is None else allowed[start : start + n_live]
            if part.ann is None:
                scores = part.vectors @ q if local is None else part.vectors[local] @ q
                rows = np.arange(start, start + n_live)
                if part_allowed is not None:
                    rows, scores = rows[part_allowed], scores[part_allowed]
                rows, scores = top_of(rows, scores, k)
            else:
                keep = mask
                if part_allowed is not None:
                    keep = np.zeros(len(part), dtype=bool)
                    keep[np.arange(len(part)) if local is None else local] = part_allowed
                params, _bits = search_params(part.ann, keep)
                found, ids = part.ann.search(q.reshape(1, -1), k, params=params)
                ids, scores = ids[0], found[0]
                ok = ids >= 0
                ids, scores = ids[ok], scores[ok]
                # local row -> global row: position among the part's live rows
                rows = ids + start if local is None else np.searchsorted(local, ids) + start
            found_rows.append(rows)
            found_scores.append(scores)
        if not found_rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return top_of(np.concatenate(found_rows), np.concatenate(found_scores), k)


def merge_vector_parts(
    parts: Sequence[VectorPart], live: Sequence[np.ndarray | None], kind: str
) -> VectorPart:
    """One part holding the live rows of ``parts``, in order (a segment merge); its
    approximate index is built when it is large enough."""
    keys: list[str] = []
    blocks = []
    for part, mask in zip(parts, live, strict=True):
        if mask is None:
            keys.extend(part.keys)
            blocks.append(part.vectors)
        else:
            keys.extend(k for k, m in zip(part.keys, mask.tolist(), strict=True) if m)
            blocks.append(part.vectors[mask])
    dim = parts[0].vectors.shape[1]
    vectors = np.vstack(blocks).astype(np.float32) if blocks else np.zeros((0, dim), np.float32)
    chosen = ann_kind(kind, len(keys))
    return VectorPart(keys, vectors, None, build_ann(vectors, chosen) if chosen else None)
