"""RDF knowledge graph of cancu: build (Extraction -> triples), store (Oxigraph, one
named graph per document), queries (citations, agencies, projects, targets) and SHACL
validation."""

from .build import extraction_to_graph
from .results import QueryError, QueryResult
from .store import GraphStore

__all__ = ["GraphStore", "QueryError", "QueryResult", "extraction_to_graph"]
