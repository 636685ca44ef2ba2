"""Answer a Vietnamese question from the graph when it knows, else from passages.

Why two paths: "Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?" has an exact answer in the
citation graph, with the quote and span of every mention; "Hạn chót để Văn phòng UBND
tỉnh X hoàn tất ... là khi nào?" is answered by one sentence of one plan, found by hybrid
search and highlighted. Every answer carries evidence (document, passage, span, quote),
and the search hits are always returned too, so a reader can check beyond the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph import queries
from search_api.highlight import IdfFn, best_sentence, idf_from_term_lists, split_sentences
from search_api.question_parse import DocRef, ParsedQuestion, parse_question, ref_matches

if TYPE_CHECKING:
    from ingest.model import Document, DocumentMeta
    from search_api.search_index import SearchHit
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
    from search_api.filters import SearchFilters

    province = parsed.provinces[0] if len(parsed.provinces) == 1 else None
    if province is None and not extra:
        return None
    return SearchFilters(province=province, **extra)


def search(
    workspace: Workspace, query: str, parsed: ParsedQuestion, k: int, **extra: Any
) -> list[SearchHit]:
    """Hybrid search with the question's filters, topped up without them when too few."""
    filters = question_filters(parsed, **extra)
    hits = list(workspace.search(query, k=k, mode="hybrid", filters=filters))
    if len(hits) < k and filters is not None and filters.province:
        seen = {h.passage_id for h in hits}
        relaxed = question_filters(ParsedQuestion(parsed.text), **extra)
        more = workspace.search(query, k=k, mode="hybrid", filters=relaxed)
        hits += [h for h in more if h.passage_id not in seen][: k - len(hits)]
    return hits


def passage_answer(
    question: str,
    parsed: ParsedQuestion,
    workspace: Workspace,
    k: int,
    docs: _Docs,
    hits: list[SearchHit] | None = None,
) -> Answer:
    """The factoid path: best passages, the answer is the top passage's best sentence."""
    hits = hits if hits is not None else search(workspace, question, parsed, k)
    if not hits:
        return Answer(
            question,
            "passages",
            "Không tìm thấy đoạn văn bản nào liên quan.",
            [],
            [],
            parsed.to_json(),
        )
    idf = index_idf(workspace)
    evidence = [hit_evidence(h, question, docs, idf) for h in hits]
    top = evidence[0]
    text = (top.highlight or {}).get("text") or top.quote
    return Answer(
        question,
        "passages",
        _one_line(text),
        evidence,
        [h.to_json() for h in hits],
        parsed.to_json(),
    )


def _one_line(text: str, limit: int = 600) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# ---------------------------------------------------------------------------
# Graph answers
# ---------------------------------------------------------------------------


def resolve_numbers(workspace: Workspace, ref: DocRef) -> list[str]:
    """Canonical numbers in the graph that a (possibly short) reference names."""
    if ref.number:
        return [ref.number]
    cited = queries.most_cited(workspace.graph, limit=100000)
    numbers = [c["number"] for c in cited if c.get("number") and ref_matches(ref, c["number"])]
    return numbers


def _doc_label(info: dict[str, Any]) -> str:
    """ "Kế hoạch 3701/KH-UBND (Bắc Giang, 2015-12-15)" from a document info dict."""
    head = (
        " ".join(x for x in (info.get("doc_type"), info.get("number")) if x)
        or info.get("doc_id")
        or info.get("uri", "?")
    )
    extra = ", ".join(str(x) for x in (info.get("province"), info.get("date")) if x)
    return f"{head} ({extra})" if extra else head


def _in_scope(info: dict[str, Any], parsed: ParsedQuestion) -> bool:
    """Whether a document matches the province and years the question names."""
    if parsed.provinces and info.get("province") and info["province"] not in parsed.provinces:
        return False
    year = int(str(info["date"])[:4]) if info.get("date") else None
    if year is not None and parsed.year_from and year < parsed.year_from:
        return False
    return not (year is not None and parsed.year_to and year > parsed.year_to)


def _listing(labels: list[str]) -> str:
    shown = "; ".join(labels[:MAX_LISTED])
    return shown + (
        f"; và {len(labels) - MAX_LISTED} văn bản khác" if len(labels) > MAX_LISTED else ""
    )


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


