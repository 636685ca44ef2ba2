"""Answers about documents from the citation graph: cited_by, citations_of,
legal_document and document_meta.

Each returns an ``Answer`` whose evidence is the span of every fact it names, or None
when the graph has no facts for the question (``search_api.qa.answer`` then answers from
passages). Facts come from SPARQL over ``context.graph``; the document text only cuts
quotes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from graph import queries
from graph.queries import document_headers
from search_api.qa.evidence import (
    MAX_EVIDENCE,
    MAX_LISTED,
    Answer,
    DocumentReader,
    Evidence,
    citation_evidence,
    header_evidence,
    record_evidence,
)
from search_api.qa.parse import ParsedQuestion
from search_api.qa.scope import header_in_scope, in_scope, resolve_numbers, subject_docs

if TYPE_CHECKING:
    from search_api.qa.context import QAContext


def doc_label(info: dict[str, Any]) -> str:
    """ "Kế hoạch 3701/KH-UBND (Bắc Giang, 2015-12-15)" from a document info dict."""
    head = (
        " ".join(x for x in (info.get("doc_type"), info.get("number")) if x)
        or info.get("doc_id")
        or info.get("uri", "?")
    )
    extra = ", ".join(str(x) for x in (info.get("province"), info.get("date")) if x)
    return f"{head} ({extra})" if extra else head


def listing(labels: list[str]) -> str:
    """The first ``MAX_LISTED`` labels, then how many more."""
    shown = "; ".join(labels[:MAX_LISTED])
    return shown + (
        f"; và {len(labels) - MAX_LISTED} văn bản khác" if len(labels) > MAX_LISTED else ""
    )


def cited_by_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """ "Kế hoạch nào căn cứ X?": every citing document, its mention as evidence."""
    parts: list[str] = []
    evidence: list[Evidence] = []
    for ref in parsed.doc_refs:
        for number in resolve_numbers(context.graph, ref):
            records = [
                r
                for r in queries.cited_by(context.graph, number)
                if in_scope(r.get("citing_document", {}), parsed)
            ]
            if not records:
                continue
            labels = sorted({doc_label(r["citing_document"]) for r in records})
            basis = sum(1 for r in records if r.get("in_basis"))
            parts.append(
                f"{number} được {len(labels)} văn bản trích dẫn ({basis} lần ở phần căn cứ): {listing(labels)}."
            )
            for r in records:
                evidence += record_evidence(
                    docs, r.get("doc_id") or r["citing_document"].get("doc_id"), r
                )
    if not parts:
        return None
    return Answer(question, "graph", " ".join(parts), evidence[:MAX_EVIDENCE], [], parsed.to_json())


def _document_info(context: QAContext, doc_id: str) -> dict[str, Any]:
    """Number, type, province and date of an ingested document (not its attached plan)."""
    for header in document_headers(context.graph, doc_id):
        if not header["attached_plan"]:
            return header
    return {"doc_id": doc_id}


def citations_of_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """ "Tây Ninh năm 2019 căn cứ những văn bản nào?": what the matching documents cite."""
    parts: list[str] = []
    evidence: list[Evidence] = []
    for doc_id in subject_docs(context.graph, parsed):
        records = queries.citations_of(context.graph, doc_id)
        if any(r.get("in_basis") for r in records):
            records = [r for r in records if r.get("in_basis")]
        if not records:
            continue
        cited = [
            doc_label({**r.get("cited_document", {}), "province": None, "date": None})
            for r in records
        ]
        parts.append(
            f"{doc_label(_document_info(context, doc_id))} căn cứ {len(cited)} văn bản: "
            f"{listing(list(dict.fromkeys(cited)))}."
        )
        for r in records:
            evidence += record_evidence(docs, doc_id, r)
    if not parts:
        return None
    return Answer(
        question, "graph", " ".join(parts), evidence[: MAX_EVIDENCE * 2], [], parsed.to_json()
    )


def legal_document_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """ "Nghị định 64/2007 là gì?": title, date, type as the graph knows them, and who cites it."""
    for ref in parsed.doc_refs:
        for number in resolve_numbers(context.graph, ref):
            info = queries.legal_document(context.graph, number)
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
                if (ev := citation_evidence(docs, r))
            ]
            return Answer(question, "graph", text, evidence, [], parsed.to_json())
    return None


def iso_to_vn(date: str | None) -> str | None:
    """ "2019-03-05" -> "05/03/2019"; anything else unchanged."""
    if not date or not re.fullmatch(r"\d{4}-\d\d-\d\d", date):
        return date
    y, m, d = date.split("-")
    return f"{d}/{m}/{y}"


def document_meta_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """ "Kế hoạch CNTT năm 2017 của Hải Dương có số hiệu gì, ký ngày nào?": the header facts
    (number, date, issuer, signer) of the matching plans, each with the span it was read from."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for header in document_headers(context.graph):
        by_doc.setdefault(header["doc_id"], []).append(header)
    lines: list[str] = []
    evidence: list[Evidence] = []
    for doc_id, headers in by_doc.items():
        main = next((h for h in headers if not h["attached_plan"]), None)
        plan = next((h for h in headers if h["attached_plan"]), None)
        if main is None or docs.get(doc_id) is None:
            continue
        if not {h.get("province") for h in (main, plan) if h} & set(parsed.provinces):
            continue
        numbered = [h for h in (plan, main) if h is not None and h.get("number")]
        meta = next(
            (h for h in numbered if header_in_scope(h, parsed) or header_in_scope(main, parsed)),
            None,
        )
        if meta is None:
            continue
        parts = [f"{meta.get('doc_type') or 'Văn bản'} số {meta['number']}"]
        parts += [f"ngày {iso_to_vn(meta['date'])}"] if meta.get("date") else []
        parts += [f"của {meta['issuer']}"] if meta.get("issuer") else []
        parts += [f"người ký: {meta['signer']}"] if meta.get("signer") else []
        lines.append(", ".join(parts))
        evidence += header_evidence(docs, doc_id, meta["spans"])
    if not lines:
        return None
    return Answer(question, "graph", "; ".join(lines) + ".", evidence, [], parsed.to_json())
