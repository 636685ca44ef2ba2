"""Answers from the citation graph, one per question intent the graph knows.

cited_by, citations_of, legal_document, lead_agency, agency_tasks, projects, targets and
document_meta: each returns an ``Answer`` whose evidence is the span of every fact it
names, or None when the graph has no facts for the question (``search_api.qa.answer`` then
answers from passages).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from graph import queries
from search_api.qa.evidence import (
    MAX_EVIDENCE,
    MAX_LISTED,
    Answer,
    Evidence,
    _doc_id_of,
    _Docs,
    _fact_mentions,
    _one_line,
    _passage_evidence,
    header_evidence,
    hit_evidence,
    index_idf,
    mention_evidence,
    record_evidence,
    search,
)
from search_api.qa.parse import DocRef, ParsedQuestion, ref_matches

if TYPE_CHECKING:
    from ingest.model import DocumentMeta
    from search_api.workspace import Workspace

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
    from ingest.extract.agency_mentions import find_mentions

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


# -- projects and targets ----------------------------------------------------------


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
    evidence = _facts_evidence(workspace, docs, found[:MAX_EVIDENCE], "projects", "project")
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


def _facts_evidence(
    workspace: Workspace, docs: _Docs, facts: list[dict[str, Any]], key: str, label: str
) -> list[Evidence]:
    """The first stated mention of each project / target fact, as evidence."""
    evidence: list[Evidence] = []
    for fact in facts:
        doc_id = _doc_id_of(workspace, fact.get("plan"))
        for m in _fact_mentions(docs, doc_id, key, fact["uri"])[:1]:
            ev = mention_evidence(
                docs,
                doc_id,
                m.get("passage_id"),
                m.get("start"),
                m.get("end"),
                label,
                uri=fact["uri"],
            )
            if ev:
                evidence.append(ev)
    return evidence


def targets_answer(
    question: str, parsed: ParsedQuestion, workspace: Workspace, docs: _Docs
) -> Answer | None:
    """ "Chỉ tiêu dịch vụ công mức độ 3 của P?": targets whose indicator shares the most
    content terms with the question."""
    from search_api.qa.highlight import content_terms

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
    evidence = _facts_evidence(workspace, docs, best, "targets", "target")
    items = [
        f"{t['indicator']}: {t.get('value')}{t.get('unit') or ''}"
        + (f" ({t['year_or_period']})" if t.get("year_or_period") else "")
        for t in best
    ]
    text = "; ".join(_one_line(i, 200) for i in items)
    if evidence:  # the sentence often holds sibling targets the extraction split or missed
        text += f". Nguồn: “{_one_line(evidence[0].quote, 400)}”"
    return Answer(question, "graph", text, evidence, [], parsed.to_json())
