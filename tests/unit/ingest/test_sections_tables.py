"""Section tree with roles, and flattened-table reconstruction."""

from __future__ import annotations

from paths import FIXTURES

from ingest.structure.normalize import normalize
from ingest.structure.sections import parse_sections, section_path
from ingest.structure.tables import parse_tables

FIXTURES = FIXTURES


def _text() -> str:
    return normalize((FIXTURES / "plan_small.txt").read_text(encoding="utf-8")).text


def test_section_tree_and_roles() -> None:
    text = _text()
    secs = parse_sections(text)
    heads = [(s.kind, s.label, s.role) for s in secs if s.kind != "bullet"]
    assert heads[:4] == [
        ("part", "I", "targets"), ("item", "1", "targets"), ("item", "2", "targets"), ("part", "II", "tasks")
    ]  # fmt: skip
    assert ("part", "III", "budget") in heads and ("part", "IV", "organisation") in heads
    by_label = {(s.kind, s.label): s for s in secs}
    point = by_label[("point", "b)")]
    item = next(s for s in secs if s.id == point.parent)
    assert item.label == "1" and next(s for s in secs if s.id == item.parent).label == "II"
    part_i, part_ii = by_label[("part", "I")], by_label[("part", "II")]
    assert part_i.end == part_ii.start and text[part_i.start :].startswith("I. MỤC TIÊU")
    # Table cells are not sections; bullets of the text are.
    assert not any(s.title.startswith("Nâng cấp Cổng") for s in secs)
    assert sum(1 for s in secs if s.kind == "bullet") >= 2
    assert section_path(point.id, secs).startswith("II > 1 > b)")


def test_legal_headings() -> None:
    text = (
        "Chương I\nQUY ĐỊNH CHUNG\nĐiều 1. Phạm vi\nKhoản 1. Nội dung\nĐiều 3.3.LQ.2. Đối tượng\n"
    )
    secs = parse_sections(text)
    assert [(s.kind, s.label, s.level) for s in secs] == [
        ("chapter", "I", 1), ("article", "Điều 1", 2), ("clause", "1", 3), ("article", "Điều 3.3.LQ.2", 2)
    ]  # fmt: skip


def test_flattened_table_rebuild() -> None:
    text = _text()
    [table] = parse_tables(text, parse_sections(text))
    assert table.header == ["STT", "Tên dự án", "Đơn vị chủ trì", "Kinh phí"]
    assert table.unit == "triệu đồng" and "Danh mục dự án" in (table.title or "")
    rows = table.rows
    assert rows[0].is_header and not rows[1].is_header
    assert rows[1].cells == [
        "1",
        "Nâng cấp Cổng thông tin điện tử tỉnh",
        "Sở Thông tin và Truyền thông",
        "1.200",
    ]
    # A cell over several lines (with a blank line inside) stays one cell.
    assert (
        rows[2].cells[1]
        == "Xây dựng cơ sở dữ liệu đất đai\nCơ quan phối hợp: Sở Tài nguyên và Môi trường"
    )
    assert rows[2].cells[3] == "2.500"
    assert rows[3].is_subtotal and rows[3].cells[:3] == ["Tổng cộng"] * 3
    for row in rows:
        assert text[row.start :].lstrip().startswith(row.cells[0].split("\n")[0])
    assert table.section_id is not None


def test_row_start_marker_and_unit_in_header() -> None:
    text = (
        "Bảng kinh phí\n\tSTT\n\tNội dung\n\tKinh phí\n(Tỷ đồng)\n\n\t1\n\tMáy chủ\n\t0,6\n"
        " \t2\n\tĐào tạo\n\t0,4\n\n\tCộng I\n\tCộng I\n\t1\n\n\nHết.\n"
    )
    [table] = parse_tables(text)
    assert table.header == ["STT", "Nội dung", "Kinh phí (Tỷ đồng)"] and table.unit == "tỷ đồng"
    assert [r.cells for r in table.rows[1:]] == [
        ["1", "Máy chủ", "0,6"],
        ["2", "Đào tạo", "0,4"],
        ["Cộng I", "Cộng I", "1"],
    ]
    assert [r.is_subtotal for r in table.rows] == [False, False, False, True]


def test_header_and_signature_layouts_are_not_tables() -> None:
    text = "\tỦY BAN NHÂN DÂN\n\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n\tSố: 1/KH-UBND\n\tHà Nam, ngày 1/1/2020\n\nKẾ HOẠCH\n"
    assert parse_tables(text) == []
