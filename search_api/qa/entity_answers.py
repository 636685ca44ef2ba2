"""Answers about agencies, projects and targets from the graph: lead_agency,
agency_tasks, projects and targets.

Each returns an ``Answer`` with the span of every fact it names as evidence, or None when
the graph has nothing for the question. Facts and their spans come from SPARQL over
``context.graph``; the document text only cuts quotes and sentences.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from graph import queries
from graph.queries import fact_mentions, lead_facts
from ingest.extract.agency_mentions import find_mentions
from search_api.qa.evidence import (
    MAX_EVIDENCE,
    MAX_LISTED,
    Answer,
    DocumentReader,
    Evidence,
    hit_evidence,
    mention_evidence,
    one_line,
    passage_evidence,
)
from search_api.qa.highlight import content_terms
from search_api.qa.parse import ParsedQuestion
from search_api.qa.scope import period_years, subject_docs
from search_api.qa.search import search_passages

if TYPE_CHECKING:
    from graph.store import GraphStore
    from search_api.qa.context import QAContext

# "Kế hoạch ... của UBND tỉnh": an agency after these words owns, it does not lead
GENITIVE_RE = re.compile(r"(?i)(?:của|theo|tại|với)\s*$")


def _doc_ids_by_uri(store: GraphStore) -> dict[str, str]:
    """Document node URI -> ingest id (documents and their attached plans)."""
    return {d["uri"]: d["doc_id"] for d in queries.documents(store)}


def stated_leads(store: GraphStore, ev: Evidence) -> list[dict[str, Any]]:
    """Lead agencies the graph states inside an evidence span ("lead" responsibilities and
    projects with a lead agency). Those overlapping the highlighted sentence come first,
    so the sentence that answers decides."""
    hl = ev.highlight or {}
    h_start, h_end = hl.get("doc_start", ev.start), hl.get("doc_end", ev.end)
    found = [
        (lead["start"] < h_end and h_start < lead["end"], lead)
        for lead in lead_facts(store, ev.doc_id, ev.start, ev.end)
    ]
    if any(near for near, _ in found):
        found = [f for f in found if f[0]]
    return [lead for _, lead in found]


def named_leads(ev: Evidence, section: str) -> list[str]:
    """Agencies named by the highlighted sentence before any "phối hợp" (partners come
    after it) and not as an owner ("Kế hoạch ... của UBND tỉnh"), else by the nearest
    section heading ("a) Sở Khoa học và Công nghệ:")."""
    sentence = (ev.highlight or {}).get("text") or ""
    head = re.split(r"(?i)phối hợp", sentence, maxsplit=1)[0]
    names = [h.name for h in find_mentions(head, None) if not GENITIVE_RE.search(head[: h.start])]
    if not names and section:
        names = [h.name for h in find_mentions(section.split(" > ")[-1], None)]
    return list(dict.fromkeys(names))


def lead_agency_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, k: int, docs: DocumentReader
) -> Answer | None:
    """ "Sở nào chủ trì X?": find the sentence that answers by search + highlighting, then
    read its lead agency from the graph's roles and projects, else from the agencies the
    sentence or its heading names."""
    hits = search_passages(context, question, parsed, k)
    idf = context.term_idf()
    evidence = [hit_evidence(h, question, docs, idf) for h in hits]
    sections = {h.passage_id: h.section for h in hits}
    for ev in evidence:
        leads = stated_leads(context.graph, ev)
        names = list(dict.fromkeys(lead["name"] for lead in leads)) or named_leads(
            ev, sections.get(ev.passage_id or "", "")
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
        text = f"{', '.join(names)} chủ trì: {one_line(sentence, 300)}"
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
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """ "Nhiệm vụ của Sở X?": the responsibilities the graph records for the agency."""
    doc_ids: dict[str, str] | None = None
    for agency in parsed.agencies:
        info = queries.agency_responsibilities(context.graph, agency.name)
        resp = [r for r in info.get("responsibilities", []) if r.get("task")]
        if not resp:
            continue
        doc_ids = doc_ids if doc_ids is not None else _doc_ids_by_uri(context.graph)
        if parsed.provinces:
            scope = ParsedQuestion(parsed.text, provinces=parsed.provinces)
            allowed = set(subject_docs(context.graph, scope))
            resp = [r for r in resp if doc_ids.get(r.get("document") or "") in allowed]
        if not resp:
            continue
        evidence: list[Evidence] = []
        for r in resp[:MAX_EVIDENCE]:
            doc_id = doc_ids.get(r.get("document") or "")
            ev = passage_evidence(
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
            one_line(t, 160) for t in tasks[:5]
        )
        return Answer(question, "graph", text, evidence, [], parsed.to_json())
    return None


def _facts_evidence(
    context: QAContext, docs: DocumentReader, facts: list[dict[str, Any]], label: str
) -> list[Evidence]:
    """The first stated mention of each project / target fact in its plan, as evidence."""
    doc_ids = _doc_ids_by_uri(context.graph)
    mentions = fact_mentions(context.graph, [f["uri"] for f in facts])
    evidence: list[Evidence] = []
    for fact in facts:
        doc_id = doc_ids.get(fact.get("plan") or "")
        stated = [m for m in mentions.get(fact["uri"], []) if m["doc_id"] == doc_id]
        for m in stated[:1]:
            ev = mention_evidence(
                docs, doc_id, m["passage_id"], m["start"], m["end"], label, uri=fact["uri"]
            )
            if ev:
                evidence.append(ev)
    return evidence


def projects_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """ "Các dự án của Sở X / tỉnh P, kinh phí bao nhiêu?": projects from the graph with budgets."""
    leads: list[str | None] = [a.name for a in parsed.agencies] or [None]
    provinces: list[str | None] = [*parsed.provinces] or [None]
    found: list[dict[str, Any]] = []
    for lead in leads:
        for province in provinces:
            found += queries.projects(context.graph, lead_agency=lead, province=province)
    found = list({p["uri"]: p for p in found}.values())
    if not found:
        return None
    evidence = _facts_evidence(context, docs, found[:MAX_EVIDENCE], "project")
    total = sum(p["budget_vnd_million"] or 0 for p in found)
    items = [
        f"{p['name']}"
        + (f" ({p['budget_vnd_million']:g} triệu đồng)" if p.get("budget_vnd_million") else "")
        for p in found
    ]
    text = f"{len(found)} dự án, tổng kinh phí ghi nhận {total:g} triệu đồng: " + "; ".join(
        one_line(i, 150) for i in items[:MAX_LISTED]
    )
    return Answer(question, "graph", text, evidence, [], parsed.to_json())


def targets_answer(
    question: str, parsed: ParsedQuestion, context: QAContext, docs: DocumentReader
) -> Answer | None:
    """ "Chỉ tiêu dịch vụ công mức độ 3 của P?": targets whose indicator shares the most
    content terms with the question."""
    q_terms = set(content_terms(parsed.topic or question))
    found: list[dict[str, Any]] = []
    provinces: list[str | None] = [*parsed.provinces] or [None]
    for province in provinces:
        found += queries.targets(context.graph, province=province)
    if parsed.year_from or parsed.year_to:
        lo, hi = parsed.year_from or 0, parsed.year_to or 9999
        spans = [(t, period_years(str(t.get("year_or_period") or ""))) for t in found]
        found = [t for t, span in spans if span is None or (span[0] <= hi and lo <= span[1])]
    scored = sorted(
        ((len(q_terms & set(content_terms(t["indicator"]))), t) for t in found), key=lambda x: -x[0]
    )
    best = [t for s, t in scored if s > 0 and s >= scored[0][0] - 1][:MAX_LISTED] if scored else []
    if not best:
        return None
    evidence = _facts_evidence(context, docs, best, "target")
    items = [
        f"{t['indicator']}: {t.get('value')}{t.get('unit') or ''}"
        + (f" ({t['year_or_period']})" if t.get("year_or_period") else "")
        for t in best
    ]
    text = "; ".join(one_line(i, 200) for i in items)
    if evidence:  # the sentence often holds sibling targets the extraction split or missed
        text += f". Nguồn: “{one_line(evidence[0].quote, 400)}”"
    return Answer(question, "graph", text, evidence, [], parsed.to_json())
