"""Passage records: what the index stores for each passage, built from a Document.

A record carries everything a hit and the filters need (text, span, section, province,
year, title...), so searching never has to look a document up in the document store.
"""

from __future__ import annotations

from typing import Any

from ingest.model import Document, Passage
from search_api.retrieval.embedding_cache import text_key
from search_api.retrieval.tokenize import with_heading


def year_of(date: str | None) -> int | None:
    """The year of an ISO date ("2016-01-20" -> 2016); None when there is none."""
    return int(date[:4]) if date and len(date) >= 4 and date[:4].isdigit() else None


def article_headings(doc: Document) -> dict[str, str]:
    """article id -> "Điều N. <title>", read from the article's first passage.

    A long article is cut into several passages and only the first carries the heading;
    the others get it back as context (see ``index_text``).
    """
    out: dict[str, str] = {}
    for p in doc.passages:
        if p.article_id is None or p.article_id in out:
            continue
        lines = [ln.strip() for ln in p.text.split("\n") if ln.strip()][:2]
        if lines and lines[0].lower().startswith("điều"):
            out[p.article_id] = " ".join(lines) if len(lines[0]) < 16 else lines[0]
    return out


def passage_record(doc: Document, p: Passage, heading: str | None = None) -> dict[str, Any]:
    """Everything a hit and the filters need, stored with the index (no docstore lookup)."""
    plan = doc.attached_plan
    meta = doc.meta
    return {
        "key": f"{doc.id}\x1f{p.id}",
        "passage_id": p.id,
        "doc_id": doc.id,
        "source": doc.source,
        "text": p.text,
        "start": p.start,
        "end": p.end,
        "kind": p.kind,
        "section": p.section,
        "heading": heading or (p.section.split(" > ")[-1].strip() if p.section else ""),
        "article_id": p.article_id,
        "province": meta.province or (plan.province if plan else None),
        "year": year_of(meta.date) or (year_of(plan.date) if plan else None),
        "doc_type": meta.doc_type,
        "doc_kind": doc.kind,
        "title": meta.title or (plan.title if plan else None) or doc.id,
        # What a question may name the document by: its own number and, for a decision
        # approving a plan, the plan's ("Kế hoạch 20/KH-UBND", "Quyết định 605/QĐ-UBND");
        # and the plan's period ("2016-2020"), which its title may not state.
        "numbers": [n for n in (meta.number, plan.number if plan else None) if n],
        "period": meta.period or (plan.period if plan else None),
        "text_key": text_key(" ".join(p.text.split()).lower()),
    }


def document_records(doc: Document) -> list[dict[str, Any]]:
    """The records of every passage of ``doc``, each with its article's heading."""
    headings = article_headings(doc)
    return [passage_record(doc, p, headings.get(p.article_id or "")) for p in doc.passages]


def index_text(record: dict[str, Any]) -> str:
    """What is embedded and BM25-tokenised: the passage with its heading context."""
    return with_heading(record["text"], record.get("heading", record["section"]))
