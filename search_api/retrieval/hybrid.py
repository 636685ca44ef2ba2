"""Fusion of dense and BM25 rankings into one hybrid ranking.

Both indexes give a score to *every* passage (exact cosine, full BM25 vector), so fusion
works on score arrays aligned by row. Candidates are the union of each mode's top
``depth`` rows (within the filter mask); everything else cannot reach the top anyway.

Methods:
- ``"rrf"``: reciprocal rank fusion, sum of 1 / (k + rank) (Cormack et al. 2009). Ignores
  score magnitudes, so a BM25 ranking with one decisive match counts as much as a flat one.
- ``"convex"``: convex combination of per-query min-max normalised scores over
  the candidates. Bruch, Gai & Ingber (2023, "An analysis of fusion functions for hybrid
  retrieval") find it beats RRF in and out of domain and needs at most one weight; we use
  equal weights. It keeps the *margin* information RRF throws away: a passage matching a
  rare document number scores far above the rest in BM25 and stays on top after fusion.
- ``"learned"``: a logistic-regression ranker over the candidates' features (both modes'
  scores and ranks, heading and title matched as fields, the document and province the
  question names: ``features``), trained offline (``bench/train_fusion.py``) and applied
  with numpy (``fusion_model``). The default: it beats convex on every held-out fold
  (ALQAC 2023 and plan questions); see the model file's ``trained_on`` record and
  bench/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from search_api.errors import InvalidIndexOptionError
from search_api.retrieval.diversify import asks_for_several_documents, one_per_document
from search_api.retrieval.doc_boost import add_features
from search_api.retrieval.features import candidate_features, document_table
from search_api.retrieval.fusion_model import FusionModel, shipped_models

if TYPE_CHECKING:
    from search_api.retrieval.snapshot import IndexSnapshot

METHODS = ("convex", "rrf")  # the score fusions ``fuse`` computes
HYBRID_METHODS = (*METHODS, "learned")  # plus the learned ranker (``fusion_model``)
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


@dataclass(frozen=True, slots=True)
class Candidates:
    """The rows either mode ranks in its top ``depth``, with both modes' scores for each.

    The seam between finding candidates (exact scores of every row today; an approximate
    index may find them another way) and ranking them (fusion, features): ranking only
    ever sees these rows. A rank is 1-based within that mode's top list, 0 outside it.
    """

    rows: np.ndarray  # int64, ascending, unique
    dense: np.ndarray  # float32, each row's dense score
    bm25: np.ndarray  # float32, each row's BM25 score (0: no query term matched)
    dense_rank: np.ndarray  # int64
    bm25_rank: np.ndarray  # int64

    @property
    def bm25_signal(self) -> bool:
        """Whether BM25 ranked anything (no query term in the vocabulary: it did not)."""
        return bool(np.any(self.bm25_rank > 0))


def ranks_of(rows: np.ndarray, top: np.ndarray) -> np.ndarray:
    """1-based rank of each of ``rows`` in the best-first list ``top``; 0 when absent."""
    position = {row: rank for rank, row in enumerate(top.tolist(), start=1)}
    return np.array([position.get(row, 0) for row in rows.tolist()], dtype=np.int64)


def candidates_from_scores(
    dense: np.ndarray, bm25: np.ndarray, depth: int = DEPTH, allowed: np.ndarray | None = None
) -> Candidates:
    """Candidates from both modes' scores of every row (the union of their top ``depth``).

    A mode whose scores are all zero (BM25 when no query term is in the vocabulary) adds
    no candidates and no signal.
    """
    bm25_signal = bool(np.any(bm25[allowed] if allowed is not None else bm25))
    top_dense = top_rows(dense, depth, allowed)
    top_bm25 = top_rows(bm25, depth, allowed) if bm25_signal else np.zeros(0, dtype=np.int64)
    rows = np.unique(np.concatenate([top_dense, top_bm25])).astype(np.int64)
    return Candidates(
        rows=rows,
        dense=dense[rows].astype(np.float32),
        bm25=bm25[rows].astype(np.float32),
        dense_rank=ranks_of(rows, top_dense),
        bm25_rank=ranks_of(rows, top_bm25),
    )


def candidates_from_tops(
    top_dense: np.ndarray,
    top_bm25: np.ndarray,
    dense_of: Callable[[np.ndarray], np.ndarray],
    bm25_of: Callable[[np.ndarray], np.ndarray],
) -> Candidates:
    """Candidates from each mode's own top list (best first; an approximate index may
    have found the dense one), with both modes' scores looked up for the union's rows
    only (``dense_of(rows)``, ``bm25_of(rows)``): no mode scores every row. With exact top
    lists this equals ``candidates_from_scores``; pass an empty ``top_bm25`` when BM25 has
    no signal.
    """
    rows = np.unique(np.concatenate([top_dense, top_bm25])).astype(np.int64)
    return Candidates(
        rows=rows,
        dense=np.asarray(dense_of(rows), dtype=np.float32),
        bm25=np.asarray(bm25_of(rows), dtype=np.float32),
        dense_rank=ranks_of(rows, top_dense),
        bm25_rank=ranks_of(rows, top_bm25),
    )


def fuse(
    cands: Candidates, *, method: str = "convex", dense_weight: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, fused scores) best first, over the candidates.

    A mode with no signal (see ``Candidates.bm25_signal``) contributes nothing, so the
    other mode decides alone.
    """
    if method not in METHODS:
        raise InvalidIndexOptionError(
            f"unknown fusion method {method!r}: use one of {HYBRID_METHODS}"
        )
    rows = cands.rows
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    weights = (dense_weight, 1.0 - dense_weight)
    if method == "rrf":
        scores = np.zeros(rows.size, dtype=np.float64)
        for ranks, w in ((cands.dense_rank, weights[0]), (cands.bm25_rank, weights[1])):
            ranked = ranks > 0
            scores[ranked] += w / (RRF_K + ranks[ranked])
    else:
        scores = weights[0] * minmax(cands.dense)
        if cands.bm25_signal:
            scores = scores + weights[1] * minmax(cands.bm25)
    # Ties (e.g. identical passages) keep row order: the passage indexed first wins.
    order = np.lexsort((rows, -scores))
    return rows[order], scores[order].astype(np.float32)


