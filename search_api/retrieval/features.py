"""Ranking features of hybrid candidates: what the learned fusion (``fusion_model``) weighs.

Computed at question time from the candidate rows only (a few hundred at most), so the
cost is a few milliseconds. Every feature is scaled per question (normalised scores,
rank discounts, shares of IDF mass) so one set of weights fits every question:

- the two modes' signals: scores (min-max normalised over the candidates, and dense as a
  gap to the best candidate) and ranks (DCG discount ``1 / log2(1 + rank)``, 0 unranked);
- fields of their own, matched against the question's syllables with IDF weights from the
  index's own terms: the passage's heading ("Điều 32. Đối tượng bị áp dụng ...", label
  removed) and its document's title ("Luật Phòng, chống ma túy");
- the document the question names (law name, number, short form), the province it
  names and the year (inside the period a plan's title names), resolved by ``doc_boost``
  with extraction's resolvers;
- document support (share of the candidates from the row's document) and passage length;
- whether the question asks about a plan (a cue word: "kế hoạch", "tỉnh", "huyện", "địa
  phương") and the row is a plan's (``plan_asked``): a corpus that holds plans and the
  national texts they cite answers "theo luật nào?" from the plan, not from the law.

Per-row field terms are derived lazily and cached in the snapshot's ``derived`` dict.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from search_api.retrieval.doc_boost import DocumentTable
from search_api.retrieval.tokenize import syllables

if TYPE_CHECKING:
    from search_api.retrieval.idf import IdfFn
    from search_api.retrieval.snapshot import IndexSnapshot

FEATURES = (
    "dense_norm",
    "dense_gap",
    "dense_rank",
    "bm25_norm",
    "bm25_rank",
    "heading_query",
    "heading_cover",
    "title_cover",
    "named_doc",
    "named_province",
    "doc_support",
    "length",
    "named_period",
    "plan_asked",
)
"""Feature names, in the column order of ``candidate_features``."""

# Words that say a question is about a plan, its province or its local agencies ("trong
# kế hoạch này", "Cổng TTĐT của tỉnh", "các địa phương"): where the index also holds the
# national texts those plans cite, a plan's passage answers it rather than a law's.
_PLAN_CUE_RE = re.compile(r"(?<!\w)(?:kế hoạch|tỉnh|huyện|địa phương)(?!\w)", re.IGNORECASE)

# "Điều 32.", "Khoản 2", "II", "8", "b)": a heading's label carries no topic.
_LABEL = re.compile(
    r"^\s*(?:(?:điều|khoản|chương|mục|phần)\s+\S+?[.:]?\s+|[\divxlcIVXLC]+[.)]?\s+|[a-zđ]\)\s+)",
    re.IGNORECASE,
)
_LENGTH_SCALE = math.log(1 + 400)  # a 400-syllable passage has length 1.0


class CandidateScores(Protocol):
    """What features read of ``hybrid.Candidates`` (a protocol: hybrid imports this module)."""

    @property
    def rows(self) -> np.ndarray: ...
    @property
    def dense(self) -> np.ndarray: ...
    @property
    def bm25(self) -> np.ndarray: ...
    @property
    def dense_rank(self) -> np.ndarray: ...
    @property
    def bm25_rank(self) -> np.ndarray: ...
    @property
    def bm25_signal(self) -> bool: ...


def document_table(snap: IndexSnapshot) -> DocumentTable:
    """The snapshot's document identities (cached: derived from immutable records)."""
    table = snap.derived.get("document_table")
    if not isinstance(table, DocumentTable):
        table = DocumentTable.from_records(snap.records)
        snap.derived["document_table"] = table
    return table


def field_terms(text: str) -> frozenset[str]:
    """The syllables of a heading or title, its label ("Điều 32.") removed."""
    return frozenset(syllables(_LABEL.sub("", text or "")))


@dataclass(frozen=True, slots=True)
class RowFields:
    """A row's fields matched on their own: terms and IDF mass of heading and title."""

    heading: frozenset[str]
    heading_mass: float
    title: frozenset[str]
    title_mass: float
    length: float
    is_plan: bool


def _row_fields(snap: IndexSnapshot, row: int, idf: IdfFn | None) -> RowFields:
    """A row's ``RowFields``, cached per snapshot (its records and IDF never change)."""
    cache: dict[int, RowFields] = snap.derived.setdefault("row_fields", {})
    got = cache.get(row)
    if got is None:
        rec: dict[str, Any] = snap.records[row]
        heading = field_terms(str(rec.get("heading") or ""))
        title = field_terms(str(rec.get("title") or rec["doc_id"]))
        n = len(syllables(rec["text"]))
        got = RowFields(
            heading,
            math.fsum(idf(t) for t in heading) if idf else 0.0,
            title,
            math.fsum(idf(t) for t in title) if idf else 0.0,
            min(math.log(1 + n) / _LENGTH_SCALE, 2.0),
            rec.get("doc_kind") == "plan",
        )
        cache[row] = got
    return got


def rank_discount(ranks: np.ndarray) -> np.ndarray:
    """1 / log2(1 + rank) for ranked rows (1.0 at rank 1), 0 for unranked ones."""
    out = np.zeros(ranks.size, dtype=np.float64)
    ranked = ranks > 0
    out[ranked] = 1.0 / np.log2(1.0 + ranks[ranked])
    return out


def _minmax(values: np.ndarray) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi - lo > 1e-12 else np.zeros(values.size)


def candidate_features(snap: IndexSnapshot, query: str, cands: CandidateScores) -> np.ndarray:
    """One row per candidate (``cands.rows`` order), one column per name in ``FEATURES``."""
    n = cands.rows.size
    out = np.zeros((n, len(FEATURES)), dtype=np.float64)
    if n == 0:
        return out
    dense = cands.dense.astype(np.float64)
    bm25 = cands.bm25.astype(np.float64)
    out[:, 0] = _minmax(dense)
    out[:, 1] = dense - dense.max()
    out[:, 2] = rank_discount(cands.dense_rank)
    if cands.bm25_signal:
        out[:, 3] = _minmax(bm25)
        out[:, 4] = rank_discount(cands.bm25_rank)
    idf = snap.term_idf()
    # The question's terms weighed once; a row's field masses are cached with the row.
    # Sums are exact (fsum): set order varies with the hash seed, and a share of a
    # field's own mass must not round past 1.0 in one order and not in another.
    query_idf = {t: idf(t) for t in syllables(query)} if idf else {}
    query_mass = math.fsum(query_idf.values())
    table = document_table(snap)
    doc_of = table.row_doc[cands.rows]
    _, inverse, counts = np.unique(doc_of, return_inverse=True, return_counts=True)
    out[:, 8] = table.named_documents(query)[doc_of]
    out[:, 9] = table.named_provinces(query)[doc_of]
    out[:, 10] = counts[inverse] / n
    out[:, 12] = table.named_periods(query)[doc_of]
    asks_plan = _PLAN_CUE_RE.search(query) is not None
    for i, row in enumerate(cands.rows.tolist()):
        f = _row_fields(snap, row, idf)
        out[i, 11] = f.length
        out[i, 13] = 1.0 if asks_plan and f.is_plan else 0.0
        if not query_mass:
            continue
        in_heading = math.fsum(query_idf[t] for t in f.heading.intersection(query_idf))
        out[i, 5] = in_heading / query_mass
        out[i, 6] = in_heading / f.heading_mass if f.heading_mass else 0.0
        if f.title_mass:
            out[i, 7] = (
                math.fsum(query_idf[t] for t in f.title.intersection(query_idf)) / f.title_mass
            )
    return out
