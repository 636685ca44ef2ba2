"""RDF knowledge graph of cancu: build (Extraction -> triples), store (Oxigraph, one
named graph per document), queries (citations, agencies, projects, targets) and SHACL
validation.

Public API: ``GraphStore``, ``QueryResult``, ``extraction_to_graph`` and the errors
(``GraphError``, ``QueryError``, ``DocumentNotFoundError``, ``StoreLockedError``,
``StoreUnavailableError``); the
questions are in ``graph.queries``, validation in ``graph.validate``.
"""

from graph.build import extraction_to_graph
from graph.errors import (
    DocumentNotFoundError,
    GraphError,
    QueryError,
    StoreLockedError,
    StoreUnavailableError,
)
from graph.sparql import QueryResult
from graph.store import GraphStore

__all__ = [
    "DocumentNotFoundError",
    "GraphError",
    "GraphStore",
    "QueryError",
    "QueryResult",
    "StoreLockedError",
    "StoreUnavailableError",
    "extraction_to_graph",
]
