"""Inverse document frequency of search terms, from already-tokenised texts.

Lives with retrieval because its input is the lexical index's stored term lists (the same
terms BM25 scores), so question answering weighs terms exactly as search does.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable

IdfFn = Callable[[str], float]
"""idf(term) -> weight: higher for rarer terms."""


def idf_from_term_lists(term_lists: Iterable[Iterable[str]]) -> IdfFn:
    """IDF from already-tokenised texts (smoothed, never negative); unseen terms get the
    maximum."""
    df: Counter[str] = Counter()
    n = 0
    for items in term_lists:
        n += 1
        df.update(set(items))
    top = math.log(1 + (n + 1) / 0.5)

    def idf(term: str) -> float:
        d = df.get(term, 0)
        return math.log(1 + (n - d + 0.5) / (d + 0.5)) if d else top

    return idf
