"""Lay out a ``SourceText`` as a ``Document``: normalise, header, sections, tables, passages.

Public API: ``build_document`` (the whole stage) and each step, a pure function of its
module: ``normalize``, ``parse_header``, ``parse_sections``, ``section_path``,
``parse_tables``, ``make_passages``. Lookups for many offsets of one document (the same
answers as a scan, by bisection): ``PassageIndex``, ``SectionIndex``, ``DocumentIndex``.
"""

from ingest.structure.document import build_document
from ingest.structure.header import parse_header
from ingest.structure.normalize import normalize
from ingest.structure.passages import make_passages
from ingest.structure.sections import parse_sections, section_path
from ingest.structure.spans import DocumentIndex, PassageIndex, SectionIndex
from ingest.structure.tables import parse_tables

__all__ = [
    "DocumentIndex",
    "PassageIndex",
    "SectionIndex",
    "build_document",
    "make_passages",
    "normalize",
    "parse_header",
    "parse_sections",
    "parse_tables",
    "section_path",
]
