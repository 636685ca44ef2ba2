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
