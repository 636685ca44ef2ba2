"""Which documents a question is about: its province, its years, the numbers it names."""

from __future__ import annotations

import re
from typing import Any

from graph import queries
from graph.store import GraphStore
from ingest.lang.numbers import DocRef, ref_matches
from search_api.qa.parse import ParsedQuestion


def in_scope(info: dict[str, Any], parsed: ParsedQuestion) -> bool:
    """Whether a document matches the province and years the question names."""
    if parsed.provinces and info.get("province") and info["province"] not in parsed.provinces:
        return False
    year = int(str(info["date"])[:4]) if info.get("date") else None
    if year is not None and parsed.year_from and year < parsed.year_from:
        return False
    return not (year is not None and parsed.year_to and year > parsed.year_to)


def period_years(period: str | None) -> tuple[int, int] | None:
    """First and last year written in a period ("2016-2020", "năm 2019")."""
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", period or "")]
    return (min(years), max(years)) if years else None


def header_in_scope(header: dict[str, Any], parsed: ParsedQuestion) -> bool:
    """A plan's header matches the question's years through its period or date."""
    if parsed.year_from is None and parsed.year_to is None:
        return True
    lo, hi = parsed.year_from or 0, parsed.year_to or 9999
    span = period_years(header.get("period")) or period_years(header.get("date"))
    return span is not None and span[0] <= hi and lo <= span[1]


def resolve_numbers(store: GraphStore, ref: DocRef) -> list[str]:
    """Canonical numbers in the graph that a (possibly short) reference names."""
    if ref.number:
        return [ref.number]
    cited = queries.most_cited(store, limit=100000)
    return [c["number"] for c in cited if c.get("number") and ref_matches(ref, c["number"])]


def subject_docs(store: GraphStore, parsed: ParsedQuestion) -> list[str]:
    """The documents a "what does ... cite" question is about: a number, or province + years."""
    ids: list[str] = []
    for ref in parsed.doc_refs:
        if ref.number:
            ids += [
                d["doc_id"]
                for d in queries.documents(store)
                if d.get("number") and ref_matches(ref, d["number"])
            ]
    if ids or not parsed.provinces:
        return sorted(set(ids))
    for province in parsed.provinces:
        ids += [
            d["doc_id"] for d in queries.documents(store, province=province) if in_scope(d, parsed)
        ]
    return sorted(set(ids))
