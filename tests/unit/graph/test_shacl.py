"""SHACL: built graphs conform; broken ones are caught with a readable report."""

from __future__ import annotations

from graph_fixtures import law_extraction, plan_extraction
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.build import extraction_to_graph
from graph.store import GraphStore
from graph.validate import validate
from ontology import uris
from ontology.namespaces import CANCU, ELI, OA, ORG


def test_built_graphs_conform() -> None:
    for ex in (plan_extraction(), law_extraction()):
        ok, report = validate(extraction_to_graph(ex))
        assert ok, report


def test_store_union_conforms() -> None:
    store = GraphStore()
    ex = plan_extraction()
    store.replace_document("kh-tq", extraction_to_graph(ex), "h")
    assert validate(store)[0]


def test_broken_graphs_fail() -> None:
    g = extraction_to_graph(plan_extraction())
    decree = URIRef(uris.legal_uri("36a/NQ-CP"))
    record = next(g.subjects(RDF.type, CANCU.Citation))
    # a span with start >= end
    for sel in list(g.subjects(RDF.type, OA.TextPositionSelector)):
        g.set((sel, OA.end, Literal(0)))
    ok, report = validate(g)
    assert not ok and "PositionShape" in report
    g = extraction_to_graph(plan_extraction())
    g.remove((None, OA.hasBody, record))  # citation without provenance
    g.set((decree, ELI.date_document, Literal("14/10/2015")))  # not an xsd:date
    g.add((URIRef("https://cancu.vn/org/vn/x"), RDF.type, ORG.Organization))  # no name, no level
    target = next(g.subjects(RDF.type, CANCU.Target))
    g.set((target, CANCU.targetKind, Literal("wish")))
    project = next(g.subjects(RDF.type, CANCU.Project))
    g.set((project, CANCU.budgetVndMillion, Literal("-5", datatype=XSD.decimal)))
    ok, report = validate(g)
    assert not ok
    for needle in (
        "provenance annotation",
        "date_document",
        "organisation needs a name",
        "targetKind",
        "budgetVndMillion",
    ):
        assert needle in report, needle
