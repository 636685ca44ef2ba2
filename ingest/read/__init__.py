"""Read files into ``SourceText``: one reader per format, chosen by suffix.

Public API: ``read_path``, ``read_paths``, ``SourceText``.
"""

from ingest.read.readers import SourceText, read_path, read_paths

__all__ = ["SourceText", "read_path", "read_paths"]