def cited_by_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, docs: _Docs
) -> Answer | None:
    """ "Kế hoạch nào căn cứ X?": every citing document, its mention as evidence."""
    parts: list[str] = []
    evidence: list[Evidence] = []
    for ref in parsed.doc_refs:
        for number in resolve_numbers(workspace, ref):
            records = [
                r
                for r in queries.cited_by(workspace.graph, number)
                if _in_scope(r.get("citing_document", {}), parsed)
            ]
            if not records:
                continue
            labels = sorted({_doc_label(r["citing_document"]) for r in records})
            basis = sum(1 for r in records if r.get("in_basis"))
            parts.append(
                f"{number} được {len(labels)} văn bản trích dẫn ({basis} lần ở phần căn cứ): {_listing(labels)}."
            )
            for r in records:
                evidence += record_evidence(
                    docs, r.get("doc_id") or r["citing_document"].get("doc_id"), r
                )
    if not parts:
        return None
    return Answer(question, "graph", " ".join(parts), evidence[:MAX_EVIDENCE], [], parsed.to_json())


def _subject_docs(workspace: Workspace, parsed: ParsedQuestion) -> list[str]:
    """The documents a "what does ... cite" question is about: a number, or province + years."""
    ids: list[str] = []
    store = workspace.graph
    for ref in parsed.doc_refs:
        if ref.number:
            ids += [
                d["doc_id"]
                for d in queries.documents(store)
                if d.get("number") and ref_matches(ref, d["number"])
            ]
    if ids or not parsed.provinces:
        return sorted(set(ids))
    for province in parsed.provinces:
        ids += [
            d["doc_id"] for d in queries.documents(store, province=province) if _in_scope(d, parsed)
        ]
    return sorted(set(ids))


def citations_of_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, docs: _Docs
) -> Answer | None:
    """ "Tây Ninh năm 2019 căn cứ những văn bản nào?": what the matching documents cite."""
    doc_ids = _subject_docs(workspace, parsed)
    parts: list[str] = []
    evidence: list[Evidence] = []
    for doc_id in doc_ids:
        records = queries.citations_of(workspace.graph, doc_id)
        if any(r.get("in_basis") for r in records):
            records = [r for r in records if r.get("in_basis")]
        if not records:
            continue
        info = _doc_info_of(workspace, doc_id)
        cited = [
            _doc_label({**r.get("cited_document", {}), "province": None, "date": None})
            for r in records
        ]
        parts.append(
            f"{_doc_label(info)} căn cứ {len(cited)} văn bản: {_listing(list(dict.fromkeys(cited)))}."
        )
        for r in records:
            evidence += record_evidence(docs, doc_id, r)
    if not parts:
        return None
    return Answer(
        question, "graph", " ".join(parts), evidence[: MAX_EVIDENCE * 2], [], parsed.to_json()
    )


def _doc_info_of(workspace: Workspace, doc_id: str) -> dict[str, Any]:
    for entry in workspace.docs.list():
        if entry["id"] == doc_id:
            return {"doc_id": doc_id, **entry}
    return {"doc_id": doc_id}


def legal_document_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, docs: _Docs
) -> Answer | None:
    """ "Nghị định 64/2007 là gì?": title, date, type as the graph knows them, and who cites it."""
    for ref in parsed.doc_refs:
        for number in resolve_numbers(workspace, ref):
            info = queries.legal_document(workspace.graph, number)
            if not info:
                continue
            title = "; ".join(info.get("titles", [])[:1])
            date = ", ".join(str(d) for d in info.get("dates", [])[:2])
            kind = ", ".join(info.get("doc_types", [])[:1])
            text = f"{kind} {number}".strip()
            text += f" ngày {date}" if date else ""
            text += f" {title}" if title else ""
            text += f". Được {len(info.get('cited_by', []))} văn bản trích dẫn."
            evidence = [
                ev
                for r in info.get("citations", [])[:MAX_EVIDENCE]
                if (
                    ev := mention_evidence(
                        docs,
                        r.get("doc_id"),
                        r.get("passage_id"),
                        r.get("start"),
                        r.get("end"),
                        "citation",
                        uri=r.get("record"),
                    )
                )
            ]
            return Answer(question, "graph", text, evidence, [], parsed.to_json())
    return None


