"""Read files into ``SourceText``: one module per format, chosen by suffix (``registry``).

Public API: ``read_path``, ``read_paths``, ``iter_files``, ``SourceText``, ``SUFFIXES``,
``PLAN_SUFFIXES``, ``READERS``, ``LEGACY_ENCODINGS`` (what ``SourceText.encoding``
names when a file was converted). A bad file is always an ``ingest.errors.UnreadableFileError``.
"""

from ingest.read.legacy import LEGACY_ENCODINGS
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
    "LEGACY_ENCODINGS",
    "PLAN_SUFFIXES",
    "READERS",
    "SUFFIXES",
    "SourceText",
    "iter_files",
    "read_path",
    "read_paths",
]
