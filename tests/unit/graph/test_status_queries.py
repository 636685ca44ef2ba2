"""Validity questions on invented status facts: status of a number, its timeline, plans
citing it after it ended; the status graph conforms to the shapes."""

from __future__ import annotations

from graph_fixtures import plan_extraction
from rdflib import Literal, URIRef

from graph import queries
from graph.build import extraction_to_graph
from graph.build.status import status_table_to_graph
from graph.store import GraphStore
from graph.validate import validate
from ingest.lang.legal_status import LegalStatus, StatusTable
from ontology.namespaces import ELI
from ontology.uris import legal_uri

SRC = "https://example.test/status/36a"


def _table() -> StatusTable:
    return StatusTable(
        (
            LegalStatus(
                "36a/NQ-CP",
                year="2015",
                issued="2015-10-14",
                in_force="2015-10-14",
                not_in_force="2016-12-01",
                replaced_by=("88/2016/NQ-CP",),
                amended_by=("12/2016/NQ-CP",),
                sources=(SRC, "corpus/national/invented.md"),
            ),
            LegalStatus(
                "12/2016/NQ-CP", in_force="2016-03-01", in_force_as_of="2016-06-01", sources=(SRC,)
            ),
            LegalStatus(
                "88/2016/NQ-CP", in_force="2016-12-01", in_force_as_of="2020-01-01", sources=(SRC,)
            ),
        )
    )


def _store() -> GraphStore:
    store = GraphStore()
    plan = extraction_to_graph(plan_extraction())
    store.replace_document("kh-tq", plan, "h")
    graph = status_table_to_graph(_table())
    ok, report = validate(graph + plan)
    assert ok, report
    # The queries read any named graph; the workspace writes this one as the table's own
    # (``status_graph_uri``), here it rides in a document's graph.
    store.replace_document("status-table", graph, "s")
    return store


def test_status_of_an_ended_document_with_sources_and_timeline() -> None:
    store = _store()
    status = queries.legal_status(store, "36a/NQ-CP")
    assert status is not None
    assert status["in_force"] == "not_in_force" and status["since"] == "2016-12-01"
    assert status["in_force_from"] == "2015-10-14" and status["issued"] == "2015-10-14"
    assert [r["number"] for r in status["replaced_by"]] == ["88/2016/NQ-CP"]
    assert [r["number"] for r in status["amended_by"]] == ["12/2016/NQ-CP"]
    assert status["amended_by"][0]["in_force_from"] == "2016-03-01"
    assert SRC in status["sources"] and "corpus/national/invented.md" in status["sources"]
    events = [(e["date"], e["event"]) for e in status["timeline"]]
    assert events == sorted(events, key=lambda e: (e[0] is None, str(e[0])))
    assert ("2016-03-01", "amended_by") in events and ("2016-12-01", "not_in_force") in events
    cited = [e for e in status["timeline"] if e["event"] == "cited"]
    assert cited and cited[0]["after_end"] and cited[0]["date"] == "2017-01-10"
    [after] = status["cited_after_end"]
    assert after["plan_number"] == "20/KH-UBND" and after["doc_id"] == "kh-tq"
    assert after["ended_on"] == "2016-12-01" and after["replaced_by"] == ["88/2016/NQ-CP"]
    assert SRC in after["sources"] and after["in_basis"]


def test_replacement_known_only_from_the_table_is_found_by_number() -> None:
    store = _store()
    status = queries.legal_status(store, "88/2016/NQ-CP")
    assert status is not None and status["in_force"] == "in_force"
    assert status["checked_on"] == "2020-01-01"
    assert [r["number"] for r in status["replaces"]] == ["36a/NQ-CP"]
    assert status["cited_after_end"] == []
    assert queries.resolve_number(store, "88/2016/NQ-CP") == ["88/2016/NQ-CP"]


def test_unknown_when_the_graph_has_no_fact() -> None:
    store = GraphStore()
    store.replace_document("kh-tq", extraction_to_graph(plan_extraction()), "h")
    status = queries.legal_status(store, "36a/NQ-CP")
    assert status is not None and status["in_force"] is None and status["sources"] == []
    assert status["cited_after_end"] == [] and queries.plans_citing_after_end(store) == []
    assert queries.legal_status(store, "1/2099/NĐ-CP") is None


def test_all_plans_citing_after_end() -> None:
    rows = queries.plans_citing_after_end(_store())
    assert [(r["cited_number"], r["plan_number"]) for r in rows] == [("36a/NQ-CP", "20/KH-UBND")]


def test_reused_number_without_year_states_no_fact() -> None:
    table = StatusTable(
        (
            LegalStatus(
                "5/NQ-CP",
                year="2019",
                in_force="2019-01-01",
                in_force_as_of="2020-01-01",
                sources=(SRC,),
            ),
            LegalStatus(
                "5/NQ-CP",
                year="2020",
                in_force="2020-02-01",
                in_force_as_of="2021-01-01",
                sources=(SRC,),
            ),
        )
    )
    assert not list(
        status_table_to_graph(table).triples((URIRef(legal_uri("5/NQ-CP")), None, None))
    )


def test_bad_status_facts_fail_the_shapes() -> None:
    graph = status_table_to_graph(_table())
    node = URIRef(legal_uri("36a/NQ-CP"))
    graph.set((node, ELI.in_force, Literal("yes")))
    graph.set((node, ELI.date_no_longer_in_force, Literal("01/12/2016")))
    graph.add(
        (
            URIRef(legal_uri("9/2001/NĐ-CP")),
            ELI.date_no_longer_in_force,
            Literal("2001-01-01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")),
        )
    )
    ok, report = validate(graph)
    assert not ok
    for needle in ("eli:InForce", "date_no_longer_in_force", "needs its source"):
        assert needle in report, needle
