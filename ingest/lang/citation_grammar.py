"""The grammar of Vietnamese document numbers, dates, types and issuers in running text.

Pure functions over strings: no document model here, so every rule can be tested on a
short invented snippet. ``ingest.extract.citations`` assembles these pieces into ``Citation``s.

Numbers follow Nghị định 30/2020/NĐ-CP (see docs): ``N/YYYY/TYPE-ISSUER``, ``N/YYYY/QHkk``,
``N/TYPE-ISSUER``, official letters ``N/ISSUER-UNIT``, Party ``N-TYPE/ISSUER`` and joint
``N/TYPE-ISSUER1-ISSUER2``. Text extracted from Word/PDF breaks them ("972/QĐ- UBND",
"QĐ-Ttg", "ND-CP"), so matching is tolerant and :func:`canonical_number` repairs them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.lang.dates import to_iso
from ontology.uris import TYPE_CODES, parse_number, strip_accents

# ---------------------------------------------------------------------------
# Text folding: robust to raw text (no-break spaces, combining accents).
# ---------------------------------------------------------------------------

_SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009", "\u200a", "\u3000"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\ufeff"}


def fold_text(text: str) -> tuple[str, list[int]]:
    """NFC-compose ``text`` and turn odd spaces into plain ones, keeping an offset map.

    Returns ``(folded, starts)`` where ``starts[i]`` is the offset in ``text`` of the
    character ``folded[i]`` (``starts[len(folded)] == len(text)``), so spans found in the
    folded text can be reported in the caller's text. Zero-width characters are dropped
    (turning them into spaces would split tokens).
    """
    out: list[str] = []
    starts: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if cluster in _ZERO_WIDTH:
            i = j
            continue
        if cluster in _SPACES:
            cluster = " "
        composed = unicodedata.normalize("NFC", cluster) if j - i > 1 else cluster
        for ch in composed:
            out.append(ch)
            starts.append(i)
        i = j
    starts.append(n)
    return "".join(out), starts


def fold_key(text: str) -> str:
    """Case- and diacritic-insensitive key: "Luật Công nghệ  thông tin" -> "luat cong nghe thong tin"."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", " ", strip_accents(text).lower()).strip()


# ---------------------------------------------------------------------------
# Document numbers
# ---------------------------------------------------------------------------

_SEQ = r"(?P<seq>\d{1,5}[a-zA-Zđ]?)"
_SLASH = r"[ \t]?/[ \t]?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
# Groups are joined by "-"; a stray space on ONE side of it is a typo ("QĐ- UBND").
_HYPH = r"(?:-[ \t]?|[ \t]-(?=[A-ZĐ]))"
_CODES = rf"{_CODE}(?:{_HYPH}{_CODE})*(?![\w&])"

NUMBER_RE = re.compile(
    r"(?<![\w/.\-])"
    rf"(?:{_SEQ}{_SLASH}{_YEAR}{_SLASH}(?P<ycodes>{_CODES})"
    rf"|(?P<pseq>\d{{1,5}}[a-zA-Zđ]?)-[ \t]?(?P<ptype>{_CODE}){_SLASH}(?P<pcodes>{_CODES})"
    rf"|(?P<bseq>\d{{1,5}}[a-zA-Zđ]?){_SLASH}(?P<bcodes>{_CODES}))"
)

# ASCII spellings of codes that need "Đ", and the mixed-case codes of the Rules.
_CODE_REPAIRS = {
    "ND": "NĐ",
    "QD": "QĐ",
    "DA": "ĐA",
    "HDND": "HĐND",
    "BKHDT": "BKHĐT",
    "BGDDT": "BGDĐT",
    "BLDTBXH": "BLĐTBXH",
    "TTG": "TTg",
    "CTR": "CTr",
    "TTR": "TTr",
}


def canonical_code(code: str) -> str:
    """One code group in its canonical spelling: "Ttg" -> "TTg", "ND" -> "NĐ", "kh" -> "KH"."""
    upper = code.strip().upper()
    return _CODE_REPAIRS.get(upper, upper)


def _split_codes(codes: str) -> list[str]:
    return [canonical_code(c) for c in re.split(r"[ \t]*-[ \t]*", codes.strip()) if c.strip()]


@dataclass(frozen=True, slots=True)
class NumberMatch:
    """A document number found in text: its span, canonical form and shape."""

    start: int
    end: int
    surface: str
    number: str  # canonical, e.g. "1819/QĐ-TTg"
    seq: str  # "1819", "36a"
    year: str | None
    groups: int  # number of code groups (1 means "N/CODE", which needs a trigger word)


