"""Law corpora as JSON (.json): ``[{"id", "articles": [{"id", "title", "text"}]}]``, or the
national census (``{"laws": [...]}``, see ``ingest.read.national``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest.errors import UnreadableFileError
from ingest.read.national import census_documents
from ingest.read.source import Article, SourceText, decode_text, file_hash, read_bytes

__all__ = ["law_source", "read_json"]


def law_source(path: Path, law: dict[str, Any]) -> SourceText:
    """One legal ``SourceText`` for a law of the corpus (ids verbatim)."""
    law_id = str(law["id"])
    raw_articles = law.get("articles") or []
    if not isinstance(raw_articles, list):
        raise UnreadableFileError(path, f"law {law_id!r}: 'articles' is not a list")
    articles: list[Article] = []
    for art in raw_articles:
        if not isinstance(art, dict) or "id" not in art:
            raise UnreadableFileError(path, f"law {law_id!r}: article without 'id'")
        articles.append((str(art["id"]), str(art.get("title") or ""), str(art.get("text") or "")))
    blob = json.dumps(law, ensure_ascii=False, sort_keys=True).encode("utf-8")
    meta = {k: law[k] for k in ("title", "number", "date", "doc_type") if law.get(k)}
    return SourceText(law_id, f"{path}#{law_id}", "", "legal", file_hash(blob), articles, meta)


def read_json(path: Path) -> list[SourceText]:
    """A law corpus (one SourceText per law, ids verbatim) or the national census."""
    data = read_bytes(path)
    try:
        obj = json.loads(decode_text(path, data))
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(path, f"invalid JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(obj, dict) and isinstance(obj.get("laws"), list):
        return census_documents(path)
    if not isinstance(obj, list) or not all(isinstance(x, dict) and "id" in x for x in obj):
        raise UnreadableFileError(
            path, 'unknown JSON shape: expected [{"id": ..., "articles": [{"id", "text"}]}]'
        )
    if not obj:
        raise UnreadableFileError(path, "empty law corpus")
    return [law_source(path, law) for law in obj]
