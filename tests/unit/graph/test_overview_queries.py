"""graph.queries overview figures, find-by-name and the agency page over a store holding
two plans that cite the same resolution, and the resolution itself."""

from __future__ import annotations

import pytest
from graph_fixtures import plan_extraction, two_plans_and_a_law_store

from graph import queries as q
from graph.build import extraction_to_graph
from graph.errors import QueryError
from graph.queries.agency import agency_profile, agency_uri_of_key
from graph.queries.overview import budget_totals, citations_by_cited_year
from graph.store import GraphStore
from ingest.model import BudgetCheck


@pytest.fixture(scope="module")
def store() -> GraphStore:
    return two_plans_and_a_law_store()


def test_most_cited_by_use_splits_basis_and_mention(store: GraphStore) -> None:
    rows = q.most_cited_by_use(store)
    top = next(r for r in rows if r["number"] == "36a/NQ-CP")
    assert top["cited_by"] == 2 and top["basis"] + top["mention"] == 2
    plain = {r["number"]: r["cited_by"] for r in q.most_cited(store)}
    assert all(plain.get(r["number"]) == r["cited_by"] for r in rows if r["number"] in plain)


def test_citations_by_year_of_the_citing_plan(store: GraphStore) -> None:
    rows = q.citations_by_year(store)
    assert len(rows) == 1 and rows[0]["year"].isdigit()  # both plans are of one year
    assert rows[0]["plans"] == 2 and rows[0]["basis"] + rows[0]["mention"] == rows[0]["citations"]


@pytest.mark.parametrize("typed", ["36a-nq-cp", "Nghị quyết 36a", " 36A / nq-Cp "])
def test_suggest_numbers_in_any_form_first(store: GraphStore, typed: str) -> None:
    first = q.suggest(store, typed)[0]
    assert first["number"] == "36a/NQ-CP" and first["kind"] == "legal"


def test_suggest_names_without_accents_and_kinds(store: GraphStore) -> None:
    found = q.suggest(store, "tuyen quang")
    kinds = {r["kind"] for r in found}
    assert "province" in kinds and found[0]["label"] == "Tuyên Quang"
    plan = q.suggest(store, "20/KH-UBND")[0]
    assert plan["kind"] == "document" and plan["doc_id"] == "kh-tq"
    assert q.suggest(store, "x") == [] and len(q.suggest(store, "a", limit=3)) <= 3


def test_indicator_across_provinces_defaults_to_the_widest_group(store: GraphStore) -> None:
    result = q.indicator_across_provinces(store)
    groups = q.indicator_groups(store)
    assert result["group"] == (groups[0]["group"] if groups else None)
    assert all(t["indicator_group"] == result["group"] for t in result["items"])


def test_citations_by_cited_year_and_age(store: GraphStore) -> None:
    found = citations_by_cited_year(store)
    # Both plans cite 36a/NQ-CP, dated 2015-10-14 and 2015-10-15: one document of 2015.
    row = next(r for r in found["items"] if "36a/NQ-CP" in r["numbers"])
    assert row["year"] == "2015" and row["citations"] == 2 == row["basis"] + row["mention"]
    assert row["documents"] == 1 and row["plans"] == 2
    assert found["ages"] == [{"plan_year": "2017", "median_age": 2.0, "citations": 2}]


@pytest.fixture(scope="module")
def mismatched_store() -> GraphStore:
    """The two plans, Tuyên Quang's budget table stating a total its rows do not add up to."""
    store = GraphStore()
    for ex in (plan_extraction("kh-tq", "Tuyên Quang"), plan_extraction("kh-bg", "Bắc Giang")):
        if ex.document.id == "kh-tq":
            ex.budget_checks = [BudgetCheck("t1", "Tổng cộng", 1600.0, 1500.0, "p-body")]
        store.replace_document(ex.document.id, extraction_to_graph(ex), ex.document.content_hash)
    return store


def test_budget_totals_mark_the_rows_behind_a_mismatch(mismatched_store: GraphStore) -> None:
    by_province = budget_totals(mismatched_store, "province")
    assert (by_province["checks"], by_province["mismatched"]) == (2, 1)
    rows = {r["province"]: r for r in by_province["items"]}
    assert rows["Tuyên Quang"]["total_vnd_million"] == 1500 and rows["Tuyên Quang"]["checked"] == 1
    assert rows["Tuyên Quang"]["mismatches"] == [
        {
            "label": "Tổng cộng",
            "stated": 1600,
            "computed": 1500,
            "doc_id": "kh-tq",
            "number": "20/KH-UBND",
        }
    ]
    assert rows["Bắc Giang"]["mismatches"] == []
    by_agency = budget_totals(mismatched_store, "agency")["items"]
    assert {(r["name"], r["province"], r["total_vnd_million"]) for r in by_agency} == {
        ("Sở Thông tin và Truyền thông", "Tuyên Quang", 1500),
        ("Sở Thông tin và Truyền thông", "Bắc Giang", 1500),
    }
    (year,) = budget_totals(mismatched_store, "year")["items"]
    assert (year["year"], year["total_vnd_million"], year["projects"]) == ("2017", 3000, 2)
    assert len(year["mismatches"]) == 1
    with pytest.raises(QueryError):
        budget_totals(mismatched_store, "source")  # type: ignore[arg-type]


def test_agency_profile(store: GraphStore) -> None:
    uri = agency_uri_of_key("tuyen-quang/so-thong-tin-va-truyen-thong")
    page = agency_profile(store, uri)
    assert page is not None and page["name"] == "Sở Thông tin và Truyền thông"
    assert page["aliases"] == ["Sở TT&TT"] and page["province"] == "Tuyên Quang"
    (plan,) = page["plans"]
    assert plan["doc_id"] == "kh-tq" and plan["lead"] == 1 and plan["projects"] == 1
    (project,) = page["projects"]
    assert project["role"] == "lead" and project["budget_vnd_million"] == 1500
    assert page["budget"]["lead_total_vnd_million"] == 1500
    assert page["budget"]["by_year"] == [{"year": "2017", "total_vnd_million": 1500, "projects": 1}]
    assert [r["passage_id"] for r in page["responsibilities"]] == ["p-body"]
    assert agency_profile(store, agency_uri_of_key("tuyen-quang/khong-co")) is None


def test_suggest_sees_a_new_document_at_once() -> None:
    """The names are cached between keystrokes, never across a change of documents."""
    store = GraphStore()
    first = plan_extraction("kh-tq", "Tuyên Quang")
    store.replace_document("kh-tq", extraction_to_graph(first), first.document.content_hash)
    assert q.suggest(store, "tuyen quang") and not q.suggest(store, "bac giang")
    second = plan_extraction("kh-bg", "Bắc Giang", "3701/KH-UBND")
    store.replace_document("kh-bg", extraction_to_graph(second), second.document.content_hash)
    assert q.suggest(store, "bac giang")[0]["label"] == "Bắc Giang"
    store.remove_document("kh-bg")
    assert not q.suggest(store, "bac giang")
