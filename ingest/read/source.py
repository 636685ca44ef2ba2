"""``SourceText``, what every reader hands to ``build_document``, and the checks readers share."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import UnreadableFileError

__all__ = [
    "Article",
    "SourceText",
    "check_text",
    "decode_text",
    "file_hash",
    "plan_source",
    "read_bytes",
]

Article = tuple[str, str, str]  # (article id, title, text)


@dataclass(slots=True)
class SourceText:
    """What a reader hands to ``build_document``.

    ``articles`` is set for legal texts (possibly empty for metadata-only census laws) and
    None for plans; ``meta`` carries hints a reader knows better than the text (law
    number, type, dates, status).
    """

    doc_id: str
    source: str
    raw_text: str
    kind: str = "plan"
    content_hash: str = ""
    articles: list[Article] | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def file_hash(data: bytes) -> str:
    """Content hash of a file's bytes (or of a canonical JSON blob)."""
    return hashlib.sha1(data).hexdigest()


def check_text(path: Path, text: str) -> str:
    """Reject empty and binary-looking text with a message naming the problem."""
    if not text.strip():
        raise UnreadableFileError(path, "empty file (no text)")
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    if "\x00" in sample or controls > max(8, len(sample) // 50):
        raise UnreadableFileError(path, "binary content, not text")
    return text


def decode_text(path: Path, data: bytes) -> str:
    """Decode by BOM (UTF-8, UTF-16 LE/BE), else strict UTF-8, else UTF-16 without BOM."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8", errors="strict")
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(path, f"undecodable text ({exc.reason})") from exc
    if b"\x00" not in data[:4096]:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(path, f"not UTF-8 or UTF-16 text ({exc.reason})") from exc
    # NULs every other byte: UTF-16 without BOM; otherwise binary.
    even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
    half = max(1, min(len(data), 4096) // 2)
    if max(even, odd) > half * 0.3 and min(even, odd) < half * 0.05:
        try:
            return data.decode("utf-16-le" if odd > even else "utf-16-be")
        except UnicodeDecodeError:
            pass
    raise UnreadableFileError(path, "binary content, not text")


def read_bytes(path: Path) -> bytes:
    """The file's bytes; unreadable and empty files are ``UnreadableFileError``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot open: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableFileError(path, "empty file")
    return data


def plan_source(path: Path, text: str, data: bytes) -> SourceText:
    """A plan read from ``path``: id is the file stem, hash is of the file's bytes."""
    return SourceText(path.stem, str(path), check_text(path, text), "plan", file_hash(data))
