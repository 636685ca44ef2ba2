"""Plain text plans (.txt): UTF-8 with or without BOM, UTF-16 with or without BOM."""

from __future__ import annotations

from pathlib import Path

from ingest.read.source import SourceText, decode_text, plan_source, read_bytes

__all__ = ["read_txt"]


def read_txt(path: Path) -> list[SourceText]:
    """One plan from a text file."""
    data = read_bytes(path)
    return [plan_source(path, decode_text(path, data), data)]
