"""Targets: goal vs status, phases, units, indicator groups."""

from __future__ import annotations

from ingest.extract.indicators import group_label, indicator_group
from ingest.extract.targets import extract_targets
from ingest.model import Document, DocumentMeta, Section


def _doc(
    text: str, sections: list[Section] | None = None, period: str | None = "2021-2025"
) -> Document:
    return Document(
        id="kh", source="x", text=text, meta=DocumentMeta(period=period), sections=sections or []
    )


def _section(
    text: str, title: str, role: str | None, start_line: str, end_line: str | None = None
) -> Section:
    start = text.index(start_line)
    end = text.index(end_line) if end_line else len(text)
    return Section(
        id=title[:4], kind="part", label="I", title=title, start=start, end=end, level=1, role=role
    )


def test_goal_and_status_kept_apart() -> None:
    text = (
        "I. KẾT QUẢ ĐẠT ĐƯỢC\n"
        "Năm 2020, tỷ lệ máy tính/cán bộ công chức đạt 90%; hiện có 45 dịch vụ công trực tuyến mức độ 3.\n"
        "II. MỤC TIÊU\n"
        "Phấn đấu đến năm 2025, 100% cán bộ, công chức sử dụng thư điện tử công vụ.\n"
    )
    sections = [
        _section(text, "KẾT QUẢ ĐẠT ĐƯỢC", None, "I. KẾT", "II. MỤC"),
        _section(text, "MỤC TIÊU", "targets", "II. MỤC"),
    ]
    targets = extract_targets(_doc(text, sections))
    got = {(t.value, t.unit, t.kind) for t in targets}
    assert (90.0, "%", "status") in got
    assert (45.0, "dịch vụ công", "status") in got
    assert (100.0, "%", "goal") in got
    email = next(t for t in targets if t.value == 100.0)
    assert email.year_or_period == "2025"
    assert email.indicator.startswith("cán bộ, công chức sử dụng thư điện tử")
    assert email.indicator_group == "thu-dien-tu"
    assert len({t.uri for t in targets}) == len(targets)
    assert all(
        t.mentions and text[t.mentions[0].start : t.mentions[0].end].startswith(("9", "4", "1"))
        for t in targets
    )


def test_phase_values_give_one_target_per_phase() -> None:
    text = (
        "Tỷ lệ hồ sơ giải quyết trực tuyến (2021-2022: 50%; 2023-2025: 80%) trên tổng số hồ sơ.\n"
    )
    targets = extract_targets(_doc(text))
    assert [(t.value, t.year_or_period) for t in targets] == [
        (50.0, "2021-2022"),
        (80.0, "2023-2025"),
    ]


def test_phase_heading_sets_the_period() -> None:
    text = "a) Giai đoạn 2021 - 2022\n- Cung cấp 30% dịch vụ công trực tuyến mức độ 4.\n"
    sec = Section(
        id="p",
        kind="point",
        label="a",
        title="Giai đoạn 2021 - 2022",
        start=0,
        end=len(text),
        level=3,
    )
    (t,) = extract_targets(_doc(text, [sec]))
    assert (t.value, t.year_or_period, t.indicator_group) == (30.0, "2021-2022", "dvc-muc-4")


def test_dates_levels_and_document_numbers_are_not_targets() -> None:
    text = "Căn cứ Quyết định số 1819/QĐ-TTg ngày 26/10/2015;\nTriển khai dịch vụ mức độ 3 trong năm 2022.\n"
    assert extract_targets(_doc(text)) == []


def test_indicator_groups() -> None:
    assert indicator_group("Tỷ lệ dịch vụ công trực tuyến mức độ 3, 4") == "dvc-muc-3-4"
    assert (
        indicator_group("dịch vụ hành chính công được cung cấp ở mức độ 3 trở lên") == "dvc-muc-3"
    )
    assert indicator_group("văn bản đi, đến được gửi, nhận trên phần mềm") == "van-ban-dien-tu"
    assert (
        indicator_group("đơn vị sử dụng phần mềm Quản lý văn bản và điều hành") == "phan-mem-qlvb"
    )
    assert indicator_group("máy tính được kết nối mạng LAN") == "ket-noi-mang"
    assert indicator_group("UBND cấp huyện thực hiện một cửa điện tử") == "mot-cua-dien-tu"
    assert indicator_group("số lượt truy cập") is None
    assert group_label("dvc-muc-3-4") == "Dịch vụ công trực tuyến mức độ 3, 4"
