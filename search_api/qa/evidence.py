"""Answers and their evidence: the dataclasses, and spans of document text as evidence.

A fact found in the graph becomes ``Evidence`` with the sentence around its mention as
quote and the mention highlighted; a search hit becomes passage evidence with its best
sentence highlighted. Document text is read once per answer (``DocumentReader``), only
to cut quotes and sentences: the facts themselves come from the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from search_api.qa.highlight import best_sentence, split_sentences

if TYPE_CHECKING:
    from ingest.model import Document
    from search_api.retrieval.idf import IdfFn
    from search_api.retrieval.index import SearchHit

MAX_EVIDENCE = 10
MAX_LISTED = 8  # documents or facts named in the answer text before "và N văn bản khác"


@dataclass(slots=True)
class Evidence:
    """One supporting span: ``quote == doc.text[start:end]``; ``highlight`` offsets are
    relative to the quote (``start``/``end``) and to the document (``doc_start``/``doc_end``)."""

    doc_id: str
    passage_id: str | None
    start: int
    end: int
    quote: str
    source: str = ""
    highlight: dict[str, Any] | None = None
    uri: str | None = None
    fact: str | None = None  # "citation" | "responsibility" | "project" | "target" | "passage"

    def to_json(self) -> dict[str, Any]:
        data = {
            "doc_id": self.doc_id,
            "passage_id": self.passage_id,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "highlight": self.highlight,
            "source": self.source,
            "fact": self.fact,
        }
        if self.uri:
            data["uri"] = self.uri
        return data


@dataclass(slots=True)
class Answer:
    question: str
    kind: str  # "graph" | "passages"
    answer: str
    evidence: list[Evidence] = field(default_factory=list)
    hits: list[dict[str, Any]] = field(default_factory=list)
    intent: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "kind": self.kind,
            "answer": self.answer,
            "evidence": [e.to_json() for e in self.evidence],
            "hits": self.hits,
            "intent": self.intent,
        }


class DocumentReader:
    """Documents read once per answer (several facts share a document)."""

    def __init__(self, read: Callable[[str], Document | None]) -> None:
        self._read = read
        self._documents: dict[str, Document | None] = {}

    def get(self, doc_id: str | None) -> Document | None:
        if not doc_id:
            return None
        if doc_id not in self._documents:
            self._documents[doc_id] = self._read(doc_id)
        return self._documents[doc_id]


def one_line(text: str, limit: int = 600) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def sentence_around(
    text: str, start: int, end: int, lo: int = 0, hi: int | None = None
) -> tuple[int, int]:
    """The span of the sentence(s) of ``text[lo:hi]`` covering ``[start, end)``."""
    hi = len(text) if hi is None else hi
    s_out, e_out = start, end
    for s, e in split_sentences(text[lo:hi]):
        if lo + s < end and start < lo + e:
            s_out, e_out = min(s_out, lo + s), max(e_out, lo + e)
    return s_out, e_out


def citation_evidence(docs: DocumentReader, record: dict[str, Any]) -> Evidence | None:
    """Evidence for one citation row of ``graph.queries`` (cited_by, legal_document)."""
    return mention_evidence(
        docs,
        record.get("doc_id"),
        record.get("passage_id"),
        record.get("start"),
        record.get("end"),
        "citation",
        uri=record.get("record"),
    )


def mention_evidence(
    docs: DocumentReader,
    doc_id: str | None,
    passage_id: str | None,
    start: Any,
    end: Any,
    fact: str,
    uri: str | None = None,
) -> Evidence | None:
    """Evidence for a fact mentioned at ``[start, end)``: the quote is the sentence around
    the mention (within its passage), the highlight is the mention itself."""
    doc = docs.get(doc_id)
    if doc is None or start is None or end is None:
        return None
    start, end = int(start), int(end)
    lo, hi = 0, len(doc.text)
    passage = next((p for p in doc.passages if p.id == passage_id), None) or doc.passage_at(start)
    if passage is not None and passage.start <= start and end <= passage.end:
        lo, hi = passage.start, passage.end
    qs, qe = sentence_around(doc.text, start, end, lo, hi)
    return Evidence(
        doc_id=doc.id,
        passage_id=passage.id if passage else passage_id,
        start=qs,
        end=qe,
        quote=doc.text[qs:qe],
        source=doc.source,
        highlight={
            "start": start - qs,
            "end": end - qs,
            "doc_start": start,
            "doc_end": end,
            "text": doc.text[start:end],
        },
        uri=uri,
        fact=fact,
    )


def hit_evidence(
    hit: SearchHit, question: str, docs: DocumentReader, idf: IdfFn | None
) -> Evidence:
    """Evidence for a search hit: the document span of the passage, its best sentence highlighted."""
    doc = docs.get(hit.doc_id)
    if doc is not None and 0 <= hit.start < hit.end <= len(doc.text):
        quote, start, end, source = doc.text[hit.start : hit.end], hit.start, hit.end, doc.source
    else:  # the document left the store after indexing: fall back to the indexed text
        quote, start, end, source = hit.text, hit.start, hit.end, hit.source
    hl = best_sentence(question, quote, idf)
    highlight = None
    if hl is not None:
        highlight = {
            "start": hl.start,
            "end": hl.end,
            "doc_start": start + hl.start,
            "doc_end": start + hl.end,
            "text": hl.text,
            "score": hl.score,
        }
    return Evidence(
        hit.doc_id, hit.passage_id, start, end, quote, source, highlight, fact="passage"
    )


def passage_evidence(
    docs: DocumentReader,
    doc_id: str | None,
    passage_id: str | None,
    needle: str,
    fact: str,
    uri: str | None,
) -> Evidence | None:
    """Evidence for a fact known by its passage: the passage span, the fact's text highlighted."""
    doc = docs.get(doc_id)
    if doc is None:
        return None
    passage = next((p for p in doc.passages if p.id == passage_id), None)
    if passage is None:
        return None
    quote = doc.text[passage.start : passage.end]
    hl = best_sentence(needle, quote)
    highlight = None
    if hl is not None:
        highlight = {
            "start": hl.start,
            "end": hl.end,
            "doc_start": passage.start + hl.start,
            "doc_end": passage.start + hl.end,
            "text": hl.text,
        }
    return Evidence(
        doc.id, passage.id, passage.start, passage.end, quote, doc.source, highlight, uri, fact
    )


