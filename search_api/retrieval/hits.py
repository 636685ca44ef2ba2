"""Search hits: one passage of a ranking, with its provenance, built from passage records.

Identical passages of different documents (the same law ingested under two ids) are
collapsed into the first ranked hit, so they do not crowd the result list.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

ScoresByRow = np.ndarray | Mapping[int, float]

# Hit fields copied unchanged from a passage record.
HIT_FIELDS_FROM_RECORD = (
    "doc_id", "source", "passage_id", "article_id", "section", "start", "end", "text",
    "kind", "province", "year", "doc_type", "title",
)  # fmt: skip


@dataclass(slots=True)
class SearchHit:
    rank: int
    score: float
    doc_id: str
    source: str
    passage_id: str
    article_id: str | None
    section: str
    start: int
    end: int
    text: str
    kind: str
    province: str | None
    year: int | None
    doc_type: str | None
    title: str | None
    dense_score: float | None = None
    bm25_score: float | None = None
    # Identical passages of other documents (e.g. the same law under two ids), collapsed
    # into this hit so they do not crowd the result list.
    duplicates: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__slots__}
        for key in ("score", "dense_score", "bm25_score"):
            if out[key] is not None:
                out[key] = round(float(out[key]), 6)
        return out


def collapse_hits(
    records: Sequence[dict[str, Any]],
    rows: np.ndarray,
    scores: np.ndarray,
    dense_scores: ScoresByRow | None,
    bm25_scores: ScoresByRow | None,
    offset: int,
    k: int,
) -> list[SearchHit]:
    """Collapse identical passages (first ranked wins), then cut [offset, offset+k).

    ``dense_scores``/``bm25_scores`` give each ranked row's score in that mode: an array
    over every row, or a mapping of the rows scored (large indexes score candidates only).
    """
    kept: list[tuple[int, float]] = []
    by_text: dict[str, int] = {}
    dupes: dict[int, list[dict[str, str]]] = {}
    for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
        rec = records[row]
        first = by_text.get(rec["text_key"])
        if first is not None:
            dupes.setdefault(first, []).append(
                {"doc_id": rec["doc_id"], "passage_id": rec["passage_id"]}
            )
            continue
        by_text[rec["text_key"]] = row
        kept.append((row, score))
    hits: list[SearchHit] = []
    for rank, (row, score) in enumerate(kept[offset : offset + k], start=offset + 1):
        r = records[row]
        hits.append(
            SearchHit(
                rank=rank,
                score=float(score),
                **{name: r[name] for name in HIT_FIELDS_FROM_RECORD},
                dense_score=None if dense_scores is None else float(dense_scores[row]),
                bm25_score=None if bm25_scores is None else float(bm25_scores[row]),
                duplicates=dupes.get(row, []),
            )
        )
    return hits
