"""Named errors of the graph: its store, its queries and the lookups built on them."""

from __future__ import annotations

from ingest.errors import CancuError


class GraphError(CancuError):
    """Base class of the graph's errors."""


class QueryError(GraphError):
    """A query that is invalid, refused (update, SERVICE) or over its limits, or a library
    question asked with an argument it does not know (``budgets(by=...)``, an export format)."""


class DocumentNotFoundError(GraphError):
    """No document, legal document or passage with that id or number."""


class InvalidGraphError(GraphError):
    """A document graph the store refuses to write (blank nodes, terms it cannot serialise)."""


class InvalidIriError(GraphError, ValueError):
    """A string given where a node IRI is needed that is not one.

    Also a ``ValueError``: input validators (the API's parameter checks) treat it as one.
    """


class StoreLockedError(GraphError):
    """The store directory is held (RocksDB lock) by another process."""


class QueryTooLargeError(QueryError):
    """A query text over the size limit, refused before it is parsed (HTTP: 413)."""

    def __init__(self, message: str, *, max_bytes: int) -> None:
        super().__init__(message)
        self.max_bytes = max_bytes


class StoreUnavailableError(GraphError):
    """A SPARQL server the graph lives on cannot be reached, refuses our credentials or
    fails: ``cannot reach the store at URL: reason`` (the URL without credentials)."""


class StoreNotEmptyError(GraphError):
    """An import into a store that already holds data, without ``replace``."""
