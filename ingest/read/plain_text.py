"""Plain text plans (.txt): UTF-8 or UTF-16 (BOM or not), or a legacy Vietnamese encoding."""

from __future__ import annotations

from pathlib import Path

from ingest.read.source import (
    MAX_DOCUMENT_BYTES,
    SourceText,
    decode_bytes,
    plan_source,
    read_bytes,
)

__all__ = ["read_txt"]


def read_txt(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> list[SourceText]:
    """One plan from a text file."""
    data = read_bytes(path, max_bytes)
    text, encoding = decode_bytes(path, data)
    return [plan_source(path, text, data, encoding)]
