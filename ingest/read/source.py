"""``SourceText``, what every reader hands to ``build_document``, and the checks readers share."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import DocumentTooLargeError, UnreadableFileError
from ingest.read.legacy import decode_legacy

__all__ = [
    "CONTAINER_FACTOR",
    "MAX_DOCUMENT_BYTES",
    "Article",
    "SourceText",
    "check_size",
    "check_text",
    "decode_bytes",
    "decode_text",
    "file_hash",
    "plan_source",
    "read_bytes",
]

Article = tuple[str, str, str]  # (article id, title, text)

MAX_DOCUMENT_BYTES = 10_000_000
"""Default size limit of one document (file bytes, or extracted text of a PDF / Word file);
every reader takes ``max_bytes`` to override it."""

CONTAINER_FACTOR = 5
"""A PDF or Word file may be this many times ``max_bytes`` (images, fonts): its extracted
text is what ``max_bytes`` bounds."""


@dataclass(slots=True)
class SourceText:
    """What a reader hands to ``build_document``.

    ``articles`` is set for legal texts (possibly empty for metadata-only census laws) and
    None for plans; ``meta`` carries hints a reader knows better than the text (law
    number, type, dates, status). ``encoding`` is what a text file was converted from
    ("utf-8", "utf-8-sig", "utf-16", or a legacy "tcvn3", "vni", "cp1258"); None for
    PDF and Word files, whose text is Unicode already.
    """

    doc_id: str
    source: str
    raw_text: str
    kind: str = "plan"
    content_hash: str = ""
    articles: list[Article] | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    encoding: str | None = None


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


def decode_bytes(path: Path, data: bytes) -> tuple[str, str]:
    """(text, encoding it was converted from) of a text file.

    By BOM (UTF-8, UTF-16 LE/BE), else strict UTF-8, else UTF-16 without BOM (NULs every
    other byte), else a legacy Vietnamese 8-bit encoding (TCVN3, VNI, Windows-1258).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                path,
                f"undecodable text: marked UTF-8 by its BOM, but byte {exc.start + 3} is not UTF-8 ({exc.reason})",
            ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        if len(data) % 2:
            raise UnreadableFileError(
                path,
                f"undecodable text: marked UTF-16 by its BOM, but has an odd number of bytes ({len(data)}): truncated",
            )
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(
                path,
                f"undecodable text: marked UTF-16 by its BOM, but is not UTF-16 ({exc.reason})",
            ) from exc
    if b"\x00" in data[:4096]:
        return _decode_utf16_without_bom(path, data), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    legacy = decode_legacy(data)
    if legacy is None:
        raise UnreadableFileError(
            path, "unknown legacy encoding (not UTF-8, UTF-16, TCVN3, VNI or Windows-1258)"
        )
    return legacy


def _decode_utf16_without_bom(path: Path, data: bytes) -> str:
    # NULs every other byte: UTF-16 without BOM; otherwise binary.
    even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
    half = max(1, min(len(data), 4096) // 2)
    if max(even, odd) > half * 0.3 and min(even, odd) < half * 0.05:
        try:
            return data.decode("utf-16-le" if odd > even else "utf-16-be")
        except UnicodeDecodeError:
            pass
    raise UnreadableFileError(path, "binary content, not text")


def decode_text(path: Path, data: bytes) -> str:
    """The text of ``decode_bytes`` (without the encoding)."""
    return decode_bytes(path, data)[0]


def read_bytes(path: Path, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The file's bytes; unreadable, empty and oversize files are ``UnreadableFileError``.

    The size is checked before the file is read, so an oversize file costs nothing.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentTooLargeError(path, size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot open: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableFileError(path, "empty file")
    return data


def check_size(path: Path, text: str, max_bytes: int) -> str:
    """Refuse text beyond ``max_bytes`` (UTF-8) extracted from a container (PDF, Word)."""
    size = len(text.encode("utf-8", errors="replace"))
    if size > max_bytes:
        raise DocumentTooLargeError(path, size, max_bytes, what="text")
    return text


def plan_source(path: Path, text: str, data: bytes, encoding: str | None = None) -> SourceText:
    """A plan read from ``path``: id is the file stem, hash is of the file's bytes."""
    return SourceText(
        path.stem, str(path), check_text(path, text), "plan", file_hash(data), encoding=encoding
    )
