"""graph.queries.citations over a store holding two plans that cite the same resolution differently."""

from __future__ import annotations

import pytest
from graph_fixtures import two_plans_and_a_law_store

from graph import queries as q
from graph.store import GraphStore
from ingest.lang.numbers import canonical_number
from ontology import uris

DECREE = uris.legal_uri("36a/NQ-CP")


@pytest.fixture(scope="module")
def store() -> GraphStore:
    return two_plans_and_a_law_store()


def test_canonical_number_surface_forms() -> None:
    assert canonical_number(" 64/2007/ND-CP ") == "64/2007/NĐ-CP"
    assert canonical_number("1819/QD-Ttg") == "1819/QĐ-TTg"


@pytest.mark.parametrize(
    ("typed", "numbers"),
    [
        ("67-2006-qh11", ["67/2006/QH11"]),  # slug
        ("qh11/2006/luat/67", ["67/2006/QH11"]),  # ELI path
        (uris.legal_uri("36a/NQ-CP"), ["36a/NQ-CP"]),  # ELI URI
        ("Nghị quyết 36a", ["36a/NQ-CP"]),  # short form
        (" 36A / nq-Cp ", ["36a/NQ-CP"]),  # damaged number
        ("3701/KH-UBND", ["3701/KH-UBND"]),
        ("Nghị định 64", []),
    ],
)
def test_resolve_number_typed_forms(store: GraphStore, typed: str, numbers: list[str]) -> None:
    assert q.resolve_number(store, typed) == numbers


def test_cited_by_any_surface_form_with_provenance(store: GraphStore) -> None:
    rows = q.cited_by(store, "36a / NQ-CP")
    assert sorted(r["doc_id"] for r in rows) == ["kh-bg", "kh-tq"]
    tq = next(r for r in rows if r["doc_id"] == "kh-tq")
    assert (
        tq["in_basis"] is True
        and tq["quote"] == "Nghị quyết số 36a/NQ-CP"
        and tq["passage_id"] == "p-basis"
    )
    assert tq["start"] < tq["end"] and tq["citing_document"]["number"] == "20/KH-UBND"
    assert tq["citing_document"]["province"] == "Tuyên Quang"


def test_conflicting_dates_across_plans_are_visible(store: GraphStore) -> None:
    doc = q.legal_document(store, "36a/NQ-CP")
    assert doc is not None and set(doc["dates"]) == {"2015-10-14", "2015-10-15"}
    assert set(doc["date_conflicts"]) == {"2015-10-14", "2015-10-15"}
    across = [
        c for c in q.conflicts(store) if c["kind"] == "across-documents" and c["field"] == "date"
    ]
    assert len(across) == 1 and across[0]["number"] == "36a/NQ-CP"
    assert q.legal_document(store, "999/NQ-CP") is None


def test_legal_document_articles_and_status(store: GraphStore) -> None:
    law = q.legal_document(store, "67/2006/QH11")
    assert law is not None and [a["article_id"] for a in law["articles"]] == ["1", "2"]
    assert law["status"] == ["in_force"] and law["articles"][0]["text"].startswith("Điều 1.")


def test_citations_of_and_most_cited(store: GraphStore) -> None:
    by_id = q.citations_of(store, "kh-tq")
    by_number = q.citations_of(store, "20/KH-UBND")
    assert [r["cited"] for r in by_id] == [DECREE] == [r["cited"] for r in by_number]
    assert by_id[0]["cited_document"]["number"] == "36a/NQ-CP"
    top = q.most_cited(store, limit=1)
    assert top == [
        {"uri": DECREE, "number": "36a/NQ-CP", "title": "về Chính phủ điện tử", "cited_by": 2}
    ]


def test_documents_agencies_projects_budgets_targets(store: GraphStore) -> None:
    assert {d["doc_id"] for d in q.documents(store)} == {"kh-tq", "kh-bg", "luat-cntt"}
    assert [
        d["number"]
        for d in q.documents(store, province="Bắc Giang", year=2017, doc_type="Kế hoạch")
    ] == ["3701/KH-UBND"]
    sở = q.agencies(store, province="Tuyên Quang", level="tỉnh")
    assert [a["name"] for a in sở if a["name"].startswith("Sở")] == ["Sở Thông tin và Truyền thông"]
    assert (
        "Sở TT&TT" in sở[[a["name"] for a in sở].index("Sở Thông tin và Truyền thông")]["aliases"]
    )
    assert len(q.projects(store)) == 2 and len(q.projects(store, province="Bắc Giang")) == 1
    assert len(q.projects(store, lead_agency="sở tt&tt")) == 2  # by alias, both provinces
    by_province = {r["province"]: r["total_vnd_million"] for r in q.budgets(store, by="province")}
    assert by_province == {"Tuyên Quang": 1500, "Bắc Giang": 1500}
    assert q.budgets(store, by="year") == [
        {"year": "2017", "total_vnd_million": 3000, "projects": 2}
    ]
    assert q.budgets(store, by="source")[0]["source"] == "ngân sách tỉnh"
    tg = q.targets(store, indicator_group="dvc-muc-3-4")
    assert (
        len(tg) == 2
        and {t["value"] for t in tg} == {100}
        and q.targets(store, province="Hà Giang") == []
    )


def test_agency_responsibilities_and_neighbours(store: GraphStore) -> None:
    agency = uris.agency_uri("Sở Thông tin và Truyền thông", "Tuyên Quang")
    resp = q.agency_responsibilities(store, agency)
    assert (
        resp["responsibilities"][0]["role"] == "lead"
        and resp["responsibilities"][0]["passage_id"] == "p-body"
    )
    assert [p["role"] for p in resp["projects"]] == ["lead"]
    view = q.neighbours(store, DECREE, limit=50)
    assert view["attributes"]["eli:id_local"] == ["36a/NQ-CP"]
    assert {e["label"] for e in view["edges"]} >= {"eli:cites", "eli:based_on", "eli:passed_by"}
    assert all(e["source"] == DECREE or e["target"] == DECREE for e in view["edges"])
    small = q.neighbours(store, DECREE, limit=2)
    assert len(small["edges"]) == 2 and small["truncated"]
