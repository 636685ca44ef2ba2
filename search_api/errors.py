"""Named errors of retrieval, question answering, settings and the service."""

from __future__ import annotations

from ingest.errors import CancuError


class SearchError(CancuError):
    """Base class of the search side's errors."""


class IndexMismatchError(SearchError):
    """An index opened with another embedder than the one it was built with."""
