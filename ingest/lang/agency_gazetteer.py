"""Gazetteer of Vietnamese public bodies and the alias rules that merge their names.

Why a gazetteer: department names are ordinary words ("Sở Kế hoạch và Đầu tư"), so
capitalisation cannot tell where a name ends; the set of ministries and provincial
departments is small and stable, so listing them (with the historical ones plans still
cite, e.g. "Sở Bưu chính, Viễn thông") gives exact boundaries and one canonical name per
body. Matching happens on a *folded* text (lower case, one tone-mark placement:
"Uỷ"/"Ủy", "hoá"/"hóa") that keeps every offset, so spans point into the real text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TONE_SWAPS = {
    "uỷ": "ủy", "uý": "úy", "uỳ": "ùy", "uỹ": "ũy", "uỵ": "ụy",
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
}  # fmt: skip
_TONE_RE = re.compile("|".join(_TONE_SWAPS))


def fold(text: str) -> str:
    """Lower case with one tone-mark placement; same length as ``text`` (offsets hold).
    Memoised, in bounded caches: short texts (names, cells) repeat, and a long one is the
    document every extractor folds (the last one is kept)."""
    return _fold_short(text) if len(text) <= 200 else _fold_last(text)


@lru_cache(maxsize=8192)
def _fold_short(text: str) -> str:
    return _fold(text)


@lru_cache(maxsize=1)
def _fold_last(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):  # never for Vietnamese; keep offsets safe anyway
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _TONE_RE.sub(lambda m: _TONE_SWAPS[m.group(0)], low)


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One body: canonical name, kind, level, whether it is national, and surface forms."""

    name: str
    kind: str
    level: str  # "trung ương" | "tỉnh" | "doanh nghiệp" | "khác"
    national: bool
    variants: tuple[str, ...] = ()  # extra surface forms (abbreviations, old spellings)


# Tail (after "Sở "/"Bộ ") -> abbreviations of the tail as written in plans.
DEPARTMENT_TAILS: dict[str, tuple[str, ...]] = {
    "Thông tin và Truyền thông": ("TT&TT", "TTTT", "TT và TT", "TT-TT"),
    "Bưu chính, Viễn thông": ("BCVT", "BC-VT", "Bưu chính Viễn thông"),
    "Kế hoạch và Đầu tư": ("KH&ĐT", "KHĐT", "KH và ĐT", "KH-ĐT"),
    "Tài chính": (),
    "Nội vụ": (),
    "Tư pháp": (),
    "Khoa học và Công nghệ": ("KH&CN", "KHCN", "KH và CN"),
    "Giáo dục và Đào tạo": ("GD&ĐT", "GDĐT", "GD và ĐT"),
    "Y tế": (),
    "Lao động - Thương binh và Xã hội": ("LĐTBXH", "LĐ-TB&XH", "LĐTB&XH"),
    "Văn hóa, Thể thao và Du lịch": ("VHTTDL", "VH,TT&DL", "VHTT&DL"),
    "Văn hóa - Thông tin": ("VHTT",),
    "Tài nguyên và Môi trường": ("TN&MT", "TNMT", "TN và MT"),
    "Nông nghiệp và Phát triển nông thôn": ("NN&PTNT", "NNPTNT", "NN và PTNT"),
    "Giao thông vận tải": ("GTVT", "GT-VT"),
    "Xây dựng": (),
    "Công thương": (),
    "Thương mại - Du lịch": (),
    "Thương mại": (),
    "Công nghiệp": (),
    "Ngoại vụ": (),
    "Du lịch": (),
    "Thể dục Thể thao": (),
    "Văn hóa và Thể thao": (),
    "Nông nghiệp và Môi trường": (),
    "Khoa học, Công nghệ và Môi trường": (),
}

# Ministries that exist (or existed) only nationally; tails shared with departments
# above are added automatically.
MINISTRY_ONLY_TAILS: dict[str, tuple[str, ...]] = {
    "Công an": ("BCA",),
    "Quốc phòng": ("BQP",),
    "Ngoại giao": ("BNG",),
}

