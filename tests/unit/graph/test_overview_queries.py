"""graph.queries overview figures and find-by-name over a store holding two plans that
cite the same resolution, and the resolution itself."""

from __future__ import annotations

import pytest
from graph_fixtures import two_plans_and_a_law_store

from graph import queries as q
from graph.store import GraphStore


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
