"""Indicator groups: targets that mean the same across plans share one key.

Why: plans word the same indicator differently ("Tỷ lệ dịch vụ công trực tuyến mức độ
3, 4", "dịch vụ công được cung cấp ở mức độ 3 trở lên"); a shared key with a Vietnamese
label lets the graph compare provinces and years. Rules are keyword sets on the folded
indicator text, most specific first; an indicator no rule fits has no group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lang.agency_gazetteer import fold


@dataclass(frozen=True, slots=True)
class IndicatorGroup:
    key: str
    label: str
    all_of: tuple[str, ...]  # regexes that must all match the folded indicator


GROUPS: tuple[IndicatorGroup, ...] = (
    IndicatorGroup(
        "dvc-muc-3-4",
        "Dịch vụ công trực tuyến mức độ 3, 4",
        (r"dịch vụ", r"mức(?: độ)? 3\s*(?:,|và|-|&)\s*4"),
    ),
    IndicatorGroup("dvc-muc-4", "Dịch vụ công trực tuyến mức độ 4", (r"dịch vụ", r"mức(?: độ)? 4")),
    IndicatorGroup("dvc-muc-3", "Dịch vụ công trực tuyến mức độ 3", (r"dịch vụ", r"mức(?: độ)? 3")),
    IndicatorGroup("dvc-muc-1-2", "Dịch vụ công mức độ 1, 2", (r"dịch vụ", r"mức(?: độ)? [12]")),
    IndicatorGroup("mot-cua-dien-tu", "Một cửa, một cửa liên thông điện tử", (r"một cửa",)),
    IndicatorGroup("chu-ky-so", "Ứng dụng chữ ký số", (r"chữ ký số|chứng thư số",)),
    IndicatorGroup(
        "phan-mem-qlvb", "Sử dụng phần mềm quản lý văn bản và điều hành", (r"quản lý văn bản",)
    ),
    IndicatorGroup(
        "van-ban-dien-tu",
        "Văn bản trao đổi dưới dạng điện tử",
        (r"văn bản", r"điện tử|gửi,? nhận|trao đổi|trên mạng|qua mạng|đăng tải"),
    ),
    IndicatorGroup(
        "thu-dien-tu",
        "Cán bộ, công chức sử dụng thư điện tử công vụ",
        (r"thư điện tử|e-?mail|hộp thư",),
    ),
    IndicatorGroup(
        "hoi-nghi-truc-tuyen", "Hội nghị truyền hình trực tuyến", (r"hội nghị|giao ban",)
    ),
    IndicatorGroup(
        "cong-thong-tin",
        "Cổng/trang thông tin điện tử",
        (r"cổng thông tin|trang thông tin|cổng/trang|trang/cổng",),
    ),
    IndicatorGroup(
        "may-tinh-can-bo",
        "Máy tính trên cán bộ, công chức",
        (r"máy tính|máy vi tính", r"cán bộ|công chức|trang bị"),
    ),
    IndicatorGroup(
        "ket-noi-mang",
        "Kết nối mạng LAN, Internet, mạng chuyên dùng",
        (r"mạng lan|internet|kết nối mạng|truyền số liệu|quang hóa|cáp quang|mạng diện rộng|wan",),
    ),
    IndicatorGroup(
        "can-bo-cntt",
        "Cán bộ chuyên trách công nghệ thông tin",
        (r"cán bộ (?:chuyên trách|công nghệ thông tin|cntt|phụ trách)|chuyên trách",),
    ),
    IndicatorGroup(
        "dao-tao-cntt",
        "Đào tạo, bồi dưỡng kỹ năng công nghệ thông tin",
        (r"đào tạo|bồi dưỡng|phổ cập|tập huấn",),
    ),
    IndicatorGroup("so-hoa-ho-so", "Hồ sơ, tài liệu được số hóa", (r"số hóa",)),
    IndicatorGroup(
        "may-chu", "Máy chủ, trung tâm dữ liệu", (r"máy chủ|trung tâm (?:dữ liệu|tích hợp)",)
    ),
    IndicatorGroup(
        "xu-ly-tren-mang",
        "Công việc xử lý trên môi trường mạng",
        (r"xử lý công việc|trên mạng|môi trường mạng",),
    ),
)

LABELS: dict[str, str] = {g.key: g.label for g in GROUPS}


def indicator_group(indicator: str) -> str | None:
    """The shared key of an indicator, or None when no group fits."""
    text = fold(indicator)
    for g in GROUPS:
        if all(re.search(p, text) for p in g.all_of):
            return g.key
    return None


def group_label(key: str) -> str | None:
    """Vietnamese label of a group key."""
    return LABELS.get(key)
