"""Named errors of the graph: its store, its queries and the lookups built on them."""

from __future__ import annotations

from ingest.errors import CancuError


class GraphError(CancuError):
    """Base class of the graph's errors."""


class QueryError(GraphError):
    """A SPARQL query that is invalid, refused (update, SERVICE) or over its limits."""


class DocumentNotFoundError(GraphError):
    """No document, legal document or passage with that id or number."""
