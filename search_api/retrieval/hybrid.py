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
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from search_api.errors import InvalidIndexOptionError
from search_api.retrieval.doc_boost import DocumentTable, add_features

if TYPE_CHECKING:
    from search_api.retrieval.snapshot import IndexSnapshot

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


@dataclass(frozen=True, slots=True)
class HybridOptions:
    """How the hybrid mode ranks: fusion method and weight, named-document features."""

    method: str = "convex"
    dense_weight: float = 0.5
    law_boost: float = 0.0
    province_boost: float = 0.0


def rank_hybrid(
    snap: IndexSnapshot,
    query: str,
    dense: np.ndarray,
    bm25: np.ndarray,
    options: HybridOptions,
    depth: int = DEPTH,
    allowed: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) best first: both modes fused, plus the features of the documents
    the question names (``doc_boost``) when their weights are set."""
    rows, scores = fuse(
        dense,
        bm25,
        method=options.method,
        dense_weight=options.dense_weight,
        depth=depth,
        allowed=allowed,
    )
    weights = (("law", options.law_boost), ("province", options.province_boost))
    if not any(w for _, w in weights):
        return rows, scores
    table = snap.derived.get("document_table")
    if not isinstance(table, DocumentTable):
        # Derived from the (immutable) snapshot's records: computing it twice is harmless.
        table = DocumentTable.from_records(snap.records)
        snap.derived["document_table"] = table
    features = [(table.row_feature(query, name), w) for name, w in weights if w]
    return add_features(rows, scores, features)
