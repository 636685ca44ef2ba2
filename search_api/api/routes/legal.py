"""Legal documents by number: ``GET /legal/{number}``, ``/legal/{number}/cited-by``, and
``GET /conflicts``.

Numbers contain slashes ("64/2007/NĐ-CP"), so one number is accepted in three spellings:
URL-encoded (``64%2F2007%2FN%C4%90-CP``) or raw slashes (both arrive as a path), a slug
("64-2007-nd-cp") or the ELI path of its URI ("cp/2007/nd/64"). The slug and ELI forms
are resolved (``graph.queries.resolve_number``) against the numbers the graph actually
holds, so they never guess; ``cancu cites`` resolves the same way.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from graph import queries
from graph.errors import DocumentNotFoundError
from graph.store import GraphStore
from search_api.api.problems import problems
from search_api.api.routes.common import PageDep, StoreDep, example_response

router = APIRouter(tags=["legal documents"])

LEGAL_EXAMPLE = {
    "number": "64/2007/NĐ-CP",
    "uris": ["https://cancu.vn/eli/vn/cp/2007/nd/64"],
    "titles": ["về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước"],
    "dates": ["2007-04-10"],
    "doc_types": ["Nghị định"],
    "cited_by": ["https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20"],
    "articles": [],
    "date_conflicts": {
        "2007-04-10": ["https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20"],
        "2007-04-11": ["https://cancu.vn/eli/vn/an-giang/ubnd/2018/kh/45"],
    },
    "type_conflicts": {},
    "stated_status": [],
    "status": {
        "number": "97/2008/NĐ-CP",
        "uris": ["https://cancu.vn/eli/vn/cp/2008/nd/97"],
        "in_force": "not_in_force",
        "since": "2013-09-01",
        "in_force_from": None,
        "until": "2013-09-01",
        "checked_on": None,
        "issued": "2008-08-28",
        "sources": ["corpus/national/cong-nghe-thong-tin.md"],
        "replaced_by": [
            {
                "uri": "https://cancu.vn/eli/vn/cp/2013/nd/72",
                "number": "72/2013/NĐ-CP",
                "issued": None,
                "in_force_from": "2013-09-01",
                "sources": ["corpus/national/cong-nghe-thong-tin.md"],
            }
        ],
        "replaces": [],
        "amended_by": [],
        "amends": [],
        "cited_after_end": [
            {
                "cited": "https://cancu.vn/eli/vn/cp/2008/nd/97",
                "cited_number": "97/2008/NĐ-CP",
                "plan": "https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20",
                "doc_id": "000_98390ce94a0dd2c3",
                "plan_number": "20/KH-UBND",
                "plan_date": "2016-03-01",
                "in_basis": True,
                "ended_on": "2013-09-01",
                "replaced_by": ["72/2013/NĐ-CP"],
                "sources": ["corpus/national/cong-nghe-thong-tin.md"],
            }
        ],
        "timeline": [
            {
                "date": "2008-08-28",
                "event": "issued",
                "sources": ["corpus/national/cong-nghe-thong-tin.md"],
            },
            {
                "date": "2013-09-01",
                "event": "replaced_by",
                "number": "72/2013/NĐ-CP",
                "sources": ["corpus/national/cong-nghe-thong-tin.md"],
            },
            {
                "date": "2013-09-01",
                "event": "not_in_force",
                "sources": ["corpus/national/cong-nghe-thong-tin.md"],
            },
            {
                "date": "2016-03-01",
                "event": "cited",
                "number": "20/KH-UBND",
                "doc_id": "000_98390ce94a0dd2c3",
                "plan": "https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20",
                "in_basis": True,
                "after_end": True,
            },
        ],
    },
}
CITED_BY_EXAMPLE = {
    "number": "64/2007/NĐ-CP",
    "total": 1,
    "items": [
        {
            "citing": "https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20",
            "doc_id": "000_98390ce94a0dd2c3",
            "in_basis": True,
            "stated_date": "2007-04-10",
            "quote": "Nghị định số 64/2007/NĐ-CP",
            "passage_id": "9a1e3c0d2b4f5a67",
            "start": 402,
            "end": 427,
            "citing_document": {
                "number": "20/KH-UBND",
                "province": "Tuyên Quang",
                "title": "Ứng dụng CNTT ...",
            },
        }
    ],
}
NUMBER_DOC = "A number: `64/2007/NĐ-CP` (raw or %2F-encoded), `64-2007-nd-cp` or `cp/2007/nd/64`."


def resolve_number(store: GraphStore, raw: str) -> tuple[str, dict[str, Any]]:
    """The canonical number and its ``legal_document`` record, or DocumentNotFoundError.
    The typed spelling is resolved by ``graph.queries.resolve_number`` (as ``cancu cites``)."""
    for number in queries.resolve_number(store, raw.strip().strip("/")):
        record = queries.legal_document(store, number)
        if record:
            return number, record
    raise DocumentNotFoundError(f"no legal document with number '{raw}' in the graph")


@router.get(
    "/legal/{number:path}/cited-by",
    summary="Plans citing a legal document",
    description=NUMBER_DOC,
    responses={
        200: example_response({**CITED_BY_EXAMPLE, "offset": 0, "limit": 50}),
        **problems(404),
    },
)
def cited_by(store: StoreDep, number: str, page: PageDep) -> dict[str, Any]:
    """Every document that cites it (legal basis or mention), with the quote and its span."""
    canonical, _ = resolve_number(store, number)
    rows = queries.cited_by(store, canonical)
    return {"number": canonical, **page.of(rows)}


@router.get(
    "/legal/{number:path}",
    summary="A legal document",
    description=NUMBER_DOC,
    responses={200: example_response(LEGAL_EXAMPLE), **problems(404)},
)
def legal_document(store: StoreDep, number: str) -> dict[str, Any]:
    """Metadata as cited, articles where the corpus has them, date/type conflicts, and its
    validity (``status``: in force or not since when, relations, timeline, plans citing it
    after it ended, each fact with its sources; ``in_force`` null when unknown)."""
    canonical, record = resolve_number(store, number)
    # ``status`` is the validity block; the status an ingested law's own text or census
    # states (``cancu:status``, a list) stays readable as ``stated_status``.
    stated = record.pop("status", [])
    return {
        **record,
        "number": canonical,
        "stated_status": stated,
        "status": queries.legal_status(store, canonical),
    }


@router.get(
    "/conflicts",
    summary="Citation conflicts",
    responses={
        200: example_response(
            {
                "total": 1,
                "offset": 0,
                "limit": 50,
                "items": [
                    {
                        "kind": "across-documents",
                        "cited": "https://cancu.vn/eli/vn/cp/2015/nq/36a",
                        "number": "36a/NQ-CP",
                        "field": "date",
                        "values": {
                            "2015-10-14": ["https://cancu.vn/eli/vn/tay-ninh/ubnd/2019/kh/112"],
                            "2016-10-14": ["https://cancu.vn/eli/vn/ha-giang/ubnd/2018/kh/87"],
                        },
                    }
                ],
            }
        )
    },
)
def conflicts(store: StoreDep, page: PageDep) -> dict[str, Any]:
    """Documents cited with different dates or types (across plans and within one plan)."""
    return page.of(queries.conflicts(store))


@router.get(
    "/most-cited",
    summary="Most cited legal documents",
    responses={
        200: example_response(
            [
                {
                    "uri": "https://cancu.vn/eli/vn/cp/2007/nd/64",
                    "number": "64/2007/NĐ-CP",
                    "title": "về ứng dụng CNTT ...",
                    "cited_by": 5,
                }
            ]
        )
    },
)
def most_cited(store: StoreDep, limit: int = 10) -> list[dict[str, Any]]:
    """Legal documents ranked by how many documents cite them."""
    return queries.most_cited(store, limit=max(1, min(limit, 200)))
