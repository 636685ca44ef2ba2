"""``GET /suggest``: find anything by name as the user types (the search box in the page
header): documents and legal documents by number in any form or by title, agencies by
name or alias (opening the agency's page), provinces; each with the page to open."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query

from graph import queries
from graph.queries.agency import AGENCY_ROOT
from search_api.api.problems import problems
from search_api.api.routes.common import StoreDep, example_response
from search_api.api.routes.entities import agency_page_url

router = APIRouter(tags=["suggest"])


def page_url(item: dict[str, Any]) -> str:
    """The web page that shows ``item``: its document, its legal document page, the
    agency's page, else the graph explorer centred on it (a province)."""
    if item["kind"] == "document" and item.get("doc_id"):
        return "/#/doc/" + quote(item["doc_id"], safe="")
    if item["kind"] == "legal" and item.get("number"):
        return "/#/legal/" + quote(item["number"], safe="")
    if item["kind"] == "agency" and item["uri"].startswith(AGENCY_ROOT):
        return agency_page_url(item["uri"])
    return "/#/graph?" + urlencode({"uri": item["uri"]})


@router.get(
    "/suggest",
    summary="Suggest as you type",
    responses={
        200: example_response(
            [
                {
                    "label": "64/2007/NĐ-CP",
                    "detail": "về ứng dụng công nghệ thông tin trong hoạt động của các cơ quan nhà nước",
                    "kind": "legal",
                    "url": "/#/legal/64%2F2007%2FN%C4%90-CP",
                    "uri": "https://cancu.vn/eli/vn/cp/2007/nd/64",
                }
            ]
        ),
        **problems(422),
    },
)
def suggest(
    store: StoreDep,
    q: Annotated[
        str,
        Query(
            max_length=200,
            description="What the user typed: a number in any form (slug, "
            "“Nghị định 64”), a law's name, an agency's name or alias, a province.",
            openapi_examples={"short": {"value": "Nghị định 64"}, "agency": {"value": "UBND tỉnh"}},
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=20, description="At most this many.")] = 10,
) -> list[dict[str, Any]]:
    """Up to ``limit`` things named by ``q``, best first (documents, legal documents,
    agencies, provinces), each with ``url``: the web page that opens it."""
    return [
        {
            "label": item["label"],
            "detail": item["detail"],
            "kind": item["kind"],
            "url": page_url(item),
            "uri": item["uri"],
        }
        for item in queries.suggest(store, q, limit=limit)
    ]
