"""graph.queries ``documents``, ``suggest`` and ``indicator_groups`` over a store where
the same nodes are described by several graphs (a resolution cited by three plans, an
agency and an indicator two plans share, a law another plan names differently), read in
batches of any size with the same answers."""

from __future__ import annotations

import importlib

import pytest
from graph_fixtures import law_extraction, plan_extraction

from graph import queries as q
from graph.build import extraction_to_graph
from graph.store import GraphStore
from ingest.model import Citation

LAW_TITLE = "Luật Công nghệ thông tin"
# The modules, not the functions of the same names the package exports.
documents_module = importlib.import_module("graph.queries.documents")
suggest_module = importlib.import_module("graph.queries.suggest")
OTHER_TITLE = "Luật CNTT"  # sorts before LAW_TITLE: only the own-graph rule picks LAW_TITLE


@pytest.fixture(scope="module")
def store() -> GraphStore:
    store = GraphStore()
    second_tq = plan_extraction("kh-tq2", "Tuyên Quang", "21/KH-UBND")
    second_tq.citations.append(
        Citation(number="67/2006/QH11", doc_type="Luật", date="2006-06-29", title=OTHER_TITLE)
    )
    for ex in (
        plan_extraction("kh-tq", "Tuyên Quang", "20/KH-UBND"),
        plan_extraction("kh-bg", "Bắc Giang", "3701/KH-UBND"),
        second_tq,
        law_extraction(),
    ):
        store.replace_document(ex.document.id, extraction_to_graph(ex), ex.document.content_hash)
    return store


def test_documents_fields_and_the_title_a_document_states_itself(store: GraphStore) -> None:
    rows = {d["doc_id"]: d for d in q.documents(store)}
    assert sorted(rows) == ["kh-bg", "kh-tq", "kh-tq2", "luat-cntt"]
    law = rows["luat-cntt"]
    assert law["title"] == LAW_TITLE and law["number"] == "67/2006/QH11"
    assert law["doc_type"] == "Luật" and law["date"] == "2006-06-29" and not law["is_plan"]
    plan = rows["kh-tq2"]
    assert plan["province"] == "Tuyên Quang" and plan["doc_type"] == "Kế hoạch"
    assert plan["number"] == "21/KH-UBND" and plan["source"] == "kh-tq2.txt"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"province": "tuyên quang"}, {"kh-tq", "kh-tq2"}),
        ({"province": "Bắc Giang", "year": 2017, "doc_type": "KẾ HOẠCH"}, {"kh-bg"}),
        ({"year": "2006"}, {"luat-cntt"}),
        ({"doc_type": "Luật", "province": "Tuyên Quang"}, set()),
    ],
)
def test_documents_filters(store: GraphStore, filters: dict[str, str], expected: set[str]) -> None:
    assert {d["doc_id"] for d in q.documents(store, **filters)} == expected


def test_documents_read_in_batches_alike(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = q.documents(store)
    monkeypatch.setattr(documents_module, "_NODES_PER_QUERY", 1)
    assert q.documents(store) == whole


def test_indicator_groups_count_each_target_and_province_once(store: GraphStore) -> None:
    group = next(g for g in q.indicator_groups(store) if g["group"] == "dvc-muc-3-4")
    # Three plans state the indicator; two of them are of one province.
    assert group["targets"] == 3 and group["provinces"] == 2 and group["label"]


def test_suggest_agencies_of_one_name_in_uri_order(store: GraphStore) -> None:
    found = [r for r in q.suggest(store, "so thong tin") if r["kind"] == "agency"]
    assert [r["label"] for r in found] == ["Sở Thông tin và Truyền thông"] * 2
    assert [r["uri"] for r in found] == sorted(r["uri"] for r in found)
    assert {r["detail"] for r in found} == {"Bắc Giang, Sở TT&TT", "Tuyên Quang, Sở TT&TT"}


def test_suggest_a_document_once_with_one_of_its_titles(store: GraphStore) -> None:
    found = q.suggest(store, "67/2006/QH11")
    assert [(r["kind"], r["doc_id"]) for r in found] == [("document", "luat-cntt")]
    assert found[0]["label"] == "67/2006/QH11" and found[0]["detail"] in {LAW_TITLE, OTHER_TITLE}


def test_suggest_reads_names_in_batches_alike(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = ["so thong tin", "tuyen quang", "36a/NQ-CP", "ke hoach", "luat"]
    whole = [q.suggest(store, t) for t in typed]
    fresh = GraphStore(backend=store.backend)  # the same data, its names not cached yet
    monkeypatch.setattr(suggest_module, "_NODES_PER_QUERY", 1)
    assert [q.suggest(fresh, t) for t in typed] == whole


def test_suggest_sees_a_changed_document_at_once() -> None:
    store = GraphStore()
    first = plan_extraction("kh-x", "Tuyên Quang", "20/KH-UBND")
    store.replace_document("kh-x", extraction_to_graph(first), "h-1")
    assert q.suggest(store, "20/KH-UBND")[0]["doc_id"] == "kh-x"
    renumbered = plan_extraction("kh-x", "Tuyên Quang", "77/KH-UBND")
    store.replace_document("kh-x", extraction_to_graph(renumbered), "h-2")  # within the TTL
    assert q.suggest(store, "77/KH-UBND")[0]["number"] == "77/KH-UBND"
    assert not [r for r in q.suggest(store, "20/KH-UBND") if r["number"] == "20/KH-UBND"]
