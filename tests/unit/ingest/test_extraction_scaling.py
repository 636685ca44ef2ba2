"""Extraction grows linearly with the document: operation counts, not timers.

* the Python lines one extraction executes grow like the text (plan-like, one-line and
  table-heavy texts at two sizes): a loop over every passage per match would not;
* the extractors walk the document's passages, sections and tables a fixed number of
  times, however many matches they place (a scan per match was quadratic);
* inputs that made a pattern retry every split of a long run (blanks after a number,
  a run of digits in a cell) are read once: on such a run a backtracking pattern would
  not finish in minutes, a linear one takes milliseconds.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from ingest.extract.agency_mentions import ubnd_hits
from ingest.extract.budget import find_money, parse_money
from ingest.extract.extraction import extract
from ingest.lang.dates import NGAY_DATE_RE
from ingest.lang.law_names import LawNameTable
from ingest.pipeline import process_source
from ingest.read import SourceText
from ingest.structure.document import build_document

_PLAN_PART = """I. MỤC TIÊU
1. Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Tài chính xây dựng cơ sở dữ liệu.
Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng CNTT.
a) UBND các huyện, thành phố triển khai phần mềm một cửa điện tử; kinh phí 500 triệu đồng.
b) Ban Chỉ đạo CNTT tỉnh kiểm tra, đôn đốc; 100% cơ quan có cổng thông tin điện tử.
"""
_TABLE_HEAD = (
    "Danh mục dự án (Đơn vị: triệu đồng)\n\n\tSTT\n\tTên dự án\n\tĐơn vị chủ trì\n\tKinh phí\n\n"
)
_TABLE_ROW = " \t{n}\n\tXây dựng hệ thống số {n}\n\tCơ quan chủ trì: Sở Nội vụ\n\t{amount}\n\n"
_HEAD = "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH\nSố: 12/KH-UBND\nKẾ HOẠCH\nỨng dụng CNTT\n"


def _source(text: str, name: str = "plan.txt") -> SourceText:
    return SourceText(doc_id="scaling", source=name, kind="plan", raw_text=text, content_hash="x")


def _plan(parts: int) -> str:
    return _HEAD + "".join(_PLAN_PART.replace("I.", f"{n}.", 1) for n in range(parts))


def _table_plan(rows: int) -> str:
    """A plan part, then one flattened table of ``rows`` budget rows."""
    body = "".join(_TABLE_ROW.format(n=n, amount=100 + n % 50) for n in range(1, rows + 1))
    return _plan(2) + _TABLE_HEAD + body


def _lines_run(text: str, name: str = "plan.txt") -> int:
    """Python lines executed by one extraction: grows with the work, not the machine."""
    count = 0

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return trace

    source = _source(text, name)
    process_source(_source(text[:1000], name))  # one-time tables and patterns, not counted
    previous = sys.gettrace()  # a coverage or debugger tracer gets its place back
    sys.settrace(trace)
    try:
        process_source(source)
    finally:
        sys.settrace(previous)
    return count


def test_extraction_work_grows_linearly() -> None:
    small, large = _lines_run(_plan(40)), _lines_run(_plan(160))
    assert large / small < 5  # 4x the text: linear ~4 (a scan of passages per match: 8)


def test_one_line_text_work_grows_linearly() -> None:
    def line(parts: int) -> str:
        return " ".join(_plan(parts).split("\n"))

    small, large = _lines_run(line(40), "plan.md"), _lines_run(line(160), "plan.md")
    assert large / small < 5


def test_table_work_grows_linearly() -> None:
    small, large = _lines_run(_table_plan(80)), _lines_run(_table_plan(320))
    assert large / small < 5  # a scan of the rows or passages per row: 6


def test_one_line_text_gives_bounded_passages() -> None:
    line = " ".join(_PLAN_PART.split("\n")) * 300  # ~200 KB, no line break at all
    doc = process_source(_source(line, "plan.md")).document
    assert doc.passages
    assert max(p.end - p.start for p in doc.passages) <= 4000


class _CountingList(list[Any]):
    """A list that counts how often it is walked through."""

    walks = 0

    def __iter__(self) -> Any:
        self.walks += 1
        return super().__iter__()


def _walks(text: str) -> dict[str, int]:
    """How often extraction walks each list of the document."""
    doc = build_document(_source(text))
    assert doc.passages and doc.sections and doc.tables
    doc.passages = _CountingList(doc.passages)
    doc.sections = _CountingList(doc.sections)
    doc.tables = _CountingList(doc.tables)
    extraction = extract(doc, LawNameTable([]))
    assert extraction.agencies and extraction.projects and extraction.citations
    return {name: getattr(doc, name).walks for name in ("passages", "sections", "tables")}


def test_extractors_walk_document_lists_a_fixed_number_of_times() -> None:
    small, large = _walks(_plan(10) + _table_plan(10)), _walks(_plan(40) + _table_plan(40))
    assert small == large


def test_date_after_a_long_run_of_blanks_is_read_once() -> None:
    run = "\t" * 100_000
    assert NGAY_DATE_RE.match(run + "x") is None
    match = NGAY_DATE_RE.match(run + "01/7/2014")
    assert match is not None and match.end() == len(run) + 9


def test_amount_after_a_long_run_of_digits_is_read_once() -> None:
    digits = "1" * 200_000
    assert parse_money(digits) is None
    assert parse_money(digits + " x 16,8 tỷ đồng") == 16800
    assert find_money("x 5 triệu " + digits) == [(2, 10, 5.0)]


def test_place_list_after_a_long_run_of_blanks_is_read_once() -> None:
    text = "UBND huyện Gia Lộc" + " " * 400_000 + "x"
    (hit,) = ubnd_hits(text, text.lower(), None)
    assert hit.name == "Ủy ban nhân dân huyện Gia Lộc"
