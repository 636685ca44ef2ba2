"""Budget notations, units from titles/headers, table projects and subtotal checks."""

from __future__ import annotations

import pytest

from ingest.extract.agencies import extract_agencies
from ingest.extract.budget import canonical_unit, parse_amount, parse_money, parse_number
from ingest.extract.projects import extract_projects
from ingest.model import Document, DocumentMeta, Table, TableRow


@pytest.mark.parametrize(
    ("text", "value"),
    [("50.141", 50141), ("2,500", 2500), ("2,55", 2.55), ("16,8", 16.8), ("16.8", 16.8), ("0,6", 0.6),
     ("1.234.567", 1234567), ("1.234,5", 1234.5), ("7000", 7000), ("abc", None), ("", None)],
)  # fmt: skip
def test_number_conventions(text: str, value: float | None) -> None:
    assert parse_number(text) == value


def test_money_units() -> None:
    assert parse_money("khoảng 16,8 tỷ đồng") == 16800
    assert parse_money("500 triệu đồng") == 500
    assert parse_amount("250", "nghìn đồng") == 0.25
    assert canonical_unit("(Đơn vị tính: triệu đồng)") == "triệu đồng"
    assert canonical_unit("ĐVT: tỷ đồng") == "tỷ đồng"
    assert canonical_unit("Kinh phí\n(Tỷ đồng)") == "tỷ đồng"
    assert canonical_unit("Tên dự án") is None


def _table_doc(rows: list[list[str]], header: list[str], title: str, unit: str | None) -> Document:
    """A document whose text holds the flattened table, with Table/TableRow offsets."""
    text = title + "\n"
    table_rows = []
    for i, cells in enumerate([header, *rows]):
        start = len(text)
        text += "".join(f"\t{c}\n" for c in cells) + "\n"
        first = cells[0].lower()
        table_rows.append(
            TableRow(
                i,
                cells,
                start,
                len(text),
                is_header=i == 0,
                is_subtotal=first.startswith(("cộng", "tổng")),
            )
        )
    table = Table("t1", len(title) + 1, len(text), header, table_rows, title=title, unit=unit)
    return Document(id="kh-bg", source="x", text=text, meta=DocumentMeta(province="Bắc Kạn", period="2021-2025"),
                    tables=[table])  # fmt: skip


def test_table_rows_become_projects_with_budgets_and_checks() -> None:
    header = [
        "STT",
        "Tên dự án, nhiệm vụ",
        "Đơn vị chủ trì",
        "Tổng kinh phí",
        "Năm 2021",
        "Năm 2022",
        "Ngân sách tỉnh",
    ]
    rows = [
        ["I", "Hạ tầng kỹ thuật", "", "", "", "", ""],
        [
            "1",
            "Nâng cấp Trung tâm dữ liệu tỉnh",
            "Sở Thông tin và Truyền thông",
            "2,500",
            "1.000",
            "1.500",
            "2.500",
        ],
        [
            "2",
            "Xây dựng cơ sở dữ liệu đất đai",
            "Sở Tài nguyên và Môi trường",
            "1,25",
            "",
            "1,25",
            "",
        ],
        ["", "Cộng I", "", "3.751", "", "", ""],
        ["II", "Nhân lực", "", "", "", "", ""],
        ["3", "Đào tạo cán bộ chuyên trách", "Sở Nội vụ", "300", "300", "", ""],
        ["", "Tổng cộng", "", "4.051", "", "", ""],
    ]
    doc = _table_doc(rows, header, "Phụ lục: Danh mục dự án (Đơn vị: triệu đồng)", "triệu đồng")
    projects, checks = extract_projects(doc, extract_agencies(doc))
    table_projects = [p for p in projects if p.source_kind == "table_row"]
    assert [p.name for p in table_projects] == [
        "Nâng cấp Trung tâm dữ liệu tỉnh",
        "Xây dựng cơ sở dữ liệu đất đai",
        "Đào tạo cán bộ chuyên trách",
    ]
    first = table_projects[0]
    assert first.budget_vnd_million == 2500
    assert first.budget_by_year == {"2021": 1000, "2022": 1500}
    assert first.budget_by_source == {"Ngân sách tỉnh": 2500}
    assert first.lead_agency == "Sở Thông tin và Truyền thông"
    assert first.period == "2021-2022"
    assert table_projects[1].budget_vnd_million == 1.25
    assert (
        first.mentions and doc.text[first.mentions[0].start : first.mentions[0].end] == first.name
    )
    by_label = {c.label: c for c in checks}
    assert by_label["Cộng I"].computed == pytest.approx(2501.25) and by_label["Cộng I"].mismatch
    assert by_label["Tổng cộng"].stated == 4051 and by_label["Tổng cộng"].computed == pytest.approx(
        4051
    )
    assert not by_label["Tổng cộng"].mismatch


