"""The status table as RDF: ELI validity facts on the legal documents' nodes.

Each checked row becomes ``eli:in_force`` (the EU InForce concepts),
``eli:first_date_entry_in_force``, ``eli:date_no_longer_in_force``, the relations
(``eli:repeals``/``eli:repealed_by`` for replacement, ``eli:amends``/``eli:amended_by``,
``eli:based_on`` from a guiding text to the one it guides) and ``prov:wasDerivedFrom``
each source checked. Rows without any checked fact add nothing.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, XSD

from ingest.lang.legal_status import LegalStatus, StatusTable
from ontology.namespaces import ELI
from ontology.uris import legal_uri

IN_FORCE = URIRef(str(ELI) + "InForce-inForce")
NOT_IN_FORCE = URIRef(str(ELI) + "InForce-notInForce")


def status_node(row: LegalStatus) -> URIRef:
    return URIRef(legal_uri(row.number))


def status_table_to_graph(table: StatusTable, *, as_of: str | None = None) -> Graph:
    """ELI validity facts of every checked row; ``eli:in_force`` is stated for the day
    ``as_of`` (ISO) when given, else from the latest fact the row has."""
    graph = Graph()
    for row in table.rows:
        if not row.known:
            continue
        node = status_node(row)
        if row.in_force:
            graph.add(
                (node, ELI.first_date_entry_in_force, Literal(row.in_force, datatype=XSD.date))
            )
        if row.not_in_force:
            graph.add(
                (node, ELI.date_no_longer_in_force, Literal(row.not_in_force, datatype=XSD.date))
            )
        day = as_of or row.in_force_as_of
        if row.not_in_force and (day is None or day >= row.not_in_force):
            graph.add((node, ELI.in_force, NOT_IN_FORCE))
        elif row.in_force_as_of and (day is None or day <= row.in_force_as_of):
            graph.add((node, ELI.in_force, IN_FORCE))
        for other in row.replaced_by:
            graph.add((node, ELI.repealed_by, URIRef(legal_uri(other))))
            graph.add((URIRef(legal_uri(other)), ELI.repeals, node))
        for other in row.replaces:
            graph.add((node, ELI.repeals, URIRef(legal_uri(other))))
            graph.add((URIRef(legal_uri(other)), ELI.repealed_by, node))
        for other in row.amended_by:
            graph.add((node, ELI.amended_by, URIRef(legal_uri(other))))
            graph.add((URIRef(legal_uri(other)), ELI.amends, node))
        for other in row.amends:
            graph.add((node, ELI.amends, URIRef(legal_uri(other))))
            graph.add((URIRef(legal_uri(other)), ELI.amended_by, node))
        for other in row.guides:
            graph.add((node, ELI.based_on, URIRef(legal_uri(other))))
        for other in row.guided_by:
            graph.add((URIRef(legal_uri(other)), ELI.based_on, node))
        for source in row.sources:
            target = URIRef(source) if "://" in source else Literal(source)
            graph.add((node, PROV.wasDerivedFrom, target))
    return graph
