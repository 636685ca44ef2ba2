"""RDF knowledge graph of cancu: build (Extraction -> triples), store (Oxigraph, one
named graph per document), queries (citations, agencies, projects, targets) and SHACL
validation."""

from graph.build import extraction_to_graph
from graph.sparql import QueryError, QueryResult
from graph.store import GraphStore

__all__ = ["GraphStore", "QueryError", "QueryResult", "extraction_to_graph"]
