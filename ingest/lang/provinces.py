"""The 63 provinces and centrally-run cities, matched accent-insensitively.

Upper-case titles ("TỈNH HẢI DƯƠNG NĂM 2017") give no case cue where a province name
ends, so names are matched against this closed list instead of guessed from capitals.
"""

from __future__ import annotations

import re

from ontology.uris import strip_accents

PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bắc Giang", "Bắc Kạn", "Bạc Liêu", "Bắc Ninh",
    "Bến Tre", "Bình Định", "Bình Dương", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng",
    "Đắk Lắk", "Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
    "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa",
    "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Long An",
    "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh",
    "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh",
    "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
)  # fmt: skip
CITIES = ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ")


def _key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", strip_accents(text).lower()).strip()


_BY_KEY = {_key(p): p for p in PROVINCES + CITIES}
_MAX_WORDS = max(len(k.split()) for k in _BY_KEY)

# "tỉnh X", "TỈNH X", "thành phố X", "TP. X" followed by the candidate words.
PROVINCE_CUE_RE = re.compile(r"(?i)\b(tỉnh|thành phố|tp\.)\s+(?P<rest>[^\n;,.()]{2,40})")


def match_province(words: str) -> str | None:
    """The province whose name starts ``words`` (longest match), else None."""
    tokens = _key(words).split()
    for n in range(min(_MAX_WORDS, len(tokens)), 0, -1):
        hit = _BY_KEY.get(" ".join(tokens[:n]))
        if hit:
            return hit
    return None


def find_province(text: str) -> tuple[str, int, int] | None:
    """First "tỉnh X" / "thành phố X" naming a known province: (name, start, end)."""
    for m in PROVINCE_CUE_RE.finditer(text):
        name = match_province(m.group("rest"))
        if name:
            start = m.start("rest")
            return name, m.start(), start + _span_len(m.group("rest"), name)
    return None


def _span_len(rest: str, name: str) -> int:
    """Characters of ``rest`` covering the matched name (same word count)."""
    words = len(_key(name).split())
    m = re.match(r"\s*(?:\S+(?:\s*-\s*|\s+)?){" + str(words) + "}", rest)
    return len(m.group(0).rstrip(" -")) if m else len(name)


def is_city(name: str) -> bool:
    return name in CITIES


