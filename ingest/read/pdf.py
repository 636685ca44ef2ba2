"""PDF plans (.pdf, pypdf): the text layer of every page."""

from __future__ import annotations

import io
from pathlib import Path

from ingest.errors import UnreadableFileError
from ingest.read.source import (
    CONTAINER_FACTOR,
    MAX_DOCUMENT_BYTES,
    SourceText,
    check_size,
    plan_source,
    read_bytes,
)

__all__ = ["read_pdf"]


def read_pdf(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> list[SourceText]:
    """Text layer of every page (pypdf); scanned PDFs without text are unreadable.

    ``max_bytes`` bounds the extracted text (the file may be ``CONTAINER_FACTOR`` times
    larger: images, fonts).
    """
    from pypdf import PdfReader  # imported only when a PDF is read
    from pypdf.errors import PdfReadError

    data = read_bytes(path, max_bytes * CONTAINER_FACTOR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise UnreadableFileError(path, f"corrupt PDF ({exc})") from exc
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        raise UnreadableFileError(path, f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise UnreadableFileError(path, "PDF without a text layer (scanned?)")
    return [plan_source(path, check_size(path, text, max_bytes), data)]
