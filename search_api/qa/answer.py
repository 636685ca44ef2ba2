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

from search_api.qa.entity_answers import (
    agency_tasks_answer,
    lead_agency_answer,
    projects_answer,
    targets_answer,
)
from search_api.qa.evidence import Answer, DocumentReader, hit_evidence, one_line
from search_api.qa.graph_answers import (
    citations_of_answer,
    cited_by_answer,
    document_meta_answer,
    legal_document_answer,
)
from search_api.qa.parse import ParsedQuestion, parse_question
from search_api.qa.request_context import QuestionContext
from search_api.qa.search import search_passages
from search_api.qa.status_answers import cited_after_end_answer, legal_status_answer
from search_api.retrieval.tokenize import has_search_terms
from search_api.timing import stage

if TYPE_CHECKING:
    from search_api.qa.context import QAContext
    from search_api.retrieval.filters import SearchFilters
    from search_api.retrieval.index import SearchHit

GraphAnswerer = Callable[[str, ParsedQuestion, "QAContext", DocumentReader], "Answer | None"]
"""answerer(question, parsed, context, docs): an answer from the graph, or None."""

GRAPH_ANSWERERS: dict[str, GraphAnswerer] = {
    "cited_by": cited_by_answer,
    "citations_of": citations_of_answer,
    "legal_document": legal_document_answer,
    "agency_tasks": agency_tasks_answer,
    "projects": projects_answer,
    "targets": targets_answer,
    "document_meta": document_meta_answer,
    "legal_status": legal_status_answer,
    "cited_after_end": cited_after_end_answer,
}


def passage_answer(
    question: str,
    parsed: ParsedQuestion,
    context: QAContext,
    docs: DocumentReader,
    hits: list[SearchHit],
) -> Answer:
    """The factoid path: best passages, the answer is the top passage's best sentence."""
    if not hits:
        return Answer(
            question,
            "passages",
            "Không tìm thấy đoạn văn bản nào liên quan.",
            [],
            [],
            parsed.to_json(),
        )
    idf = context.term_idf()
    evidence = [hit_evidence(h, question, docs, idf) for h in hits]
    top = evidence[0]
    text = (top.highlight or {}).get("text") or top.quote
    return Answer(
        question,
        "passages",
        one_line(text),
        evidence,
        [h.to_json() for h in hits],
        parsed.to_json(),
    )


def answer(
    question: str,
    context: QAContext,
    k: int = 5,
    filters: SearchFilters | None = None,
    mode: str = "hybrid",
) -> Answer:
    """Answer ``question``: from the graph when its intent is one the graph answers and
    the graph has facts, else from the best passages. Hits are always included.

    ``filters`` and ``mode`` apply to the passage search; a province filter also scopes
    the graph answers when the question names no province itself.

    The answerers share one ``QuestionContext``: a search two of them need runs once."""
    with stage("answer"):
        return answer_in(question, QuestionContext(context), k, filters, mode)


def answer_in(
    question: str,
    context: QAContext,
    k: int,
    filters: SearchFilters | None,
    mode: str,
) -> Answer:
    """``answer`` within one question's context."""
    parsed = parse_question(question)
    if not has_search_terms(question):  # punctuation, control characters: nothing asked
        return passage_answer(
            question, parsed, context, docs=DocumentReader(context.document), hits=[]
        )
    if filters is not None and filters.province and not parsed.provinces:
        parsed.provinces = [filters.province]
    docs = DocumentReader(context.document)
    graph_answer: Answer | None = None
    if parsed.intent == "lead_agency":
        graph_answer = lead_agency_answer(question, parsed, context, k, docs)
    elif parsed.intent in GRAPH_ANSWERERS:
        graph_answer = GRAPH_ANSWERERS[parsed.intent](question, parsed, context, docs)
    if graph_answer is not None and graph_answer.hits:
        return graph_answer
    hits = search_passages(context, question, parsed, k, filters=filters, mode=mode)
    passages = passage_answer(question, parsed, context, docs, hits)
    if graph_answer is None:
        return passages
    # evidence stays the graph facts; hits let readers look further
    graph_answer.hits = passages.hits
    return graph_answer