def test_unit_only_in_header_cell() -> None:
    header = ["STT", "Tên dự án", "Đơn vị chủ trì", "Kinh phí\n(Tỷ đồng)"]
    rows = [["1", "Nâng cấp Báo điện tử tỉnh", "Báo Bắc Kạn", "0,4"], ["2", "Phần mềm một cửa", "Sở Nội vụ", "3"],
            ["Tổng", "Tổng", "Tổng", "3.4"]]  # fmt: skip
    doc = _table_doc(rows, header, "Kinh phí năm 2022", None)
    projects, checks = extract_projects(doc, [])
    assert [p.budget_vnd_million for p in projects if p.source_kind == "table_row"] == [400, 3000]
    assert projects[0].lead_agency == "Báo Bắc Kạn"
    assert checks[0].stated == 3400 and not checks[0].mismatch


def test_headerless_table_is_read_by_shape() -> None:
    rows = [
        ["1", "Xây dựng Cổng thông tin điện tử tỉnh", "Tích hợp dịch vụ công trực tuyến trên mạng", "Sở Nội vụ", "2,500", "1,000", "1,500"],
        ["2", "Mở rộng mạng diện rộng của tỉnh", "Nâng cao hiệu lực quản lý của chính quyền", "Văn phòng UBND tỉnh", "9,600", "3,500", "6,100"],
    ]  # fmt: skip
    text = "PHỤ LỤC (Đơn vị tính: triệu đồng)\n"
    trs = []
    for i, cells in enumerate(rows):
        start = len(text)
        text += "".join(f"\t{c}\n" for c in cells) + "\n"
        trs.append(TableRow(i, cells, start, len(text)))
    table = Table(
        "t9", 0, len(text), [], trs, title="PHỤ LỤC (Đơn vị tính: triệu đồng)", unit="triệu đồng"
    )
    doc = Document(
        id="kh", source="x", text=text, meta=DocumentMeta(province="Bắc Kạn"), tables=[table]
    )
    projects, _ = extract_projects(doc, [])
    assert [(p.name, p.budget_vnd_million, p.lead_agency) for p in projects] == [
        ("Xây dựng Cổng thông tin điện tử tỉnh", 2500, "Sở Nội vụ"),
        ("Mở rộng mạng diện rộng của tỉnh", 9600, "Văn phòng Ủy ban nhân dân tỉnh"),
    ]


def test_text_projects_are_conservative_and_get_heading_lead() -> None:
    text = (
        "III. NHIỆM VỤ\n"
        "1. Sở Thông tin và Truyền thông\n"
        "a) Xây dựng hệ thống thư điện tử công vụ của tỉnh; tăng cường tuyên truyền.\n"
        "b) Tổ chức hội thảo về chuyển đổi số.\n"
    )
    doc = Document(id="kh", source="x", text=text, meta=DocumentMeta(province="Bắc Kạn"))
    projects, _ = extract_projects(doc, extract_agencies(doc))
    assert [p.name for p in projects] == ["Xây dựng hệ thống thư điện tử công vụ của tỉnh"]
    assert projects[0].lead_agency == "Sở Thông tin và Truyền thông"
    assert projects[0].source_kind == "text"
