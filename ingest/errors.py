"""Named errors of reading and extraction, and ``CancuError``, the base of every error
cancu raises on purpose (``graph.errors`` and ``search_api.errors`` derive from it).

The CLI maps each to one line (``search_api.cli``), the API to one problem+json status
(``search_api.api.problems``); nothing else catches them by name.
"""

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


class DocumentTooLargeError(UnreadableFileError):
    """A document over the size limit, refused before any work is done on it."""

    def __init__(self, path: str | Path, size: int, limit: int, what: str = "file") -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            path, f"{what} of {size} bytes is over the limit of {limit} bytes: not ingested"
        )


class DocumentProcessingError(CancuError):
    """A source that was read but could not be turned into a Document and Extraction."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class LegalStatusTableError(CancuError):
    """A status table row that cannot be read: names the file, the row and the problem."""

    def __init__(self, path: str, row: int, problem: str) -> None:
        super().__init__(f"{path}: row {row}: {problem}")
        self.path = path
        self.row = row
        self.problem = problem
