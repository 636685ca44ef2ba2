"""Fusion of dense and BM25 rankings into one hybrid ranking.

Both indexes give a score to *every* passage (exact cosine, full BM25 vector), so fusion
works on score arrays aligned by row. Candidates are the union of each mode's top
``depth`` rows (within the filter mask); everything else cannot reach the top anyway.

Methods:
- ``"rrf"``: reciprocal rank fusion, sum of 1 / (k + rank) (Cormack et al. 2009). Ignores
  score magnitudes, so a BM25 ranking with one decisive match counts as much as a flat one.
- ``"convex"`` (default): convex combination of per-query min-max normalised scores over
  the candidates. Bruch, Gai & Ingber (2023, "An analysis of fusion functions for hybrid
  retrieval") find it beats RRF in and out of domain and needs at most one weight; we use
  equal weights. It keeps the *margin* information RRF throws away: a passage matching a
  rare document number scores far above the rest in BM25 and stays on top after fusion.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from search_api.errors import InvalidIndexOptionError

METHODS = ("convex", "rrf")
RRF_K = 60
DEPTH = 100


def top_rows(scores: np.ndarray, depth: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """Rows of the ``depth`` highest scores (allowed rows only), best first, stable on ties."""
    if allowed is not None:
        rows = np.flatnonzero(allowed)
        order = np.argsort(-scores[rows], kind="stable")[:depth]
        return rows[order]
    return np.argsort(-scores, kind="stable")[:depth]


def minmax(values: np.ndarray) -> np.ndarray:
    """Scale to [0, 1]; a constant vector (no signal) becomes all zeros."""
    if values.size == 0:
        return np.zeros(0, dtype=np.float32)
    lo, hi = float(values.min()), float(values.max())
    if hi - lo <= 1e-12:
        return np.zeros_like(values, dtype=np.float32)
    return ((values - lo) / (hi - lo)).astype(np.float32)


def rrf_scores(
    rankings: Sequence[np.ndarray], weights: Sequence[float], k: int = RRF_K
) -> dict[int, float]:
    """Weighted reciprocal rank fusion of several best-first row lists."""
    fused: dict[int, float] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, row in enumerate(ranking.tolist(), start=1):
            fused[row] = fused.get(row, 0.0) + w / (k + rank)
    return fused


def fuse(
    dense: np.ndarray,
    bm25: np.ndarray,
    *,
    method: str = "convex",
    dense_weight: float = 0.5,
    depth: int = DEPTH,
    allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, fused scores) best first, over the union of both modes' top ``depth``.

    A mode whose scores are all equal (e.g. BM25 when no query term is in the vocabulary)
    contributes nothing, so the other mode decides alone.
    """
    if method not in METHODS:
        raise InvalidIndexOptionError(f"unknown fusion method {method!r}: use one of {METHODS}")
    if dense.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    weights = (dense_weight, 1.0 - dense_weight)
    bm25_signal = bool(np.any(bm25[allowed] if allowed is not None else bm25))
    top_dense = top_rows(dense, depth, allowed)
    top_bm25 = top_rows(bm25, depth, allowed) if bm25_signal else np.zeros(0, dtype=np.int64)
    if method == "rrf":
        fused = rrf_scores([top_dense, top_bm25], weights)
        rows = np.array(list(fused.keys()), dtype=np.int64)
        scores: np.ndarray = np.array(list(fused.values()), dtype=np.float32)
    else:
        rows = np.unique(np.concatenate([top_dense, top_bm25])).astype(np.int64)
        scores = weights[0] * minmax(dense[rows])
        if bm25_signal:
            scores = scores + weights[1] * minmax(bm25[rows])
    # Ties (e.g. identical passages) keep row order: the passage indexed first wins.
    order = np.lexsort((rows, -scores))
    return rows[order], scores[order].astype(np.float32)
