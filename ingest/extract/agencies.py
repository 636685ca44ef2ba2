"""Agencies of a plan: mentions -> merged, province-scoped ``Agency`` records with roles.

Why scoping: every province has its own "Sở Thông tin và Truyền thông", so provincial
bodies keep their plain name but get the plan's province in ``province`` and the URI;
national bodies (ministries, Chính phủ, national enterprises) have one URI nationwide.
Why roles: who leads (chủ trì) and who supports (phối hợp) a task is what readers ask;
plans say it in a heading ("2. Sở Thông tin và Truyền thông: a) Chủ trì ..."), inline
("Sở X chủ trì, phối hợp với Y"), as labels ("Cơ quan chủ trì: X") or in table columns.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from ingest.extract.agency_mentions import Hit, find_mentions, infer_province, resolve_overlaps
from ingest.extract.collective_mentions import (
    collective_class_of,
    collective_hits,
    office_and_sector_hits,
    partner_hits,
)
from ingest.lang.agency_gazetteer import fold, name_key
from ingest.model import Agency, Document, Mention, Table
from ontology.uris import agency_uri

PROVINCE_COMMITTEE = "Ủy ban nhân dân tỉnh"


def province_committee_uri(province: str) -> str:
    """The provincial people's committee: parent of every provincial body."""
    return agency_uri(PROVINCE_COMMITTEE, province)


def doc_province(doc: Document) -> str | None:
    """The plan's province: header metadata first, else the text's most named province."""
    for meta in (doc.meta, doc.attached_plan):
        if meta is not None and meta.province:
            return meta.province
    return infer_province(doc.text)


def all_mentions(text: str, province: str | None) -> list[Hit]:
    """Single bodies, collective bodies and outside partners, overlaps resolved."""
    folded = fold(text)
    hits = find_mentions(text, province) + collective_hits(text, folded)
    hits += office_and_sector_hits(text, folded)
    return resolve_overlaps(hits + partner_hits(text, folded))


def display_name(hit: Hit, province: str | None) -> str:
    """Canonical name of a hit: the gazetteer name, or a free name without the province
    qualifier and with the head capitalised ("Ban chỉ đạo CNTT tỉnh" -> "Ban Chỉ đạo CNTT")."""
    if hit.source != "generic":
        return hit.name
    name = hit.name
    name = re.sub(r"\s+(?:của\s+)?[tT]ỉnh(?:\s+\S.*)?$", "", name)
    if province and name.startswith(("Trung tâm", "Ban")) and name.endswith(" " + province):
        name = name[: -len(province) - 1]
    name = re.sub(r"^Ban chỉ đạo", "Ban Chỉ đạo", name)
    name = re.sub(r"^BCĐ", "Ban Chỉ đạo", name)
    return name.strip()


@dataclass(slots=True)
class ScopedHit:
    hit: Hit
    name: str
    province: str | None
    key: str


def scope_hits(hits: list[Hit], province: str | None) -> list[ScopedHit]:
    out = []
    for h in hits:
        prov = (
            None
            if h.national
            else (h.province if h.province and h.source != "generic" else province)
        )
        if prov and prov.isupper():
            prov = prov.title()
        if prov and province and fold(prov) == fold(province):
            prov = province
        name = display_name(h, province)
        key = f"{name_key(name, prov)}|{prov or 'vn'}"
        out.append(ScopedHit(h, name, prov, key))
    return out


def _level(hit: Hit) -> str:
    return hit.level


def build_agencies(doc: Document, scoped: list[ScopedHit]) -> dict[str, Agency]:
    """Merge scoped hits by key into Agency records (aliases = other surface forms)."""
    agencies: dict[str, Agency] = {}
    for sh in scoped:
        h = sh.hit
        ag = agencies.get(sh.key)
        if ag is None:
            parent = None
            if sh.province and not (h.kind == "UBND" and h.level == "tỉnh"):
                parent = province_committee_uri(sh.province)
            ag = Agency(
                name=sh.name,
                level=_level(h),
                province=sh.province,
                uri=agency_uri(sh.name, sh.province),
                kind=h.kind,
                parent_uri=parent,
            )
            if h.source == "collective":
                cls = collective_class_of(sh.name)
                ag.collective = cls.key if cls else None
            agencies[sh.key] = ag
        elif h.source == "generic" and len(sh.name) > len(ag.name) and "CNTT" not in sh.name:
            ag.aliases.append(ag.name)
            ag.name = sh.name
            ag.uri = agency_uri(sh.name, sh.province)
        surface = re.sub(r"\s+", " ", h.surface).strip()
        if surface != ag.name and surface not in ag.aliases:
            ag.aliases.append(surface)
        p = doc.passage_at(h.start) if doc.passages else None
        ag.mentions.append(Mention(h.start, h.end, doc.text[h.start : h.end], p.id if p else None))
    for ag in agencies.values():
        ag.aliases = [a for a in ag.aliases if a != ag.name]
    return agencies


