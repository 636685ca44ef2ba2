"""``GET /search`` (passages, hybrid/dense/bm25) and ``GET /ask`` (answer with evidence).

The result shape is the CLI's (``cancu search --json``) so that scripts can switch
between the two; every hit carries its provenance (doc, passage, span). The workspace is
read from ``app.state`` and the filters are an async dependency: a sync dependency costs
each request a hop through a worker thread, which under load waits like the route does.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from ingest.model import PASSAGE_KINDS
from search_api.api.problems import Problem, problems
from search_api.api.routes.common import example_response
from search_api.retrieval import MODES, SearchFilters

router = APIRouter(tags=["search"])

HIT_EXAMPLE = {
    "rank": 1,
    "score": 0.83,
    "doc_id": "000_98390ce94a0dd2c3",
    "source": "corpus/plans/000_98390ce94a0dd2c3.txt",
    "passage_id": "5f2c0e8a1b7d4c33",
    "article_id": None,
    "section": "II > 1 > a)",
    "start": 2310,
    "end": 2480,
    "text": "Nâng cấp Trung tâm tích hợp dữ liệu tỉnh ...",
    "kind": "tasks",
    "province": "Tuyên Quang",
    "year": 2016,
    "doc_type": "Kế hoạch",
    "title": "Ứng dụng Công nghệ thông tin trong hoạt động của cơ quan Nhà nước",
}

Q = Annotated[
    str,
    Query(
        min_length=1,
        description="Query text (Vietnamese, with or without diacritics).",
        openapi_examples={
            "trung tâm dữ liệu": {"value": "trung tâm tích hợp dữ liệu"},
            "căn cứ": {"value": "Nghị định 64/2007/NĐ-CP"},
        },
    ),
]
Mode = Annotated[Literal[MODES], Query(description="Retrieval mode.")]  # type: ignore[valid-type]
Province = Annotated[
    str | None,
    Query(description="Province name.", openapi_examples={"tq": {"value": "Tuyên Quang"}}),
]
YearFrom = Annotated[int | None, Query(ge=1945, le=2100, description="Documents dated from year.")]
YearTo = Annotated[int | None, Query(ge=1945, le=2100, description="Documents dated up to year.")]
DocType = Annotated[
    str | None, Query(description="Document type.", openapi_examples={"kh": {"value": "Kế hoạch"}})
]
DocId = Annotated[str | None, Query(description="Only passages of this document.")]
SectionKind = Annotated[
    Literal[PASSAGE_KINDS] | None,  # type: ignore[valid-type]
    Query(description="Only passages of this kind (basis = legal basis, tasks, targets, ...)."),
]


async def search_filters(
    province: Province = None,
    year_from: YearFrom = None,
    year_to: YearTo = None,
    doc_type: DocType = None,
    doc_id: DocId = None,
    section_kind: SectionKind = None,
) -> SearchFilters | None:
    """The filter query parameters shared by /search and /ask, as SearchFilters (or None);
    contradictions raise InvalidFiltersError, a 422 problem (problems.py). Async because
    it only reads its arguments: FastAPI runs sync dependencies on worker threads."""

    given = (province, year_from, year_to, doc_type, doc_id, section_kind)
    if all(v is None for v in given):
        return None
    return SearchFilters(province=province, year_from=year_from, year_to=year_to,
                         doc_type=doc_type, doc_id=doc_id, section_kind=section_kind)  # fmt: skip


Filters = Annotated[SearchFilters | None, Depends(search_filters)]


def within_length(request: Request, text: str) -> str:
    """``text`` if it fits ``settings.max_query_chars`` (CANCU_MAX_QUERY_CHARS), else 422."""
    limit: int = request.app.state.settings.max_query_chars
    if len(text) > limit:
        raise Problem(
            422,
            "Invalid parameters",
            f"query.q: String should have at most {limit} characters",
            slug="invalid-parameters",
        )
    return text


@router.get(
    "/search",
    summary="Search passages",
    responses={
        200: example_response(
            {
                "query": "trung tâm tích hợp dữ liệu",
                "mode": "hybrid",
                "offset": 0,
                "k": 10,
                "results": [HIT_EXAMPLE],
            }
        ),
        **problems(409, 422),
    },
)
def search(
    request: Request,
    q: Q,
    k: Annotated[int, Query(ge=1, le=100, description="Hits per page.")] = 10,
    mode: Mode = "hybrid",
    filters: Filters = None,
    offset: Annotated[int, Query(ge=0, le=1000, description="Hits to skip (pagination).")] = 0,
) -> dict[str, Any]:
    """Passages ranked by meaning and words; each hit says where it comes from."""
    ws = request.app.state.workspace
    hits = ws.search(within_length(request, q), k=k, mode=mode, filters=filters, offset=offset)
    return {
        "query": q,
        "mode": mode,
        "offset": offset,
        "k": k,
        "results": [h.to_json() for h in hits],
    }


ASK_EXAMPLE = {
    "question": "Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?",
    "kind": "graph",
    "answer": "3 văn bản căn cứ 64/2007/NĐ-CP: 20/KH-UBND (Tuyên Quang), ...",
    "evidence": [
        {
            "doc_id": "000_98390ce94a0dd2c3",
            "passage_id": "9a1e3c0d2b4f5a67",
            "start": 402,
            "end": 560,
            "quote": "Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 ...",
            "highlight": {"start": 0, "end": 62},
        }
    ],
    "hits": [HIT_EXAMPLE],
}


@router.get(
    "/ask",
    summary="Answer a question",
    responses={200: example_response(ASK_EXAMPLE), **problems(409, 422)},
)
def ask(
    request: Request,
    q: Annotated[
        str,
        Query(
            min_length=1,
            description="A question in Vietnamese.",
            openapi_examples={
                "căn cứ": {"value": "Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?"},
                "chủ trì": {"value": "Cơ quan nào chủ trì xây dựng trung tâm dữ liệu?"},
            },
        ),
    ],
    k: Annotated[int, Query(ge=1, le=50, description="Passages to consider.")] = 5,
    mode: Mode = "hybrid",
    filters: Filters = None,
) -> dict[str, Any]:
    """From the graph where it knows the answer, else from the best passages, with evidence.
    Takes the same filters and modes as ``/search``."""
    ws = request.app.state.workspace
    return ws.ask(within_length(request, q), k=k, filters=filters, mode=mode).to_json()