NATIONAL_BODIES: tuple[GazEntry, ...] = (
    GazEntry("Quốc hội", "Quốc hội", "trung ương", True),
    GazEntry("Ủy ban Thường vụ Quốc hội", "Quốc hội", "trung ương", True, ("UBTVQH",)),
    GazEntry("Chính phủ", "Chính phủ", "trung ương", True),
    GazEntry("Thủ tướng Chính phủ", "Thủ tướng", "trung ương", True, ("Thủ tướng",)),
    GazEntry("Văn phòng Chính phủ", "Văn phòng", "trung ương", True, ("VPCP",)),
    GazEntry("Bộ Chính trị", "Đảng", "trung ương", True),
    GazEntry("Ban Bí thư", "Đảng", "trung ương", True),
    GazEntry(
        "Ban Chấp hành Trung ương Đảng",
        "Đảng",
        "trung ương",
        True,
        ("Ban Chấp hành Trung ương", "BCHTW"),
    ),
    GazEntry("Ban Cơ yếu Chính phủ", "Ban", "trung ương", True),
    GazEntry("Ngân hàng Nhà nước Việt Nam", "Ngân hàng", "trung ương", True),
    GazEntry("Kiểm toán Nhà nước", "Kiểm toán", "trung ương", True),
    GazEntry("Cục Bưu điện Trung ương", "Cục", "trung ương", True),
    GazEntry("Cục Tin học hóa", "Cục", "trung ương", True),
    GazEntry("Cục An toàn thông tin", "Cục", "trung ương", True),
    GazEntry(
        "Trung tâm Ứng cứu khẩn cấp máy tính Việt Nam", "Trung tâm", "trung ương", True, ("VNCERT",)
    ),
    GazEntry(
        "Tập đoàn Bưu chính Viễn thông Việt Nam",
        "doanh nghiệp",
        "doanh nghiệp",
        True,
        ("Tập đoàn VNPT", "VNPT"),
    ),
    GazEntry(
        "Tập đoàn Công nghiệp - Viễn thông Quân đội",
        "doanh nghiệp",
        "doanh nghiệp",
        True,
        ("Tập đoàn Viễn thông Quân đội", "Tập đoàn Viettel"),
    ),
    GazEntry("Tổng công ty Bưu điện Việt Nam", "doanh nghiệp", "doanh nghiệp", True, ("VNPost",)),
)

