"""Flattened tables -> ``Table`` / ``TableRow`` with offsets into the document text.

Word/PDF extraction flattens a table to: each cell on its own line starting with a tab,
rows separated by blank lines. Observed in the seeds:
- a cell spans several lines; continuation lines carry no tab, and may even be separated
  by blank lines ("Cơ quan chủ trì: ..." blocks inside a project cell);
- a line starting " \\t" opens a new row even without a blank line before it;
- merged cells are repeated ("Tổng", "Tổng", "Tổng"), empty cells are a bare tab;
- header rows are missing, multi-row, or split over lines ("Kinh phí \\n(Tỷ đồng)");
- subtotal rows ("Cộng I", "Tổng", "TỔNG CỘNG") and their per-source breakdown rows.

Rule for rows: a tab line after a blank line starts a new row when the previous row is
complete (as many cells as the first row) or its last line was a cell line; otherwise
the blank line sits inside a multi-line cell. Cell text keeps its inner line breaks
("\\n"), header cells are joined with spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.model import Section, Table, TableRow, content_id
from ingest.structure.spans import SectionIndex

_CELL_RE = re.compile(r"^ ?\t")
_NEW_ROW_RE = re.compile(r"^ +\t")
_SUBTOTAL_RE = re.compile(r"(?i)^(cộng\b|tổng\b|tổng cộng|tổng số|total)")
_BREAKDOWN_RE = re.compile(r"(?i)^(vốn|nguồn|trong đó|ngân sách)\b")
_HEADER_WORDS = re.compile(
    r"(?i)\b(stt|tt|tên|nội dung|kinh phí|đơn vị|thời gian|ghi chú|chỉ tiêu|đvt|năm|nguồn"
    r"|dự án|nhiệm vụ|mục tiêu|tổng mức|chủ trì|phối hợp|địa bàn|phạm vi|số lượng|lộ trình)\b"
)
_UNIT_RE = re.compile(r"(?i)\b(triệu đồng|tỷ đồng|tỉ đồng|nghìn đồng|ngàn đồng)\b")
# Lines that open a section of the text: never the continuation of a cell.
_STOP_RE = re.compile(
    r"^\s*(?:[IVX]{1,5}\s*[.)]\s|\d{1,2}(?:\.\d{1,2})*\s*[.)]\s|[a-zđ]\)\s|Căn cứ\b|Điều \d"
    r"|Chương |PHỤ LỤC|Nơi nhận|KẾ HOẠCH|QUYẾT ĐỊNH)"
)
_NOISE_RE = re.compile(r"(?i)cộng hòa xã hội|độc lập - tự do|nơi nhận|kt\. chủ tịch|tm\. ủy ban")


@dataclass(slots=True)
class _RawRow:
    start: int
    end: int
    cells: list[list[str]] = field(default_factory=list)
    last_was_cell: bool = True


@dataclass(slots=True)
class _Region:
    start: int
    end: int
    rows: list[_RawRow]


def _line_spans(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _next_cell_within(text: str, spans: list[tuple[int, int]], i: int) -> bool:
    """Is there a cell line ahead before two consecutive blank lines (same table)?"""
    blanks = 0
    for s, e in spans[i : i + 25]:
        line = text[s:e]
        if _CELL_RE.match(line):
            return True
        if _STOP_RE.match(line):
            return False
        blanks = blanks + 1 if not line.strip() else 0
        if blanks >= 2:
            return False
    return False


def _scan(text: str) -> list[_Region]:
    """Group lines into table regions made of raw rows."""
    spans = _line_spans(text)
    regions: list[_Region] = []
    i = 0
    while i < len(spans):
        s, e = spans[i]
        if not _CELL_RE.match(text[s:e]):
            i += 1
            continue
        rows: list[_RawRow] = []
        ncols = 0
        blank = False
        row: _RawRow | None = None
        while i < len(spans):
            s, e = spans[i]
            line = text[s:e]
            if _CELL_RE.match(line):
                # Unknown width (first row): two cells already make a plausible row.
                complete = row is not None and len(row.cells) >= (ncols or 2)
                if (
                    row is None
                    or _NEW_ROW_RE.match(line)
                    or (blank and (row.last_was_cell or complete))
                ):
                    if row is not None:
                        rows.append(row)
                        ncols = ncols or len(row.cells)
                    row = _RawRow(s, e)
                row.cells.append([line.strip(" \t")])
                row.end, row.last_was_cell, blank = e, True, False
            elif not line.strip():
                blank = True
            elif (
                row is not None
                and _next_cell_within(text, spans, i)
                and not (ncols and len(row.cells) >= ncols and blank)
            ):
                row.cells[-1].append(line.strip())
                row.end, row.last_was_cell, blank = e, False, False
            else:
                break
            i += 1
        if row is not None:
            rows.append(row)
        if rows:
            regions.append(_Region(rows[0].start, rows[-1].end, rows))
    return regions


def table_regions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every flattened table kept by ``parse_tables`` (for the section parser)."""
    return [(r.start, r.end) for r in _scan(text) if _keep(text, r)]


