"""Issuers of documents: "của Chính phủ", "của UBND tỉnh", or implied by the issuer code.

``issuer_after`` and ``issuer_ending_at`` find an issuer phrase next to a number in running
text, ``canonical_issuer`` names it, ``issuer_from_code`` reads it off the number itself
("…/NĐ-CP" -> "Chính phủ").
"""

from __future__ import annotations

import re

from ingest.lang.folding import fold_key
from ontology.uris import parse_number

__all__ = [
    "ISSUER_RE",
    "canonical_issuer",
    "issuer_after",
    "issuer_ending_at",
    "issuer_from_code",
]

_MINISTRIES = [
    "Thông tin và Truyền thông",
    "Bưu chính, Viễn thông",
    "Nội vụ",
    "Tài chính",
    "Kế hoạch và Đầu tư",
    "Công an",
    "Quốc phòng",
    "Y tế",
    "Giáo dục và Đào tạo",
    "Tư pháp",
    "Tài nguyên và Môi trường",
    "Xây dựng",
    "Giao thông vận tải",
    "Giao thông - Vận tải",
    "Nông nghiệp và Phát triển nông thôn",
    "Lao động - Thương binh và Xã hội",
    "Lao động, Thương binh và Xã hội",
    "Văn hóa, Thể thao và Du lịch",
    "Khoa học và Công nghệ",
    "Công Thương",
    "Ngoại giao",
    "Khoa học, Công nghệ và Môi trường",
    "Văn hóa - Thông tin",
    "Thương mại",
    "Công nghiệp",
]
_NATIONAL_BODIES = [
    "Ban Chấp hành Trung ương Đảng",
    "Ban Chấp hành Trung ương",
    "Ban Bí thư",
    "Bộ Chính trị",
    "Phó Thủ tướng Chính phủ",
    "Thủ tướng Chính phủ",
    "Văn phòng Chính phủ",
    "Ban Cơ yếu Chính phủ",
    "Chính phủ",
    "Ủy ban Thường vụ Quốc hội",
    "Quốc hội",
    "Chủ tịch nước",
    "Ngân hàng Nhà nước Việt Nam",
    "Ngân hàng Nhà nước",
    "Kiểm toán Nhà nước",
    "Ban Chỉ đạo quốc gia về Chính phủ điện tử",
    "Ủy ban Quốc gia về Chính phủ điện tử",
    "Ủy ban Quốc gia về chuyển đổi số",
] + [f"Bộ {m}" for m in _MINISTRIES]
_NATIONAL_BY_KEY = {fold_key(b): b for b in _NATIONAL_BODIES}

_LOCAL_HEAD = (
    r"(?:(?:Ban Thường vụ|Ban Chấp hành|BCH|Thường trực)[ \t]+)?"
    r"(?:(?:Chủ tịch|Thường trực)[ \t]+)?"
    r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Hội đồng nhân dân|HĐND|Tỉnh ủy|Tỉnh uỷ|Thành ủy|Thành uỷ|"
    r"Đảng bộ|Văn phòng UBND|Văn phòng Ủy ban nhân dân|Sở[ \t]+[A-ZĐ][^\s,;.()]*(?:[ \t]+(?:và|[A-ZĐ][^\s,;.()]*)){0,5})"
)
# A province name: capitalised words ("Hải Dương", "Bà Rịa - Vũng Tàu"), never a title keyword.
_TITLE_KEYWORDS = r"(?:Về|V/v|Phê|Ban|Quy|Hướng|Thực|Triển|Sửa|Bổ|Thành|Chỉ|Tiếp|Ngày|Số)\b"
_PROVINCE = (
    rf"(?-i:(?!{_TITLE_KEYWORDS})[A-ZĐ][^\s,;.()/:]*"
    rf"(?:[ \t]+(?:-[ \t]+)?(?!{_TITLE_KEYWORDS})[A-ZĐ][^\s,;.()/:]*){{0,3}})"
)
_LOCAL_RE = (
    rf"{_LOCAL_HEAD}(?:[ \t]+(?P<scope>tỉnh|thành phố|huyện)(?:[ \t]+(?P<prov>{_PROVINCE}))?"
    rf"|(?<=ủy|uỷ|Ủy|Uỷ)[ \t]+(?:{_PROVINCE}))?"
)
_NATIONAL_RE = "|".join(re.escape(b) for b in sorted(_NATIONAL_BODIES, key=len, reverse=True))
_ONE_ISSUER = rf"(?:(?P<nat>{_NATIONAL_RE})|(?P<loc>{_LOCAL_RE}))"
ISSUER_RE = re.compile(_ONE_ISSUER, re.IGNORECASE)
_ISSUER_AFTER_RE = re.compile(
    rf"(?:[ \t]*,)?\s{{0,3}}(?:của|do)[ \t]+(?P<issuer>{_ONE_ISSUER.replace('?P<nat>', '?:').replace('?P<loc>', '?:').replace('?P<scope>', '?:').replace('?P<prov>', '?:')}"
    rf"(?:[ \t]+(?:và|với)[ \t]+(?:{_NATIONAL_RE}))?)",
    re.IGNORECASE,
)


