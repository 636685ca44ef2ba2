"""Document-aware ranking features: the question names a law, a document or a province.

"Theo Luật Du lịch, ...", "Bộ luật Dân sự", "Nghị định 64/2007/NĐ-CP", "kế hoạch của Bắc
Giang": the passages of the document named get a score *feature* added to the fused
score (never a filter), so a wrong resolution costs a few places, never the answer.

Questions are read with the resolvers extraction uses: ``find_law_mentions`` with a
name table made of the index's own law titles plus the shipped national table (so the
longest known name wins: "Luật Xử lý vi phạm hành chính" is not cut to an indexed "Luật
Xử lý"), ``find_doc_refs``/``ref_matches`` for numbers and short forms, and the closed
province list. Documents are identified from their records (title, doc id, province).
The learned fusion reads the same resolutions as features (``features``: ``named_doc``,
``named_province``, and ``named_period``: the overlap of the years a question names
with the period a plan's title names) with weights learned from data; the hand-set boosts
here stay for the convex and RRF fusions (off by default).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ingest.extract.law_mentions import find_law_mentions
from ingest.lang.folding import fold_key
from ingest.lang.law_names import LawEntry, LawNameTable, name_key
from ingest.lang.numbers import find_doc_refs, find_numbers, ref_matches
from ingest.lang.provinces import match_province

# Kind words a law title starts with (folded), and the kind they mean.
_LAW_KINDS = (("bo luat ", "Bộ luật"), ("luat ", "Luật"), ("phap lenh ", "Pháp lệnh"))
_TRAILING_YEAR_RE = re.compile(r"\s+(?:năm\s+)?((?:19|20)\d\d)$")
_MAX_PROVINCE_WORDS = 4  # "Bà Rịa - Vũng Tàu" folds to four words
FEATURES = ("law", "province")
# A year a title or question names: "năm 2017", "giai đoạn 2016 - 2020", "CNTT 2017"; not
# the year of a date ("14/10/2015") nor a piece of a document number ("64/2007/NĐ-CP").
_YEAR_RE = re.compile(r"(?<![\w/.-])((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?(?![\w/.-])")
_MAX_PERIOD_YEARS = 30


@dataclass(frozen=True, slots=True)
class DocIdentity:
    """What a question may name a document by."""

    doc_id: str
    law_kind: str | None  # "Luật" | "Bộ luật" | "Pháp lệnh" | "Hiến pháp"
    law_key: str | None  # ``name_key`` of its name: "du lich"
    law_year: str | None
    numbers: frozenset[str]
    province: str | None
    period: frozenset[int] = frozenset()  # years of its period (record or title), expanded


def law_identity(title: str) -> tuple[str | None, str | None, str | None]:
    """(kind, name key, year) of a law title ("Luật Du lịch 2017"), Nones otherwise."""
    text = " ".join(title.split())
    m = _TRAILING_YEAR_RE.search(text)
    year = m.group(1) if m else None
    name = text[: m.start()] if m else text
    folded = fold_key(name)
    if folded == "hien phap":
        return "Hiến pháp", "hien phap", year
    for prefix, kind in _LAW_KINDS:
        if folded.startswith(prefix):
            return kind, name_key(name), year
    return None, None, None


def identity_of(record: dict[str, Any]) -> DocIdentity:
    title = str(record.get("title") or record["doc_id"])
    kind, key, year = law_identity(title)
    if key is None:
        kind, key, year = law_identity(str(record["doc_id"]))
    text = f"{title} {record['doc_id']}"
    numbers = frozenset(
        [n.number for n in find_numbers(text) if n.groups >= 2] + list(record.get("numbers") or ())
    )
    # The plan's period as extraction read it, when the record carries it, and the years
    # its title names; a law's year is its version, not a period.
    period = frozenset(() if kind else named_years(f"{record.get('period') or ''} {title}"))
    return DocIdentity(
        str(record["doc_id"]), kind, key, year, numbers, record.get("province"), period
    )


def named_years(text: str) -> set[int]:
    """The years ``text`` names, a range ("2016 - 2020") as every year in it."""
    years: set[int] = set()
    for m in _YEAR_RE.finditer(text):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        if first <= last <= first + _MAX_PERIOD_YEARS:
            years.update(range(first, last + 1))
        else:
            years.update((first, last))
    return years


def query_provinces(query: str) -> set[str]:
    """Provinces named anywhere in ``query`` (accent-insensitive, whole words)."""
    words = re.sub(r"[^a-z0-9]+", " ", fold_key(query)).split()
    found: set[str] = set()
    for i in range(len(words)):
        hit = match_province(" ".join(words[i : i + _MAX_PROVINCE_WORDS]))
        if hit:
            found.add(hit)
    return found


@dataclass(frozen=True, slots=True)
class DocumentTable:
    """The identities of an index's documents, with each row's document."""

    identities: tuple[DocIdentity, ...]
    row_doc: np.ndarray  # row -> index into ``identities``
    names: LawNameTable

    @classmethod
    def from_records(cls, records: Sequence[dict[str, Any]]) -> DocumentTable:
        position: dict[str, int] = {}
        identities: list[DocIdentity] = []
        row_doc = np.zeros(len(records), dtype=np.int64)
        for row, record in enumerate(records):
            doc_id = str(record["doc_id"])
            if doc_id not in position:
                position[doc_id] = len(identities)
                identities.append(identity_of(record))
            row_doc[row] = position[doc_id]
        own = [
            LawEntry(f"index:{d.doc_id}", d.law_kind, d.law_key, None, d.law_year)
            for d in identities
            if d.law_kind and d.law_key and d.law_kind != "Hiến pháp"
        ]
        names = LawNameTable(LawNameTable.default().entries + own)
        return cls(tuple(identities), row_doc, names)

    def named_documents(self, query: str) -> np.ndarray:
        """Per document: 1.0 when ``query`` names it by law name, number or short form."""
        hit = np.zeros(len(self.identities), dtype=np.float32)
        mentions = find_law_mentions(query, self.names, [], None)
        refs = find_doc_refs(query)
        constitution = "hien phap" in fold_key(query)
        for i, d in enumerate(self.identities):
            for m in mentions:
                year = m.year or (m.date[:4] if m.date else None)
                if d.law_key == name_key(m.name) and not (
                    year and d.law_year and year != d.law_year
                ):
                    hit[i] = 1.0
                if m.number and m.number in d.numbers:
                    hit[i] = 1.0
            if any(ref_matches(r, n) for r in refs for n in d.numbers):
                hit[i] = 1.0
            if constitution and d.law_kind == "Hiến pháp":
                hit[i] = 1.0
        return hit

    def named_provinces(self, query: str) -> np.ndarray:
        """Per document: 1.0 when ``query`` names its province."""
        provinces = query_provinces(query)
        return np.array(
            [1.0 if d.province in provinces else 0.0 for d in self.identities], dtype=np.float32
        )

    def named_periods(self, query: str) -> np.ndarray:
        """Per document: how precisely the years ``query`` names match its period, as
        the overlap of the two sets of years (shared / either): 1.0 for "năm 2017" and a
        plan for 2017, or "giai đoạn 2016-2020" and a plan for 2016-2020; 1/5 for a year
        inside a five-year plan (one of several plans a year in it may mean), and 1/5 the
        other way round (a one-year plan inside the period asked for); 0 when disjoint."""
        years = named_years(query)
        out = np.zeros(len(self.identities), dtype=np.float32)
        if not years:
            return out
        for i, d in enumerate(self.identities):
            shared = len(years & d.period)
            if shared:
                out[i] = shared / len(years | d.period)
        return out

    def row_feature(self, query: str, feature: str) -> np.ndarray:
        """A feature's value for every row (the value of the row's document)."""
        per_doc = self.named_documents(query) if feature == "law" else self.named_provinces(query)
        return per_doc[self.row_doc] if per_doc.any() else np.zeros(len(self.row_doc), np.float32)


def add_features(
    rows: np.ndarray, scores: np.ndarray, features: Sequence[tuple[np.ndarray, float]]
) -> tuple[np.ndarray, np.ndarray]:
    """``scores`` + sum of weight * feature[row], re-sorted best first (ties: row order)."""
    boosted = scores.astype(np.float32)
    for values, weight in features:
        if weight:
            boosted = boosted + np.float32(weight) * values[rows]
    order = np.lexsort((rows, -boosted))
    return rows[order], boosted[order].astype(np.float32)
