"""Shared helpers for the benchmarks: corpora as cancu Documents, questions, metrics.

The benchmarks use the real ingest path (``ingest.read.readers.read_path`` +
``ingest.structure.document.build_document``) when it is available, and otherwise build
``Document``/``Passage`` objects straight from the JSON / text with the same conventions
(one legal Document per law, ``doc.id`` = law id verbatim, one passage per article,
several for long articles, ``article_id`` verbatim).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.model import Document, DocumentMeta, Passage, content_id

MAX_WORDS = 300


@dataclass(slots=True)
class Question:
    id: str
    text: str
    gold: set[tuple[str, str]] = field(default_factory=set)  # (doc_id, article_id)
    evidence: str = ""  # plan questions: the evidence text
    doc_id: str = ""  # plan questions: the plan holding the evidence
    kind: str = ""


def _chunks(text: str, max_words: int = MAX_WORDS) -> list[tuple[int, int]]:
    """Character spans covering ``text`` in paragraph-aligned pieces of <= max_words."""
    spans: list[tuple[int, int]] = []
    paras = [m.span() for m in re.finditer(r"[^\n]+", text)]
    start: int | None = None
    words, prev_end = 0, 0
    for s, e in paras:
        n = len(text[s:e].split())
        if start is not None and words + n > max_words:
            spans.append((start, prev_end))
            start, words = None, 0
        if start is None:
            start = s
        words += n
        prev_end = e
    if start is not None:
        spans.append((start, prev_end))
    return spans or [(0, len(text))]


def law_documents_from_json(paths: Sequence[Path]) -> list[Document]:
    """One legal Document per law, one passage per article (several for long ones)."""
    docs: list[Document] = []
    seen: set[str] = set()
    for path in paths:
        for law in json.loads(Path(path).read_text(encoding="utf-8")):
            if law["id"] in seen:
                continue
            seen.add(law["id"])
            parts: list[str] = []
            passages: list[Passage] = []
            offset = 0
            for art in law["articles"]:
                body = unicodedata.normalize("NFC", art["text"])
                title = body.split("\n", 1)[0].strip()
                for s, e in _chunks(body):
                    passages.append(
                        Passage(
                            id=content_id(law["id"], art["id"], body[s:e]),
                            doc_id=law["id"],
                            text=body[s:e],
                            start=offset + s,
                            end=offset + e,
                            kind="article",
                            section=f"Điều {art['id']}. {title}",
                            article_id=str(art["id"]),
                        )
                    )
                parts.append(body)
                offset += len(body) + 2
            docs.append(
                Document(
                    id=law["id"],
                    source=f"{path}#{law['id']}",
                    text="\n\n".join(parts),
                    kind="legal",
                    meta=DocumentMeta(doc_type="Luật", title=law["id"]),
                    passages=passages,
                    content_hash=content_id(*parts),
                )
            )
    return docs


def law_documents(paths: Sequence[Path]) -> list[Document]:
    """Law corpora through the real ingest path when it exists, else straight from JSON."""
    try:
        from ingest.read.readers import read_path
        from ingest.structure.document import build_document
    except ImportError:
        return law_documents_from_json(paths)
    docs: list[Document] = []
    seen: set[str] = set()
    for path in paths:
        for source in read_path(path):
            doc = build_document(source)
            if doc.id not in seen:
                seen.add(doc.id)
                docs.append(doc)
    return docs


def plan_documents(paths: Iterable[Path]) -> list[Document]:
    """Plans through the real ingest path when it exists, else paragraph chunks."""
    try:
        from ingest.read.readers import read_path
        from ingest.structure.document import build_document
    except ImportError:
        build_document = None  # type: ignore[assignment]
    docs: list[Document] = []
    for path in sorted(paths):
        if build_document is not None:
            docs.extend(build_document(s) for s in read_path(path))
            continue
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        passages = [
            Passage(
                id=content_id(path.stem, str(s), text[s:e]),
                doc_id=path.stem,
                text=text[s:e],
                start=s,
                end=e,
                kind="body",
            )
            for s, e in _chunks(text, 120)
        ]
        docs.append(
            Document(
                id=path.stem,
                source=str(path),
                text=text,
                meta=DocumentMeta(doc_type="Kế hoạch"),
                passages=passages,
                content_hash=content_id(text),
            )
        )
    return docs


def alqac_questions(path: Path) -> list[Question]:
    """ALQAC questions: the ``text`` field; gold = relevant (law_id, article_id) pairs."""
    out: list[Question] = []
    for q in json.loads(path.read_text(encoding="utf-8")):
        gold = {(r["law_id"], str(r["article_id"])) for r in q["relevant_articles"]}
        out.append(Question(q["question_id"], q["text"], gold, kind=q.get("question_type", "")))
    return out


def gold_questions(gold_dir: Path) -> list[Question]:
    """Dev-gold QA pairs; relevance is judged later by evidence overlap."""
    out: list[Question] = []
    for f in sorted(gold_dir.glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        stem = Path(data.get("doc_file", f.stem)).stem
        for qa in data.get("qa", []):
            out.append(
                Question(
                    qa["id"],
                    qa["question"],
                    evidence=qa["evidence"],
                    doc_id=stem,
                    kind=qa.get("kind", ""),
                )
            )
    return out


_WORD = re.compile(r"\w+", re.UNICODE)


def norm_tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def containment(evidence: str, passage: str) -> float:
    """Share of the evidence's tokens (multiset) found in the passage."""
    ev = norm_tokens(evidence)
    if not ev:
        return 0.0
    bag: dict[str, int] = {}
    for t in norm_tokens(passage):
        bag[t] = bag.get(t, 0) + 1
    hit = 0
    for t in ev:
        if bag.get(t, 0) > 0:
            bag[t] -= 1
            hit += 1
    return hit / len(ev)


def metrics(ranks: Sequence[int | None], cutoffs: Sequence[int] = (1, 5, 10)) -> dict[str, float]:
    """R@k and MRR@10 from the 1-based rank of the first relevant hit (None = not found)."""
    n = max(len(ranks), 1)
    out = {f"R@{k}": sum(1 for r in ranks if r is not None and r <= k) / n for k in cutoffs}
    out["MRR@10"] = sum(1.0 / r for r in ranks if r is not None and r <= 10) / n
    return out
