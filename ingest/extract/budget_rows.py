"""Budget table rows put back together before they become projects.

Why a separate step: flattening breaks budget tables in ways the row reader cannot see
one row at a time. A long name wraps onto a second row with no number ("Xây dựng hệ
thống" / "thông tin đất đai | Sở X | 500"), or its "Chủ trì: Sở ..." line spills into
an extra cell and shifts the amounts right; the lead agency is written once, on a group
heading ("I. Sở Thông tin và Truyền thông chủ trì"); the unit sits on a line above the
caption; and a plan lists the same projects twice (a roadmap per task without lead, then
the appendix with it). Each function here repairs one of these, purely.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace
from functools import lru_cache

from ingest.extract.agencies import agency_names_in
from ingest.extract.budget import declared_unit, parse_number
from ingest.lang.agency_gazetteer import fold
from ingest.model import Project, TableRow

_ROW_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)*|[IVX]+|[A-Z])\.?$")
_ITEM_LETTER = re.compile(r"^[a-zđ]\)")
_DANGLING_LABEL = re.compile(r"(?:chủ trì|phối hợp|thực hiện)\s*:?\s*$|:\s*$", re.IGNORECASE)
_TOTAL = re.compile(r"^(?:cộng|tổng|total)\b", re.IGNORECASE)
_LEAD_WORDS = re.compile(r"chủ trì|thực hiện|đầu mối", re.IGNORECASE)
_UNIT_LABEL = re.compile(r"đơn vị tính|đvt|đơn vị\s*:|\(\s*(?:triệu|tỷ|tỉ|nghìn|ngàn|tr\.)", re.I)
_WORD = re.compile(r"[\wÀ-ỹ]+")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# Words every project name in a plan shares: no evidence that two rows are the same project.
_COMMON_WORDS = frozenset(
    "xây dựng nâng cấp triển khai đầu tư và các của cho trong hệ thống cơ sở dữ liệu quản lý "
    "ứng dụng công nghệ thông tin phần mềm tỉnh giai đoạn năm quy trình".split()
)


def unit_above(text: str, start: int, max_lines: int = 8) -> str | None:
    """A unit declared on a short line above a table ("ĐVT: tỷ đồng"), past blank lines."""
    seen = 0
    for line in reversed(text[max(0, start - 1500) : start].split("\n")):
        if line.startswith(("\t", " \t")):
            break
        if not line.strip():
            continue
        seen += 1
        if seen > max_lines:
            break
        if len(line) <= 160 and _UNIT_LABEL.search(line):
            unit = declared_unit(line)
            if unit:
                return unit
    return None


def _is_number(cell: str) -> bool:
    return parse_number(cell) is not None


def _join_spilled_cells(cells: list[str], name: int, width: int) -> list[str]:
    """A row wider than the table whose name cell ran into the next one: join them."""
    cells = list(cells)
    while len(cells) > width and name + 1 < len(cells):
        here, after = cells[name].rstrip(), cells[name + 1].strip()
        if not after or _is_number(after):
            break
        if not (_DANGLING_LABEL.search(here) or after[:1].islower()):
            break
        cells[name : name + 2] = [f"{here} {after}".strip()]
    return cells


def _is_continuation(cells: list[str], name: int, stt: int | None) -> bool:
    """A row that only carries the rest of the previous row's name (and maybe its numbers)."""
    text = cells[name].strip() if name < len(cells) else ""
    if not text or not text[0].islower() or _ITEM_LETTER.match(text) or _TOTAL.match(text):
        return False
    if stt is not None and stt < len(cells) and cells[stt].strip():
        return False
    return not any(_ROW_NUMBER.match(c.strip()) for c in cells[:name] if c.strip())


def _merge_into(prev: list[str], cells: list[str], name: int) -> list[str] | None:
    """The previous row completed by a continuation row; None when two numbers collide."""
    width = max(len(prev), len(cells))
    out = []
    for i in range(width):
        a = prev[i] if i < len(prev) else ""
        b = cells[i] if i < len(cells) else ""
        if a.strip() and b.strip():
            if i != name and (_is_number(a) or _is_number(b)):
                return None
            out.append(f"{a.rstrip()} {b.strip()}" if i == name else f"{a}\n{b}")
        else:
            out.append(a if a.strip() else b)
    return out


def join_split_rows(
    rows: list[TableRow], name: int, stt: int | None, width: int | None
) -> list[TableRow]:
    """Rows put back together: spilled name cells joined, continuation rows merged up.

    ``width`` is the header's width (None: the most common row width).
    """
    data = [r for r in rows if not r.is_header]
    if width is None:
        counts = Counter(len(r.cells) for r in data)
        width = counts.most_common(1)[0][0] if counts else 0
    out: list[TableRow] = []
    for row in rows:
        if row.is_header or row.is_subtotal:
            out.append(row)
            continue
        cells = _join_spilled_cells(row.cells, name, width)
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.is_header
            and not prev.is_subtotal
            and _is_continuation(cells, name, stt)
        ):
            merged = _merge_into(prev.cells, cells, name)
            if merged is not None:
                out[-1] = replace(prev, cells=merged, end=row.end)
                continue
        out.append(replace(row, cells=cells) if cells != row.cells else row)
    return out


