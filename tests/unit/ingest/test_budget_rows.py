"""Budget table classes: split rows and cells, group leads, units above, repeats, totals."""

from __future__ import annotations

from ingest.extract.budget import declared_unit
from ingest.extract.projects import extract_projects
from ingest.model import Document, DocumentMeta, Project, Table, TableRow


def _doc(tables: list[tuple[str, list[str], list[list[str]]]], preface: str = "") -> Document:
    """A document holding flattened tables (title line, header, rows) with offsets."""
    text = preface
    built = []
    for n, (title, header, rows) in enumerate(tables, 1):
        text += title + "\n"
        start = len(text)
        table_rows = []
        for i, cells in enumerate([header, *rows] if header else rows):
            row_start = len(text)
            text += "".join(f"\t{c}\n" for c in cells) + "\n"
            first = next((c for c in cells if c), "").lower()
            table_rows.append(
                TableRow(i, cells, row_start, len(text), bool(header) and i == 0,
                         first.startswith(("cộng", "tổng")))
            )  # fmt: skip
        built.append(Table(f"t{n}", start, len(text), header, table_rows, title=title))
        text += "\n"
    return Document(id="kh-x", source="x", text=text,
                    meta=DocumentMeta(province="Bắc Kạn", period="2021-2025"), tables=built)  # fmt: skip


def _budgeted(doc: Document) -> list[Project]:
    projects, _ = extract_projects(doc, [])
    return [p for p in projects if p.budget_vnd_million is not None]


HEADER = ["STT", "Tên dự án", "Đơn vị chủ trì", "Kinh phí (triệu đồng)"]


def test_a_name_wrapped_onto_a_second_row_is_one_project() -> None:
    rows = [
        ["1", "Xây dựng hệ thống", "", ""],
        ["", "quản lý hồ sơ đất đai", "Sở Tài nguyên và Môi trường", "500"],
        ["2", "Số hóa hồ sơ hộ tịch", "Sở Tư pháp", "250"],
    ]
    got = _budgeted(_doc([("Danh mục dự án", HEADER, rows)]))
    assert [(p.name, p.lead_agency, p.budget_vnd_million) for p in got] == [
        ("Xây dựng hệ thống quản lý hồ sơ đất đai", "Sở Tài nguyên và Môi trường", 500.0),
        ("Số hóa hồ sơ hộ tịch", "Sở Tư pháp", 250.0),
    ]


def test_a_lead_label_spilled_into_the_next_cell_is_joined_back() -> None:
    header = ["STT", "Tên nhiệm vụ", "Kinh phí (triệu đồng)", "Ghi chú"]
    rows = [
        ["1", "Nâng cấp cổng dịch vụ công. Chủ trì:", "Sở Nội vụ", "300", ""],
        ["2", "Đào tạo kỹ năng số\nChủ trì: Sở Thông tin và Truyền thông", "120", ""],
    ]
    got = _budgeted(_doc([("Nhiệm vụ", header, rows)]))
    assert [(p.name, p.lead_agency, p.budget_vnd_million) for p in got] == [
        ("Nâng cấp cổng dịch vụ công", "Sở Nội vụ", 300.0),
        ("Đào tạo kỹ năng số", "Sở Thông tin và Truyền thông", 120.0),
    ]


def test_rows_take_the_lead_agency_of_their_group_heading() -> None:
    by_heading = [
        ["I", "Sở Thông tin và Truyền thông chủ trì", "", ""],
        ["1", "Nâng cấp mạng diện rộng", "", "1.200"],
        ["II", "Sở Y tế chủ trì", "", ""],
        ["2", "Hồ sơ sức khỏe điện tử", "", "800"],
    ]
    by_column = [
        ["I", "Hạ tầng số", "Sở Thông tin và Truyền thông", ""],
        ["1", "Mạng nội bộ các sở", "", "700"],
        ["", "Sở Giáo dục và Đào tạo", "", ""],
        ["2", "Học bạ điện tử", "", "90"],
    ]
    for rows, leads in [
        (by_heading, ["Sở Thông tin và Truyền thông", "Sở Y tế"]),
        (by_column, ["Sở Thông tin và Truyền thông", "Sở Giáo dục và Đào tạo"]),
    ]:
        got = _budgeted(_doc([("Danh mục", HEADER, rows)]))
        assert [p.lead_agency for p in got] == leads
        assert len(got) == 2


