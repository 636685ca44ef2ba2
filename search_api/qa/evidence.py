"""Answers and their evidence: the dataclasses, spans read from stored documents, search.

The lower half of question answering (``search_api.qa.answer`` dispatches, ``search_api.qa.graph_answers``
answers from the graph): documents are read from the store once per answer (``_Docs``),
facts become ``Evidence`` with the sentence around a mention as quote, and search hits
become passage evidence with their best sentence highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph import queries
from search_api.qa.highlight import IdfFn, best_sentence, idf_from_term_lists, split_sentences
from search_api.qa.parse import ParsedQuestion

if TYPE_CHECKING:
    from ingest.model import Document, DocumentMeta
    from search_api.retrieval.index import SearchHit
    from search_api.workspace import Workspace

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


# ---------------------------------------------------------------------------
# Documents and spans
# ---------------------------------------------------------------------------


class _Docs:
    """Documents read from the store once per answer (several facts share a document)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._cache: dict[str, tuple[Document, dict[str, Any]] | None] = {}

    def get(self, doc_id: str | None) -> tuple[Document, dict[str, Any]] | None:
        if not doc_id:
            return None
        if doc_id not in self._cache:
            stored = self.workspace.docs.get(doc_id)
            self._cache[doc_id] = (stored.document, stored.extraction) if stored else None
        return self._cache[doc_id]

    def document(self, doc_id: str | None) -> Document | None:
        got = self.get(doc_id)
        return got[0] if got else None


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


def mention_evidence(
    docs: _Docs,
    doc_id: str | None,
    passage_id: str | None,
    start: Any,
    end: Any,
    fact: str,
    quote: str = "",
    uri: str | None = None,
) -> Evidence | None:
    """Evidence for a fact mentioned at ``[start, end)``: the quote is the sentence around
    the mention (within its passage), the highlight is the mention itself."""
    doc = docs.document(doc_id)
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


def hit_evidence(hit: SearchHit, question: str, docs: _Docs, idf: IdfFn | None) -> Evidence:
    """Evidence for a search hit: the document span of the passage, its best sentence highlighted."""
    doc = docs.document(hit.doc_id)
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


_IDF_CACHE: dict[tuple[int, int], IdfFn] = {}


def index_idf(workspace: Workspace) -> IdfFn | None:
    """IDF of search terms over every indexed passage, from the BM25 index's stored terms.

    Why the index: its terms are the ones highlighting compares (``tokenize_vi.terms``),
    already segmented, so no passage is segmented again at question time. Cached per
    index state; None when the index keeps no terms.
    """
    lexical = getattr(workspace.index, "lexical", None)
    term_lists = getattr(lexical, "terms", None)
    if not term_lists:
        return None
    key = (id(lexical), len(term_lists))
    if key not in _IDF_CACHE:
        if len(_IDF_CACHE) > 8:
            _IDF_CACHE.clear()
        _IDF_CACHE[key] = idf_from_term_lists(term_lists)
    return _IDF_CACHE[key]


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


def question_filters(parsed: ParsedQuestion, **extra: Any) -> Any:
    """Search filters from the question: only the province (a year in a question is
    usually the plan's period, not its date of issue, so it is not a filter)."""
    from search_api.retrieval.filters import SearchFilters

    province = parsed.provinces[0] if len(parsed.provinces) == 1 else None
    if province is None and not extra:
        return None
    return SearchFilters(province=province, **extra)


def search(
    workspace: Workspace,
    query: str,
    parsed: ParsedQuestion,
    k: int,
    *,
    filters: Any = None,
    mode: str = "hybrid",
    **extra: Any,
) -> list[SearchHit]:
    """Search with the question's filters merged into the caller's (the caller's win),
    topped up without the question's province when too few passages match."""
    from dataclasses import replace

    asked = question_filters(parsed, **extra)
    merged = asked
    if filters is not None:
        merged = replace(filters, province=filters.province or (asked.province if asked else None))
    hits = list(workspace.search(query, k=k, mode=mode, filters=merged))
    if (
        len(hits) < k
        and asked is not None
        and asked.province
        and not (filters and filters.province)
    ):
        seen = {h.passage_id for h in hits}
        relaxed = filters or question_filters(ParsedQuestion(parsed.text), **extra)
        more = workspace.search(query, k=k, mode=mode, filters=relaxed)
        hits += [h for h in more if h.passage_id not in seen][: k - len(hits)]
    return hits


def _one_line(text: str, limit: int = 600) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def record_evidence(
    docs: _Docs, doc_id: str | None, record: dict[str, Any], limit: int = 2
) -> list[Evidence]:
    """Evidence for one citation record: its mentions, those in basis passages first
    (the "Căn cứ ..." / "Thực hiện ..." lines say why the document is cited)."""
    doc = docs.document(doc_id)
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


def header_evidence(docs: _Docs, doc_id: str, meta: DocumentMeta) -> list[Evidence]:
    """Evidence for header facts: number and date together when written together."""
    spans = [meta.spans[f] for f in ("number", "date") if f in meta.spans]
    out: list[Evidence] = []
    if len(spans) == 2 and abs(spans[1].start - spans[0].end) < 120:
        lo, hi = min(s.start for s in spans), max(s.end for s in spans)
        ev = mention_evidence(docs, doc_id, None, lo, hi, "header")
        out += [ev] if ev else []
    else:
        out += [
            ev
            for s in spans
            if (ev := mention_evidence(docs, doc_id, None, s.start, s.end, "header"))
        ]
    if "signer" in meta.spans:
        s = meta.spans["signer"]
        out += (
            [ev] if (ev := mention_evidence(docs, doc_id, None, s.start, s.end, "header")) else []
        )
    return out


_DOC_ID_CACHE: dict[str, dict[str, str]] = {}


def _doc_id_of(workspace: Workspace, doc_uri: str | None) -> str | None:
    """Ingest id of a document node (plans are listed by ``queries.documents``)."""
    if not doc_uri:
        return None
    key = str(workspace.home)
    table = _DOC_ID_CACHE.get(key)
    if table is None or doc_uri not in table:
        table = {d["uri"]: d["doc_id"] for d in queries.documents(workspace.graph)}
        _DOC_ID_CACHE[key] = table
    return table.get(doc_uri)


def _passage_evidence(
    docs: _Docs, doc_id: str | None, passage_id: str | None, needle: str, fact: str, uri: str | None
) -> Evidence | None:
    """Evidence for a fact known by its passage: the passage span, the fact's text highlighted."""
    doc = docs.document(doc_id)
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


# -- projects and targets ----------------------------------------------------------


def _fact_mentions(docs: _Docs, doc_id: str | None, section: str, uri: str) -> list[dict[str, Any]]:
    """Mentions of one fact (by URI) in a document's stored extraction."""
    got = docs.get(doc_id)
    if got is None:
        return []
    for item in got[1].get(section, []):
        if item.get("uri") == uri:
            return list(item.get("mentions", []))
    return []
