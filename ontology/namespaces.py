"""The namespaces cancu builds on, in one place, for rdflib code and SPARQL text alike.

cancu reuses ELI, W3C ORG, PROV-O, Web Annotation, SKOS, DCTERMS and schema.org and only
adds terms they lack (``cancu:``); keeping the prefixes here means the graph builder, the
queries and the SHACL shapes cannot drift apart.
"""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

CANCU = Namespace("https://cancu.vn/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")

PREFIXES: dict[str, str] = {
    "cancu": str(CANCU),
    "eli": str(ELI),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
"""Prologue prepended to the library's own queries (user queries declare their own)."""


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the cancu prefixes so Turtle/TriG exports stay readable."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, Namespace(iri), override=True, replace=True)
    return graph


__all__ = [
    "CANCU",
    "DCTERMS",
    "ELI",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "SPARQL_PREFIXES",
    "XSD",
    "bind_prefixes",
]