def test_the_unit_on_a_line_above_the_caption_scales_the_amounts() -> None:
    header = ["STT", "Tên dự án", "Kinh phí"]
    rows = [["1", "Trung tâm điều hành thông minh", "1,5"], ["2", "Camera giao thông", "2"]]
    doc = _doc([("Biểu 2. Danh mục dự án", header, rows)], preface="ĐVT: tỷ đồng\n\n")
    assert [p.budget_vnd_million for p in _budgeted(doc)] == [1500.0, 2000.0]
    assert declared_unit("Tổng vốn 50 tỷ đồng (Đơn vị tính: triệu đồng)") == "triệu đồng"
    assert declared_unit("Đơn vị: Tr.đồng") == "triệu đồng"
    assert declared_unit("Kèm theo Kế hoạch số 12/KH-UBND") is None


def test_projects_repeated_in_two_tables_merge_into_the_one_with_a_lead() -> None:
    roadmap = ["Nội dung", "Năm 2022", "Năm 2023"]
    appendix = ["STT", "Tên dự án", "Cơ quan chủ trì", "Tổng kinh phí"]
    doc = _doc(
        [
            ("Lộ trình (triệu đồng)", roadmap, [["- Cơ sở dữ liệu đất đai", "400", "500"]]),
            ("Phụ lục (triệu đồng)", appendix,
             [["1", "Xây dựng cơ sở dữ liệu đất đai tỉnh", "Sở Tài nguyên và Môi trường", "900"],
              ["2", "Hệ thống họp trực tuyến", "Văn phòng UBND tỉnh", "400"]]),
        ]
    )  # fmt: skip
    got = _budgeted(doc)
    assert [(p.lead_agency, p.budget_vnd_million) for p in got] == [
        ("Sở Tài nguyên và Môi trường", 900.0),
        ("Văn phòng Ủy ban nhân dân tỉnh", 400.0),
    ]
    assert got[0].budget_by_year == {"2022": 400.0, "2023": 500.0}
    assert len(got[0].mentions) == 2


def test_the_same_item_budgeted_in_two_years_stays_two_projects() -> None:
    header = ["STT", "Tên nhiệm vụ", "Kinh phí (triệu đồng)", "Thời gian"]
    doc = _doc(
        [
            ("Năm 2022", header, [["1", "Duy trì cổng thông tin", "150", "2022"], ["2", "Thuê đường truyền", "60", "2022"]]),
            ("Năm 2023", header, [["1", "Duy trì cổng thông tin", "150", "2023"], ["2", "Thuê máy chủ", "80", "2023"]]),
        ]
    )  # fmt: skip
    assert len(_budgeted(doc)) == 4


def test_every_total_and_subtotal_is_checked_against_its_rows() -> None:
    rows = [
        ["", "Tổng cộng", "", "1.000"],
        ["I", "Hạ tầng", "", "600"],
        ["1", "Mạng WAN", "Sở Thông tin và Truyền thông", "600"],
        ["", "Cộng I", "", "600"],
        ["II", "Ứng dụng", "", "400"],
        ["2", "Một cửa điện tử", "Văn phòng UBND tỉnh", "350"],
        ["", "Cộng II", "", "400"],
    ]
    _, checks = extract_projects(_doc([("Danh mục", HEADER, rows)]), [])
    got = {c.label: (c.stated, c.computed, c.mismatch) for c in checks}
    assert got["Cộng I"] == (600.0, 600.0, False)
    assert got["Cộng II"] == (400.0, 350.0, True)
    assert got["Tổng cộng"] == (1000.0, 1000.0, False)
