"""Quantitative targets: percentages and counts with units, as goals or status figures.

Why the goal/status split matters: plans put last year's results ("Năm 2016 đã đạt
95%") next to next year's goals ("phấn đấu 100%"); mixing them makes every comparison
wrong. The clause's own cues decide first (đã, hiện có / phấn đấu, đến năm, bảo đảm),
then the section it sits in ("Kết quả", "Hiện trạng", "Đánh giá" vs "Mục tiêu").
Phase-dependent values ("2016-2017: 50%; 2018-2020: 100%") give one target per phase.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ingest.extract.budget import parse_number
from ingest.extract.indicators import indicator_group
from ingest.lang.agency_gazetteer import fold
from ingest.model import Document, Mention, Section, Target
from ingest.structure.spans import DocumentIndex, SectionIndex, SpanSet
from ontology.uris import target_uri

_UNITS = (
    "dịch vụ công", "dịch vụ", "điểm kết nối", "điểm cầu", "máy chủ", "máy trạm", "máy tính", "cán bộ", "công chức",
    "trang thông tin", "trang", "tài khoản", "xã, phường, thị trấn", "xã", "huyện", "đơn vị", "cơ quan", "sở",
    "trường", "phòng", "hồ sơ", "thủ tục", "doanh nghiệp", "lớp", "học viên", "người", "hệ thống", "cơ sở dữ liệu",
    "phần mềm", "điểm", "thành viên", "văn bản",
)  # fmt: skip
_UNIT_RE = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_VALUE_RE = re.compile(
    rf"(?<![\w/.,])(?P<num>\d{{1,3}}(?:\.\d{{3}})+|\d+(?:,\d+)?)(?:/(?P<of>\d+))?\s*(?:(?P<pct>%)|\s(?P<unit>{_UNIT_RE})(?!\w))",
    re.IGNORECASE,
)
_PHASE_RE = re.compile(r"((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\s*:\s*$")
_STATUS_CUE = re.compile(
    r"(?<!\w)(?:đã|hiện nay|hiện có|hiện tại|đạt được|hiện đang|tính đến|được đầu tư|có \d)"
)
_GOAL_CUE = re.compile(
    r"(?<!\w)(?:phấn đấu|đến năm|mục tiêu|bảo đảm|đảm bảo|sẽ|hoàn thành|trên \d|ít nhất|tối thiểu)"
)
_STATUS_TITLE = re.compile(r"kết quả|hiện trạng|thực trạng|đánh giá|tình hình|đã đạt")
_GOAL_TITLE = re.compile(
    r"mục tiêu|nhiệm vụ|nội dung|giải pháp|kế hoạch|chỉ tiêu|lộ trình|giai đoạn"
)
_PERIOD_RE = re.compile(r"((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?")
_SKIP_LINE = re.compile(
    r"^\s*(?:căn cứ|nghị định|nghị quyết|quyết định|thông tư|luật|công văn|kế hoạch số)",
    re.IGNORECASE,
)


def _kind(clause: str, before: str, secs: Sequence[Section]) -> str:
    c = fold(clause)
    b = fold(before)
    if _GOAL_CUE.search(b) or re.search(r"phấn đấu|đến năm|mục tiêu", c):
        return "goal"
    if _STATUS_CUE.search(b) or _STATUS_CUE.search(c):
        return "status"
    for s in secs:
        t = fold(s.title)
        if _STATUS_TITLE.search(t):
            return "status"
        if _GOAL_TITLE.search(t) or s.role in {"targets", "tasks"}:
            return "goal"
    return "goal" if _GOAL_CUE.search(c) else "status"


def _period(
    before: str, clause: str, secs: Sequence[Section], kind: str, doc: Document
) -> str | None:
    phase = _PHASE_RE.search(before[-20:])
    if phase:
        return f"{phase.group(1)}-{phase.group(2)}"
    m = re.search(r"(?:đến|hết|trong)?\s*năm\s+((?:19|20)\d\d)", fold(clause))
    if m:
        return m.group(1)
    for s in secs:
        pm = _PERIOD_RE.search(s.title)
        if pm:
            return f"{pm.group(1)}-{pm.group(2)}" if pm.group(2) else pm.group(1)
    if kind == "goal":
        return doc.meta.period or (doc.attached_plan.period if doc.attached_plan else None)
    return None


def _indicator(clause: str, vstart: int, vend: int, unit: str | None) -> str:
    """A short noun phrase for the value: the words after it ("100% cán bộ ... sử dụng
    thư điện tử"), or before it when the value closes the clause ("tỷ lệ ... đạt 95%")."""
    after = clause[vend:]
    after = re.split(r"[;.()]|\s\d+(?:[.,]\d+)?\s*%", after)[0]
    words = after.split()
    if unit and unit != "%":
        words = [unit, *words]
    if len([w for w in words if w.strip(",")]) >= 2:
        return re.sub(r"\s+,", ",", " ".join(words[:16])).strip(" ,:-")
    before = re.sub(r"\s*(?:đạt|là|khoảng|trên|dưới|tối thiểu|ít nhất)\s*$", "", clause[:vstart])
    bw = re.split(r"[;:(]", before)[-1].split()
    return " ".join(bw[-14:]).strip(" ,:-") or clause.strip()[:80]


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, s = [], start
    for m in re.finditer(r";|\.(?=\s)|\n", text[start:end]):
        out.append((s, start + m.start()))
        s = start + m.end()
    out.append((s, end))
    return [(a, b) for a, b in out if b > a]


def _in_scope(tables: SpanSet, sections: SectionIndex, offset: int) -> bool:
    if offset in tables:
        return False
    roles = sections.roles(offset)
    return "basis" not in roles and "budget" not in roles


def extract_targets(doc: Document, index: DocumentIndex | None = None) -> list[Target]:
    """Every quantitative target or status figure of the plan's running text (``index``:
    the document's lookups, when the caller has built them)."""
    text = doc.text
    out: list[Target] = []
    seen: set[str] = set()
    index = index or DocumentIndex.of(doc)
    tables, sections, passages = index.tables, index.sections, index.passages
    pos = 0
    for line in text.split("\n"):
        ls = pos
        pos += len(line) + 1
        if (
            not line.strip()
            or line.startswith("\t")
            or _SKIP_LINE.match(line)
            or not _in_scope(tables, sections, ls)
        ):
            continue
        for cs, ce in _clauses(text, ls, ls + len(line)):
            clause = text[cs:ce]
            for m in _VALUE_RE.finditer(clause):
                if _YEARISH(clause, m):
                    continue
                value = parse_number(m.group("num"))
                unit = "%" if m.group("pct") else m.group("unit").lower()
                before = clause[: m.start()]
                secs = sections.enclosing(cs + m.start())
                kind = _kind(clause, before, secs)
                period = _period(before, clause, secs, kind, doc)
                indicator = _indicator(clause, m.start(), m.end(), None if unit == "%" else unit)
                key = indicator_group(indicator) or indicator_group(clause)
                uri_key = (
                    f"{key or indicator[:40]}-{period or ''}-{kind}-{value:g}-{cs + m.start()}"
                )
                if uri_key in seen:
                    continue
                seen.add(uri_key)
                s, e = cs + m.start(), cs + m.end()
                passage_id = passages.id_at(s)
                out.append(
                    Target(
                        indicator=indicator,
                        value=value,
                        unit=unit,
                        year_or_period=period,
                        kind=kind,
                        indicator_group=key,
                        uri=target_uri(doc.id, uri_key),
                        mentions=[Mention(s, e, text[s:e], passage_id)],
                    )
                )
    return out


def _YEARISH(clause: str, m: re.Match[str]) -> bool:  # noqa: N802
    """Numbers that are part of a date, a document number or a level ("mức độ 3")."""
    num = m.group("num")
    pre = clause[max(0, m.start() - 12) : m.start()]
    if re.search(r"(?:mức độ|mức|khoản|điều|ngày|tháng|năm)\s*$", fold(pre)):
        return True
    return bool(re.fullmatch(r"(?:19|20)\d\d", num)) and not m.group("pct")
