"""The ontology's Turtle files as rdflib graphs: the vocabulary (cancu.ttl + skos.ttl) that
the store loads and SHACL reasons with, and the shapes (shapes.ttl) graphs must meet."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

ONTOLOGY_DIR = Path(__file__).resolve().parent
VOCABULARY_FILES = ("cancu.ttl", "skos.ttl")


def vocabulary_graph() -> Graph:
    """The cancu classes and properties and the SKOS concept schemes, freshly parsed."""
    graph = Graph()
    for name in VOCABULARY_FILES:
        graph.parse(ONTOLOGY_DIR / name, format="turtle")
    return graph


def shapes_graph() -> Graph:
    """The SHACL shapes of cancu graphs, freshly parsed."""
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