# -- document metadata --------------------------------------------------------------


def _period_years(period: str | None) -> tuple[int, int] | None:
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", period or "")]
    return (min(years), max(years)) if years else None


def meta_in_scope(meta: DocumentMeta, parsed: ParsedQuestion) -> bool:
    """A plan's header matches the question's years through its period or date."""
    if parsed.year_from is None and parsed.year_to is None:
        return True
    lo, hi = parsed.year_from or 0, parsed.year_to or 9999
    span = _period_years(meta.period) or _period_years(meta.date)
    return span is not None and span[0] <= hi and lo <= span[1]


def _iso_to_vn(date: str | None) -> str | None:
    if not date or not re.fullmatch(r"\d{4}-\d\d-\d\d", date):
        return date
    y, m, d = date.split("-")
    return f"{d}/{m}/{y}"


def document_meta_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, docs: _Docs
) -> Answer | None:
    """ "Kế hoạch CNTT năm 2017 của Hải Dương có số hiệu gì, ký ngày nào?": the header facts
    (number, date, issuer, signer) of the matching plans, each with the span it was read from."""
    lines: list[str] = []
    evidence: list[Evidence] = []
    for entry in workspace.docs.list():
        doc = docs.document(entry["id"])
        if doc is None or not {
            entry.get("province"),
            *(m.province for m in (doc.meta, doc.attached_plan) if m),
        } & set(parsed.provinces):
            continue
        metas = [m for m in (doc.attached_plan, doc.meta) if m is not None and m.number]
        meta = next(
            (m for m in metas if meta_in_scope(m, parsed) or meta_in_scope(doc.meta, parsed)), None
        )
        if meta is None:
            continue
        parts = [f"{meta.doc_type or 'Văn bản'} số {meta.number}"]
        parts += [f"ngày {_iso_to_vn(meta.date)}"] if meta.date else []
        parts += [f"của {meta.issuer}"] if meta.issuer else []
        parts += [f"người ký: {meta.signer}"] if meta.signer else []
        lines.append(", ".join(parts))
        evidence += header_evidence(docs, doc.id, meta)
    if not lines:
        return None
    return Answer(question, "graph", "; ".join(lines) + ".", evidence, [], parsed.to_json())


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


# -- agencies ---------------------------------------------------------------------


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def recorded_leads(docs: _Docs, ev: Evidence) -> list[dict[str, Any]]:
    """Lead agencies the extraction (the graph's source) records inside an evidence span:
    "lead" roles and projects with a lead agency. Those overlapping the highlighted
    sentence come first, so the sentence that answers decides."""
    got = docs.get(ev.doc_id)
    if got is None:
        return []
    ex = got[1]
    hl = ev.highlight or {}
    h_start, h_end = hl.get("doc_start", ev.start), hl.get("doc_end", ev.end)
    found: list[tuple[bool, dict[str, Any]]] = []
    for agency in ex.get("agencies", []):
        for role in agency.get("roles", []):
            rs, re_ = role.get("start"), role.get("end")
            if role.get("role") != "lead" or rs is None or not _overlaps(rs, re_, ev.start, ev.end):
                continue
            lead = {
                "name": agency["name"],
                "uri": agency.get("uri"),
                "start": rs,
                "end": re_,
                "fact": "responsibility",
            }
            found.append((_overlaps(rs, re_, h_start, h_end), lead))
    for project in ex.get("projects", []):
        if not project.get("lead_agency"):
            continue
        for m in project.get("mentions", []):
            if _overlaps(m["start"], m["end"], ev.start, ev.end):
                lead = {
                    "name": project["lead_agency"],
                    "uri": project.get("uri"),
                    "start": m["start"],
                    "end": m["end"],
                    "fact": "project",
                }
                found.append((_overlaps(m["start"], m["end"], h_start, h_end), lead))
                break
    if any(near for near, _ in found):
        found = [f for f in found if f[0]]
    return [lead for _, lead in found]


_GENITIVE_RE = re.compile(r"(?i)(?:của|theo|tại|với)\s*$")