# The seat and the other provincial cities (thành phố thuộc tỉnh) of every province, as
# they stood before the 2025 reorganisation: the place in a date line ("Biên Hòa, ngày
# ...") is often the capital, not the province. Centrally-run cities name themselves.
CAPITALS: dict[str, tuple[str, ...]] = {
    "An Giang": ("Long Xuyên", "Châu Đốc"),
    "Bà Rịa - Vũng Tàu": ("Bà Rịa", "Vũng Tàu"),
    "Bắc Giang": ("Bắc Giang",),
    "Bắc Kạn": ("Bắc Kạn",),
    "Bạc Liêu": ("Bạc Liêu",),
    "Bắc Ninh": ("Bắc Ninh", "Từ Sơn"),
    "Bến Tre": ("Bến Tre",),
    "Bình Định": ("Quy Nhơn",),
    "Bình Dương": ("Thủ Dầu Một", "Dĩ An", "Thuận An", "Tân Uyên", "Bến Cát"),
    "Bình Phước": ("Đồng Xoài",),
    "Bình Thuận": ("Phan Thiết",),
    "Cà Mau": ("Cà Mau",),
    "Cao Bằng": ("Cao Bằng",),
    "Đắk Lắk": ("Buôn Ma Thuột",),
    "Đắk Nông": ("Gia Nghĩa",),
    "Điện Biên": ("Điện Biên Phủ",),
    "Đồng Nai": ("Biên Hòa", "Long Khánh"),
    "Đồng Tháp": ("Cao Lãnh", "Sa Đéc", "Hồng Ngự"),
    "Gia Lai": ("Pleiku",),
    "Hà Giang": ("Hà Giang",),
    "Hà Nam": ("Phủ Lý",),
    "Hà Tĩnh": ("Hà Tĩnh",),
    "Hải Dương": ("Hải Dương", "Chí Linh"),
    "Hậu Giang": ("Vị Thanh", "Ngã Bảy"),
    "Hòa Bình": ("Hòa Bình",),
    "Hưng Yên": ("Hưng Yên",),
    "Khánh Hòa": ("Nha Trang", "Cam Ranh"),
    "Kiên Giang": ("Rạch Giá", "Hà Tiên", "Phú Quốc"),
    "Kon Tum": ("Kon Tum",),
    "Lai Châu": ("Lai Châu",),
    "Lâm Đồng": ("Đà Lạt", "Bảo Lộc"),
    "Lạng Sơn": ("Lạng Sơn",),
    "Lào Cai": ("Lào Cai",),
    "Long An": ("Tân An",),
    "Nam Định": ("Nam Định",),
    "Nghệ An": ("Vinh",),
    "Ninh Bình": ("Ninh Bình", "Tam Điệp"),
    "Ninh Thuận": ("Phan Rang - Tháp Chàm", "Phan Rang-Tháp Chàm"),
    "Phú Thọ": ("Việt Trì",),
    "Phú Yên": ("Tuy Hòa",),
    "Quảng Bình": ("Đồng Hới",),
    "Quảng Nam": ("Tam Kỳ", "Hội An"),
    "Quảng Ngãi": ("Quảng Ngãi",),
    "Quảng Ninh": ("Hạ Long", "Móng Cái", "Cẩm Phả", "Uông Bí", "Đông Triều"),
    "Quảng Trị": ("Đông Hà",),
    "Sóc Trăng": ("Sóc Trăng",),
    "Sơn La": ("Sơn La",),
    "Tây Ninh": ("Tây Ninh",),
    "Thái Bình": ("Thái Bình",),
    "Thái Nguyên": ("Thái Nguyên", "Sông Công", "Phổ Yên"),
    "Thanh Hóa": ("Thanh Hóa", "Sầm Sơn"),
    "Thừa Thiên Huế": ("Huế",),
    "Tiền Giang": ("Mỹ Tho", "Gò Công"),
    "Trà Vinh": ("Trà Vinh",),
    "Tuyên Quang": ("Tuyên Quang",),
    "Vĩnh Long": ("Vĩnh Long",),
    "Vĩnh Phúc": ("Vĩnh Yên", "Phúc Yên"),
    "Yên Bái": ("Yên Bái",),
    "Hồ Chí Minh": ("TP. Hồ Chí Minh", "TP Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Thủ Đức"),
    "Hà Nội": ("Thủ đô Hà Nội",),
}
# Provinces merged into another from 1 July 2025 (Resolution 202/2025/QH15): the old
# name -> the province it joined. Provinces that kept their name are not listed.
MERGED_2025: dict[str, str] = {
    "Hà Giang": "Tuyên Quang", "Yên Bái": "Lào Cai", "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ", "Hòa Bình": "Phú Thọ", "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên", "Hải Dương": "Hải Phòng", "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình", "Quảng Bình": "Quảng Trị", "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi", "Bình Định": "Gia Lai", "Ninh Thuận": "Khánh Hòa",
    "Đắk Nông": "Lâm Đồng", "Bình Thuận": "Lâm Đồng", "Phú Yên": "Đắk Lắk",
    "Bình Dương": "Hồ Chí Minh", "Bà Rịa - Vũng Tàu": "Hồ Chí Minh", "Bình Phước": "Đồng Nai",
    "Long An": "Tây Ninh", "Sóc Trăng": "Cần Thơ", "Hậu Giang": "Cần Thơ",
    "Bến Tre": "Vĩnh Long", "Trà Vinh": "Vĩnh Long", "Tiền Giang": "Đồng Tháp",
    "Bạc Liêu": "Cà Mau", "Kiên Giang": "An Giang",
}  # fmt: skip
_MERGE_DATE = "2025-07-01"
_PLACE_KEYS = {_key(c): p for p, cities in CAPITALS.items() for c in cities}
_PLACE_KEYS.update({_key(p): p for p in PROVINCES + CITIES})
_PLACE_KEYS.update({_key(f"Thành phố {c}"): c for c in CITIES})


def province_of_place(place: str, date: str | None = None) -> str | None:
    """The province of the place of a date line ("Biên Hòa" -> "Đồng Nai", "Hà Nội" ->
    "Hà Nội", "Bình Định" -> "Bình Định"); on or after 1 July 2025 (ISO ``date``) a merged
    province is given as the province it joined. None for an unknown place."""
    key = _key(place)
    key = re.sub(r"^(?:tp|thanh pho|tinh)\s+", "", key) if key not in _PLACE_KEYS else key
    name = _PLACE_KEYS.get(key)
    if name and date and date >= _MERGE_DATE:
        name = MERGED_2025.get(name, name)
    return name


def known_place_names() -> tuple[str, ...]:
    """Every province, centrally-run city and provincial city name (for line joining)."""
    return PROVINCES + CITIES + tuple(c for cities in CAPITALS.values() for c in cities)
