"""Named errors of retrieval, question answering, settings and the service."""

from __future__ import annotations

from ingest.errors import CancuError


class SearchError(CancuError):
    """Base class of the search side's errors."""


class IndexMismatchError(SearchError):
    """An index opened with another embedder than the one it was built with."""


# The errors below also derive from the built-in they replace, so callers written against
# ValueError / ImportError keep working while they move to the named class.


class InvalidFiltersError(SearchError, ValueError):
    """Search filters that contradict each other or name an unknown value."""


class InvalidSearchError(SearchError, ValueError):
    """A search request with a bad mode, ``k`` or ``offset``."""


class InvalidIndexOptionError(SearchError, ValueError):
    """An unknown index option: fusion method, lexical analyzer or dense index kind."""


class UnknownEmbedderError(SearchError, ValueError):
    """An embedder name that no backend provides."""


class MissingDependencyError(SearchError, ImportError):
    """An optional dependency a chosen component needs is not installed."""


class DocStoreError(SearchError):
    """The document store on disk cannot be read (damaged catalogue or document file)."""


class SettingsError(CancuError):
    """A setting (environment variable or flag) with a value cancu cannot use."""


class HomeError(CancuError):
    """A home directory that cannot be created, opened or written."""
