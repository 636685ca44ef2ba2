"""The best rows of a score array, in the order a stable sort gives (ties: lower row
first), without sorting every row: ``argpartition`` first, then a sort of the few left."""

from __future__ import annotations

import numpy as np


def top_of(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best (row, score) pairs of the given ones, best first, ties in row order."""
    order = np.lexsort((rows, -scores))[:k]
    return rows[order].astype(np.int64), scores[order].astype(np.float32)


def best_rows(scores: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
    """Rows of the ``k`` highest scores (allowed rows only), best first: the same rows in
    the same order as a stable ``argsort(-scores)[:k]``."""
    rows = np.arange(len(scores)) if allowed is None else np.flatnonzero(allowed)
    values = scores[rows]
    if k <= 0 or not len(rows):
        return np.zeros(0, dtype=np.int64)
    if len(rows) > k:
        kth = np.partition(-values, k - 1)[k - 1]
        keep = -values <= kth  # every row tied with the k-th stays: ties go by row
        rows, values = rows[keep], values[keep]
    return top_of(rows, values, k)[0]
