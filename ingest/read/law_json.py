"""Law corpora as JSON (.json): ``[{"id", "articles": [{"id", "title", "text"}]}]``, or the
national census (``{"laws": [...]}``, see ``ingest.read.national``).

The JSON is checked field by field (ids, titles and texts are strings, or numbers for
ids), so a file of the wrong shape is one named error instead of a crash deep inside.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest.errors import UnreadableFileError
from ingest.read.national import census_documents
from ingest.read.source import (
    MAX_DOCUMENT_BYTES,
    Article,
    SourceText,
    decode_bytes,
    file_hash,
    read_bytes,
)

__all__ = ["law_source", "load_json", "read_json"]

LAW_SHAPE = '[{"id": ..., "articles": [{"id", "title", "text"}]}] or {"laws": [...]}'
META_FIELDS = ("title", "number", "date", "doc_type")


def load_json(path: Path, data: bytes) -> tuple[Any, str]:
    """(parsed JSON, encoding) of a file's bytes; syntax errors and nesting too deep for
    the parser are ``UnreadableFileError``."""
    text, encoding = decode_bytes(path, data)
    try:
        return json.loads(text), encoding
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(path, f"invalid JSON (line {exc.lineno}: {exc.msg})") from exc
    except RecursionError as exc:
        raise UnreadableFileError(path, "JSON nested too deeply to read") from exc


def _text_field(path: Path, where: str, name: str, value: Any, *, number_ok: bool) -> str:
    """A JSON value that must be text (or a number, for ids); None is the empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if number_ok and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise UnreadableFileError(
        path, f"{where}: {name!r} is {type(value).__name__}, expected text ({LAW_SHAPE})"
    )


def law_source(path: Path, law: dict[str, Any]) -> SourceText:
    """One legal ``SourceText`` for a law of the corpus (ids verbatim)."""
    law_id = _text_field(path, "law", "id", law.get("id"), number_ok=True)
    if not law_id.strip():
        raise UnreadableFileError(path, f"a law without an 'id' ({LAW_SHAPE})")
    where = f"law {law_id!r}"
    raw_articles = law.get("articles") or []
    if not isinstance(raw_articles, list):
        raise UnreadableFileError(path, f"{where}: 'articles' is not a list")
    articles: list[Article] = []
    for art in raw_articles:
        if not isinstance(art, dict) or art.get("id") is None:
            raise UnreadableFileError(path, f"{where}: article without 'id'")
        art_id = _text_field(path, where, "article id", art["id"], number_ok=True)
        at = f"{where} article {art_id!r}"
        title = _text_field(path, at, "title", art.get("title"), number_ok=False)
        text = _text_field(path, at, "text", art.get("text"), number_ok=False)
        articles.append((art_id, title, text))
    meta = {
        k: _text_field(path, where, k, law[k], number_ok=k == "number")
        for k in META_FIELDS
        if law.get(k)
    }
    blob = json.dumps(law, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return SourceText(law_id, f"{path}#{law_id}", "", "legal", file_hash(blob), articles, meta)


def read_json(path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> list[SourceText]:
    """A law corpus (one SourceText per law, ids verbatim) or the national census."""
    obj, encoding = load_json(path, read_bytes(path, max_bytes))
    if isinstance(obj, dict) and isinstance(obj.get("laws"), list):
        docs = census_documents(path, obj)
    elif isinstance(obj, list) and obj and all(isinstance(x, dict) for x in obj):
        docs = [law_source(path, law) for law in obj]
    elif isinstance(obj, list) and not obj:
        raise UnreadableFileError(path, "empty law corpus")
    else:
        raise UnreadableFileError(path, f"unknown JSON shape: expected {LAW_SHAPE}")
    for doc in docs:
        doc.encoding = encoding
    return docs
