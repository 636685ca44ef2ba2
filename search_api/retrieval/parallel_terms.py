"""BM25 terms of many passages on every core: word segmentation in forked workers.

Why: underthesea's word segmentation is most of an ingest's CPU once vectors are cached
(the shipped corpus: about 10 of its 19 s, on one core). Workers are forked from a
process whose segmenter is already loaded, so they start at once; the order of the
texts is kept. Forking is for command-line ingests only (``workers`` > 1): a server
process has threads that could hold a lock the child would inherit, and its uploads are
one document at a time anyway. (In a command-line ingest nothing else runs at the fork:
no BLAS product in flight, no store read.)
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence

from search_api.retrieval.tokenize import terms

PARALLEL_MIN_TEXTS = 200  # below this, starting workers costs more than it saves
CHUNK_TEXTS = 32


def _terms_of_chunk(texts: list[str]) -> list[list[str]]:
    return [terms(t) for t in texts]


def default_workers() -> int:
    """The cores this process may use (its CPU affinity where the system says)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def passage_terms(texts: Sequence[str], workers: int = 1) -> list[list[str]]:
    """``terms(text)`` for each text, in order; in ``workers`` forked processes when
    there are enough texts and the platform forks (Linux), else in this process."""
    if workers <= 1 or len(texts) < PARALLEL_MIN_TEXTS or not sys.platform.startswith("linux"):
        return [terms(t) for t in texts]
    terms("khởi động")  # load the segmenter here, once: the workers inherit it
    chunks = [list(texts[i : i + CHUNK_TEXTS]) for i in range(0, len(texts), CHUNK_TEXTS)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_terms_of_chunk, chunks, chunksize=1)
    return [term_list for chunk in results for term_list in chunk]
