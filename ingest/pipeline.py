"""The ingest pipeline of one source: SourceText -> Document -> Extraction (+ its JSON).

Pure: nothing is stored or indexed here (``search_api.workspace`` does that), so the
pipeline can be run, tested and benchmarked on its own. Files are read into SourceTexts
by ``ingest.read.read_paths``, which has to see all files at once (national codes are
merged across files). Every failure comes out as a ``CancuError`` naming the file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ingest.errors import CancuError, DocumentProcessingError, UnreadableFileError
from ingest.extract.extraction import extract, extraction_to_json
from ingest.lang.law_names import LawNameTable
from ingest.model import Document, Extraction
from ingest.read import SourceText
from ingest.structure.document import build_document

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ProcessedDocument:
    """One source, structured and extracted; ``extraction_json`` is the
    `cancu extract --json` shape the document store keeps."""

    document: Document
    extraction: Extraction
    extraction_json: dict[str, Any]


def process_source(source: SourceText, laws: LawNameTable | None = None) -> ProcessedDocument:
    """Structure and extract one source.

    Raises ``UnreadableFileError`` for a source without usable text and
    ``DocumentProcessingError`` (naming the file) for any other failure.
    """
    try:
        document = build_document(source)
        extraction = extract(document, laws)
        return ProcessedDocument(document, extraction, extraction_to_json(extraction))
    except (UnreadableFileError, DocumentProcessingError):
        raise
    except Exception as err:  # noqa: BLE001 - any failure becomes a named error for this file
        raise as_file_error(source.source, err) from err


def as_file_error(source: str, err: Exception) -> CancuError:
    """``err``, raised while ingesting ``source``, as a ``CancuError`` naming the file.

    Shared with the step that stores a processed document, so every failure of one file
    reads the same way in an ingest report.
    """
    if isinstance(err, UnreadableFileError | DocumentProcessingError):
        return err
    if isinstance(err, CancuError):
        return DocumentProcessingError(source, str(err))
    log.exception("ingest failed for %s", source, exc_info=err)
    return DocumentProcessingError(source, f"could not be processed ({type(err).__name__}: {err})")