def _keep(text: str, region: _Region) -> bool:
    """Drop header blocks, signature blocks and one-row layouts: not data tables."""
    if len(region.rows) < 2 or max(len(r.cells) for r in region.rows) < 2:
        return False
    return not (len(region.rows) < 4 and _NOISE_RE.search(text[region.start : region.end]))


def _cell_text(lines: list[str]) -> str:
    return "\n".join(ln for ln in (x.strip() for x in lines) if ln)


def _is_header(cells: list[str]) -> bool:
    """A header row: text cells with header words, no row number, no amounts."""
    first = next((c for c in cells if c), "")
    if not first or re.fullmatch(r"[IVX]+|\d+[a-z]?|[a-z]\)?", first):
        return False
    if any(re.fullmatch(r"[<>=]*\d[\d.,]*", c) for c in cells):
        return False
    words = sum(1 for c in cells if _HEADER_WORDS.search(c) and len(c) < 80)
    return words >= max(1, len([c for c in cells if c]) // 2)


def _last_lines(text: str, start: int, count: int) -> list[str]:
    """``text[:start].rstrip("\\n ").split("\\n")[-count:]``, reading only those lines
    (a copy of everything before every table would make many tables quadratic)."""
    end = start
    while end > 0 and text[end - 1] in "\n ":
        end -= 1
    pos = end
    for _ in range(count):
        pos = text.rfind("\n", 0, pos)
        if pos < 0:
            break
    return text[pos + 1 : end].split("\n")


def _title_before(text: str, start: int) -> str | None:
    """Up to four non-blank lines right before the table (caption, appendix lines, unit)."""
    got: list[str] = []
    blanks = 0
    for line in reversed(_last_lines(text, start, 12)):
        if not line.strip():
            blanks += 1
            if got:
                break
            continue
        if _CELL_RE.match(line) or len(line) > 250 or len(got) >= 4:
            break
        got.insert(0, line.strip())
        blanks = 0
        if _STOP_RE.match(line):
            break  # a heading opens the caption
    return " ".join(got) or None


def _unit(title: str | None, header: list[str]) -> str | None:
    for source in [title or "", *header]:
        m = _UNIT_RE.search(source)
        if m:
            unit = m.group(1).lower().replace("tỉ", "tỷ")
            return unit if "đồng" in unit else f"{unit} đồng"
    return None


def _section_at(sections: SectionIndex, offset: int) -> str | None:
    """Deepest non-bullet section containing ``offset`` (the last one on a tie)."""
    best: Section | None = None
    for sec in sections.enclosing(offset):  # deepest first, document order on a tie
        if sec.kind == "bullet":
            continue
        if best is not None and sec.level < best.level:
            break
        best = sec
    return best.id if best else None


def _build(text: str, region: _Region, sections: SectionIndex, n: int) -> Table:
    kept = [(r, [_cell_text(c) for c in r.cells]) for r in region.rows]
    kept = [(r, cells) for r, cells in kept if any(cells)]  # rows of empty cells: layout only
    raws = [r for r, _ in kept]
    rows = [cells for _, cells in kept]
    header_rows = 0
    while header_rows < min(3, len(rows) - 1) and _is_header(rows[header_rows]):
        header_rows += 1
    width = max(len(r) for r in rows[:header_rows]) if header_rows else 0
    header = []
    for col in range(width):
        names = [" ".join(rows[h][col].split()) for h in range(header_rows) if col < len(rows[h])]
        header.append(" / ".join(dict.fromkeys(x for x in names if x)))
    table_rows = []
    prev_total = False
    for idx, (raw, cells) in enumerate(zip(raws, rows, strict=True)):
        first = next((c for c in cells if c), "")
        subtotal = bool(_SUBTOTAL_RE.match(first)) or (
            prev_total and bool(_BREAKDOWN_RE.match(first)) and not re.match(r"\d", cells[0] or "")
        )
        prev_total = subtotal
        table_rows.append(TableRow(idx, cells, raw.start, raw.end, idx < header_rows, subtotal))
    title = _title_before(text, region.start)
    return Table(
        id=f"t{n}-{content_id(text[region.start : region.end], length=8)}",
        start=region.start,
        end=region.end,
        header=header,
        rows=table_rows,
        title=title,
        unit=_unit(title, header),
        section_id=_section_at(sections, region.start),
    )


def parse_tables(text: str, sections: list[Section] | None = None) -> list[Table]:
    """Every flattened data table in ``text``, rows with offsets, headers, subtotals, unit."""
    regions = [r for r in _scan(text) if _keep(text, r)]
    index = SectionIndex(sections or [])
    return [_build(text, r, index, n) for n, r in enumerate(regions, 1)]