def named_leads(ev: Evidence, section: str) -> list[str]:
    """Agencies named by the highlighted sentence before any "phối hợp" (partners come
    after it) and not as an owner ("Kế hoạch ... của UBND tỉnh"), else by the nearest section heading ("a) Sở Khoa học và Công nghệ:")."""
    from ingest.agency_mentions import find_mentions

    sentence = (ev.highlight or {}).get("text") or ""
    head = re.split(r"(?i)phối hợp", sentence, maxsplit=1)[0]
    names = [h.name for h in find_mentions(head, None) if not _GENITIVE_RE.search(head[: h.start])]
    if not names and section:
        names = [h.name for h in find_mentions(section.split(" > ")[-1], None)]
    return list(dict.fromkeys(names))


def lead_agency_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, k: int, docs: _Docs
) -> Answer | None:
    """ "Sở nào chủ trì X?": find the sentence that answers by search + highlighting, then
    read its lead agency from the extracted roles and projects (the graph's facts), else
    from the agencies the sentence or its heading names."""
    hits = search(workspace, question, parsed, k)
    idf = index_idf(workspace)
    evidence = [hit_evidence(h, question, docs, idf) for h in hits]
    sections = {h.passage_id: h.section for h in hits}
    for ev in evidence:
        leads = recorded_leads(docs, ev)
        names = list(dict.fromkeys(lead["name"] for lead in leads)) or named_leads(
            ev, sections.get(ev.passage_id, "")
        )
        if not names:
            continue
        facts = [
            e
            for lead in leads
            if (
                e := mention_evidence(
                    docs,
                    ev.doc_id,
                    ev.passage_id,
                    lead["start"],
                    lead["end"],
                    lead["fact"],
                    uri=lead.get("uri"),
                )
            )
        ]
        sentence = (ev.highlight or {}).get("text") or ev.quote
        text = f"{', '.join(names)} chủ trì: {_one_line(sentence, 300)}"
        rest = [e for e in evidence if e is not ev]
        return Answer(
            question,
            "graph",
            text,
            [ev, *facts, *rest],
            [h.to_json() for h in hits],
            parsed.to_json(),
        )
    return None


def agency_tasks_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, docs: _Docs
) -> Answer | None:
    """ "Nhiệm vụ của Sở X?": the responsibilities the graph records for the agency."""
    for agency in parsed.agencies:
        info = queries.agency_responsibilities(workspace.graph, agency.name)
        resp = [r for r in info.get("responsibilities", []) if r.get("task")]
        if parsed.provinces:
            allowed = set(
                _subject_docs(workspace, ParsedQuestion(parsed.text, provinces=parsed.provinces))
            )
            resp = [r for r in resp if _doc_id_of(workspace, r.get("document")) in allowed]
        if not resp:
            continue
        evidence: list[Evidence] = []
        for r in resp[:MAX_EVIDENCE]:
            doc_id = _doc_id_of(workspace, r.get("document"))
            ev = _passage_evidence(
                docs, doc_id, r.get("passage_id"), r["task"], "responsibility", r.get("uri")
            )
            if ev:
                evidence.append(ev)
        tasks = list(
            dict.fromkeys(
                f"{'chủ trì' if r['role'] == 'lead' else 'phối hợp'}: {r['task']}" for r in resp
            )
        )
        text = f"{agency.name} có {len(tasks)} nhiệm vụ; " + "; ".join(
            _one_line(t, 160) for t in tasks[:5]
        )
        return Answer(question, "graph", text, evidence, [], parsed.to_json())
    return None


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


