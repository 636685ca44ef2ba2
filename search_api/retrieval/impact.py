"""BM25 top rows of a large index without scoring every row: impact-ordered candidates,
then exact scores for those candidates only.

Why: past a few hundred thousand passages a question's common words hold millions of
postings, and adding every one into a score per row dominates a hybrid search (most of
them cannot lift a passage into the top list). Score-at-a-time ranking (Anh & Moffat
2006; JASS, Lin & Trotman 2015) reads each term's postings in order of their BM25
contribution ("impact"), highest first, and stops after a budget of postings: a rare
term's few postings are all read (their impacts are high), a common word's best
passages only. The passages with the highest partial sums are then scored exactly with
every query term (``LexicalIndex.scores_of``), so only *which* rows are considered is
approximate, never a score; ``bench/bench_scale.py`` measures the recall of the top 10
against scoring every row.

Each term keeps its ``IMPACT_PREFIX`` best postings per index state (as the term cache
keeps common terms' scores), within ``IMPACT_CACHE_POSTINGS`` in all. Below
``IMPACT_MIN_ROWS`` rows, and with a filter, every row is scored as before.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from search_api.retrieval.topk import top_of

# Chosen on bench/bench_scale.py's questions (ALQAC over replicated passages), BM25 top
# rows p50/p95: at 100k, every row 2/4 ms, candidates 7/14; at 1M, every row 65/123 ms,
# candidates 20/28 with recall@10 0.98 (a smaller prefix, budget or rescored set: less).
IMPACT_MIN_ROWS = 300_000  # smaller indexes score every row
IMPACT_PREFIX = 1 << 15  # postings kept per term, best impact first
IMPACT_BUDGET = 1 << 19  # postings one query's candidate pass reads, over all its terms
RESCORED = 3000  # candidates (best partial sums) scored exactly
GRID = 64  # thresholds tried at once when finding the budget's lowest impact
IMPACT_CACHE_POSTINGS = 32_000_000  # kept postings over all terms (about 256 MB)

_cache_lock = threading.Lock()


def uses_impacts(rows: int) -> bool:
    """Whether an index of ``rows`` live rows finds its BM25 top rows by impacts."""
    return rows >= IMPACT_MIN_ROWS


@dataclass(frozen=True, slots=True)
class Impacts:
    """A term's best postings, highest BM25 contribution first (ties: lower row first)."""

    rows: np.ndarray  # global rows (int32 while they fit)
    negated: np.ndarray  # float32 contributions, negated: ascending, as ``searchsorted`` needs
    complete: bool  # every live posting of the term is here

    @property
    def size(self) -> int:
        return len(self.rows)

    def count_at_least(self, impact: float) -> int:
        """How many of the kept postings contribute at least ``impact``."""
        return int(np.searchsorted(self.negated, np.float32(-impact), side="right"))


def best_impacts(rows: np.ndarray, values: np.ndarray, size: int | None = None) -> Impacts:
    """The ``size`` (default ``IMPACT_PREFIX``) best of a term's postings (rows ascending,
    contributions), best first, ties in row order: the rows a stable sort would put first.
    One pass over the postings picks them (the first use of a term is paid in a query)."""
    size = IMPACT_PREFIX if size is None else size
    if len(rows) > size:
        kth = np.partition(values, len(values) - size)[len(values) - size]
        keep = np.flatnonzero(values >= kth)  # the best, and every posting tied with the last
        if len(keep) > size:
            best = values[keep]
            tied = keep[best == kth]
            keep = np.concatenate([keep[best > kth], tied[: size - (len(keep) - len(tied))]])
    else:
        keep = np.arange(len(rows))
    order = keep[np.lexsort((rows[keep], -values[keep]))]
    dtype = np.int32 if len(rows) and int(rows[-1]) < 2**31 else np.int64
    return Impacts(rows[order].astype(dtype), -values[order].astype(np.float32), len(rows) <= size)


def keep_impacts(
    cache: dict[str, Impacts | None], kept: list[int], term: str, found: Impacts | None
) -> None:
    """Keep a term's impacts for the index state's later queries, within
    ``IMPACT_CACHE_POSTINGS`` (``kept``: the postings kept so far, updated): the terms
    kept first make room when it is full (a server's questions drift; the first ones
    should not hold the cache for ever)."""
    size = 0 if found is None else found.size
    if size > IMPACT_CACHE_POSTINGS:
        return
    with _cache_lock:
        while cache and kept[0] + size > IMPACT_CACHE_POSTINGS:
            old = cache.pop(next(iter(cache)))
            kept[0] -= 0 if old is None else old.size
        kept[0] += size
        cache[term] = found


def impact_threshold(weighted: list[tuple[Impacts, int]], budget: int) -> float:
    """The lowest impact the candidate pass reads: about the largest threshold at which
    the postings with ``weight * impact >= threshold`` number at least ``budget`` (0 when
    every kept posting fits), found on a grid refined twice (64 thresholds a search)."""
    if sum(imp.size for imp, _ in weighted) <= budget:
        return 0.0
    lo, hi = 0.0, max(-float(imp.negated[0]) * w for imp, w in weighted)
    for _ in range(3):
        grid = np.linspace(lo, hi, GRID, dtype=np.float64)
        counts = np.zeros(GRID, dtype=np.int64)
        for imp, w in weighted:
            counts += np.searchsorted(imp.negated, (-grid / w).astype(np.float32), side="right")
        enough = np.flatnonzero(counts >= budget)  # counts fall as the threshold rises
        at = int(enough[-1]) if len(enough) else 0
        lo, hi = float(grid[at]), float(grid[min(at + 1, GRID - 1)])
    return lo


def candidate_rows(
    weighted: list[tuple[Impacts, int]],
    n: int,
    budget: int,
    rescored: int,
) -> np.ndarray:
    """Rows (ascending) of the ``rescored`` best partial sums over the postings whose
    weighted impact reaches ``impact_threshold``."""
    threshold = impact_threshold(weighted, budget)
    rows, values = [], []
    for imp, w in weighted:
        end = imp.count_at_least(threshold / w)
        rows.append(imp.rows[:end])
        values.append(imp.negated[:end] * np.float32(-w))
    if not rows:
        return np.zeros(0, dtype=np.int64)
    partial = np.bincount(np.concatenate(rows), weights=np.concatenate(values), minlength=n)
    seen = np.flatnonzero(partial)
    if len(seen) > rescored:
        seen = np.sort(seen[np.argpartition(-partial[seen], rescored - 1)[:rescored]])
    return seen.astype(np.int64)


def top_by_impacts(
    query_terms: list[str],
    impacts_of: Callable[[str], Impacts | None],
    scores_of: Callable[[np.ndarray], np.ndarray],
    n: int,
    depth: int,
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, exact scores) of the ``depth`` best candidates, best first, ties in row
    order; rows without a query term (score 0) fill the list up to ``depth`` from the
    first row on, as a top list over every row would."""
    weighted = []
    for term, w in Counter(query_terms).items():
        imp = impacts_of(term)
        if imp is not None:
            weighted.append((imp, w))
    cands = candidate_rows(weighted, n, IMPACT_BUDGET, max(RESCORED, depth))
    rows, scores = top_of(cands, scores_of(cands), depth)
    positive = scores > 0
    rows, scores = rows[positive], scores[positive]
    if len(rows) < depth:
        fill = np.setdiff1d(np.arange(min(n, depth + len(rows))), rows)[: depth - len(rows)]
        rows = np.concatenate([rows, fill.astype(np.int64)])
        scores = np.concatenate([scores, np.zeros(len(fill), dtype=np.float32)])
    return rows, scores