# Provincial bodies other than departments; "tỉnh"/"tỉnh <Province>" may follow any of them.
PROVINCIAL_BODIES: tuple[GazEntry, ...] = (
    GazEntry(
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Văn phòng",
        "tỉnh",
        False,
        (
            "Văn phòng UBND tỉnh",
            "VP UBND tỉnh",
            "VP.UBND tỉnh",
            "VPUBND tỉnh",
            "Văn phòng UBND",
            "VP UBND",
        ),
    ),
    GazEntry(
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
        "Văn phòng",
        "tỉnh",
        False,
        ("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Văn phòng Đoàn ĐBQH, HĐND tỉnh"),
    ),
    GazEntry(
        "Văn phòng Đoàn đại biểu Quốc hội, Hội đồng nhân dân và Ủy ban nhân dân tỉnh",
        "Văn phòng",
        "tỉnh",
        False,
        (
            "Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh",
            "Văn phòng Đoàn ĐBQH, HĐND và UBND",
            "VP Đoàn ĐBQH, HĐND và UBND tỉnh",
        ),
    ),
    GazEntry(
        "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân tỉnh",
        "Văn phòng",
        "tỉnh",
        False,
        ("Văn phòng HĐND và UBND tỉnh", "VP HĐND và UBND tỉnh", "Văn phòng HĐND - UBND tỉnh"),
    ),
    GazEntry(
        "Đoàn đại biểu Quốc hội tỉnh",
        "Quốc hội",
        "tỉnh",
        False,
        ("Đoàn ĐBQH tỉnh", "Đoàn đại biểu Quốc hội", "Đoàn ĐBQH"),
    ),
    GazEntry("Viện Kiểm sát nhân dân tỉnh", "Tư pháp", "tỉnh", False),
    GazEntry("Tòa án nhân dân tỉnh", "Tư pháp", "tỉnh", False),
    GazEntry(
        "Liên minh Hợp tác xã tỉnh",
        "Đoàn thể",
        "tỉnh",
        False,
        ("Liên minh Hợp tác xã", "Liên minh HTX"),
    ),
    GazEntry(
        "Văn phòng Hội đồng nhân dân tỉnh",
        "Văn phòng",
        "tỉnh",
        False,
        ("Văn phòng HĐND tỉnh", "VP HĐND tỉnh"),
    ),
    GazEntry("Văn phòng Tỉnh ủy", "Văn phòng", "tỉnh", False, ("VP Tỉnh ủy",)),
    GazEntry(
        "Thường trực Hội đồng nhân dân tỉnh",
        "HĐND",
        "tỉnh",
        False,
        ("TTr HĐND tỉnh", "Thường trực HĐND tỉnh", "TT HĐND tỉnh", "TTHĐND tỉnh"),
    ),
    GazEntry("Hội đồng nhân dân tỉnh", "HĐND", "tỉnh", False, ("HĐND tỉnh",)),
    GazEntry("Thường trực Tỉnh ủy", "Đảng", "tỉnh", False, ("TTr Tỉnh ủy", "TTTU", "TT Tỉnh ủy")),
    GazEntry("Ban Thường vụ Tỉnh ủy", "Đảng", "tỉnh", False, ("BTV Tỉnh ủy",)),
    GazEntry("Ban Tuyên giáo Tỉnh ủy", "Đảng", "tỉnh", False, ("Ban Tuyên giáo",)),
    GazEntry("Ban Tổ chức Tỉnh ủy", "Đảng", "tỉnh", False),
    GazEntry("Ban Dân vận Tỉnh ủy", "Đảng", "tỉnh", False),
    GazEntry("Ủy ban Kiểm tra Tỉnh ủy", "Đảng", "tỉnh", False),
    GazEntry("Đảng ủy Khối các cơ quan tỉnh", "Đảng", "tỉnh", False),
    GazEntry("Đảng ủy Khối doanh nghiệp tỉnh", "Đảng", "tỉnh", False),
    GazEntry("Tỉnh ủy", "Đảng", "tỉnh", False),
    GazEntry(
        "Tỉnh đoàn",
        "Đoàn thể",
        "tỉnh",
        False,
        (
            "Tỉnh Đoàn",
            "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh",
            "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
            "Đoàn Thanh niên",
            "Đoàn TNCS Hồ Chí Minh",
        ),
    ),
    GazEntry("Trường Chính trị tỉnh", "Trường", "tỉnh", False),
    GazEntry("Công an tỉnh", "Công an", "tỉnh", False),
    GazEntry("Bộ Chỉ huy Quân sự tỉnh", "Quân sự", "tỉnh", False, ("Bộ CHQS tỉnh",)),
    GazEntry("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "Quân sự", "tỉnh", False),
    GazEntry("Kho bạc Nhà nước tỉnh", "Kho bạc", "tỉnh", False, ("KBNN tỉnh", "Kho bạc tỉnh")),
    GazEntry("Cục Thuế tỉnh", "Cục", "tỉnh", False),
    GazEntry("Cục Thống kê tỉnh", "Cục", "tỉnh", False),
    GazEntry("Cục Hải quan tỉnh", "Cục", "tỉnh", False),
    GazEntry("Bảo hiểm xã hội tỉnh", "Bảo hiểm", "tỉnh", False, ("BHXH tỉnh",)),
    GazEntry("Thanh tra tỉnh", "Thanh tra", "tỉnh", False, ("Thanh tra nhà nước tỉnh",)),
    GazEntry("Ban Dân tộc tỉnh", "Ban", "tỉnh", False, ("Ban Dân tộc",)),
    GazEntry(
        "Ban Quản lý các khu công nghiệp",
        "Ban",
        "tỉnh",
        False,
        ("Ban Quản lý các Khu công nghiệp",),
    ),
    GazEntry("Ban Quản lý Khu kinh tế", "Ban", "tỉnh", False),
    GazEntry(
        "Đài Phát thanh và Truyền hình tỉnh",
        "Đài",
        "tỉnh",
        False,
        ("Đài PT-TH tỉnh", "Đài PTTH tỉnh"),
    ),
    GazEntry(
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Đoàn thể",
        "tỉnh",
        False,
        (
            "Ủy ban MTTQ tỉnh",
            "UBMTTQ tỉnh",
            "Ủy ban Mặt trận Tổ quốc tỉnh",
            "Mặt trận Tổ quốc tỉnh",
            "Ủy ban Mặt trận Tổ quốc Việt Nam",
            "Mặt trận Tổ quốc",
            "MTTQ tỉnh",
        ),
    ),
    GazEntry("Liên đoàn Lao động tỉnh", "Đoàn thể", "tỉnh", False, ("Liên đoàn Lao động",)),
    GazEntry("Hội Nông dân tỉnh", "Đoàn thể", "tỉnh", False, ("Hội Nông dân",)),
    GazEntry(
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Đoàn thể",
        "tỉnh",
        False,
        ("Hội Liên hiệp Phụ nữ", "Hội LHPN tỉnh", "Hội LHPN"),
    ),
    GazEntry("Hội Cựu chiến binh tỉnh", "Đoàn thể", "tỉnh", False, ("Hội Cựu chiến binh",)),
    GazEntry("Bưu điện tỉnh", "doanh nghiệp", "doanh nghiệp", False),
    GazEntry(
        "Trung tâm Công báo - Tin học",
        "Trung tâm",
        "tỉnh",
        False,
        ("Trung tâm Tin học - Công báo",),
    ),
)


def department_entries() -> list[GazEntry]:
    """One entry per provincial department (Sở) with its abbreviations."""
    out: list[GazEntry] = []
    for tail, abbrs in DEPARTMENT_TAILS.items():
        variants = [f"Sở {a}" for a in abbrs] + [
            f"S{a}" for a in abbrs if a.isalpha() and a.isupper()
        ]
        out.append(GazEntry(f"Sở {tail}", "Sở", "tỉnh", False, tuple(variants)))
    return out


def ministry_entries() -> list[GazEntry]:
    """One entry per ministry (Bộ) with its abbreviations ("Bộ TT&TT", "BTTTT")."""
    out: list[GazEntry] = []
    tails = {**DEPARTMENT_TAILS, **MINISTRY_ONLY_TAILS}
    for tail, abbrs in tails.items():
        if tail in {
            "Du lịch",
            "Ngoại vụ",
            "Thương mại - Du lịch",
            "Thể dục Thể thao",
            "Văn hóa và Thể thao",
        }:
            continue
        variants = [f"Bộ {a}" for a in abbrs if not a.startswith("B")]
        variants += [
            f"B{a}" for a in abbrs if a.isalpha() and a.isupper() and not a.startswith("B")
        ]
        variants += [a for a in abbrs if a.startswith("B")]
        out.append(GazEntry(f"Bộ {tail}", "Bộ", "trung ương", True, tuple(variants)))
    return out


def all_entries() -> list[GazEntry]:
    return [*department_entries(), *ministry_entries(), *NATIONAL_BODIES, *PROVINCIAL_BODIES]


# Abbreviations expanded when two names are compared (alias merging and scoring).
ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"\bubnd\b", "ủy ban nhân dân"),
    (r"\bhđnd\b", "hội đồng nhân dân"),
    (r"\bvp\.?(?=\s)", "văn phòng"),
    (r"\bcntt\b", "công nghệ thông tin"),
    (r"\bbcđ\b", "ban chỉ đạo"),
    (r"\btt&tt\b|\btt và tt\b|\btttt\b", "thông tin và truyền thông"),
    (r"\bkh&đt\b|\bkhđt\b", "kế hoạch và đầu tư"),
    (r"\bkh&cn\b|\bkhcn\b", "khoa học và công nghệ"),
    (r"\bgd&đt\b|\bgdđt\b", "giáo dục và đào tạo"),
    (r"\btn&mt\b|\btnmt\b", "tài nguyên và môi trường"),
    (r"\bttr\b|\btt(?= (?:tỉnh ủy|hội đồng))", "thường trực"),
    (r"\btttu\b", "thường trực tỉnh ủy"),
    (r"\bđbqh\b", "đại biểu quốc hội"),
    (r"\bchqs\b", "chỉ huy quân sự"),
    (r"\btw\b", "trung ương"),
)


