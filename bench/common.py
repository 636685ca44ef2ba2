"""Shared helpers for the benchmarks: corpora as cancu Documents, questions, metrics.

Corpora go through the real ingest path (``ingest.read.read_path`` +
``ingest.structure.build_document``), so the benchmarks score the passages cancu itself
indexes: one legal Document per law (``doc.id`` = law id verbatim, one passage per
article, several for long articles, ``article_id`` verbatim) and the plans as ingested.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ingest.lang.provinces import CITIES, PROVINCES
from ingest.model import Document
from ingest.read import read_path, read_paths
from ingest.structure import build_document
from search_api.retrieval.hybrid import DEPTH, Candidates, candidates_from_scores
from search_api.retrieval.index import SearchIndex
from search_api.retrieval.snapshot import IndexSnapshot
from search_api.retrieval.tokenize import clean_query, terms


@dataclass(slots=True)
class Question:
    id: str
    text: str
    gold: set[tuple[str, str]] = field(default_factory=set)  # (doc_id, article_id)
    evidence: str = ""  # plan questions: the evidence text
    doc_id: str = ""  # plan questions: the plan holding the evidence
    kind: str = ""


def law_documents(paths: Sequence[Path]) -> list[Document]:
    """Law corpora through ingest; a law filed in two corpora is kept once (first seen)."""
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
    """Plans through ingest, in path order."""
    docs: list[Document] = []
    for path in sorted(paths):
        docs.extend(build_document(s) for s in read_path(path))
    return docs


def add_distractors_option(ap: argparse.ArgumentParser) -> None:
    """``--distractors PATH ...`` (``distractor_documents``), as both plan benchmarks take it."""
    ap.add_argument(
        "--distractors",
        type=Path,
        nargs="+",
        default=[],
        help="files or folders indexed with the plans, holding no answer (corpus/national, "
        "../shared/dev-real/docs)",
    )


def distractor_documents(paths: Sequence[Path]) -> list[Document]:
    """Documents that hold no answer, indexed with the plans as a user's corpus holds them
    (the national texts shipped with cancu, other provinces' documents): read as ``cancu
    ingest`` reads folders (national codes merged, status tables set apart); a file that
    cannot be read is reported and skipped."""
    texts, errors = read_paths(paths, status_tables=[])
    for error in errors:
        print(f"  distractors: skipped {error}", file=sys.stderr)
    return [build_document(t) for t in texts]


def plan_index_name(distractors: Sequence[Path]) -> str:
    """The benchmark home's name for the plan index: "plans", or one per distractor set
    (an index only grows, so another set must not land in the same one)."""
    if not distractors:
        return "plans"
    key = "\n".join(sorted(str(p.resolve()) for p in distractors))
    return "plans+" + hashlib.sha256(key.encode()).hexdigest()[:10]


def alqac_questions(path: Path) -> list[Question]:
    """ALQAC questions: the ``text`` field; gold = relevant (law_id, article_id) pairs."""
    out: list[Question] = []
    for q in json.loads(path.read_text(encoding="utf-8")):
        gold = {(r["law_id"], str(r["article_id"])) for r in q["relevant_articles"]}
        out.append(Question(q["question_id"], q["text"], gold, kind=q.get("question_type", "")))
    return out


def gold_files(gold_dirs: Path | Sequence[Path]) -> list[Path]:
    """The question files of one or several gold folders (dev-gold, bench/data/plan_qa)."""
    dirs = [gold_dirs] if isinstance(gold_dirs, Path) else list(gold_dirs)
    return [f for d in dirs for f in sorted(d.glob("*.json"))]


def gold_questions(gold_dirs: Path | Sequence[Path]) -> list[Question]:
    """QA pairs of gold folders; relevance is judged later by evidence overlap."""
    out: list[Question] = []
    for f in gold_files(gold_dirs):
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


# A place a question names ("của tỉnh Tuyên Quang", "ở Bắc Giang"), with its preposition.
_PLACE_RE = re.compile(
    r"\s*(?<!\w)(?:(?:của|ở|tại|trên địa bàn)\s+)?(?:(?:tỉnh|thành phố|TP\.?)\s+)?(?:"
    + "|".join(re.escape(p) for p in sorted(PROVINCES + CITIES, key=len, reverse=True))
    + r")(?!\w)",
    re.IGNORECASE,
)


def named_by_number(questions: Sequence[Question], docs: Sequence[Document]) -> list[Question]:
    """Each plan question as a user who names the plan by its number asks it: "Theo Kế
    hoạch 20/KH-UBND, ..." with the place it names removed, so the number alone says
    which plan (id "<id>/number"). A plan without a number, or a question that already
    names it, gives none."""
    names: dict[str, str] = {}
    for doc in docs:
        meta = next((m for m in (doc.meta, doc.attached_plan) if m and m.number), None)
        if meta and meta.number:
            kind = meta.doc_type or ("Kế hoạch" if "/KH" in meta.number else "Quyết định")
            names[doc.id] = f"{kind} {meta.number}"
    out: list[Question] = []
    for q in questions:
        name = names.get(q.doc_id)
        if not name or name.split()[-1] in q.text:
            continue
        rest = " ".join(_PLACE_RE.sub("", q.text).split()).lstrip(" ,;:")
        rest = re.sub(r"\s+([,;:?])", r"\1", rest)
        out.append(
            Question(
                f"{q.id}/number",
                f"Theo {name}, {rest[:1].lower()}{rest[1:]}",
                evidence=q.evidence,
                doc_id=q.doc_id,
                kind=q.kind,
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


class Judged(Protocol):
    """What a relevance judge reads of a hit or a passage record."""

    doc_id: str
    source: str
    text: str
    article_id: str | None


@dataclass(frozen=True, slots=True)
class RecordView:
    """A passage record seen as a hit, so the judges score candidates before ranking."""

    doc_id: str
    source: str
    text: str
    article_id: str | None

    @classmethod
    def of(cls, record: dict[str, Any]) -> RecordView:
        return cls(record["doc_id"], record["source"], record["text"], record["article_id"])


def question_candidates(index: SearchIndex, question: str) -> tuple[IndexSnapshot, str, Candidates]:
    """(snapshot, cleaned query, candidates) exactly as the hybrid search sees them."""
    snap = index.snapshot()
    cleaned = clean_query(question) if index.clean_queries else question
    dense = index.dense.all_scores(index.embedder.embed_query(cleaned))
    bm25 = snap.lexical.scores(terms(cleaned))
    return snap, cleaned, candidates_from_scores(dense, bm25, DEPTH)