def record_evidence(
    docs: DocumentReader, doc_id: str | None, record: dict[str, Any], limit: int = 2
) -> list[Evidence]:
    """Evidence for one citation record (``graph.queries``): its mentions, those in basis
    passages first (the "Căn cứ ..." / "Thực hiện ..." lines say why the document is cited)."""
    doc = docs.get(doc_id)
    mentions = record.get("mentions") or [record]
    if doc is not None:
        kinds = {p.id: p.kind for p in doc.passages}
        mentions = sorted(
            mentions,
            key=lambda m: (kinds.get(m.get("passage_id") or "") != "basis", m.get("start") or 0),
        )
    out: list[Evidence] = []
    for m in mentions[:limit]:
        ev = mention_evidence(
            docs,
            doc_id,
            m.get("passage_id"),
            m.get("start"),
            m.get("end"),
            "citation",
            uri=record.get("record"),
        )
        if ev:
            out.append(ev)
    return out


def header_evidence(
    docs: DocumentReader, doc_id: str, spans: dict[str, tuple[int, int]]
) -> list[Evidence]:
    """Evidence for header facts (``spans``: field -> (start, end)): number and date
    together when written together, then the signer."""
    pair = [spans[f] for f in ("number", "date") if f in spans]
    out: list[Evidence] = []
    if len(pair) == 2 and abs(pair[1][0] - pair[0][1]) < 120:
        lo, hi = min(s for s, _ in pair), max(e for _, e in pair)
        ev = mention_evidence(docs, doc_id, None, lo, hi, "header")
        out += [ev] if ev else []
    else:
        out += [ev for s, e in pair if (ev := mention_evidence(docs, doc_id, None, s, e, "header"))]
    if "signer" in spans:
        s, e = spans["signer"]
        out += [ev] if (ev := mention_evidence(docs, doc_id, None, s, e, "header")) else []
    return out
