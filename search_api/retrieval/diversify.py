"""One hit per document for questions about several plans ("tỉnh nào ...", "các kế hoạch ...").

Such a question wants a list of plans; ten passages of the best-matching plan would hide
every other one. When the question carries one of a small closed list of cue phrases,
the ranking is reordered so the leading hits are each document's best passage (in score
order); the other passages follow, so nothing is lost. Other questions are untouched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

# Cues that ask for several documents (plans, provinces). Closed on purpose: "cơ quan nào"
# asks for agencies inside one plan, "quyết định nào" for a basis cited by one plan; they
# must not spread the hits over plans.
_CUES = (
    r"(?:tỉnh|thành phố|tỉnh, thành phố|địa phương|kế hoạch) nào",
    r"(?:những|các|bao nhiêu) (?:tỉnh|thành phố|địa phương|kế hoạch)",
    r"nơi nào",
)
_CUE_RE = re.compile(r"(?<!\w)(?:" + "|".join(_CUES) + r")(?!\w)", re.IGNORECASE)


def asks_for_several_documents(query: str) -> bool:
    """Whether the question asks about several plans/documents (a cue phrase is in it)."""
    return _CUE_RE.search(" ".join(query.split())) is not None


def one_per_document(
    rows: np.ndarray, scores: np.ndarray, records: Sequence[dict[str, Any]]
) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` (best first) with each document's best row first, the rest after.

    Scores are made non-increasing along the new order (a later row never outscores an
    earlier one), so a caller that sorts or cuts by score keeps this order.
    """
    seen: set[str] = set()
    first: list[int] = []
    rest: list[int] = []
    for i, row in enumerate(rows.tolist()):
        doc = str(records[row]["doc_id"])
        (rest if doc in seen else first).append(i)
        seen.add(doc)
    order = np.array(first + rest, dtype=np.int64)
    new_scores = np.minimum.accumulate(scores[order].astype(np.float32)) if order.size else scores
    return rows[order], new_scores.astype(np.float32)
