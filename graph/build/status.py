"""The status table as RDF: ELI validity facts on the legal documents' nodes.

Each checked row becomes ``eli:in_force`` (the EU InForce concepts),
``eli:first_date_entry_in_force``, ``eli:date_no_longer_in_force``,
``cancu:inForceCheckedOn`` (a source still showed it in force that day), the issue day
(``eli:date_document``), the relations (``eli:repeals``/``eli:repealed_by`` for
replacement, ``eli:amends``/``eli:amended_by``, ``eli:based_on`` from a guiding text to
the one it guides) and ``prov:wasDerivedFrom`` each source checked. Every node it speaks
of is an ``eli:LegalResource`` with its number (``eli:id_local``), so a replacement that
no plan cites is still found by number. Rows without any checked fact add nothing.

A number without a year ("17/NQ-CP") has one URI for every year it was reused; when the
table holds several checked rows for such a URI their facts cannot be told apart on the
node, so none is stated (the table itself, read by ``check_basis``, still tells them
apart by the cited year).
"""

from __future__ import annotations

from collections import Counter

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD

from ingest.lang.legal_status import LegalStatus, StatusTable
from ontology.namespaces import CANCU, ELI
from ontology.uris import legal_uri

IN_FORCE = URIRef(str(ELI) + "InForce-inForce")
NOT_IN_FORCE = URIRef(str(ELI) + "InForce-notInForce")


def status_node(row: LegalStatus) -> URIRef:
    return URIRef(legal_uri(row.number))


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


def _legal_node(graph: Graph, number: str) -> URIRef:
    node = URIRef(legal_uri(number))
    graph.add((node, RDF.type, ELI.LegalResource))
    graph.add((node, ELI.id_local, Literal(number)))
    return node


def _add_row(graph: Graph, row: LegalStatus, as_of: str | None) -> None:
    node = _legal_node(graph, row.number)
    for predicate, value in (
        (ELI.date_document, row.issued),
        (ELI.first_date_entry_in_force, row.in_force),
        (ELI.date_no_longer_in_force, row.not_in_force),
        (CANCU.inForceCheckedOn, row.in_force_as_of),
    ):
        if value:
            graph.add((node, predicate, _date(value)))
    day = as_of or row.in_force_as_of
    if row.not_in_force and (day is None or day >= row.not_in_force):
        graph.add((node, ELI.in_force, NOT_IN_FORCE))
    elif row.in_force_as_of and (day is None or day <= row.in_force_as_of):
        graph.add((node, ELI.in_force, IN_FORCE))
    # Each relation stated both ways (ELI names the inverse), from this row's side.
    for others, forward, inverse in (
        (row.replaced_by, ELI.repealed_by, ELI.repeals),
        (row.replaces, ELI.repeals, ELI.repealed_by),
        (row.amended_by, ELI.amended_by, ELI.amends),
        (row.amends, ELI.amends, ELI.amended_by),
    ):
        for other in others:
            graph.add((node, forward, _legal_node(graph, other)))
            graph.add((_legal_node(graph, other), inverse, node))
    for other in row.guides:
        graph.add((node, ELI.based_on, _legal_node(graph, other)))
    for other in row.guided_by:
        graph.add((_legal_node(graph, other), ELI.based_on, node))
    for source in row.sources:
        target = URIRef(source) if "://" in source else Literal(source)
        graph.add((node, PROV.wasDerivedFrom, target))


def status_table_to_graph(table: StatusTable, *, as_of: str | None = None) -> Graph:
    """ELI validity facts of every checked row; ``eli:in_force`` is stated for the day
    ``as_of`` (ISO) when given, else from the latest fact the row has."""
    graph = Graph()
    known = [row for row in table.rows if row.known]
    rows_per_node = Counter(status_node(row) for row in known)
    for row in known:
        if rows_per_node[status_node(row)] == 1:
            _add_row(graph, row, as_of)
    return graph
