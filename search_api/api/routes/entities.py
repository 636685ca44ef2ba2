"""Entities across all plans: agencies, projects, targets and budget totals (paginated),
and one agency's page (``/agencies/{scope}/{name}``: the path of its URI after ``/org/``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from graph import queries
from graph.queries.agency import AGENCY_ROOT, agency_profile, agency_uri_of_key
from ontology.uris import slugify
from search_api.api.problems import Problem, problems
from search_api.api.routes.common import PageDep, StoreDep, example_response

router = APIRouter(tags=["entities"])

Province = Annotated[
    str | None, Query(description="Province name.", openapi_examples={"tn": {"value": "Tây Ninh"}})
]


def _page_example(item: dict[str, Any]) -> dict[str, Any]:
    return example_response({"total": 1, "offset": 0, "limit": 50, "items": [item]})


@router.get(
    "/agencies",
    summary="Agencies",
    responses={
        200: _page_example(
            {
                "uri": "https://cancu.vn/org/tay-ninh/so-thong-tin-va-truyen-thong",
                "name": "Sở Thông tin và Truyền thông",
                "level": "tỉnh",
                "province": "Tây Ninh",
                "aliases": ["Sở TT&TT"],
                "documents": 1,
            }
        ),
        **problems(422),
    },
)
def agencies(
    store: StoreDep,
    page: PageDep,
    province: Province = None,
    level: Annotated[
        str | None, Query(description="trung ương | tỉnh | huyện | xã | doanh nghiệp | khác")
    ] = None,
) -> dict[str, Any]:
    """Agencies named in the plans, with level, province and how many documents name them."""
    return page.of(queries.agencies(store, province=province, level=level))


@router.get(
    "/agencies/responsibilities",
    summary="An agency's responsibilities",
    responses={
        200: example_response(
            {
                "agency": "Sở Tài chính",
                "uris": ["https://cancu.vn/org/tay-ninh/so-tai-chinh"],
                "responsibilities": [
                    {
                        "role": "lead",
                        "task": "Bố trí kinh phí thực hiện Kế hoạch.",
                        "passage_id": "1c2d3e4f5a6b7c8d",
                    }
                ],
                "projects": [],
            }
        )
    },
)
def responsibilities(
    store: StoreDep,
    agency: Annotated[
        str,
        Query(
            min_length=1,
            description="Agency URI, name or alias.",
            openapi_examples={"stc": {"value": "Sở Tài chính"}},
        ),
    ],
) -> dict[str, Any]:
    """Lead and partner roles of one agency, with the passages that assign them."""
    return queries.agency_responsibilities(store, agency)


def agency_page_url(uri: str) -> str:
    """The web page of the agency ``uri`` (its key: the URI's path after ``/org/``)."""
    return "/#/agency/" + uri.removeprefix(AGENCY_ROOT)


@router.get(
    "/agencies/{scope}/{name}",
    summary="One agency",
    responses={
        200: example_response(
            {
                "uri": "https://cancu.vn/org/tay-ninh/so-thong-tin-va-truyen-thong",
                "name": "Sở Thông tin và Truyền thông",
                "level": "tỉnh",
                "province": "Tây Ninh",
                "aliases": ["Sở TT&TT"],
                "url": "/#/agency/tay-ninh/so-thong-tin-va-truyen-thong",
                "plans": [
                    {
                        "uri": "https://cancu.vn/eli/vn/tay-ninh/ubnd/2019/kh/87",
                        "doc_id": "kh_tay_ninh_2019",
                        "number": "87/KH-UBND",
                        "title": "Ứng dụng công nghệ thông tin năm 2019",
                        "date": "2019-01-15",
                        "province": "Tây Ninh",
                        "lead": 3,
                        "partner": 1,
                        "projects": 1,
                    }
                ],
                "projects": [
                    {
                        "name": "Nâng cấp Trung tâm tích hợp dữ liệu tỉnh",
                        "role": "lead",
                        "budget_vnd_million": 3000,
                        "doc_id": "kh_tay_ninh_2019",
                    }
                ],
                "responsibilities": [
                    {
                        "role": "lead",
                        "task": "Chủ trì triển khai Kế hoạch.",
                        "passage_id": "1c2d3e4f5a6b7c8d",
                    }
                ],
                "budget": {"lead_total_vnd_million": 3000, "lead_projects": 1, "by_year": []},
            }
        ),
        **problems(404),
    },
)
def agency(
    store: StoreDep,
    scope: Annotated[str, Path(description="Province slug, or ``vn`` for a national body.")],
    name: Annotated[str, Path(description="The agency's name slug.")],
) -> dict[str, Any]:
    """One agency: its names, the plans that assign it tasks or projects, the projects it
    leads or joins with their budgets, and its tasks with the passage stating each."""
    uri = agency_uri_of_key(f"{scope}/{name}")
    # Agency URIs are minted from slugs: anything else names no agency (and must never
    # reach a query as an IRI).
    if slugify(scope) != scope or slugify(name) != name:
        raise Problem(404, "Not found", f"no agency {scope}/{name} in the graph", slug="not-found")
    found = agency_profile(store, uri)
    if found is None:
        raise Problem(404, "Not found", f"no agency {uri} in the graph", slug="not-found")
    return {**found, "url": agency_page_url(uri)}


@router.get(
    "/projects",
    summary="Projects",
    responses={
        200: _page_example(
            {
                "uri": "https://cancu.vn/project/kh_tay_ninh_2019/nang-cap-trung-tam-tich-hop-du-lieu-tinh",
                "name": "Nâng cấp Trung tâm tích hợp dữ liệu tỉnh",
                "lead_agency_name": "Sở Thông tin và Truyền thông",
                "budget_vnd_million": 3000.0,
                "province": "Tây Ninh",
            }
        ),
        **problems(422),
    },
)
def projects(
    store: StoreDep,
    page: PageDep,
    lead_agency: Annotated[str | None, Query(description="Agency URI, name or alias.")] = None,
    province: Province = None,
) -> dict[str, Any]:
    """Projects with lead agency and budget (million VND)."""
    return page.of(queries.projects(store, lead_agency=lead_agency, province=province))


@router.get(
    "/targets",
    summary="Targets",
    responses={
        200: _page_example(
            {
                "indicator": "dịch vụ công đạt mức độ 3",
                "indicator_group": "dvc-muc-3-4",
                "value": 50,
                "unit": "%",
                "kind": "goal",
                "province": "Tây Ninh",
            }
        ),
        **problems(422),
    },
)
def targets(
    store: StoreDep,
    page: PageDep,
    indicator_group: Annotated[
        str | None,
        Query(
            description="Shared indicator key.", openapi_examples={"dvc": {"value": "dvc-muc-3-4"}}
        ),
    ] = None,
    province: Province = None,
) -> dict[str, Any]:
    """Targets (goals and status figures) by indicator group and province."""
    return page.of(queries.targets(store, indicator_group=indicator_group, province=province))


@router.get(
    "/budgets",
    summary="Budget totals",
    responses={
        200: _page_example({"province": "Tây Ninh", "total_vnd_million": 4500, "projects": 2}),
        **problems(422),
    },
)
def budgets(
    store: StoreDep,
    page: PageDep,
    by: Annotated[
        Literal["province", "year", "source"], Query(description="Group totals by.")
    ] = "province",
) -> dict[str, Any]:
    """Total project budgets (million VND) grouped by province, year or source of funds."""
    return {"by": by, **page.of(queries.budgets(store, by=by))}