def extract_agencies(doc: Document) -> list[Agency]:
    """Every agency the plan names, merged over aliases, with lead/partner roles."""
    province = doc_province(doc)
    scoped = scope_hits(all_mentions(doc.text, province), province)
    agencies = build_agencies(doc, scoped)
    for key, role in assign_roles(doc, scoped):
        ag = agencies.get(key)
        if ag is not None and not any(
            r["role"] == role["role"] and r["start"] == role["start"] for r in ag.roles
        ):
            ag.roles.append(role)
    return sorted(agencies.values(), key=lambda a: a.mentions[0].start if a.mentions else 0)


# ---------------------------------------------------------------- roles

_HEADING_RE = re.compile(r"^[ \t]*(?P<label>[IVX]+|\d+(?:\.\d+)*)[.)]?\s+(?P<body>\S.*)$")
_BULLET_RE = re.compile(r"^[ \t]*(?:[a-zđ]\)|[-+*•]|\d+\))\s*")
_LEAD_CUE = re.compile(
    r"(?:chủ trì|có trách nhiệm|chịu trách nhiệm|là cơ quan thường trực|làm đầu mối)"
)
_PARTNER_CUE = re.compile(r"(?:phối hợp(?:\s+(?:chặt chẽ\s+)?với)?|tham gia)")
_CLAUSE_END = re.compile(
    r"[;.:]|\n|\b(?:tham mưu|xây dựng|triển khai|tổ chức|trình|đề xuất|bố trí|hướng dẫn|kết nối|thực hiện"
    r"|chỉ đạo|tổng hợp|báo cáo|ban hành|rà soát|đánh giá|kiểm tra|cân đối|nghiên cứu|lập|theo dõi|để)\b"
)
_SCOPE_END = re.compile(
    r"^\s*(?:nơi nhận|tm\.|kt\.|chủ tịch\s*$|phụ lục|bản điện tử)", re.IGNORECASE
)
_LABEL_RE = re.compile(r"(?:cơ quan|đơn vị)\s+(chủ trì|phối hợp)\s*:\s*", re.IGNORECASE)


def _depth(label: str) -> int:
    return 0 if re.fullmatch(r"[IVX]+", label) else label.count(".") + 1


