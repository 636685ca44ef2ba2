"""Extraction grows linearly with the document (an operation-count proxy, not a timer) and a
one-line text still gives passages of bounded size."""

from __future__ import annotations

import cProfile
import pstats

from ingest.pipeline import process_source
from ingest.read import SourceText

_PLAN_PART = """I. MỤC TIÊU
1. Sở Thông tin và Truyền thông chủ trì, phối hợp với Sở Tài chính xây dựng cơ sở dữ liệu.
Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng CNTT.
a) UBND các huyện, thành phố triển khai phần mềm một cửa điện tử; kinh phí 500 triệu đồng.
b) Ban Chỉ đạo CNTT tỉnh kiểm tra, đôn đốc; 100% cơ quan có cổng thông tin điện tử.
"""


def _source(text: str, name: str = "plan.txt") -> SourceText:
    return SourceText(doc_id="scaling", source=name, kind="plan", raw_text=text, content_hash="x")


def _plan(parts: int) -> str:
    head = "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH\nSố: 12/KH-UBND\nKẾ HOẠCH\nỨng dụng CNTT\n"
    return head + "".join(_PLAN_PART.replace("I.", f"{n}.", 1) for n in range(parts))


def _calls(text: str) -> int:
    """Python function calls made by one extraction: grows with the work, not the machine."""
    profile = cProfile.Profile()
    profile.runcall(process_source, _source(text))
    return sum(row[1] for row in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]


def test_extraction_work_grows_linearly() -> None:
    small, large = _calls(_plan(40)), _calls(_plan(160))
    assert large / small < 8  # 4x the text: linear is ~4, quadratic ~16


def test_one_line_text_gives_bounded_passages() -> None:
    line = " ".join(_PLAN_PART.split("\n")) * 300  # ~200 KB, no line break at all
    doc = process_source(_source(line, "plan.md")).document
    assert doc.passages
    assert max(p.end - p.start for p in doc.passages) <= 4000
