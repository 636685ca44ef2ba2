"""Passage search for a question: the question's province as a filter, relaxed when too
few passages match."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from search_api.qa.parse import ParsedQuestion
from search_api.retrieval.filters import SearchFilters

if TYPE_CHECKING:
    from search_api.qa.context import QAContext
    from search_api.retrieval.index import SearchHit


def question_filters(parsed: ParsedQuestion, **extra: Any) -> SearchFilters | None:
    """Search filters from the question: only the province (a year in a question is
    usually the plan's period, not its date of issue, so it is not a filter)."""
    province = parsed.provinces[0] if len(parsed.provinces) == 1 else None
    if province is None and not extra:
        return None
    return SearchFilters(province=province, **extra)


def search_passages(
    context: QAContext,
    query: str,
    parsed: ParsedQuestion,
    k: int,
    *,
    filters: SearchFilters | None = None,
    mode: str = "hybrid",
    **extra: Any,
) -> list[SearchHit]:
    """Search with the question's filters merged into the caller's (the caller's win),
    topped up without the question's province when too few passages match."""
    asked = question_filters(parsed, **extra)
    merged = asked
    if filters is not None:
        merged = replace(filters, province=filters.province or (asked.province if asked else None))
    hits = list(context.search(query, k=k, mode=mode, filters=merged))
    if (
        len(hits) < k
        and asked is not None
        and asked.province
        and not (filters and filters.province)
    ):
        seen = {h.passage_id for h in hits}
        relaxed = filters or question_filters(ParsedQuestion(parsed.text), **extra)
        more = context.search(query, k=k, mode=mode, filters=relaxed)
        hits += [h for h in more if h.passage_id not in seen][: k - len(hits)]
    return hits
