"""SHACL validation of cancu graphs against ontology/shapes.ttl (pySHACL).

Why the ontology goes in as ``ont_graph``: with RDFS inference, cancu:Plan is an
eli:LegalResource and cancu:Indicator a skos:Concept, so shapes can target the general
classes without the builder repeating every super-type.
"""

from __future__ import annotations

import rdflib
from pyshacl import validate as shacl_validate

from graph.store import GraphStore
from ontology.files import shapes_graph, vocabulary_graph


def _as_graph(graph_or_store: rdflib.Graph | GraphStore) -> rdflib.Graph:
    """A store is validated as the union of its named graphs (copied: pySHACL is in-memory)."""
    if isinstance(graph_or_store, GraphStore):
        data = graph_or_store.export("nquads")
        ds = rdflib.Dataset()
        ds.parse(data=data, format="nquads")
        union = rdflib.Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return graph_or_store


def validate(graph_or_store: rdflib.Graph | GraphStore) -> tuple[bool, str]:
    """(conforms, human-readable report) for a document graph or a whole store."""
    conforms, _report_graph, text = shacl_validate(
        _as_graph(graph_or_store),
        shacl_graph=shapes_graph(),
        ont_graph=vocabulary_graph(),
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=True,
    )
    return bool(conforms), str(text)
