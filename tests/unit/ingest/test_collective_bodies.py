"""Collective bodies, committees and outside partners (invented fixtures, one per class)."""

from __future__ import annotations

from ingest.extract.agencies import agency_names_in, all_mentions
from ingest.extract.collective_mentions import COLLECTIVE_CLASSES


def _names(text: str) -> list[str]:
    return agency_names_in(text, "Hòa Bình")


def test_departments_and_district_committees_are_collective_nodes() -> None:
    text = (
        "Thủ trưởng các sở, ban, ngành và Chủ tịch UBND các huyện, thị xã, thành phố "
        "chịu trách nhiệm thi hành. UBND cấp huyện báo cáo hằng quý."
    )
    names = _names(text)
    assert names == ["Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"]


def test_commune_committees_in_their_forms() -> None:
    for form in ("UBND cấp xã", "UBND các xã, phường, thị trấn", "Ủy ban nhân dân xã, phường"):
        assert _names(f"Giao {form} triển khai.") == ["Ủy ban nhân dân cấp xã"], form


def test_named_districts_stay_single_bodies() -> None:
    assert _names("UBND huyện Lạc Sơn triển khai.") == ["Ủy ban nhân dân huyện Lạc Sơn"]


def test_ministries_offices_and_party_groups() -> None:
    text = (
        "Phối hợp các bộ, ngành trung ương; Văn phòng HĐND và UBND cấp huyện chủ trì; "
        "các cơ quan khối Đảng và các cơ quan ngành dọc tham gia."
    )
    assert _names(text) == [
        "Các bộ, ngành trung ương",
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân cấp huyện",
        "Các cơ quan khối Đảng",
        "Các cơ quan ngành dọc",
    ]


def test_units_teams_and_combined_offices() -> None:
    text = (
        "Chánh Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh; đội ứng cứu sự cố an toàn thông tin mạng; "
        "bộ phận một cửa; các điểm bưu điện văn hóa xã."
    )
    assert _names(text) == [
        "Văn phòng Đoàn đại biểu Quốc hội, Hội đồng nhân dân và Ủy ban nhân dân tỉnh",
        "Đội ứng cứu sự cố an toàn thông tin mạng",
        "Bộ phận một cửa",
        "Các điểm bưu điện văn hóa xã",
    ]


def test_mass_organisations_and_sectors() -> None:
    text = "Hội Liên hiệp Phụ nữ, Hội Nông dân và Đoàn Thanh niên tuyên truyền.\nNgành Giáo dục và Đào tạo triển khai."
    assert _names(text) == [
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Hội Nông dân tỉnh",
        "Tỉnh đoàn",
        "Ngành Giáo dục và Đào tạo",
    ]


def test_outside_partners_are_not_state_agencies() -> None:
    hits = all_mentions("Phối hợp với Trường Đại học Bách khoa và Công ty Cổ phần Minh An.", None)
    kinds = {h.surface: (h.kind, h.level) for h in hits}
    assert kinds["Trường Đại học Bách khoa"] == ("Trường", "khác")
    assert kinds["Công ty Cổ phần Minh An"] == ("doanh nghiệp", "doanh nghiệp")


def test_every_collective_class_has_a_level() -> None:
    assert all(c.level for c in COLLECTIVE_CLASSES.values())
