"""Markdown (.md): the national code shape (``ingest.read.national``) or a plan."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import UnreadableFileError
from ingest.read.national import is_national_code, parse_national_text
from ingest.read.source import SourceText, decode_text, plan_source, read_bytes

__all__ = ["read_md"]


def read_md(path: Path) -> list[SourceText]:
    """The source documents of a national code file, or one plan."""
    data = read_bytes(path)
    text = decode_text(path, data)
    if is_national_code(text):
        docs = parse_national_text(text, str(path))
        if not docs:
            raise UnreadableFileError(path, "national code without attributable articles")
        return docs
    return [plan_source(path, text, data)]