def _short(text: str, limit: int = 160) -> str:
    text = _BULLET_RE.sub("", re.sub(r"\s+", " ", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _role(doc: Document, role: str, task: str, start: int, end: int) -> dict[str, Any]:
    p = doc.passage_at(start) if doc.passages else None
    return {
        "role": role,
        "task": _short(task),
        "passage_id": p.id if p else None,
        "start": start,
        "end": end,
    }


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _hits_in(scoped: list[ScopedHit], start: int, end: int) -> list[ScopedHit]:
    """Hits starting in [start, end): a slice, as ``scoped`` is in text order."""
    lo = bisect_left(scoped, start, key=_hit_start)
    hi = bisect_left(scoped, end, key=_hit_start)
    return scoped[lo:hi] if lo < hi else []


def _hit_start(sh: ScopedHit) -> int:
    return sh.hit.start


def _partners_after(text: str, scoped: list[ScopedHit], start: int, end: int) -> list[ScopedHit]:
    """Agencies listed after "phối hợp với" in a clause (up to ";" or ".")."""
    seg = fold(text[start:end])
    m = _PARTNER_CUE.search(seg)
    if m is None:
        return []
    stop = _CLAUSE_END.search(seg[m.end() :])
    clause_end = start + m.end() + (stop.start() if stop else len(seg) - m.end())
    return _hits_in(scoped, start + m.end(), clause_end)


def assign_roles(doc: Document, scoped: list[ScopedHit]) -> list[tuple[str, dict[str, Any]]]:
    """(agency key, role dict) pairs from headings, inline cues, labels and tables."""
    text = doc.text
    out: list[tuple[str, dict[str, Any]]] = []
    lines = _lines(text)
    heading: tuple[int, list[ScopedHit]] | None = None
    for ls, le in lines:
        line = text[ls:le]
        m = _HEADING_RE.match(line)
        if m and len(m.group("body")) < 400:
            depth = _depth(m.group("label"))
            if heading is not None and depth <= heading[0]:
                heading = None
            body_start = ls + m.start("body")
            body = m.group("body")
            head_end = body_start + (body.index(":") if ":" in body else len(body))
            named = _hits_in(scoped, body_start, head_end)
            tail = fold(text[named[-1].hit.end : head_end]).strip(" .,") if named else ""
            if (
                named
                and named[0].hit.start - body_start <= 12
                and len(tail) <= 40
                and not _LEAD_CUE.search(tail)
            ):
                heading = (depth, named)
                rest = text[head_end + 1 : le].strip() if ":" in body else ""
                if rest:
                    out += _unit_roles(doc, scoped, named, head_end + 1, le)
                continue
        if heading is not None and _SCOPE_END.match(line):
            heading = None
        if heading is not None and line.strip() and not line.startswith("\t"):
            out += _unit_roles(doc, scoped, heading[1], ls, le)
    out += _inline_roles(doc, scoped, lines)
    out += _table_roles(doc, scoped)
    return out


def _unit_roles(
    doc: Document, scoped: list[ScopedHit], heads: list[ScopedHit], start: int, end: int
) -> list[tuple[str, dict[str, Any]]]:
    """One task line under an agency heading: the heading agencies lead it unless the
    line starts with "Phối hợp"; agencies after "phối hợp với" are partners."""
    unit = _BULLET_RE.sub("", doc.text[start:end]).strip()
    if not unit:
        return []
    role = "partner" if re.match(r"(?:phối hợp|tham gia)", fold(unit)) else "lead"
    out = [(h.key, _role(doc, role, unit, start, end)) for h in heads]
    partners = _partners_after(doc.text, scoped, start, end)
    if role == "lead":
        out += [
            (p.key, _role(doc, "partner", unit, start, end))
            for p in partners
            if p.key not in {h.key for h in heads}
        ]
    return out


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s = [], start
    for m in re.finditer(r"[.;](?=\s|$)|\n", text[start:end]):
        out.append((s, start + m.end()))
        s = start + m.end()
    if s < end:
        out.append((s, end))
    return out


def _inline_roles(
    doc: Document, scoped: list[ScopedHit], lines: list[tuple[int, int]]
) -> list[tuple[str, dict[str, Any]]]:
    """ "Sở X chủ trì, phối hợp với Y, Z ..." and "Cơ quan chủ trì: X" anywhere."""
    text = doc.text
    out: list[tuple[str, dict[str, Any]]] = []
    for ls, le in lines:
        for ss, se in _sentences(text, ls, le):
            seg = fold(text[ss:se])
            for lm in _LABEL_RE.finditer(seg):
                role = "lead" if "chủ" in lm.group(1) else "partner"
                stop = re.search(r"[;.]|\n|$", seg[lm.end() :])
                stop_at = stop.start() if stop else len(seg) - lm.end()  # "$" always matches
                for h in _hits_in(scoped, ss + lm.end(), ss + lm.end() + stop_at):
                    out.append((h.key, _role(doc, role, _row_task(doc, ss) or text[ss:se], ss, se)))
            cue = _LEAD_CUE.search(seg)
            if cue is None:
                continue
            before = _hits_in(scoped, ss, ss + cue.start())
            if not before:
                continue
            gap = fold(text[before[-1].hit.end : ss + cue.start()]).strip(" ,")
            if len(gap) > 12:
                continue
            leads = [before[-1]]
            for h in reversed(before[:-1]):
                between = fold(text[h.hit.end : leads[0].hit.start]).strip()
                if between in {",", "và", ", và"}:
                    leads.insert(0, h)
                else:
                    break
            out += [(h.key, _role(doc, "lead", text[ss:se], ss, se)) for h in leads]
            lead_keys = {h.key for h in leads}
            out += [
                (p.key, _role(doc, "partner", text[ss:se], ss, se))
                for p in _partners_after(text, scoped, ss + cue.start(), se)
                if p.key not in lead_keys
            ]
    return out


def _row_task(doc: Document, offset: int) -> str | None:
    """The name cell of the table row containing ``offset`` (the task of a label)."""
    for table in doc.tables:
        if table.start <= offset < table.end:
            for row in table.rows:
                if row.start <= offset < row.end:
                    name_col = _name_column(table)
                    if name_col is not None and name_col < len(row.cells):
                        return row.cells[name_col].split("\n")[0]
    return None


def _name_column(table: Table) -> int | None:
    for i, h in enumerate(table.header):
        if re.search(r"tên|nội dung|nhiệm vụ|dự án|hạng mục|chỉ tiêu", fold(h)):
            return i
    return 1 if len(table.header) > 1 else None


def _table_roles(doc: Document, scoped: list[ScopedHit]) -> list[tuple[str, dict[str, Any]]]:
    """Columns "Đơn vị chủ trì" / "Đơn vị phối hợp" of task tables."""
    out: list[tuple[str, dict[str, Any]]] = []
    for table in doc.tables:
        cols: dict[int, str] = {}
        for i, header in enumerate(table.header):
            fh = fold(header)
            if "chủ trì" in fh or "thực hiện" in fh and "đơn vị" in fh:
                cols[i] = "lead"
            elif "phối hợp" in fh:
                cols[i] = "partner"
        if not cols:
            continue
        name_col = _name_column(table)
        for row in table.rows:
            if row.is_header or row.is_subtotal:
                continue
            task = row.cells[name_col] if name_col is not None and name_col < len(row.cells) else ""
            for col, role in cols.items():
                if col >= len(row.cells) or not row.cells[col].strip():
                    continue
                cell = row.cells[col]
                pos = doc.text.find(cell, row.start, row.end)
                if pos < 0:
                    continue
                for h in _hits_in(scoped, pos, pos + len(cell)):
                    out.append((h.key, _role(doc, role, task or cell, row.start, row.end)))
    return out


def agency_names_in(text: str, province: str | None) -> list[str]:
    """Canonical names of the agencies a short text (a table cell) names, in order."""
    names: list[str] = []
    for sh in scope_hits(all_mentions(text, province), province):
        if sh.name not in names:
            names.append(sh.name)
    return names
