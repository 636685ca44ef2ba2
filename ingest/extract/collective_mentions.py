"""Collective bodies: the groups of agencies plans most often make responsible.

Why a node for a group: "các sở, ban, ngành", "UBND các huyện, thị xã, thành phố" or
"Chủ tịch UBND cấp xã" are given more tasks than any single body, yet name no one
agency. Each group is one collective agent of the province (one node per province and
level, e.g. "all district People's Committees of province X"), classified by its
``COLLECTIVE_CLASSES`` concept; its surface forms become aliases. Outside partners
(universities, institutes, companies) and units named by function (one-stop units,
land-registration offices, incident-response teams) are found here too, since no
gazetteer lists them.

All patterns run on folded text (``fold`` keeps offsets) and are plain alternations
and bounded repeats: nothing that can backtrack badly on long input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.extract.agency_mentions import Hit, anchored_matches, occurrences, place_end
from ingest.lang.agency_gazetteer import DEPARTMENT_TAILS, fold
from ingest.structure.spans import matches_at


@dataclass(frozen=True, slots=True)
class CollectiveClass:
    """One kind of collective body: canonical name, level, whether national."""

    key: str  # concept id ("district-committees")
    name: str  # canonical node name
    level: str
    national: bool = False
    label_en: str = ""


COLLECTIVE_CLASSES: dict[str, CollectiveClass] = {
    c.key: c
    for c in (
        CollectiveClass("departments", "Các sở, ban, ngành", "tỉnh", False, "all provincial departments and agencies"),
        CollectiveClass("district-committees", "Ủy ban nhân dân cấp huyện", "huyện", False, "all district People's Committees"),
        CollectiveClass("commune-committees", "Ủy ban nhân dân cấp xã", "xã", False, "all commune People's Committees"),
        CollectiveClass("district-offices", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân cấp huyện", "huyện", False, "the offices of all district councils and committees"),
        CollectiveClass("ministries", "Các bộ, ngành trung ương", "trung ương", True, "the central ministries and sectors"),
        CollectiveClass("party-bodies", "Các cơ quan khối Đảng", "tỉnh", False, "the Party bodies of the province"),
        CollectiveClass("party-boards", "Các ban xây dựng Đảng của Tỉnh ủy", "tỉnh", False, "the Party-building boards of the provincial Party committee"),
        CollectiveClass("party-subcommittees", "Các đảng ủy trực thuộc Tỉnh ủy", "tỉnh", False, "the Party committees under the provincial Party committee"),
        CollectiveClass("district-party-committees", "Các huyện ủy, thị ủy, thành ủy", "huyện", False, "all district Party committees"),
        CollectiveClass("vertical-agencies", "Các cơ quan ngành dọc", "khác", False, "the branches of central agencies in the province"),
        CollectiveClass("state-enterprises", "Các doanh nghiệp nhà nước", "doanh nghiệp", False, "the state enterprises of the province"),
        CollectiveClass("telecom-enterprises", "Các doanh nghiệp viễn thông", "doanh nghiệp", False, "the telecom operators in the province"),
        CollectiveClass("media", "Các cơ quan báo chí", "tỉnh", False, "the press and media of the province"),
        CollectiveClass("local-radio", "Đài truyền thanh cấp huyện, cấp xã", "huyện", False, "the district and commune radio stations"),
        CollectiveClass("one-stop-units", "Bộ phận một cửa", "khác", False, "the one-stop units of all agencies"),
        CollectiveClass("land-offices", "Văn phòng đăng ký đất đai", "tỉnh", False, "the land-registration offices"),
        CollectiveClass("postal-cultural-points", "Các điểm bưu điện văn hóa xã", "xã", False, "the commune postal-cultural points"),
    )
}  # fmt: skip

# Separators inside a list of local-unit types: "huyện, thị xã, thành phố", "huyện/thành phố".
_SEP = r"\s*(?:,|/|;|-)?\s*(?:và\s+)?"
_DISTRICT_TYPES = r"(?:huyện|quận|thị xã|thị|thành phố|thành|tp\.?)"
_DISTRICT_LIST = (
    rf"(?:\d+\s+)?(?:huyện{_SEP}{_DISTRICT_TYPES}(?:{_SEP}{_DISTRICT_TYPES}){{0,3}}|cấp huyện)"
)
_COMMUNE_LIST = (
    rf"(?:\d+\s+)?(?:xã{_SEP}phường(?:{_SEP}thị trấn)?|cấp xã(?:{_SEP}phường{_SEP}thị trấn)?)"
)
_UBND = r"(?:ủy ban nhân dân|ubnd)"

# A pattern that opens with an optional word ("(?:các\s+)?") is tried at every offset of
# the text; the look-ahead "(?=[...])" names the letters its matches can start with, so
# the other offsets are turned away at once (same matches, several times faster).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "district-offices",
        re.compile(
            rf"văn phòng\s+(?:hđnd|hội đồng nhân dân)\s+(?:và|,)\s+{_UBND}\s+(?:các\s+)?{_DISTRICT_LIST}"
        ),
    ),
    (
        "district-committees",
        re.compile(rf"(?=[cuủ])(?:các\s+)?{_UBND}\s+(?:các\s+)?{_DISTRICT_LIST}"),
    ),
    ("district-committees", re.compile(rf"{_UBND}\s+các\s+huyện(?![\w,/])")),
    (
        "commune-committees",
        re.compile(rf"(?=[cuủ])(?:các\s+)?{_UBND}\s+(?:các\s+)?{_COMMUNE_LIST}"),
    ),
    (
        "departments",
        re.compile(r"(?=[cs])(?:các\s+)?sở\s*,?\s*(?:ban\s*,?\s*)?ngành(?:\s*,?\s*đoàn thể)?"),
    ),
    (
        "ministries",
        re.compile(
            r"các\s+bộ\s*,?\s*(?:cơ quan\s+)?ngành(?:\s+(?:trung ương|tw|dọc))?|bộ\s*,?\s*ngành\s+(?:trung ương|tw)"
        ),
    ),
    ("party-bodies", re.compile(r"các\s+cơ quan\s+(?:khối\s+)?đảng(?![\w])")),
    ("party-boards", re.compile(r"các\s+ban\s+xây dựng\s+đảng(?:\s+(?:của\s+)?tỉnh ủy)?")),
    ("party-subcommittees", re.compile(r"các\s+đảng ủy\s+trực thuộc(?:\s+tỉnh ủy)?")),
    (
        "district-party-committees",
        re.compile(
            r"(?=[c\dh])(?:(?:các\s+)?(?:\d+\s+)?huyện ủy\s*,\s*thị ủy\s*,\s*thành ủy"
            r"|huyện\s*,\s*thị\s*,\s*thành ủy)"
        ),
    ),
    ("vertical-agencies", re.compile(r"(?=[cđ])(?:các\s+)?(?:cơ quan|đơn vị)\s+ngành dọc")),
    ("state-enterprises", re.compile(r"các\s+doanh nghiệp\s+nhà nước")),
    (
        "telecom-enterprises",
        re.compile(r"các\s+doanh nghiệp\s+(?:viễn thông|bưu chính\s*,?\s*viễn thông)"),
    ),
    ("media", re.compile(r"các\s+cơ quan\s+(?:báo chí|thông tin đại chúng|truyền thông)")),
    (
        "local-radio",
        re.compile(r"(?=[cđ])(?:các\s+)?đài truyền thanh\s+cấp\s+(?:huyện|xã)(?:\s*,\s*cấp\s+xã)?"),
    ),
    ("one-stop-units", re.compile(r"bộ phận\s+(?:một cửa|tiếp nhận và trả kết quả)")),
    (
        "land-offices",
        re.compile(r"(?=[cv])(?:các\s+)?văn phòng đăng ký\s+(?:quyền sử dụng\s+)?đất(?:\s+đai)?"),
    ),
    ("postal-cultural-points", re.compile(r"(?=[cđ])(?:các\s+)?điểm bưu điện văn hóa(?:\s+xã)?")),
)


# Per pattern of ``_PATTERNS`` (same order): words every match contains, after at most
# "các", digits and spaces before them (see ``_match_starts``); () where the pattern opens
# with a fixed word, which the regex engine already searches for fast.
_ANCHORS: tuple[tuple[str, ...], ...] = (
    (),  # district-offices
    ("ủy ban nhân dân", "ubnd"),  # district-committees
    (),  # district-committees ("UBND các huyện")
    ("ủy ban nhân dân", "ubnd"),  # commune-committees
    ("sở",),  # departments
    ("bộ",),  # ministries
    (),  # party-bodies
    (),  # party-boards
    (),  # party-subcommittees
    ("huyện",),  # district-party-committees
    ("cơ quan", "đơn vị"),  # vertical-agencies
    (),  # state-enterprises
    (),  # telecom-enterprises
    (),  # media
    ("đài truyền thanh",),  # local-radio
    (),  # one-stop-units
    ("văn phòng đăng ký",),  # land-offices
    ("điểm bưu điện văn hóa",),  # postal-cultural-points
)


@lru_cache(maxsize=1)
def _folded_patterns() -> tuple[tuple[str, re.Pattern[str], tuple[str, ...]], ...]:
    """The text is matched folded ("hoà" -> "hòa"); so must the patterns be (built once)."""
    if len(_ANCHORS) != len(_PATTERNS):
        raise ValueError("collective patterns and their anchors are out of step")
    return tuple(
        (key, re.compile(fold(raw.pattern)), tuple(fold(a) for a in anchors))
        for (key, raw), anchors in zip(_PATTERNS, _ANCHORS, strict=True)
    )


def _match_starts(folded: str, anchors: tuple[str, ...]) -> list[int]:
    """Every offset where a match holding one of ``anchors`` can start: the anchor, and
    each offset of the digits and spaces before it, and a "các" before those (a superset:
    the pattern itself decides). Each anchor walks back over its own gap only: linear."""
    starts: set[int] = set()
    for anchor in anchors:
        for at in occurrences(folded, anchor):
            starts.add(at)
            j = at
            while j > 0 and (folded[j - 1].isspace() or folded[j - 1].isdecimal()):
                j -= 1
                starts.add(j)
            if j >= 3 and folded.startswith("các", j - 3):
                starts.add(j - 3)
    return sorted(starts)


def collective_hits(text: str, folded: str) -> list[Hit]:
    """Every collective body the text names (one hit per mention)."""
    out: list[Hit] = []
    for key, pattern, anchors in _folded_patterns():
        cls = COLLECTIVE_CLASSES[key]
        found = (
            matches_at(pattern, folded, _match_starts(folded, anchors))
            if anchors
            else pattern.finditer(folded)
        )
        for m in found:
            s, e = m.start(), m.end()
            if s > 0 and (folded[s - 1].isalnum() or folded[s - 1] in "/-"):
                continue
            if e < len(folded) and folded[e].isalnum():
                continue
            if key == "departments" and re.search(r"(?:cơ|ba)\s*$", folded[max(0, s - 4) : s]):
                continue  # "cơ sở, ngành" is a base, not departments
            if key in {"district-committees", "commune-committees"} and _names_places(text, e):
                continue  # "UBND các huyện A, B": single bodies, found elsewhere
            e = e - (len(folded[s:e]) - len(folded[s:e].rstrip(" ,/-")))
            out.append(
                Hit(
                    s,
                    e,
                    text[s:e],
                    cls.name,
                    "Tập thể",
                    cls.level,
                    cls.national,
                    None,
                    "collective",
                )
            )
    return out


def _names_places(text: str, end: int) -> bool:
    """Whether a capitalised place name follows ("UBND huyện Gia Lộc")."""
    m = re.match(r" ([^\W\d_][\w]*)", text[end : end + 30])
    return m is not None and m.group(1)[:1].isupper() and place_end(text, end + 1) > end + 1


def collective_class_of(name: str) -> CollectiveClass | None:
    """The collective class whose canonical name is ``name``."""
    for cls in COLLECTIVE_CLASSES.values():
        if cls.name == name:
            return cls
    return None


# ---------------------------------------------------------------- outside partners and units

_PARTNER_RE = re.compile(
    r"(?=[TtĐHVC])(?<![\w])(?:[Tt]rường\s+(?:Đại học|ĐH|Cao đẳng)\w*|Đại học|Học viện|Viện|Công ty|Tổng công ty"
    r"|Tập đoàn)(?= )"
)
# Every match of ``_PARTNER_RE`` starts with one of these.
_PARTNER_ANCHORS = (
    "Trường",
    "trường",
    "Đại học",
    "Học viện",
    "Viện",
    "Công ty",
    "Tổng công ty",
    "Tập đoàn",
)
# fold(): the text is matched folded ("toàn" -> "tòan"); the pattern must be too.
_TEAM_RE = re.compile(
    fold(
        r"(?=[đt])(?<![\w])(?:đội|tổ)\s+(?:ứng cứu\s+(?:khẩn cấp\s+)?sự cố|ứng cứu khẩn cấp|công tác)"
        r"(?:\s+(?:an toàn thông tin mạng|an toàn thông tin|máy tính|an ninh mạng))?"
        r"(?:\s+(?:của\s+)?tỉnh)?"
    )
)


_PARTNER_STOP = frozenset(
    "và của để về tại trong với cho theo từ đến do là đã được sẽ có thực triển xây hỗ phối".split()
)


_NAME_WORDS = frozenset({"khoa", "phần", "nghệ", "học", "hạn"})


def partner_hits(text: str, folded: str) -> list[Hit]:
    """Universities, institutes and companies (outside partners, not state agencies)
    and incident-response teams of the province."""
    out: list[Hit] = []
    for m in anchored_matches(_PARTNER_RE, text, _PARTNER_ANCHORS):
        start = m.start()
        i = m.end() + 1
        end = i
        lower_run = 0
        for tok in re.finditer(r"[^\s,;:()\"“”]+", text[i : i + 80]):
            word = tok.group(0).rstrip(".")
            gap = text[end : i + tok.start()]
            if end > i and gap not in {" ", " - "}:
                break
            # One lowercase word inside a name ("Bách khoa", "Cổ phần Minh An") when a
            # capitalised word follows or it is a known name word; a function word ends it.
            lower_run = 0 if word[:1].isupper() or word[:1].isdigit() else lower_run + 1
            if word in _PARTNER_STOP or lower_run > 1 or (end == i and lower_run):
                break
            after = text[i + tok.end() : i + tok.end() + 2]
            if lower_run and word not in _NAME_WORDS and not after[1:2].isupper():
                break
            end = i + tok.start() + len(word)
        while text[start:end].endswith((" và", " -", " &")):
            end = start + text[start:end].rfind(" ")
        if end <= i:
            continue
        head = fold(m.group(0))
        kind = (
            "doanh nghiệp" if head.startswith(("công ty", "tổng công ty", "tập đoàn")) else "Trường"
        )
        if head.startswith(("viện", "học viện")):
            kind = "Viện"
        level = "doanh nghiệp" if kind == "doanh nghiệp" else "khác"
        surface = text[start:end]
        out.append(Hit(start, end, surface, surface, kind, level, True, None, "partner"))
    for m in anchored_matches(_TEAM_RE, folded, ("đội", "tổ")):
        surface = text[m.start() : m.end()]
        name = re.sub(r"\s+(?:của\s+)?tỉnh$", "", surface)
        name = name[:1].upper() + name[1:]
        out.append(Hit(m.start(), m.end(), surface, name, "Đội", "tỉnh", False, None, "team"))
    return out


_NAMED_OFFICE_RE = re.compile(
    r"(?=v)(?<![\w])văn phòng\s+(?:hđnd|hội đồng nhân dân)\s+(?:và|-|,)\s*(?:ubnd|ủy ban nhân dân)\s+"
    r"(huyện|thành phố|thị xã|quận)\s+(?=\S)"
)
_SECTOR_RE = re.compile(r"(?=N)(?:^|(?<=\n)|(?<=[-+•.;:]\s))Ngành\s+(?=[A-ZĐ])")


def office_and_sector_hits(text: str, folded: str) -> list[Hit]:
    """The combined office of one named district ("Văn phòng HĐND và UBND thành phố X")
    and sectors used as actors at the start of a sentence ("Ngành Y tế đã triển khai")."""
    out: list[Hit] = []
    for m in anchored_matches(_NAMED_OFFICE_RE, folded, ("văn phòng",)):
        pe = place_end(text, m.end())
        if pe == m.end():
            continue
        name = f"Văn phòng Hội đồng nhân dân và Ủy ban nhân dân {m.group(1)} {text[m.end() : pe]}"
        out.append(Hit(m.start(), pe, text[m.start() : pe], name, "Văn phòng", "huyện", False))
    tails = sorted(DEPARTMENT_TAILS, key=len, reverse=True)
    for m in anchored_matches(_SECTOR_RE, text, ("Ngành",)):
        rest = folded[m.end() : m.end() + 60]
        tail = next((t for t in tails if re.match(re.escape(fold(t)) + r"(?!\w)", rest)), None)
        if tail is None:
            continue
        end = m.end() + len(tail)
        out.append(
            Hit(m.start(), end, text[m.start() : end], f"Ngành {tail}", "Ngành", "tỉnh", False)
        )
    return out
