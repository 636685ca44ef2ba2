"""Read files into ``SourceText``: one module per format, chosen by suffix (``registry``).

Public API: ``read_path``, ``read_paths``, ``iter_files``, ``SourceText``, ``SUFFIXES``,
``PLAN_SUFFIXES``, ``READERS``. A bad file is always an ``ingest.errors.UnreadableFileError``.
"""

from ingest.read.registry import (
    PLAN_SUFFIXES,
    READERS,
    SUFFIXES,
    iter_files,
    read_path,
    read_paths,
)
from ingest.read.source import SourceText

__all__ = [
    "PLAN_SUFFIXES",
    "READERS",
    "SUFFIXES",
    "SourceText",
    "iter_files",
    "read_path",
    "read_paths",
]
