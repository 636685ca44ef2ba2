"""The overview routes, /suggest and the agency page over the small real workspace (two
fixture plans): shapes, links to the page and to the filtered list, names in any form
landing on the right page."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from api_fixtures import home_copy
from fastapi.testclient import TestClient

from search_api.api.app import create_app
from search_api.api.routes.web import basic_plotly_path, plotly_bundle, plotly_path
from search_api.settings import Settings

NUMBER = "64/2007/NĐ-CP"
LEGAL_URL = "/#/legal/" + quote(NUMBER, safe="")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    home = home_copy(tmp_path_factory.mktemp("overview") / "home")
    with TestClient(create_app(Settings(home=home))) as c:
        yield c


def test_most_cited_splits_basis_and_mention(client: TestClient) -> None:
    items = client.get("/overview/most-cited").json()["items"]
    plain = {r["number"]: r["cited_by"] for r in client.get("/most-cited?limit=50").json()}
    assert items and items[0]["cited_by"] >= items[-1]["cited_by"]
    for r in items:
        assert r["basis"] + r["mention"] == r["cited_by"] == plain.get(r["number"], r["cited_by"])
    decree = next(r for r in items if r["number"] == NUMBER)
    assert decree["basis"] >= 1 and decree["url"] == LEGAL_URL
    assert client.get(decree["list"]).json()["total"] == decree["cited_by"]


def test_citations_by_year(client: TestClient) -> None:
    body = client.get("/overview/citations-by-year").json()
    assert body["by"] == "plan" and body["items"]
    for r in body["items"]:
        assert r["year"].isdigit() and r["basis"] + r["mention"] == r["citations"]
        listed = client.get(r["list"]).json()["items"]
        assert len(listed) == r["plans"] and all(d["year"] == int(r["year"]) for d in listed)


def test_citations_by_year_of_the_cited_document(client: TestClient) -> None:
    by_plan = client.get("/overview/citations-by-year?by=plan").json()["items"]
    body = client.get("/overview/citations-by-year?by=cited").json()
    assert body["by"] == "cited" and body["items"]
    # Every citation is counted once: by a dated cited document, or as undated.
    cited = sum(r["citations"] for r in body["items"]) + body["undated"]
    assert cited >= sum(r["citations"] for r in by_plan)
    decree = next(r for r in body["items"] if NUMBER in r["numbers"])
    assert decree["year"] == "2007" and decree["documents"] == len(decree["numbers"])
    assert all(a["median_age"] >= 0 for a in body["ages"])
    assert client.get("/overview/citations-by-year?by=nothing").status_code == 422


@pytest.mark.parametrize("by", ["province", "year"])
def test_budgets_match_the_budget_list(client: TestClient, by: str) -> None:
    body = client.get(f"/overview/budgets?by={by}").json()
    assert body["by"] == by
    totals = {r[by]: (r["total_vnd_million"], r["projects"]) for r in body["items"]}
    plain = client.get(f"/budgets?by={by}").json()["items"]
    assert totals == {r[by]: (r["total_vnd_million"], r["projects"]) for r in plain}
    for r in body["items"] if by == "province" else []:
        listed = client.get(r["list"]).json()["items"]
        assert listed and all(p["province"] == r["province"] for p in listed)
    assert client.get("/overview/budgets?by=nothing").status_code == 422


def test_budgets_by_agency_link_its_page_and_projects(client: TestClient) -> None:
    body = client.get("/overview/budgets?by=agency").json()
    assert body["items"] and body["checks"] >= body["mismatched"] >= 0
    top = body["items"][0]
    assert top["total_vnd_million"] >= body["items"][-1]["total_vnd_million"]
    led = client.get(top["list"]).json()["items"]
    assert sum(p["budget_vnd_million"] for p in led) == top["total_vnd_million"]
    page = client.get("/agencies/" + top["url"].removeprefix("/#/agency/")).json()
    assert page["uri"] == top["agency"] and page["name"] == top["name"]
    assert page["budget"]["lead_total_vnd_million"] == top["total_vnd_million"]


def test_agency_page(client: TestClient) -> None:
    agency = next(a for a in client.get("/agencies?limit=200").json()["items"] if a["aliases"])
    key = agency["uri"].removeprefix("https://cancu.vn/org/")
    page = client.get(f"/agencies/{key}").json()
    assert page["name"] == agency["name"] and page["aliases"] == agency["aliases"]
    assert page["url"] == f"/#/agency/{key}"
    plans = {p["uri"] for p in page["plans"]}
    assert plans and {r["plan"] for r in page["responsibilities"]} <= plans
    assert all(p["lead"] + p["partner"] + p["projects"] >= 1 for p in page["plans"])
    missing = client.get("/agencies/tay-ninh/khong-co-co-quan-nay")
    assert missing.status_code == 404 and "khong-co-co-quan-nay" in missing.json()["detail"]
    for odd in ("%00/%FF", "tay-ninh/so%3E%20x", "T%C3%A2y%20Ninh/s%E1%BB%9F"):
        assert client.get(f"/agencies/{odd}").status_code == 404  # never a query error


def test_indicator_across_provinces(client: TestClient) -> None:
    body = client.get("/overview/indicator").json()
    if not body["groups"]:
        pytest.skip("the fixture plans state no shared indicator")
    assert body["group"] == body["groups"][0]["group"]
    other = body["groups"][-1]["group"]
    chosen = client.get(f"/overview/indicator?group={other}").json()
    assert chosen["group"] == other and all(t["indicator_group"] == other for t in chosen["items"])
    assert len(client.get(chosen["list"]).json()["items"]) == min(50, len(chosen["items"]))


@pytest.mark.parametrize("typed", ["64-2007-nd-cp", "Nghị định 64", " 64 / 2007 / nd-cp "])
def test_suggest_a_number_in_any_form(client: TestClient, typed: str) -> None:
    first = client.get("/suggest", params={"q": typed}).json()[0]
    assert first["url"] == LEGAL_URL and first["kind"] == "legal" and first["label"] == NUMBER


def test_suggest_an_agency_alias_and_a_law_name(client: TestClient) -> None:
    agency = next(a for a in client.get("/agencies?limit=200").json()["items"] if a["aliases"])
    found = client.get("/suggest", params={"q": agency["aliases"][0]}).json()
    assert agency["uri"] in {r["uri"] for r in found}
    key = agency["uri"].removeprefix("https://cancu.vn/org/")
    assert next(r for r in found if r["uri"] == agency["uri"])["url"] == f"/#/agency/{key}"
    law = next(r for r in client.get("/overview/most-cited").json()["items"] if r["title"])
    found = client.get("/suggest", params={"q": law["title"]}).json()
    assert found[0]["url"] == law["url"]


def test_suggest_documents_and_short_input(client: TestClient) -> None:
    doc = client.get("/documents").json()["items"][0]
    found = client.get("/suggest", params={"q": doc["number"]}).json()
    assert (
        found[0]["url"] == "/#/doc/" + quote(doc["id"], safe="") and found[0]["kind"] == "document"
    )
    assert client.get("/suggest", params={"q": "a"}).json() == []
    assert client.get("/suggest").status_code == 422


def test_chart_library_is_served_from_the_installed_package(client: TestClient) -> None:
    js = client.get("/static/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert js.status_code == 200 and js.headers["content-encoding"] == "gzip"
    # Whichever bundle is installed (npm's basic one, else the plotly wheel's full one), it
    # is that file, byte for byte (httpx un-gzips), and it has the bar trace the charts use.
    served = plotly_bundle().path
    assert served in {basic_plotly_path(), plotly_path()} and js.content == served.read_bytes()
    assert "plotly.js" in js.text[:300] and 'moduleType:"trace",name:"bar"' in js.text
    assert len(js.content) > 500_000 and int(js.headers["content-length"]) < len(js.content) / 2
    assert "max-age" in js.headers["cache-control"]
    again = client.get(
        "/static/vendor/plotly.min.js", headers={"If-None-Match": js.headers["etag"]}
    )
    assert again.status_code == 304 and not again.content
    page = client.get("/").text + client.get("/static/overview.js").text
    assert "/static/vendor/plotly.min.js" in page
    assert "//cdn" not in page.lower() and 'src="http' not in page
