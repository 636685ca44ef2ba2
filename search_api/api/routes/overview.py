"""The overview page's figures as JSON (the page is a client of these routes): the
most-cited legal documents, citations by year of the citing plan or of the cited
document, budgets by province, lead agency or year (with the budget tables' stated totals
checked) and one indicator across provinces. Each row links to the filtered list behind
it where the API has one (``list``) and to its page (``url``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query

from graph import queries
from graph.queries.overview import budget_totals, citations_by_cited_year
from search_api.api.problems import problems
from search_api.api.routes.common import StoreDep, example_response
from search_api.api.routes.entities import agency_page_url

router = APIRouter(prefix="/overview", tags=["overview"])


@router.get(
    "/most-cited",
    summary="Most-cited legal documents, basis vs mention",
    responses={
        200: example_response(
            {
                "items": [
                    {
                        "uri": "https://cancu.vn/eli/vn/cp/2007/nd/64",
                        "number": "64/2007/NĐ-CP",
                        "title": "về ứng dụng công nghệ thông tin trong hoạt động của các cơ quan nhà nước",
                        "cited_by": 5,
                        "basis": 4,
                        "mention": 1,
                        "url": "/#/legal/64%2F2007%2FN%C4%90-CP",
                        "list": "/legal/64%2F2007%2FN%C4%90-CP/cited-by",
                    }
                ]
            }
        ),
        **problems(422),
    },
)
def most_cited(
    store: StoreDep, limit: Annotated[int, Query(ge=1, le=100, description="How many.")] = 15
) -> dict[str, Any]:
    """Legal documents cited by most plans: plans citing each in their legal basis and
    plans only mentioning it (a plan counts once)."""
    items = queries.most_cited_by_use(store, limit=limit)
    for item in items:
        if item["number"]:
            number = quote(item["number"], safe="")
            item["url"] = f"/#/legal/{number}"
            item["list"] = f"/legal/{number}/cited-by"
    return {"items": items}


@router.get(
    "/citations-by-year",
    summary="Citations by year of the citing plan or of the cited document",
    responses={
        200: example_response(
            {
                "by": "plan",
                "items": [
                    {
                        "year": "2016",
                        "citations": 47,
                        "basis": 32,
                        "mention": 15,
                        "plans": 2,
                        "list": "/documents?year=2016&kind=plan",
                    }
                ],
            }
        ),
        **problems(422),
    },
)
def citations_by_year(
    store: StoreDep,
    by: Annotated[
        Literal["plan", "cited"],
        Query(
            description="Year of the citing plan, or of the cited document (with the cited "
            "documents' ``numbers`` and, per plan year, the median age of what it cites).",
            openapi_examples={"cited": {"value": "cited"}},
        ),
    ] = "plan",
) -> dict[str, Any]:
    """Citations (one per citing plan and cited document) by year, legal basis and mention
    apart; undated plans are left out (``by=cited``: ``undated`` counts citations of
    documents with no known date)."""
    if by == "cited":
        return {"by": by, **citations_by_cited_year(store)}
    items = queries.citations_by_year(store)
    for item in items:
        item["list"] = "/documents?" + urlencode({"year": item["year"], "kind": "plan"})
    return {"by": by, "items": items}


@router.get(
    "/budgets",
    summary="Budget totals by province, lead agency or year, table totals checked",
    responses={
        200: example_response(
            {
                "by": "province",
                "checks": 6,
                "mismatched": 1,
                "items": [
                    {
                        "province": "Tuyên Quang",
                        "total_vnd_million": 93969,
                        "projects": 25,
                        "plans": 1,
                        "checked": 1,
                        "mismatches": [
                            {
                                "label": "TỔNG CỘNG",
                                "stated": 97367,
                                "computed": 93969,
                                "doc_id": "000_98390ce94a0dd2c3",
                                "number": "20/KH-UBND",
                            }
                        ],
                        "list": "/projects?province=Tuy%C3%AAn+Quang",
                    }
                ],
            }
        ),
        **problems(422),
    },
)
def budgets(
    store: StoreDep,
    by: Annotated[
        Literal["province", "agency", "year"],
        Query(description="Group totals by.", openapi_examples={"p": {"value": "province"}}),
    ] = "province",
) -> dict[str, Any]:
    """Total project budgets (million VND) by province of the plan, lead agency or budget
    year. Each row says how many budget-table totals the plans behind it state
    (``checked``) and which disagree with the sum of their rows (``mismatches``)."""
    result = budget_totals(store, by=by)
    for item in result["items"]:
        if by == "province":
            item["list"] = "/projects?" + urlencode({"province": item["province"]})
        elif by == "agency":
            item["list"] = "/projects?" + urlencode({"lead_agency": item["agency"]})
            item["url"] = agency_page_url(item["agency"])
    return result


@router.get(
    "/indicator",
    summary="One indicator across provinces",
    responses={
        200: example_response(
            {
                "group": "dvc-muc-3",
                "unit": "%",
                "list": "/targets?indicator_group=dvc-muc-3",
                "groups": [
                    {
                        "group": "dvc-muc-3",
                        "label": "dịch vụ công trực tuyến mức độ 3",
                        "provinces": 4,
                        "targets": 12,
                    }
                ],
                "items": [
                    {
                        "indicator": "dịch vụ công trực tuyến mức độ 3",
                        "indicator_group": "dvc-muc-3",
                        "value": 100,
                        "unit": "%",
                        "year_or_period": "2018-2020",
                        "kind": "goal",
                        "province": "Bắc Giang",
                    }
                ],
            }
        ),
        **problems(422),
    },
)
def indicator(
    store: StoreDep,
    group: Annotated[
        str | None,
        Query(
            max_length=100,
            description="Indicator group key (see ``groups``); default: the one most provinces share.",
            openapi_examples={"dvc": {"value": "dvc-muc-3"}},
        ),
    ] = None,
) -> dict[str, Any]:
    """The targets of one indicator group by province and target year (goals and status
    figures), with the unit most goals use, and every group to choose from."""
    result = queries.indicator_across_provinces(store, group)
    if result["group"]:
        result["list"] = "/targets?" + urlencode({"indicator_group": result["group"]})
    return result
