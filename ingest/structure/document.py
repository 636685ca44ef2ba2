"""``SourceText`` -> ``Document``: normalise, header, sections, tables, passages.

Plans go through every stage on their own text. Legal texts are rebuilt from their
articles as "Điều X. title\\ntext\\n\\n" (article ids verbatim as section labels), with the
metadata coming from the reader's hints (law number, type, dates, census status), since
their text has no header block. Odd text never raises: a stage that finds nothing gives
empty results. Only unusable input (no text at all) is an ``UnreadableFileError``.
"""

from __future__ import annotations

import re
from typing import Any

from ingest.errors import UnreadableFileError
from ingest.model import Document, DocumentMeta, Section
from ingest.read import LEGACY_ENCODINGS, SourceText
from ingest.structure.header import parse_header
from ingest.structure.normalize import normalize, normalize_inline
from ingest.structure.passages import make_passages
from ingest.structure.sections import parse_sections
from ingest.structure.tables import parse_tables

_META_FIELDS = ("doc_type", "number", "date", "issuer", "title")
_EXTRA_FIELDS = ("effective", "status", "short_name", "census_id", "url", "codes")


def _article_heading(article_id: str, title: str) -> str:
    """ "Điều 5. Title" for numeric ids; ids that already say "Điều ..." are kept."""
    label = article_id if article_id.lower().startswith("điều") else f"Điều {article_id}"
    return f"{label}. {title}".rstrip()


def _legal_text(articles: list[tuple[str, str, str]]) -> tuple[str, list[Section]]:
    """Document text and one article section per article (ids verbatim as labels)."""
    parts: list[str] = []
    sections: list[Section] = []
    pos = 0
    for n, (art_id, title, body) in enumerate(articles, 1):
        heading = normalize_inline(_article_heading(art_id, title))
        body_text = normalize(body).text.strip()
        chunk = f"{heading}\n{body_text}\n\n" if body_text else f"{heading}\n\n"
        end = pos + len(chunk.rstrip("\n"))
        sections.append(Section(f"a{n}", "article", art_id, title, pos, end, 1, None, None))
        parts.append(chunk)
        pos += len(chunk)
    return "".join(parts), sections


def _legal_meta(hints: dict[str, Any]) -> tuple[DocumentMeta, dict[str, Any]]:
    fields: dict[str, Any] = {k: hints.get(k) for k in _META_FIELDS}
    meta = DocumentMeta(**fields)
    extra = {k: hints[k] for k in _EXTRA_FIELDS if hints.get(k) is not None}
    return meta, extra


def build_legal(source: SourceText) -> Document:
    """A legal document from its articles (possibly none: census metadata only)."""
    text, sections = _legal_text(source.articles or [])
    meta, extra = _legal_meta(source.meta)
    doc = Document(
        id=source.doc_id,
        source=source.source,
        text=text,
        kind="legal",
        meta=meta,
        sections=sections,
        content_hash=source.content_hash,
        extra=extra,
    )
    doc.passages = make_passages(doc)
    return doc


def build_plan(source: SourceText) -> Document:
    """A plan through every structure stage."""
    norm = normalize(source.raw_text)
    text = norm.text
    if not text.strip():
        raise UnreadableFileError(source.source, "no text after normalisation")
    meta, attached = parse_header(text)
    sections = parse_sections(text)
    tables = parse_tables(text, sections)
    doc = Document(
        id=source.doc_id,
        source=source.source,
        text=text,
        kind="plan",
        meta=meta,
        attached_plan=attached,
        sections=sections,
        tables=tables,
        content_hash=source.content_hash,
    )
    if source.encoding in LEGACY_ENCODINGS:
        doc.extra["encoding"] = source.encoding  # converted from a legacy encoding
    for key, value in source.meta.items():
        if key in _META_FIELDS and value and getattr(doc.meta, key) is None:
            setattr(doc.meta, key, value)
    doc.passages = make_passages(doc)
    return doc


def build_document(source: SourceText) -> Document:
    """Compose the stages for one ``SourceText`` (plan or legal)."""
    if source.kind == "legal" or source.articles is not None:
        return build_legal(source)
    if not re.search(r"\w", source.raw_text or ""):
        raise UnreadableFileError(source.source, "no text")
    return build_plan(source)
