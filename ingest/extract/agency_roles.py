"""Who leads (chủ trì) and who supports (phối hợp) each task: roles of the agencies a
plan names.

Plans say it in a heading ("2. Sở Thông tin và Truyền thông: a) Chủ trì ..."), inline
("Sở X chủ trì, phối hợp với Y"), as labels ("Cơ quan chủ trì: X") or in table columns.
The mentions come scoped (``ScopedHit``: the hit, its canonical name, province and merge
key) from ``ingest.extract.agencies``, which merges them into ``Agency`` records.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from ingest.extract.agency_mentions import Hit
from ingest.lang.agency_gazetteer import fold
from ingest.model import Document, Table, TableRow
from ingest.structure.spans import PassageIndex, SpanIndex

__all__ = ["ScopedHit", "assign_roles"]


@dataclass(slots=True)
class ScopedHit:
    """One agency mention placed in the plan's scope: canonical name, province, merge key."""

    hit: Hit
    name: str
    province: str | None
    key: str


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
_LABEL_STOP = re.compile(r"[;.]|\n|$")
# Every word a label (_LABEL_RE) or a lead cue (_LEAD_CUE) needs.
# "(?=[cpl])": the words' first letters, so other offsets are turned away at once.
_ROLE_WORD_RE = re.compile(
    r"(?=[cpl])(?:chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|là cơ quan thường trực|làm đầu mối)",
    re.IGNORECASE,
)


def _depth(label: str) -> int:
    return 0 if re.fullmatch(r"[IVX]+", label) else label.count(".") + 1


def _short(text: str, limit: int = 160) -> str:
    text = _BULLET_RE.sub("", re.sub(r"\s+", " ", text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass(slots=True)
class _RoleContext:
    """What role assignment looks up many times per document, indexed once."""

    doc: Document
    passages: PassageIndex
    rows: SpanIndex[tuple[Table, TableRow]]  # table rows by span, in table then row order

    @classmethod
    def of(cls, doc: Document, passages: PassageIndex | None) -> _RoleContext:
        rows = [(t, r) for t in doc.tables for r in t.rows]
        return cls(
            doc,
            passages or PassageIndex(doc.passages),
            SpanIndex(rows, lambda tr: (tr[1].start, tr[1].end)),
        )


def _role(ctx: _RoleContext, role: str, task: str, start: int, end: int) -> dict[str, Any]:
    return {
        "role": role,
        "task": _short(task),
        "passage_id": ctx.passages.id_at(start),
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


def assign_roles(
    doc: Document, scoped: list[ScopedHit], passages: PassageIndex | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """(agency key, role dict) pairs from headings, inline cues, labels and tables."""
    ctx = _RoleContext.of(doc, passages)
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
                    out += _unit_roles(ctx, scoped, named, head_end + 1, le)
                continue
        if heading is not None and _SCOPE_END.match(line):
            heading = None
        if heading is not None and line.strip() and not line.startswith("\t"):
            out += _unit_roles(ctx, scoped, heading[1], ls, le)
    out += _inline_roles(ctx, scoped, lines)
    out += _table_roles(ctx, scoped)
    return out


def _unit_roles(
    ctx: _RoleContext, scoped: list[ScopedHit], heads: list[ScopedHit], start: int, end: int
) -> list[tuple[str, dict[str, Any]]]:
    """One task line under an agency heading: the heading agencies lead it unless the
    line starts with "Phối hợp"; agencies after "phối hợp với" are partners."""
    unit = _BULLET_RE.sub("", ctx.doc.text[start:end]).strip()
    if not unit:
        return []
    role = "partner" if re.match(r"(?:phối hợp|tham gia)", fold(unit)) else "lead"
    out = [(h.key, _role(ctx, role, unit, start, end)) for h in heads]
    partners = _partners_after(ctx.doc.text, scoped, start, end)
    if role == "lead":
        out += [
            (p.key, _role(ctx, "partner", unit, start, end))
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
    ctx: _RoleContext, scoped: list[ScopedHit], lines: list[tuple[int, int]]
) -> list[tuple[str, dict[str, Any]]]:
    """ "Sở X chủ trì, phối hợp với Y, Z ..." and "Cơ quan chủ trì: X" anywhere."""
    text = ctx.doc.text
    # A line without a role word gives no role. One scan of the folded text finds them
    # all: a role word never spans a line break, so a line has one exactly when a match
    # of the scan starts in it.
    role_words = [m.start() for m in _ROLE_WORD_RE.finditer(fold(text))]
    out: list[tuple[str, dict[str, Any]]] = []
    for ls, le in lines:
        k = bisect_left(role_words, ls)
        if k == len(role_words) or role_words[k] >= le:
            continue
        for ss, se in _sentences(text, ls, le):
            seg = fold(text[ss:se])
            for lm in _LABEL_RE.finditer(seg):
                role = "lead" if "chủ" in lm.group(1) else "partner"
                stop = _LABEL_STOP.search(seg, lm.end())
                stop_at = (stop.start() if stop else len(seg)) - lm.end()  # "$" always matches
                for h in _hits_in(scoped, ss + lm.end(), ss + lm.end() + stop_at):
                    out.append((h.key, _role(ctx, role, _row_task(ctx, ss) or text[ss:se], ss, se)))
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
            out += [(h.key, _role(ctx, "lead", text[ss:se], ss, se)) for h in leads]
            lead_keys = {h.key for h in leads}
            out += [
                (p.key, _role(ctx, "partner", text[ss:se], ss, se))
                for p in _partners_after(text, scoped, ss + cue.start(), se)
                if p.key not in lead_keys
            ]
    return out


def _row_task(ctx: _RoleContext, offset: int) -> str | None:
    """The name cell of the table row containing ``offset`` (the task of a label)."""
    for table, row in ctx.rows.containing(offset):  # in table order, then row order
        if table.start <= offset < table.end:
            name_col = _name_column(table)
            if name_col is not None and name_col < len(row.cells):
                return row.cells[name_col].split("\n")[0]
    return None


def _name_column(table: Table) -> int | None:
    for i, h in enumerate(table.header):
        if re.search(r"tên|nội dung|nhiệm vụ|dự án|hạng mục|chỉ tiêu", fold(h)):
            return i
    return 1 if len(table.header) > 1 else None


def _table_roles(ctx: _RoleContext, scoped: list[ScopedHit]) -> list[tuple[str, dict[str, Any]]]:
    """Columns "Đơn vị chủ trì" / "Đơn vị phối hợp" of task tables."""
    doc = ctx.doc
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
                    out.append((h.key, _role(ctx, role, task or cell, row.start, row.end)))
    return out