def match_number(m: re.Match[str]) -> NumberMatch:
    """Canonicalise one ``NUMBER_RE`` match (typos repaired, surface kept)."""
    if m.group("ycodes"):
        seq, year, groups = m.group("seq"), m.group("year"), _split_codes(m.group("ycodes"))
        number = f"{seq.lower()}/{year}/{'-'.join(groups)}"
        n = len(groups) + 1  # a year makes it unambiguous
    elif m.group("ptype"):
        seq, year = m.group("pseq"), None
        groups = _split_codes(m.group("pcodes"))
        number = f"{seq.lower()}-{canonical_code(m.group('ptype'))}/{'-'.join(groups)}"
        n = len(groups) + 1
    else:
        seq, year, groups = m.group("bseq"), None, _split_codes(m.group("bcodes"))
        number = f"{seq.lower()}/{'-'.join(groups)}"
        n = len(groups)
    return NumberMatch(m.start(), m.end(), m.group(0), number, seq.lower(), year, n)


def find_numbers(text: str) -> list[NumberMatch]:
    """Every candidate document number in ``text`` (trigger checks are the caller's)."""
    return [match_number(m) for m in NUMBER_RE.finditer(text)]


def canonical_number(surface: str) -> str | None:
    """Canonical form of a number written alone: " 972/QĐ- UBND" -> "972/QĐ-UBND"."""
    folded, _ = fold_text(surface)
    m = NUMBER_RE.search(folded.strip())
    return match_number(m).number if m else None


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------

DATE_NUM = (
    r"(?P<d>\d{1,2})[ \t]*[/.\-][ \t]*(?P<m>\d{1,2})[ \t]*[/.\-][ \t]*(?P<y>(?:19|20)\d\d)(?!\d)"
)
DATE_LONG = r"(?P<d2>\d{1,2})[ \t]+tháng[ \t]+(?P<m2>\d{1,2})[ \t]*,?[ \t]+năm[ \t]+(?P<y2>(?:19|20)\d\d)(?!\d)"
DATE_RE = re.compile(rf"(?:{DATE_NUM}|{DATE_LONG})", re.IGNORECASE)
# "ngày 10/4/2007", ", ngày 10 tháng 4 năm 2007", "ban hành ngày ..."
NGAY_DATE_RE = re.compile(
    rf"(?:[ \t]*,)?\s{{0,3}}(?:(?:ban hành|ký)[ \t]+)?ngày[ \t]+(?:{DATE_NUM}|{DATE_LONG})",
    re.IGNORECASE,
)


def iso_date(day: str, month: str, year: str) -> str | None:
    """ISO date from its parts, or None when the parts are not a calendar date."""
    return to_iso(day, month, year)


def date_from_match(m: re.Match[str]) -> str | None:
    """ISO date from a match of ``DATE_RE`` or ``NGAY_DATE_RE``."""
    if m.group("d"):
        return iso_date(m.group("d"), m.group("m"), m.group("y"))
    return iso_date(m.group("d2"), m.group("m2"), m.group("y2"))


def parse_date(text: str) -> str | None:
    """First date in ``text`` in ISO form: "ngày 29 tháng 6 năm 2006" -> "2006-06-29"."""
    m = DATE_RE.search(fold_text(text)[0])
    return date_from_match(m) if m else None


# ---------------------------------------------------------------------------
# Document types (prose before the number, or the type code)
# ---------------------------------------------------------------------------

