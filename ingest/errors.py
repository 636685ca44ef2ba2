"""Named errors, each mapped to one clear message by the CLI and the API."""

from __future__ import annotations

from pathlib import Path


class CancuError(Exception):
    """Base class: every error cancu raises on purpose."""


class UnreadableFileError(CancuError):
    """A file that cannot be read: binary, corrupt, empty or of an unknown type."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class IndexMismatchError(CancuError):
    """An index opened with another embedder than the one it was built with."""


class DocumentNotFoundError(CancuError):
    """No document, legal document or passage with that id or number."""


class QueryError(CancuError):
    """A SPARQL query that is invalid, refused (update, SERVICE) or over its limits."""