@dataclass(frozen=True, slots=True)
class HybridOptions:
    """How the hybrid mode ranks: fusion method and weight, named-document features.

    ``method="learned"`` ranks with the shipped learned model (``fusion_model``), or with
    ``model`` when given (benchmarks pass the ablation variants). ``diversify`` puts one
    passage per document first for questions about several plans (``diversify``).
    """

    method: str = "learned"
    dense_weight: float = 0.5
    law_boost: float = 0.0
    province_boost: float = 0.0
    model: FusionModel | None = None
    diversify: bool = True


def learned_ranking(
    snap: IndexSnapshot, query: str, cands: Candidates, model: FusionModel | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) best first, scored by the learned model (ties: row order)."""
    rows = cands.rows
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    scorer = model or shipped_models().main
    scores = scorer.score(candidate_features(snap, query, cands))
    order = np.lexsort((rows, -scores))
    return rows[order], scores[order].astype(np.float32)


def rank_hybrid(
    snap: IndexSnapshot, query: str, cands: Candidates, options: HybridOptions
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, scores) best first: the candidates fused (or ranked by the learned model),
    plus the features of the documents the question names (``doc_boost``) when their
    weights are set; one passage per document first for questions about several plans."""
    if options.method == "learned":
        rows, scores = learned_ranking(snap, query, cands, options.model)
    else:
        rows, scores = fuse(cands, method=options.method, dense_weight=options.dense_weight)
    weights = (("law", options.law_boost), ("province", options.province_boost))
    if any(w for _, w in weights):
        table = document_table(snap)
        features = [(table.row_feature(query, name), w) for name, w in weights if w]
        rows, scores = add_features(rows, scores, features)
    if options.diversify and asks_for_several_documents(query):
        rows, scores = one_per_document(rows, scores, snap.records)
    return rows, scores