# Longest first; value is the canonical type.
_TYPE_WORDS: dict[str, str] = {
    "thông tư liên tịch": "Thông tư liên tịch",
    "nghị quyết liên tịch": "Nghị quyết liên tịch",
    "chương trình phối hợp": "Chương trình phối hợp",
    "chương trình hành động": "Chương trình",
    "kế hoạch hành động": "Kế hoạch",
    "văn bản hợp nhất": "Văn bản hợp nhất",
    "chương trình": "Chương trình",
    "kế hoạch": "Kế hoạch",
    "nghị định": "Nghị định",
    "nghị quyết": "Nghị quyết",
    "quyết định": "Quyết định",
    "thông tư": "Thông tư",
    "chỉ thị": "Chỉ thị",
    "công văn": "Công văn",
    "công điện": "Công điện",
    "văn bản": "Công văn",
    "bộ luật": "Bộ luật",
    "luật": "Luật",
    "pháp lệnh": "Pháp lệnh",
    "hướng dẫn": "Hướng dẫn",
    "đề án": "Đề án",
    "tờ trình": "Tờ trình",
    "thông báo": "Thông báo",
    "báo cáo": "Báo cáo",
    "kết luận": "Kết luận",
    "quy định": "Quy định",
    "quy chế": "Quy chế",
}
TYPE_WORD_RE = "|".join(re.escape(w) for w in _TYPE_WORDS)
_TYPE_WORD_FIND_RE = re.compile(rf"(?<!\w)(?:{TYPE_WORD_RE})(?!\w)", re.IGNORECASE)
# After the type phrase: a few name words then "số" ("Luật đầu tư công số"), or nothing.
_TYPE_TAIL_RE = re.compile(
    r"(?:(?P<mid>(?:[ \t]+[^\s\d;,.()/:]+){0,5}?)[ \t]+số(?:[ \t]+hiệu)?[ \t]*:?[ \t]*|[ \t]+)$",
    re.IGNORECASE,
)
_SO_BEFORE_RE = re.compile(r"(?<!\w)số(?:[ \t]+hiệu)?[ \t]*:?[ \t]*$", re.IGNORECASE)
_TYPE_CODES_UPPER = {k.upper(): v for k, v in TYPE_CODES.items()}
_TYPE_CODES_UPPER.update({"CTR": "Chương trình", "TTR": "Tờ trình"})


def canonical_type(words: str) -> str:
    """Canonical document type of a prose type phrase: "văn bản" -> "Công văn"."""
    return _TYPE_WORDS.get(re.sub(r"\s+", " ", words.lower()), words)


@dataclass(frozen=True, slots=True)
class TypeBefore:
    doc_type: str | None  # canonical type from the prose, None when only "số" precedes
    start: int  # where the type phrase (or "số") starts
    mid: str  # words between the type and "số": "đầu tư công" in "Luật đầu tư công số"
    has_so: bool


def type_before(text: str, pos: int, window: int = 90) -> TypeBefore | None:
    """The prose right before a number: "Nghị định số ", "Luật đầu tư công số ", "văn bản "."""
    lo = max(0, pos - window)
    chunk = text[lo:pos]
    words = list(_TYPE_WORD_FIND_RE.finditer(chunk))
    if words:  # only the nearest type word may govern the number
        w = words[-1]
        t = _TYPE_TAIL_RE.match(chunk, w.end())
        if t and not (t.group("mid") and _TYPE_WORD_FIND_RE.search(t.group("mid"))):
            has_so = bool(re.search(r"số(?:[ \t]+hiệu)?[ \t]*:?[ \t]*$", t.group(0), re.IGNORECASE))
            return TypeBefore(
                canonical_type(w.group(0)), lo + w.start(), (t.group("mid") or "").strip(), has_so
            )
    m = _SO_BEFORE_RE.search(chunk)
    if m:
        return TypeBefore(None, lo + m.start(), "", True)
    return None


def type_from_number(number: str) -> str | None:
    """Type implied by the symbol: "36a/NQ-CP" -> "Nghị quyết", "49/2014/QH13" -> "Luật",
    "2634/BTTTT-THH" -> "Công văn" (official letters carry no type code)."""
    parts = parse_number(number)
    if parts is None:
        return None
    if parts.type_code:
        return _TYPE_CODES_UPPER.get(parts.type_code.upper())
    if re.fullmatch(r"QH\d*", parts.issuer_code, re.IGNORECASE):
        return "Luật"
    if "-" in parts.issuer_code:
        return "Công văn"
    return None


def number_type_code(number: str) -> str | None:
    parts = parse_number(number)
    return parts.type_code if parts else None


# ---------------------------------------------------------------------------
# Issuers ("của Chính phủ", "của UBND tỉnh", or implied by the issuer code)
# ---------------------------------------------------------------------------

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
    r"(?:(?:Ban Thường vụ|Ban Chấp hành Đảng bộ|BCH Đảng bộ|Thường trực)[ \t]+)?"
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
    if m and province:
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
}
_PROVINCIAL_CODES = {"UBND": "UBND tỉnh", "UB": "UBND tỉnh", "HĐND": "HĐND tỉnh", "TU": "Tỉnh ủy"}


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
        if up in _CODE_ISSUERS:
            names.append(_CODE_ISSUERS[up])
        elif up in _PROVINCIAL_CODES:
            base = _PROVINCIAL_CODES[up]
            names.append(f"{base} {province}" if province else base)
    if not names:
        return None
    return " và ".join(names)
