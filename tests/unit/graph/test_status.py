"""The status table as ELI facts."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import PROV

from graph.build.status import IN_FORCE, NOT_IN_FORCE, status_table_to_graph
from ingest.lang.legal_status import LegalStatus, StatusTable
from ontology.namespaces import ELI
from ontology.uris import legal_uri

SRC = "https://example.test/doc"


def test_status_facts_on_eli_nodes() -> None:
    table = StatusTable(
        (
            LegalStatus(
                "10/2001/NĐ-CP",
                in_force="2001-06-01",
                not_in_force="2012-01-01",
                replaced_by=("20/2011/NĐ-CP",),
                sources=(SRC,),
            ),
            LegalStatus(
                "20/2011/NĐ-CP", in_force="2012-01-01", in_force_as_of="2020-01-01", sources=(SRC,)
            ),
            LegalStatus("30/2011/NĐ-CP"),
        )
    )
    graph = status_table_to_graph(table)
    old, new = URIRef(legal_uri("10/2001/NĐ-CP")), URIRef(legal_uri("20/2011/NĐ-CP"))
    assert (old, ELI.in_force, NOT_IN_FORCE) in graph
    assert (new, ELI.in_force, IN_FORCE) in graph
    assert (old, ELI.repealed_by, new) in graph and (new, ELI.repeals, old) in graph
    assert (old, PROV.wasDerivedFrom, URIRef(SRC)) in graph
    assert not list(graph.triples((URIRef(legal_uri("30/2011/NĐ-CP")), None, None)))
