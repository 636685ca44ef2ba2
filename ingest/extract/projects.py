"""Projects (dự án, nhiệm vụ) from task/budget tables and, conservatively, from task text.

Why tables first: budgets, lead agencies and periods live in the appendix tables; one
project per data row, with grouping rows ("I. Hạ tầng") kept as categories and
subtotal rows ("Cộng I", "Tổng cộng") turned into ``BudgetCheck`` records that compare
the stated total with the sum of the rows it covers. Tables without a header row are
read by shape: the first mostly-numeric column is the total, the column that names
agencies is the lead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ingest.extract.agencies import agency_names_in, doc_province
from ingest.extract.budget import canonical_unit, declared_unit, parse_amount, parse_number
from ingest.extract.budget_rows import (
    group_lead,
    join_split_rows,
    merge_repeated_projects,
    unit_above,
)
from ingest.extract.project_text import text_projects
from ingest.lang.agency_gazetteer import fold
from ingest.model import Agency, BudgetCheck, Document, Mention, Project, Table, TableRow
from ingest.structure.spans import DocumentIndex, PassageIndex
from ontology.uris import project_uri

_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_ROMAN_RE = re.compile(r"^(?:[IVX]+|[A-Z])\.?$")
_TOTAL_RE = re.compile(r"^(?:cộng|tổng|tổng cộng|tổng số|total)\b")
_LABEL_LINE = re.compile(
    r"^\s*[*\-+]?\s*(?:cơ quan|đơn vị)\s+(?:chủ trì|phối hợp|thực hiện)|^\s*[*\-+]?\s*(?:phạm vi|quy mô|mục tiêu)\b"
    r"|^\s*[*\-+]?\s*(?:chủ trì|phối hợp)\s*:",
    re.IGNORECASE,
)
# A role label inside a name line ("... hệ thống thư điện tử. Chủ trì: Sở X"): the name ends there.
_INLINE_LABEL = re.compile(
    r"(?<![\wÀ-ỹ])(?:(?:cơ quan|đơn vị)\s+)?(?:chủ trì|phối hợp)\s*:", re.IGNORECASE
)
_MONEY_UNITS = {"triệu đồng", "tỷ đồng", "nghìn đồng", "đồng"}


@dataclass(slots=True)
class Layout:
    """Which column holds what (indices into row cells)."""

    name: int
    stt: int | None = None
    lead: int | None = None
    partner: int | None = None
    total: int | None = None
    period: int | None = None
    objective: int | None = None
    unit: int | None = None
    years: dict[int, str] = field(default_factory=dict)
    sources: dict[int, str] = field(default_factory=dict)


def _classify_header(header: list[str]) -> Layout | None:
    cols: dict[str, int] = {}
    years: dict[int, str] = {}
    sources: dict[int, str] = {}
    for i, h in enumerate(header):
        fh = fold(h).strip()
        year = _YEAR_RE.search(fh)
        if fh in {"stt", "tt", "số tt", "số thứ tự"}:
            cols.setdefault("stt", i)
        elif (
            year
            and not re.search(r"thời gian|giai đoạn|lộ trình|tiến độ", fh)
            and not re.search(r"\d{4}\s*[-–]\s*\d{4}", fh)
        ):
            years[i] = year.group(1)
        elif "chủ trì" in fh or re.search(r"(?:đơn vị|cơ quan) thực hiện", fh):
            cols.setdefault("lead", i)
        elif "phối hợp" in fh:
            cols.setdefault("partner", i)
        elif re.search(r"thời gian|lộ trình|tiến độ|giai đoạn", fh):
            cols.setdefault("period", i)
        elif "mục tiêu" in fh:
            cols.setdefault("objective", i)
        elif fh in {"đvt", "đơn vị tính"}:
            cols.setdefault("unit", i)
        elif (
            re.search(
                r"ngân sách|^vốn|nstw|nsđp|xã hội hóa|nguồn khác|oda|ns tỉnh|ns trung ương", fh
            )
            and "nguồn kinh phí" != fh
        ):
            sources[i] = re.sub(r"\s*\(.*?\)", "", h).strip()
        elif (
            re.search(
                r"kinh phí|tổng mức|dự toán|tổng vốn|tổng cộng|^tổng|mức đầu tư|vốn đầu tư", fh
            )
            and "nguồn" not in fh
        ):
            cols.setdefault("total", i)
        elif re.search(r"tên|nội dung|dự án|nhiệm vụ|hạng mục|chỉ tiêu|danh mục", fh):
            cols.setdefault("name", i)
    if "name" not in cols:
        return None
    return Layout(
        name=cols["name"],
        stt=cols.get("stt"),
        lead=cols.get("lead"),
        partner=cols.get("partner"),
        total=cols.get("total"),
        period=cols.get("period"),
        objective=cols.get("objective"),
        unit=cols.get("unit"),
        years=years,
        sources=sources,
    )


def _infer_layout(table: Table, province: str | None) -> Layout | None:
    """A table without a usable header: read the columns by what their cells hold."""
    rows = [r for r in table.rows if not r.is_subtotal and len(r.cells) >= 3]
    if len(rows) < 2:
        return None
    width = max(len(r.cells) for r in rows)

    def share(i: int, pred: Callable[[str], bool]) -> float:
        cells = [r.cells[i] for r in rows if i < len(r.cells) and r.cells[i].strip()]
        return sum(1 for c in cells if pred(c)) / len(rows) if cells else 0.0

    numeric = [i for i in range(width) if share(i, lambda c: parse_number(c) is not None) >= 0.6]
    stt = 0 if numeric and numeric[0] == 0 else None
    money = [i for i in numeric if i != stt]
    texty = [i for i in range(width) if i not in numeric and share(i, lambda c: len(c) > 15) >= 0.5]
    if not money or not texty:
        return None
    lead = next(
        (
            i
            for i in range(width)
            if i not in numeric and share(i, lambda c: bool(agency_names_in(c, province))) >= 0.5
        ),
        None,
    )
    name = next(i for i in texty if i != lead)
    return Layout(name=name, stt=stt, lead=lead, total=money[0])


def _cell(row: TableRow, i: int | None) -> str:
    return row.cells[i].strip() if i is not None and i < len(row.cells) else ""


def _clean_name(cell: str) -> str:
    lines = []
    for line in cell.split("\n"):
        if _LABEL_LINE.match(line):
            break
        inline = _INLINE_LABEL.search(line)
        if inline and inline.start() > 0:
            lines.append(line[: inline.start()].strip(" .;,"))
            break
        if line.strip():
            lines.append(line.strip())
    name = re.sub(r"\s+", " ", " ".join(lines)).strip()
    return re.sub(r"^[-+*•]\s*", "", name)


def _labelled(cell: str, label: str) -> str:
    m = re.search(
        rf"(?<![\wÀ-ỹ])(?:(?:cơ quan|đơn vị)\s+)?{label}\s*:\s*([^\n]+)", cell, re.IGNORECASE
    )
    return m.group(1).strip(" .;") if m else ""


def _period(text: str) -> str | None:
    years = _YEAR_RE.findall(text)
    if not years:
        return None
    return years[0] if len(years) == 1 or years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def _row_unit(table: Table, layout: Layout, row: TableRow, col: int | None) -> str | None:
    if layout.unit is not None:
        u = canonical_unit(_cell(row, layout.unit))
        if u:
            return u
    if col is not None and col < len(table.header):
        u = canonical_unit(table.header[col])
        if u:
            return u
    return table.unit or declared_unit(table.title)


def _amount(table: Table, layout: Layout, row: TableRow, col: int) -> float | None:
    return (
        parse_amount(_cell(row, col), _row_unit(table, layout, row, col))
        if _cell(row, col)
        else None
    )


def _row_budget(
    table: Table, layout: Layout, row: TableRow
) -> tuple[float | None, dict[str, float], dict[str, float]]:
    by_year = {
        y: a for c, y in layout.years.items() if (a := _amount(table, layout, row, c)) is not None
    }
    by_source = {
        s: a for c, s in layout.sources.items() if (a := _amount(table, layout, row, c)) is not None
    }
    total = _amount(table, layout, row, layout.total) if layout.total is not None else None
    if total is None and by_year:
        total = round(sum(by_year.values()), 6)
    if total is None and by_source:
        total = round(sum(by_source.values()), 6)
    return total, by_year, by_source


def _mention(doc: Document, passages: PassageIndex, row: TableRow, text: str) -> Mention:
    first = text.split("\n")[0].strip() or text
    pos = doc.text.find(first, row.start, row.end) if first else -1
    start, end = (pos, pos + len(first)) if pos >= 0 else (row.start, row.end)
    return Mention(start, end, doc.text[start:end], passages.id_at(start))


def _check(
    passages: PassageIndex, table: Table, label: str, stated: float, computed: float, row: TableRow
) -> BudgetCheck:
    return BudgetCheck(table.id, label, stated, round(computed, 6), passages.id_at(row.start))


def projects_from_table(
    doc: Document, table: Table, province: str | None, passages: PassageIndex | None = None
) -> tuple[list[Project], list[BudgetCheck]]:
    """One project per data row; categories remembered; totals checked.

    ``passages`` indexes ``doc.passages`` (built here when not given: pass one for many tables).
    """
    passages = passages if passages is not None else PassageIndex(doc.passages)
    layout = _classify_header(table.header) if table.header else None
    if layout is None:
        layout = _infer_layout(table, province)
    if layout is None or (
        layout.total is None and not layout.years and not layout.sources and layout.lead is None
    ):
        return [], []
    # The unit for amounts: declared in the caption, the header, or a line above the table.
    unit = declared_unit(table.title) or table.unit or unit_above(doc.text, table.start)
    table = replace(
        table,
        unit=unit,
        rows=join_split_rows(
            table.rows, layout.name, layout.stt, len(table.header) if table.header else None
        ),
    )
    projects: list[Project] = []
    checks: list[BudgetCheck] = []
    group: list[float] = []  # budgets since the last category/subtotal
    subtotals: list[float] = []
    all_rows: list[float] = []
    since_subtotal: list[float] = []  # rows no "Cộng" row has covered yet
    category: tuple[str, float | None, TableRow] | None = None
    category_lead: str | None = None  # the lead a group heading gives its rows
    early_totals: list[tuple[str, float, TableRow]] = []  # "Tổng cộng" above the rows

    def close_category() -> None:
        if category is not None and category[1] is not None and group:
            checks.append(
                _check(passages, table, category[0], category[1], sum(group), category[2])
            )

    for row in table.rows:
        if row.is_header:
            continue
        first = fold(next((c for c in row.cells if c.strip()), "")).strip()
        second = fold(next((c for c in row.cells[1:2] if c.strip()), "")).strip()
        if _TOTAL_RE.match(first) or (_ROMAN_RE.match(first) and _TOTAL_RE.match(second)):
            stated, _, _ = _row_budget(table, layout, row)
            label = re.sub(r"\s+", " ", next(c for c in row.cells if c.strip())).strip()
            if _TOTAL_RE.match(second):
                label = re.sub(r"\s+", " ", row.cells[1]).strip()
            if stated is not None and not all_rows and not category:
                early_totals.append((label, stated, row))  # checked once all rows are read
            elif stated is not None:
                is_grand = fold(label).startswith(("tổng", "total"))
                if is_grand:
                    computed = sum(subtotals) + sum(since_subtotal) if subtotals else sum(all_rows)
                else:
                    computed = sum(group)
                checks.append(_check(passages, table, label, stated, computed, row))
                if not is_grand:
                    subtotals.append(stated)
                    since_subtotal = []
            group = []
            continue
        if row.is_subtotal:
            continue
        stt = _cell(row, layout.stt)
        name_cell = _cell(row, layout.name)
        if not name_cell:
            continue
        budget, by_year, by_source = _row_budget(table, layout, row)
        if _ROMAN_RE.match(stt):
            close_category()
            category, group = (_clean_name(name_cell), budget, row), []
            category_lead = group_lead(name_cell, _cell(row, layout.lead), province)
            continue
        if budget is None and not re.match(r"\d", stt):
            heading_lead = group_lead(name_cell, _cell(row, layout.lead), province)
            if heading_lead is not None and not _cell(row, layout.lead):
                category_lead = heading_lead  # "Sở Nội vụ chủ trì": a heading, not a project
                continue
        if (
            layout.unit is not None
            and _cell(row, layout.unit)
            and canonical_unit(_cell(row, layout.unit)) not in _MONEY_UNITS
        ):
            continue  # an indicator row (Mbps, %) of a roadmap table
        if budget is None and layout.lead is None and not stt:
            continue
        name = _clean_name(name_cell)
        lead_cell = (
            _cell(row, layout.lead) or _labelled(name_cell, "chủ trì") or category_lead or ""
        )
        partner_cell = _cell(row, layout.partner) or _labelled(name_cell, "phối hợp")
        for c in row.cells:
            partner_cell = partner_cell or _labelled(c, "phối hợp")
        leads = agency_names_in(lead_cell, province) if lead_cell else []
        period = _period(_cell(row, layout.period)) if layout.period is not None else None
        if period is None and by_year:
            period = _period(" ".join(by_year))
        projects.append(
            Project(
                name=name,
                lead_agency=leads[0] if leads else (re.sub(r"\s+", " ", lead_cell) or None),
                partners=[p for p in agency_names_in(partner_cell, province) if p not in leads]
                if partner_cell
                else leads[1:],
                budget_vnd_million=budget,
                budget_by_year=by_year,
                budget_by_source=by_source,
                period=period or doc.meta.period,
                objective=_cell(row, layout.objective) or None,
                uri=project_uri(doc.id, name),
                source_kind="table_row",
                mentions=[_mention(doc, passages, row, name_cell)],
            )
        )
        if budget is not None:
            group.append(budget)
            all_rows.append(budget)
            since_subtotal.append(budget)
    close_category()
    for label, stated, row in early_totals:
        covered = sum(subtotals) + sum(since_subtotal) if subtotals else sum(all_rows)
        checks.append(_check(passages, table, label, stated, covered, row))
    return projects, checks


def extract_projects(
    doc: Document, agencies: list[Agency], index: DocumentIndex | None = None
) -> tuple[list[Project], list[BudgetCheck]]:
    """Table-row projects with budgets and checks, then text-named projects (deduplicated);
    ``index``: the document's lookups, when the caller has built them."""
    index = index or DocumentIndex.of(doc)
    passages = index.passages
    province = doc_province(doc)
    by_table: list[tuple[str, Project]] = []
    checks: list[BudgetCheck] = []
    for table in doc.tables:
        ps, cs = projects_from_table(doc, table, province, passages)
        by_table += [(table.id, p) for p in ps]
        checks += cs
    projects = merge_repeated_projects(by_table)
    seen = {fold(p.name) for p in projects}
    for p in text_projects(doc, agencies, index):
        if fold(p.name) not in seen:
            seen.add(fold(p.name))
            projects.append(p)
    return projects, checks