def group_lead(heading: str, lead_cell: str, province: str | None) -> str | None:
    """The lead agency a group heading row gives its rows, or None.

    Either the heading row's own lead cell, or a heading that names an agency as lead
    ("Sở Thông tin và Truyền thông chủ trì") or is just an agency's name ("Sở Nội vụ:").
    """
    if lead_cell.strip():
        names = agency_names_in(lead_cell, province)
        return names[0] if names else " ".join(lead_cell.split())
    names = agency_names_in(heading, province)
    if not names:
        return None
    if _LEAD_WORDS.search(heading) or len(_WORD.findall(heading)) <= len(names[0].split()) + 3:
        return names[0]
    return None


# Each row is compared with many others: the words and years of a name or period are
# read once (bounded caches; callers only read the sets).
@lru_cache(maxsize=4096)
def _distinct_words(name: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(fold(name)) if w not in _COMMON_WORDS and len(w) > 1)


@lru_cache(maxsize=4096)
def _years(period: str) -> tuple[int, ...]:
    return tuple(int(y) for y in _YEAR.findall(period))


def _same_project(a: Project, b: Project) -> float:
    """How alike two budgeted rows of different tables are (0: not the same project)."""
    if a.budget_vnd_million is None or b.budget_vnd_million is None:
        return 0.0
    if abs(a.budget_vnd_million - b.budget_vnd_million) > 0.005 * max(
        abs(a.budget_vnd_million), 1.0
    ):
        return 0.0
    if not _periods_meet(a.period, b.period):
        return 0.0  # the same item budgeted for two different years: two projects
    if fold(a.name) == fold(b.name):
        return 2.0
    wa, wb = _distinct_words(a.name), _distinct_words(b.name)
    if wa and wb:
        shared = len(wa & wb) / min(len(wa), len(wb))
        return shared if shared >= 0.5 else 0.0
    # A name made only of common words: all its words count, as weaker evidence that
    # ranks below any pair sharing distinctive words (scores in (0, 0.5]).
    fa, fb = set(_WORD.findall(fold(a.name))), set(_WORD.findall(fold(b.name)))
    shared = len(fa & fb) / min(len(fa), len(fb)) if fa and fb else 0.0
    return 0.5 * shared if shared >= 0.6 else 0.0


def _periods_meet(a: str | None, b: str | None) -> bool:
    ya, yb = _years(a or ""), _years(b or "")
    if not ya or not yb:
        return True
    return min(ya) <= max(yb) and min(yb) <= max(ya)


def _combined(keep: Project, other: Project) -> Project:
    return replace(
        keep,
        lead_agency=keep.lead_agency or other.lead_agency,
        partners=keep.partners or other.partners,
        budget_by_year=keep.budget_by_year or other.budget_by_year,
        budget_by_source=keep.budget_by_source or other.budget_by_source,
        objective=keep.objective or other.objective,
        mentions=[*keep.mentions, *other.mentions],
    )


def _budget_pairs(by_table: list[tuple[str, Project]]) -> list[tuple[int, int]]:
    """Every pair (i, j), i < j, of rows of different tables whose amounts are close enough
    for ``_same_project`` (a superset: it decides), without comparing every pair of rows.

    Rows sorted by amount: each row reads only the rows in its tolerance window, and
    jumps over rows of its own table a run at a time.
    """
    rows = sorted(
        (p.budget_vnd_million, t, i)
        for i, (t, p) in enumerate(by_table)
        if p.budget_vnd_million is not None and math.isfinite(p.budget_vnd_million)
    )
    amounts = [r[0] for r in rows]
    run_end = [len(rows)] * len(rows)  # first position after a run of one table
    for k in range(len(rows) - 2, -1, -1):
        run_end[k] = run_end[k + 1] if rows[k + 1][1] == rows[k][1] else k + 1
    out: list[tuple[int, int]] = []
    for amount, table, i in rows:
        # _same_project's tolerance, widened a little so float rounding never drops a pair.
        tol = 0.005 * max(abs(amount), 1.0) * (1 + 1e-9) + 1e-9
        k = bisect_left(amounts, amount - tol)
        stop = bisect_right(amounts, amount + tol)
        while k < stop:
            if rows[k][1] == table:
                k = run_end[k]
                continue
            if rows[k][2] > i:
                out.append((i, rows[k][2]))
            k += 1
    return out


def merge_repeated_projects(by_table: list[tuple[str, Project]]) -> list[Project]:
    """One project per budgeted row repeated across tables, the copy with a lead kept.

    Two rows of different tables are the same project when their amounts agree and their
    names share distinctive words; pairs are taken best first, each row at most once.
    """
    pairs = []
    for i, j in _budget_pairs(by_table):
        if (score := _same_project(by_table[i][1], by_table[j][1])) > 0:
            pairs.append((score, i, j))
    partner: dict[int, int] = {}
    for _, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i not in partner and j not in partner:
            partner[i], partner[j] = j, i
    out: list[Project] = []
    for i, (_, project) in enumerate(by_table):
        twin = partner.get(i)
        if twin is None:
            out.append(project)
            continue
        other = by_table[twin][1]
        keep_this = (project.lead_agency is not None, i) >= (other.lead_agency is not None, twin)
        if keep_this:
            out.append(_combined(project, other))
    return out
