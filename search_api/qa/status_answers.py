"""Answers about validity from the status facts in the graph (``graph.queries.status``):
"Nghị định 64/2007/NĐ-CP còn hiệu lực không?", "văn bản nào thay thế Quyết định
1819/QĐ-TTg?", "kế hoạch nào căn cứ văn bản đã hết hiệu lực?".

Each fact comes with its source as evidence (``fact="status"``: the checked source in
``source``, the fact stated in ``quote``; no span, it is no text of a stored document),
and plans with the span where they cite the ended document. A fact the graph lacks is
said plainly to be unknown, never guessed from the document's age.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph import queries
from search_api.qa.evidence import (
    Answer,
    DocumentReader,
    Evidence,
    citation_evidence,
)
from search_api.qa.graph_answers import iso_to_vn
from search_api.qa.parse import ParsedQuestion
from search_api.qa.scope import resolve_numbers

if TYPE_CHECKING:
    from search_api.qa.context import QAContext

MAX_LISTED = 10


def _numbers(items: list[dict[str, Any]]) -> str:
    return ", ".join(str(i.get("number") or i.get("uri")) for i in items)


def status_sentence(number: str, status: dict[str, Any]) -> str:
    """One Vietnamese sentence of what the graph knows of ``number``'s validity."""
    state = status.get("in_force")
    if state == "not_in_force":
        text = f"{number} không còn hiệu lực từ ngày {iso_to_vn(status['until'])}"
    elif state == "in_force" and status.get("checked_on"):
        text = f"{number} có hiệu lực" + (
            f" từ ngày {iso_to_vn(status['in_force_from'])}" if status.get("in_force_from") else ""
        )
        text += f"; nguồn kiểm tra ngày {iso_to_vn(status['checked_on'])} ghi còn hiệu lực"
    elif state in ("in_force", "partially_in_force"):
        text = f"{number} được ghi là {'còn' if state == 'in_force' else 'còn một phần'} hiệu lực"
    else:
        text = f"Chưa rõ: đồ thị không có thông tin về hiệu lực của {number}"
    if status.get("replaced_by"):
        text += f"; được thay thế bởi {_numbers(status['replaced_by'])}"
    elif state is not None:
        text += "; không có thông tin về văn bản thay thế"
    if status.get("amended_by"):
        text += f"; được sửa đổi, bổ sung bởi {_numbers(status['amended_by'])}"
    if status.get("replaces"):
        text += f"; thay thế {_numbers(status['replaces'])}"
    return text + "."


def source_evidence(sentence: str, sources: list[str], uri: str | None) -> list[Evidence]:
    """One evidence per checked source of a status fact."""
    return [
        Evidence(
            doc_id="",
            passage_id=None,
            start=0,
            end=0,
            quote=sentence,
            source=source,
            uri=uri,
            fact="status",
        )
        for source in sources
    ]


def legal_status_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """Is X in force, since when, what replaced or amended it, with each fact's source."""
    if not parsed.doc_refs:
        return None
    for ref in parsed.doc_refs:
        for number in resolve_numbers(context.graph, ref):
            status = queries.legal_status(context.graph, number)
            if status is None:
                continue
            text = status_sentence(number, status)
            uri = (status.get("uris") or [None])[0]
            evidence = source_evidence(text, status["sources"], uri)
            for relation in ("replaced_by", "amended_by"):
                for item in status[relation]:
                    evidence += source_evidence(text, item["sources"], item["uri"])
            if status["cited_after_end"]:
                plans = status["cited_after_end"]
                text += (
                    f" {len(plans)} kế hoạch vẫn căn cứ văn bản này sau khi hết hiệu lực: "
                    + ", ".join(str(p["plan_number"] or p["doc_id"]) for p in plans[:MAX_LISTED])
                    + "."
                )
                evidence += citing_evidence(context, docs, number, plans)
            return Answer(question, "graph", text, _unique(evidence), [], parsed.to_json())
    ref = parsed.doc_refs[0]
    text = f"Chưa rõ: đồ thị không có văn bản số {ref.number or ref.surface}."
    return Answer(question, "graph", text, [], [], parsed.to_json())


def citing_evidence(
    context: QAContext, docs: DocumentReader, number: str, plans: list[dict[str, Any]]
) -> list[Evidence]:
    """The spans where these plans cite ``number``."""
    wanted = {p["doc_id"] for p in plans}
    return [
        ev
        for r in queries.cited_by(context.graph, number)
        if r.get("doc_id") in wanted
        if (ev := citation_evidence(docs, r))
    ]


def cited_after_end_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """Plans citing a document on or after the day it stopped being in force."""
    numbers = [n for ref in parsed.doc_refs for n in resolve_numbers(context.graph, ref)]
    rows = (
        [r for n in numbers for r in queries.plans_citing_after_end(context.graph, n)]
        if numbers
        else queries.plans_citing_after_end(context.graph)
    )
    if parsed.provinces:
        in_provinces = {
            h["uri"]
            for h in queries.document_headers(context.graph)
            if h.get("province") in parsed.provinces
        }
        rows = [r for r in rows if r["plan"] in in_provinces]
    if not rows:
        text = (
            "Không có kế hoạch nào căn cứ văn bản đã hết hiệu lực, theo các thông tin hiệu lực "
            "đồ thị có (văn bản chưa có thông tin hiệu lực thì chưa rõ)."
        )
        return Answer(question, "graph", text, [], [], parsed.to_json())
    parts = []
    evidence: list[Evidence] = []
    for r in rows[:MAX_LISTED]:
        part = (
            f"{r['plan_number'] or r['doc_id']} ({iso_to_vn(r['plan_date'])}) căn cứ "
            f"{r['cited_number']} (hết hiệu lực từ {iso_to_vn(r['ended_on'])}"
        )
        part += f", thay thế bởi {', '.join(r['replaced_by'])})" if r["replaced_by"] else ")"
        parts.append(part)
        evidence += citing_evidence(context, docs, r["cited_number"], [r])
        evidence += source_evidence(part, r["sources"], r["cited"])
    more = f" (và {len(rows) - MAX_LISTED} trường hợp khác)" if len(rows) > MAX_LISTED else ""
    text = f"{len(rows)} trường hợp kế hoạch căn cứ văn bản đã hết hiệu lực: " + "; ".join(parts)
    return Answer(question, "graph", text + more + ".", _unique(evidence), [], parsed.to_json())


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for ev in evidence:
        key = (ev.doc_id, ev.start, ev.end, ev.source, ev.uri, ev.quote)
        if key not in seen:
            seen.add(key)
            out.append(ev)
    return out