def _local_canonical(text: str, province: str | None) -> str:
    """ "Ủy ban nhân dân tỉnh" (in Hải Dương) -> "UBND tỉnh Hải Dương"."""
    t = re.sub(r"\s+", " ", text.strip())
    t = re.sub(r"(?i)u[ỷỷ]y ban nhân dân|uỷ ban nhân dân", "UBND", t)
    t = re.sub(r"(?i)ủy ban nhân dân", "UBND", t)
    t = re.sub(r"(?i)hội đồng nhân dân", "HĐND", t)
    t = re.sub(r"(?i)tỉnh u[ỷỷ]", "Tỉnh ủy", t)
    t = re.sub(r"(?i)thành u[ỷỷ]", "Thành ủy", t)
    m = re.search(r"(?i)\b(tỉnh|thành phố)$", t)
    if province and re.match(r"Sở\b", t) and not re.search(r"(?i)\b(?:tỉnh|thành phố)\b", t):
        t = _scoped(f"{t} tỉnh", province)  # a Sở is always the province's own
    elif m and province:
        t = f"{t} {province}"
    elif re.search(r"(?i)(Tỉnh ủy|Thành ủy)$", t) and province:
        t = f"{t} {province}"
    return t


def canonical_issuer(text: str, province: str | None = None) -> str:
    """Canonical issuer name of an issuer phrase found in text."""
    parts = re.split(r"(?i)[ \t]+(?:và|với)[ \t]+(?=Bộ|Chính|Văn|Ban|Quốc)", text.strip())
    if len(parts) > 1 and all(fold_key(p) in _NATIONAL_BY_KEY for p in parts):
        return " và ".join(_NATIONAL_BY_KEY[fold_key(p)] for p in parts)
    key = fold_key(text)
    if key in _NATIONAL_BY_KEY:
        return _NATIONAL_BY_KEY[key]
    return _local_canonical(text, province)


def issuer_after(text: str, pos: int) -> tuple[str, int, int] | None:
    """ "của <issuer>" right at ``pos``: (issuer phrase, start, end) or None."""
    m = _ISSUER_AFTER_RE.match(text, pos)
    if not m:
        return None
    return m.group("issuer"), m.start("issuer"), m.end("issuer")


def issuer_ending_at(text: str, pos: int, window: int = 80) -> str | None:
    """An issuer phrase ending exactly at ``pos`` ("Bộ Thông tin và Truyền thông (")."""
    lo = max(0, pos - window)
    chunk = text[lo:pos].rstrip()
    best = None
    for m in re.finditer(rf"(?:{_NATIONAL_RE})$", chunk, re.IGNORECASE):
        best = m.group(0)
    return best


# Issuer codes (the part after the type code) -> issuer names.
_CODE_ISSUERS = {
    "CP": "Chính phủ",
    "TTG": "Thủ tướng Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "TW": "Ban Chấp hành Trung ương",
    "BCT": "Bộ Công Thương",
    "BBT": "Ban Bí thư",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BNV": "Bộ Nội vụ",
    "BTC": "Bộ Tài chính",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BCA": "Bộ Công an",
    "BQP": "Bộ Quốc phòng",
    "BYT": "Bộ Y tế",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BTP": "Bộ Tư pháp",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BXD": "Bộ Xây dựng",
    "BGTVT": "Bộ Giao thông vận tải",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BKHCN": "Bộ Khoa học và Công nghệ",
    "BBCVT": "Bộ Bưu chính, Viễn thông",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "BCY": "Ban Cơ yếu Chính phủ",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "STTTT": "Sở Thông tin và Truyền thông",
    "SBCVT": "Sở Bưu chính, Viễn thông",
    "STC": "Sở Tài chính",
    "SKHĐT": "Sở Kế hoạch và Đầu tư",
    "SNV": "Sở Nội vụ",
    "UBQGCĐS": "Ủy ban Quốc gia về chuyển đổi số",
}
# Provincial bodies: the province is appended ("Sở Thông tin và Truyền thông tỉnh Kon Tum").
_PROVINCIAL_CODES = {
    "UBND": "UBND tỉnh",
    "UB": "UBND tỉnh",
    "HĐND": "HĐND tỉnh",
    "TU": "Tỉnh ủy",
    "STTTT": "Sở Thông tin và Truyền thông tỉnh",
    "STTT": "Sở Thông tin và Truyền thông tỉnh",  # a frequent typo of STTTT
    "SBCVT": "Sở Bưu chính, Viễn thông tỉnh",
    "STC": "Sở Tài chính tỉnh",
    "SKHĐT": "Sở Kế hoạch và Đầu tư tỉnh",
    "SNV": "Sở Nội vụ tỉnh",
    "CAT": "Công an tỉnh",
}
# Centrally-run cities are "thành phố X", not "tỉnh X".
_CITIES = {"hà nội", "hồ chí minh", "hải phòng", "đà nẵng", "cần thơ"}


def _scoped(base: str, province: str | None) -> str:
    """ "UBND tỉnh" + "Kon Tum" -> "UBND tỉnh Kon Tum"; "thành phố" for the five cities."""
    if not province:
        return base
    if province.lower() in _CITIES and base.endswith(" tỉnh"):
        base = base[: -len(" tỉnh")] + " thành phố"
    return f"{base} {province}"


def issuer_from_code(number: str, province: str | None = None) -> str | None:
    """Issuer implied by the number: "…/NĐ-CP" -> "Chính phủ", "…/QH13" -> "Quốc hội",
    "2634/BTTTT-THH" -> "Bộ Thông tin và Truyền thông", "…/KH-UBND" -> "UBND tỉnh <province>"."""
    parts = parse_number(number)
    if parts is None:
        return None
    codes = parts.issuer_code.split("-")
    if re.fullmatch(r"QH\d*", codes[0], re.IGNORECASE):
        return "Quốc hội"
    if parts.type_code is None:  # official letter: ISSUER-UNIT
        codes = codes[:1]
    names: list[str] = []
    for code in codes:
        up = code.upper()
        if up in _PROVINCIAL_CODES and (province or up not in _CODE_ISSUERS):
            names.append(_scoped(_PROVINCIAL_CODES[up], province))
        elif up in _CODE_ISSUERS:
            names.append(_CODE_ISSUERS[up])
    if not names:
        return None
    return " và ".join(names)
