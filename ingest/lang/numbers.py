"""Vietnamese document numbers: the grammar in running text, and numbers typed by a user.

Numbers follow Nghị định 30/2020/NĐ-CP (see docs): ``N/YYYY/TYPE-ISSUER``, ``N/YYYY/QHkk``,
``N/TYPE-ISSUER``, official letters ``N/ISSUER-UNIT``, Party ``N-TYPE/ISSUER`` and joint
``N/TYPE-ISSUER1-ISSUER2``. Text extracted from Word/PDF breaks them ("972/QĐ- UBND",
"QĐ-Ttg", "ND-CP"), so matching is tolerant and :func:`canonical_number` repairs them;
it is the one canonical form of a number in the project.

A user names a document more loosely: by its number, its slug ("64-2007-nd-cp"), its
ELI path or URI ("cp/2007/nd/64") or a short form ("NĐ 64", "Nghị quyết 36a").
:func:`find_doc_refs` reads such references in a question and
:func:`resolve_typed_number` resolves one typed reference against the numbers known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.lang.agency_gazetteer import fold
from ingest.lang.doc_types import TYPE_WORD_RE, canonical_type, type_before
from ingest.lang.folding import fold_text
from ontology.uris import BASE, TYPE_CODES, legal_uri, parse_number, slugify

__all__ = [
    "NUMBER_RE",
    "SHORT_REF_RE",
    "NumberMatch",
    "DocRef",
    "canonical_code",
    "canonical_number",
    "find_doc_refs",
    "find_numbers",
    "match_number",
    "number_type_code",
    "ref_matches",
    "resolve_typed_number",
    "type_from_number",
    "type_of_word",
]

# ---------------------------------------------------------------------------
# The grammar of numbers in running text
# ---------------------------------------------------------------------------

_SEQ = r"(?P<seq>\d{1,5}[a-zA-Zđ]?)"
_SLASH = r"[ \t]?/[ \t]?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_CODE = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
# Groups are joined by "-"; a stray space on ONE side of it is a typo ("QĐ- UBND"). Old
# symbols also join them by "." ("12/2001/QĐ.UB") or "/" ("456/QĐ/BYT-TCCB"), kept as written.
_HYPH = r"(?:-[ \t]?|[ \t]-(?=[A-ZĐ])|\.(?=[A-ZĐ]))"
_CODES = rf"{_CODE}(?:{_HYPH}{_CODE})*(?![\w&])"

# "(?=\d)": every branch opens with a digit; other offsets are turned away before the
# look-behind is tried (same matches, a faster scan).
NUMBER_RE = re.compile(
    r"(?=\d)(?<![\w/.\-])"
    rf"(?:{_SEQ}{_SLASH}{_YEAR}{_SLASH}(?P<ycodes>{_CODES})"
    rf"|(?P<pseq>\d{{1,5}}[a-zA-Zđ]?)[ \t]?-[ \t]?(?P<ptype>{_CODE}){_SLASH}(?P<pcodes>{_CODES})"
    rf"|(?P<bseq>\d{{1,5}}[a-zA-Zđ]?){_SLASH}(?P<bcodes>{_CODES}(?:/{_CODES})?))"
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
    # PDF text layers that drop "Đ" leave "N -CP", "Q -TTg": no type code is one letter.
    "N": "NĐ",
    "Q": "QĐ",
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


_TYPE_CODES_UPPER = {k.upper(): v for k, v in TYPE_CODES.items()}
_TYPE_CODES_UPPER.update({"CTR": "Chương trình", "TTR": "Tờ trình"})


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
    """The type code of a canonical number ("NĐ" of "64/2007/NĐ-CP"), None without one."""
    parts = parse_number(number)
    return parts.type_code if parts else None


# ---------------------------------------------------------------------------
# References a user writes: full numbers and short "type + seq" forms
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocRef:
    """A document named by a user, fully ("64/2007/NĐ-CP") or shortly ("NĐ 64")."""

    surface: str
    start: int
    end: int
    seq: str  # "64", "36a"
    number: str | None = None  # canonical full number when the user gives one
    year: str | None = None
    doc_type: str | None = None  # canonical type ("Nghị định"), when written or implied
    type_code: str | None = None  # "NĐ" when known


_CODE_TYPES = {canonical_code(k): v for k, v in TYPE_CODES.items() if len(k) > 1}
_TYPE_CODE_OF = {v: k for k, v in _CODE_TYPES.items()}
_TYPE_CODE_OF["Nghị định"] = "NĐ"
_TYPE_CODE_OF["Quyết định"] = "QĐ"
_CODE_ALT = "|".join(sorted((re.escape(c) for c in _CODE_TYPES), key=len, reverse=True))
_CODE_ALT += "|ND|QD|NQ|TT|CT|KH"
# "Nghị định 64", "NĐ 64/2007", "Quyết định số 1819", "Nghị quyết 36a", "QĐ-1819"
SHORT_REF_RE = re.compile(
    rf"(?<![\w/])(?P<type>{TYPE_WORD_RE}|{_CODE_ALT})(?:[ \t]+số)?[ \t]*[-:]?[ \t]*"
    r"(?P<seq>\d{1,5}[a-zđ]?)(?:[ \t]*/[ \t]*(?P<year>(?:19|20)\d\d))?(?![\w/])",
    re.IGNORECASE,
)
_YEARLIKE_RE = re.compile(r"(?:19|20)\d\d")


def type_of_word(word: str) -> tuple[str | None, str | None]:
    """(canonical type, type code) of a type word or code written by a user."""
    code = canonical_code(word)
    if code in _CODE_TYPES:
        return _CODE_TYPES[code], code
    doc_type = canonical_type(word)
    return doc_type, _TYPE_CODE_OF.get(doc_type)


def find_doc_refs(text: str) -> list[DocRef]:
    """Full numbers (via the number grammar) and short "type + seq" references."""
    refs: list[DocRef] = []
    for found in find_numbers(text):
        if found.groups < 2 and not type_before(text, found.start):
            continue  # "24/7", "1/2" are not document numbers
        tb = type_before(text, found.start)
        doc_type = type_from_number(found.number) or (tb.doc_type if tb else None)
        start = tb.start if tb and tb.doc_type else found.start
        refs.append(
            DocRef(
                text[start : found.end],
                start,
                found.end,
                found.seq,
                found.number,
                found.year,
                doc_type,
                _TYPE_CODE_OF.get(doc_type or ""),
            )
        )
    taken = [(r.start, r.end) for r in refs]
    for m in SHORT_REF_RE.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        doc_type, code = type_of_word(m.group("type"))
        is_code = canonical_code(m.group("type")) in _CODE_TYPES
        if m.group("type").lower() == "văn bản" or (
            not is_code and _YEARLIKE_RE.fullmatch(m.group("seq"))
        ):
            continue  # "Kế hoạch 2017" is the plan for 2017, not plan number 2017
        refs.append(
            DocRef(
                m.group(0),
                m.start(),
                m.end(),
                m.group("seq").lower(),
                None,
                m.group("year"),
                doc_type,
                code,
            )
        )
    return sorted(refs, key=lambda r: r.start)


def ref_matches(ref: DocRef, number: str) -> bool:
    """Whether a canonical number ("64/2007/NĐ-CP") is the document ``ref`` names."""
    if ref.number:
        return fold(ref.number) == fold(number)
    parts = parse_number(number)
    if parts is None or parts.seq.lower() != ref.seq:
        return False
    if ref.year and parts.year and parts.year != ref.year:
        return False
    if ref.type_code and parts.type_code:
        return canonical_code(parts.type_code) == canonical_code(ref.type_code)
    if ref.doc_type:
        implied = type_from_number(number)
        return implied is None or implied == ref.doc_type
    return True


# ---------------------------------------------------------------------------
# One typed reference resolved against the known numbers
# ---------------------------------------------------------------------------

_ELI_PREFIX = f"{BASE}/eli/vn/"


def _eli_path(typed: str) -> str | None:
    """The ELI path of a typed URI or path ("cp/2007/nd/64"), None for other shapes."""
    text = typed.strip()
    if text.lower().startswith(_ELI_PREFIX):
        text = text[len(_ELI_PREFIX) :]
    text = text.strip("/").lower()
    return text if "/" in text and re.fullmatch(r"[a-z0-9_/-]+", text) else None


def _eli_paths_of(number: str, eli: str) -> set[str]:
    """ELI paths of ``number``: the national form, and the provincial form when ``eli`` has
    five segments (province, issuer, year, type, seq), which only the URI itself names."""
    paths = {legal_uri(number)[len(_ELI_PREFIX) :]}
    segs = eli.split("/")
    if len(segs) == 5:
        year = segs[2] if segs[2] != "_" else None
        paths.add(legal_uri(number, province=segs[0], year=year)[len(_ELI_PREFIX) :])
    return paths


def resolve_typed_number(typed: str, known: Iterable[str]) -> list[str]:
    """The numbers among ``known`` that a user's typed reference names.

    ``typed`` may be a number, damaged or not ("64/2007/ND-CP", " 972/QĐ- UBND"), its slug
    ("64-2007-nd-cp"), its ELI path or URI ("cp/2007/nd/64") or a short form ("NĐ 64",
    "Quyết định 1819", "Nghị quyết 36a"). Exact matches of the canonical number come
    first, then the other matches in the order of ``known``; empty when nothing matches.
    """
    text = typed.strip()
    if not text:
        return []
    numbers = list(dict.fromkeys(known))
    canonical = canonical_number(text)
    exact = [n for n in numbers if canonical is not None and n == canonical]
    slug = slugify(text)
    eli = _eli_path(text)
    refs = find_doc_refs(text) if canonical is None and eli is None else []
    loose: list[str] = []
    for number in numbers:
        if number in exact:
            continue
        if (
            (canonical is not None and fold(number) == fold(canonical))
            or slugify(number) == slug
            or (eli is not None and eli in _eli_paths_of(number, eli))
            or any(ref_matches(ref, number) for ref in refs)
        ):
            loose.append(number)
    return exact + loose