def projects_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, docs: _Docs
) -> Answer | None:
    """ "Các dự án của Sở X / tỉnh P, kinh phí bao nhiêu?": projects from the graph with budgets."""
    leads = [a.name for a in parsed.agencies] or [None]
    provinces = parsed.provinces or [None]
    found: list[dict[str, Any]] = []
    for lead in leads:
        for province in provinces:
            found += queries.projects(workspace.graph, lead_agency=lead, province=province)
    found = list({p["uri"]: p for p in found}.values())
    if not found:
        return None
    evidence: list[Evidence] = []
    for p in found[:MAX_EVIDENCE]:
        doc_id = _doc_id_of(workspace, p.get("plan"))
        for m in _fact_mentions(docs, doc_id, "projects", p["uri"])[:1]:
            ev = mention_evidence(
                docs,
                doc_id,
                m.get("passage_id"),
                m.get("start"),
                m.get("end"),
                "project",
                uri=p["uri"],
            )
            if ev:
                evidence.append(ev)
    total = sum(p["budget_vnd_million"] or 0 for p in found)
    items = [
        f"{p['name']}"
        + (f" ({p['budget_vnd_million']:g} triệu đồng)" if p.get("budget_vnd_million") else "")
        for p in found
    ]
    text = f"{len(found)} dự án, tổng kinh phí ghi nhận {total:g} triệu đồng: " + "; ".join(
        _one_line(i, 150) for i in items[:MAX_LISTED]
    )
    return Answer(question, "graph", text, evidence, [], parsed.to_json())


def targets_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, docs: _Docs
) -> Answer | None:
    """ "Chỉ tiêu dịch vụ công mức độ 3 của P?": targets whose indicator shares the most
    content terms with the question."""
    from search_api.highlight import content_terms

    q_terms = set(content_terms(parsed.topic or question))
    found: list[dict[str, Any]] = []
    for province in parsed.provinces or [None]:
        found += queries.targets(workspace.graph, province=province)
    if parsed.year_from or parsed.year_to:
        lo, hi = parsed.year_from or 0, parsed.year_to or 9999
        spans = [(t, _period_years(str(t.get("year_or_period") or ""))) for t in found]
        found = [t for t, span in spans if span is None or (span[0] <= hi and lo <= span[1])]
    scored = sorted(
        ((len(q_terms & set(content_terms(t["indicator"]))), t) for t in found), key=lambda x: -x[0]
    )
    best = [t for s, t in scored if s > 0 and s >= scored[0][0] - 1][:MAX_LISTED] if scored else []
    if not best:
        return None
    evidence: list[Evidence] = []
    for t in best:
        doc_id = _doc_id_of(workspace, t.get("plan"))
        for m in _fact_mentions(docs, doc_id, "targets", t["uri"])[:1]:
            ev = mention_evidence(
                docs,
                doc_id,
                m.get("passage_id"),
                m.get("start"),
                m.get("end"),
                "target",
                uri=t["uri"],
            )
            if ev:
                evidence.append(ev)
    items = [
        f"{t['indicator']}: {t.get('value')}{t.get('unit') or ''}"
        + (f" ({t['year_or_period']})" if t.get("year_or_period") else "")
        for t in best
    ]
    text = "; ".join(_one_line(i, 200) for i in items)
    if evidence:  # the sentence often holds sibling targets the extraction split or missed
        text += f". Nguồn: “{_one_line(evidence[0].quote, 400)}”"
    return Answer(question, "graph", text, evidence, [], parsed.to_json())


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------

GraphHandler = Callable[[str, ParsedQuestion, "Workspace", "_Docs"], "Answer | None"]
_GRAPH_HANDLERS: dict[str, GraphHandler] = {
    "cited_by": cited_by_answer,
    "citations_of": citations_of_answer,
    "legal_document": legal_document_answer,
    "agency_tasks": agency_tasks_answer,
    "projects": projects_answer,
    "targets": targets_answer,
    "document_meta": document_meta_answer,
}


def answer(question: str, workspace: Workspace, k: int = 5) -> Answer:
    """Answer ``question``: from the graph when its intent is one the graph answers and
    the graph has facts, else from the best passages. Hits are always included."""
    parsed = parse_question(question)
    docs = _Docs(workspace)
    graph_answer: Answer | None = None
    if parsed.intent == "lead_agency":
        graph_answer = lead_agency_answer(question, parsed, workspace, k, docs)
    elif parsed.intent in _GRAPH_HANDLERS:
        graph_answer = _GRAPH_HANDLERS[parsed.intent](question, parsed, workspace, docs)
    if graph_answer is not None and graph_answer.hits:
        return graph_answer
    hits = search(workspace, question, parsed, k)
    passages = passage_answer(question, parsed, workspace, k, docs, hits)
    if graph_answer is None:
        return passages
    graph_answer.hits = (
        passages.hits
    )  # evidence stays the graph facts; hits let readers look further
    return graph_answer
