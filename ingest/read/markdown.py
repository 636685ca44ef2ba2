"""Markdown (.md): the national code shape (``ingest.read.national``) or a plan."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import UnreadableFileError
from ingest.read.national import is_national_code, parse_national_text
from ingest.read.source import (
    MAX_DOCUMENT_BYTES,
    SourceText,
    decode_bytes,
    plan_source,
    read_bytes,
)

__all__ = ["read_md"]


def read_md(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> list[SourceText]:
    """The source documents of a national code file, or one plan."""
    data = read_bytes(path, max_bytes)
    text, encoding = decode_bytes(path, data)
    if is_national_code(text):
        docs = parse_national_text(text, str(path))
        if not docs:
            raise UnreadableFileError(path, "national code without attributable articles")
        for doc in docs:
            doc.encoding = encoding
        return docs
    return [plan_source(path, text, data, encoding)]
