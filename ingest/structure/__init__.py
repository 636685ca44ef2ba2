"""Lay out a ``SourceText`` as a ``Document``: normalise, header, sections, tables, passages.

Public API: ``build_document`` (the whole stage); each step is a pure function of its module.
"""

from ingest.structure.document import build_document

__all__ = ["build_document"]
