"""Ingested documents: list, one document (JSON or JSON-LD), its passages, one passage.

The JSON view comes from the document store (the ``cancu extract --json`` shape, with
spans); the JSON-LD / Turtle views are the document's own named graph from the RDF
store, so both views of a document are always the facts that were ingested.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from graph.errors import DocumentNotFoundError
from ingest.lang.legal_status import check_basis
from search_api.api.problems import problems
from search_api.api.routes.common import PageDep, WorkspaceDep, example_response
from search_api.workspace import Workspace

router = APIRouter(tags=["documents"])

SUMMARY_EXAMPLE = {
    "id": "000_98390ce94a0dd2c3",
    "source": "corpus/plans/000_98390ce94a0dd2c3.txt",
    "kind": "plan",
    "doc_type": "Kế hoạch",
    "number": "20/KH-UBND",
    "date": "2016-03-01",
    "year": 2016,
    "province": "Tuyên Quang",
    "issuer": "UBND tỉnh Tuyên Quang",
    "title": "Ứng dụng Công nghệ thông tin trong hoạt động của cơ quan Nhà nước tỉnh Tuyên Quang giai đoạn 2016 - 2020",
    "uri": "https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20",
    "passages": 84,
    "citations": 17,
}
PASSAGE_EXAMPLE = {
    "id": "9a1e3c0d2b4f5a67",
    "doc_id": "000_98390ce94a0dd2c3",
    "text": "Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ ...",
    "start": 402,
    "end": 560,
    "kind": "basis",
    "section": "Căn cứ",
    "section_id": None,
    "article_id": None,
    "table_id": None,
    "row_index": None,
}
DocIdPath = Annotated[str, "document id (file stem, or a law id that may contain slashes)"]


def _summary_key(value: Any) -> str:
    return str(value or "").casefold()


@router.get(
    "/documents",
    summary="List documents",
    responses={
        200: example_response({"total": 1, "offset": 0, "limit": 50, "items": [SUMMARY_EXAMPLE]}),
        **problems(422),
    },
)
def list_documents(
    ws: WorkspaceDep,
    page: PageDep,
    province: Annotated[
        str | None, Query(openapi_examples={"tq": {"value": "Tuyên Quang"}})
    ] = None,
    year: Annotated[
        int | None, Query(ge=1945, le=2100, openapi_examples={"2016": {"value": 2016}})
    ] = None,
    doc_type: Annotated[str | None, Query(openapi_examples={"kh": {"value": "Kế hoạch"}})] = None,
    kind: Annotated[str | None, Query(description="plan | legal")] = None,
) -> dict[str, Any]:
    """Ingested documents (summaries) filtered by province, year and type; paginated."""
    items = ws.docs.list()
    if province:
        items = [d for d in items if _summary_key(d.get("province")) == province.casefold()]
    if year:
        items = [d for d in items if d.get("year") == year]
    if doc_type:
        items = [d for d in items if _summary_key(d.get("doc_type")) == doc_type.casefold()]
    if kind:
        items = [d for d in items if d.get("kind") == kind]
    return page.of([{k: v for k, v in d.items() if k != "content_hash"} for d in items])


def _stored(ws: Workspace, doc_id: str) -> Any:
    stored = ws.docs.get(doc_id)
    if stored is None:
        raise DocumentNotFoundError(f"no document '{doc_id}'")
    return stored


def _passage_json(p: Any) -> dict[str, Any]:
    return asdict(p)


@router.get(
    "/documents/{doc_id:path}/passages",
    summary="A document's passages",
    responses={
        200: example_response({"total": 1, "offset": 0, "limit": 50, "items": [PASSAGE_EXAMPLE]}),
        **problems(404),
    },
)
def document_passages(
    ws: WorkspaceDep,
    doc_id: str,
    page: PageDep,
    kind: Annotated[
        str | None, Query(description="Only passages of this kind (basis, tasks, table_row, ...).")
    ] = None,
) -> dict[str, Any]:
    """Passages in reading order, with their spans into the document text."""
    doc = _stored(ws, doc_id).document
    passages = [p for p in doc.passages if kind is None or p.kind == kind]
    return page.of([_passage_json(p) for p in sorted(passages, key=lambda p: (p.start, p.end))])


DOC_EXAMPLE = {
    "id": "000_98390ce94a0dd2c3",
    "summary": SUMMARY_EXAMPLE,
    "document": {
        "doc_type": "Kế hoạch",
        "number": "20/KH-UBND",
        "date": "2016-03-01",
        "province": "Tuyên Quang",
        "uri": "https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20",
    },
    "citations": [
        {
            "number": "64/2007/NĐ-CP",
            "doc_type": "Nghị định",
            "date": "2007-04-10",
            "in_basis": True,
            "uri": "https://cancu.vn/eli/vn/cp/2007/nd/64",
            "mentions": [
                {
                    "start": 402,
                    "end": 427,
                    "text": "Nghị định số 64/2007/NĐ-CP",
                    "passage_id": "9a1e3c0d2b4f5a67",
                }
            ],
        }
    ],
    "agencies": [
        {
            "name": "Sở Thông tin và Truyền thông",
            "level": "tỉnh",
            "roles": [{"role": "lead", "task": "..."}],
        }
    ],
    "projects": [
        {"name": "Nâng cấp Trung tâm tích hợp dữ liệu tỉnh", "budget_vnd_million": 3000.0}
    ],
    "targets": [{"indicator": "dịch vụ công đạt mức độ 3", "value": 50.0, "unit": "%"}],
    "basis_status": {
        "document": "000_98390ce94a0dd2c3",
        "date": "2016-03-01",
        "date_source": "document",
        "basis": [
            {
                "number": "64/2007/NĐ-CP",
                "title": "về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước",
                "status": "in_force",
                "since": "2007-05-18",
                "replaced_by": [],
                "source": ["corpus/national/cong-nghe-thong-tin.md"],
            },
            {
                "number": "97/2008/NĐ-CP",
                "title": "về quản lý, cung cấp, sử dụng dịch vụ Internet ...",
                "status": "not_in_force",
                "since": "2013-09-01",
                "replaced_by": ["72/2013/NĐ-CP"],
                "source": ["corpus/national/cong-nghe-thong-tin.md"],
            },
        ],
    },
}
RDF_TYPES = {
    "application/ld+json": "jsonld",
    "text/turtle": "turtle",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


def _wanted_rdf(accept: str) -> str | None:
    """The RDF media type the client asked for first, if it asked for one over JSON."""
    for part in accept.split(","):
        media = part.split(";")[0].strip().lower()
        if media in RDF_TYPES:
            return media
        if media in ("application/json", "*/*", "text/html"):
            return None
    return None


@router.get(
    "/documents/{doc_id:path}",
    summary="One document",
    responses={
        200: {
            "description": "The document: metadata, citations, agencies, projects, targets (JSON), "
            "or its named graph with Accept: application/ld+json or text/turtle.",
            "content": {
                "application/json": {"example": DOC_EXAMPLE},
                "application/ld+json": {
                    "example": [
                        {
                            "@id": "https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20",
                            "http://data.europa.eu/eli/ontology#id_local": [
                                {"@value": "20/KH-UBND"}
                            ],
                        }
                    ]
                },
            },
        },
        **problems(404),
    },
)
def get_document(ws: WorkspaceDep, doc_id: str, request: Request) -> Any:
    """Everything extracted from one document, each fact with its spans."""
    stored = _stored(ws, doc_id)
    media = _wanted_rdf(request.headers.get("accept", ""))
    if media:
        data = ws.graph.export(RDF_TYPES[media], doc_id=stored.document.id)  # type: ignore[arg-type]
        return Response(data, media_type=media, headers={"Vary": "Accept"})
    ex = stored.extraction
    doc = stored.document
    summary = next((d for d in ws.docs.list() if d["id"] == doc.id), {})
    return {
        "id": doc.id,
        "summary": {k: v for k, v in summary.items() if k != "content_hash"},
        "document": ex.get("document", {}),
        "citations": ex.get("citations", []),
        "agencies": ex.get("agencies", []),
        "projects": ex.get("projects", []),
        "targets": ex.get("targets", []),
        "budget_checks": ex.get("budget_checks", []),
        # Each legal-basis item on the document's date, from the home's status tables.
        "basis_status": check_basis(ex, ws.status_table()),
        "extra": doc.extra,
        "sections": [
            {
                "id": s.id,
                "label": s.label,
                "title": s.title,
                "kind": s.kind,
                "role": s.role,
                "start": s.start,
                "end": s.end,
                "level": s.level,
            }
            for s in doc.sections
        ],
        "passage_count": len(doc.passages),
    }


@router.get(
    "/passages/{passage_id}",
    summary="One passage",
    responses={
        200: example_response({**PASSAGE_EXAMPLE, "document": SUMMARY_EXAMPLE}),
        **problems(404),
    },
)
def get_passage(ws: WorkspaceDep, passage_id: str) -> dict[str, Any]:
    """A passage with its span and the document it belongs to."""
    found = ws.docs.passage(passage_id)
    if found is None:
        raise DocumentNotFoundError(f"no passage '{passage_id}'")
    passage, doc_id = found
    summary = next((d for d in ws.docs.list() if d["id"] == doc_id), {"id": doc_id})
    return {
        **_passage_json(passage),
        "document": {k: v for k, v in summary.items() if k != "content_hash"},
    }