def name_key(name: str, province: str | None = None) -> str:
    """Comparison key of an agency name; gazetteer abbreviations ("STTTT", "Sở KH&ĐT")
    map to the key of their canonical name."""
    if len(name) <= _CACHED_NAME:
        return _cached_name_key(name, province)
    key = _raw_key(name, province)
    return _variant_keys().get(key, key)


_CACHED_NAME = 200  # names up to this long are memoised: a plan repeats its few agencies


@lru_cache(maxsize=8192)
def _cached_name_key(name: str, province: str | None) -> str:
    key = _raw_key(name, province)
    return _variant_keys().get(key, key)


@lru_cache(maxsize=1)
def _variant_keys() -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in all_entries():
        canonical = _raw_key(entry.name)
        for v in entry.variants:
            out.setdefault(_raw_key(v), canonical)
    return out


def _raw_key(name: str, province: str | None = None) -> str:
    """Comparison key of an agency name: folded, abbreviations expanded, punctuation
    and a trailing province qualifier ("tỉnh", "tỉnh Bắc Giang", "của tỉnh") dropped.

    "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Sở TT&TT" and "Sở Thông tin và Truyền thông tỉnh
    Bắc Giang" share one key; so do "Văn phòng UBND tỉnh" and "VP UBND tỉnh".
    """
    s = fold(name).strip()
    for pattern, repl in ABBREVIATIONS:
        s = re.sub(pattern, repl, s)
    if province:
        s = re.sub(rf"\s+(?:tỉnh\s+)?{re.escape(fold(province))}$", "", s)
    s = re.sub(r"[,\-–&.:;()\"“”]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^(?:các|những)\s+", "", s)
    s = re.sub(r"\s+(?:của\s+)?tỉnh$", "", s)
    return s
