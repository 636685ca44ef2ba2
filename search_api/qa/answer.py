"""Answer a Vietnamese question from the graph when it knows, else from passages.

Why two paths: "Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?" has an exact answer in the
citation graph, with the quote and span of every mention; "Hạn chót để Văn phòng UBND
tỉnh X hoàn tất ... là khi nào?" is answered by one sentence of one plan, found by hybrid
search and highlighted. Every answer carries evidence (document, passage, span, quote),
and the search hits are always returned too, so a reader can check beyond the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from search_api.qa.evidence import (
    _DOC_ID_CACHE,
    _IDF_CACHE,
    MAX_EVIDENCE,
    MAX_LISTED,
    Answer,
    Evidence,
    _doc_id_of,
    _Docs,
    _fact_mentions,
    _one_line,
    _passage_evidence,
    header_evidence,
    hit_evidence,
    index_idf,
    mention_evidence,
    question_filters,
    record_evidence,
    search,
    sentence_around,
)
from search_api.qa.graph_answers import (
    _GENITIVE_RE,
    _doc_info_of,
    _doc_label,
    _in_scope,
    _iso_to_vn,
    _listing,
    _overlaps,
    _period_years,
    _subject_docs,
    agency_tasks_answer,
    citations_of_answer,
    cited_by_answer,
    document_meta_answer,
    lead_agency_answer,
    legal_document_answer,
    meta_in_scope,
    named_leads,
    projects_answer,
    recorded_leads,
    resolve_numbers,
    targets_answer,
)
from search_api.qa.parse import ParsedQuestion, parse_question

if TYPE_CHECKING:
    from search_api.retrieval.filters import SearchFilters
    from search_api.retrieval.index import SearchHit
    from search_api.workspace import Workspace

# Names kept importable from ``search_api.qa.answer`` (they lived here before the split).
__all__ = [
    "MAX_EVIDENCE",
    "MAX_LISTED",
    "_DOC_ID_CACHE",
    "_GENITIVE_RE",
    "_IDF_CACHE",
    "Answer",
    "Evidence",
    "GraphHandler",
    "_Docs",
    "_doc_id_of",
    "_doc_info_of",
    "_doc_label",
    "_fact_mentions",
    "_in_scope",
    "_iso_to_vn",
    "_listing",
    "_one_line",
    "_overlaps",
    "_passage_evidence",
    "_period_years",
    "_subject_docs",
    "agency_tasks_answer",
    "answer",
    "cited_by_answer",
    "citations_of_answer",
    "document_meta_answer",
    "header_evidence",
    "hit_evidence",
    "index_idf",
    "lead_agency_answer",
    "legal_document_answer",
    "mention_evidence",
    "meta_in_scope",
    "named_leads",
    "passage_answer",
    "projects_answer",
    "question_filters",
    "record_evidence",
    "recorded_leads",
    "resolve_numbers",
    "search",
    "sentence_around",
    "targets_answer",
]

# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


def passage_answer(
    question: str,
    parsed: ParsedQuestion,
    workspace: Workspace,
    k: int,
    docs: _Docs,
    hits: list[SearchHit] | None = None,
) -> Answer:
    """The factoid path: best passages, the answer is the top passage's best sentence."""
    hits = hits if hits is not None else search(workspace, question, parsed, k)
    if not hits:
        return Answer(
            question,
            "passages",
            "Không tìm thấy đoạn văn bản nào liên quan.",
            [],
            [],
            parsed.to_json(),
        )
    idf = index_idf(workspace)
    evidence = [hit_evidence(h, question, docs, idf) for h in hits]
    top = evidence[0]
    text = (top.highlight or {}).get("text") or top.quote
    return Answer(
        question,
        "passages",
        _one_line(text),
        evidence,
        [h.to_json() for h in hits],
        parsed.to_json(),
    )


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------

GraphHandler = Callable[[str, ParsedQuestion, "Workspace", "_Docs"], "Answer | None"]
_GRAPH_HANDLERS: dict[str, GraphHandler] = {
    "cited_by": cited_by_answer,
    "citations_of": citations_of_answer,
    "legal_document": legal_document_answer,
    "agency_tasks": agency_tasks_answer,
    "projects": projects_answer,
    "targets": targets_answer,
    "document_meta": document_meta_answer,
}


def answer(
    question: str,
    workspace: Workspace,
    k: int = 5,
    filters: SearchFilters | None = None,
    mode: str = "hybrid",
) -> Answer:
    """Answer ``question``: from the graph when its intent is one the graph answers and
    the graph has facts, else from the best passages. Hits are always included.

    ``filters`` and ``mode`` apply to the passage search; a province filter also scopes
    the graph answers when the question names no province itself."""
    parsed = parse_question(question)
    if filters is not None and filters.province and not parsed.provinces:
        parsed.provinces = [filters.province]
    docs = _Docs(workspace)
    graph_answer: Answer | None = None
    if parsed.intent == "lead_agency":
        graph_answer = lead_agency_answer(question, parsed, workspace, k, docs)
    elif parsed.intent in _GRAPH_HANDLERS:
        graph_answer = _GRAPH_HANDLERS[parsed.intent](question, parsed, workspace, docs)
    if graph_answer is not None and graph_answer.hits:
        return graph_answer
    hits = search(workspace, question, parsed, k, filters=filters, mode=mode)
    passages = passage_answer(question, parsed, workspace, k, docs, hits)
    if graph_answer is None:
        return passages
    graph_answer.hits = (
        passages.hits
    )  # evidence stays the graph facts; hits let readers look further
    return graph_answer
