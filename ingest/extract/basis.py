"""Where the legal basis of a document is, found line by line.

A citation is "in the basis" (ELI ``based_on``) when it is cited in the preamble of a
document (after its title, before its first heading or "Điều 1"):

* a clause opened by "Căn cứ", "Thực hiện", "Triển khai (thực hiện)", "Trên cơ sở",
  running over wrapped lines to the end of its paragraph, but not into a "theo đề nghị",
  "xét đề nghị", "sau khi xem xét" clause (Tờ trình are proposals, not basis) nor into a
  narrative "; <issuer> ban hành …" sentence;
* a list (bulleted, numbered or bare) under a "Căn cứ:" line, or an unheaded list of legal
  documents directly under the header, before any other text;

or in a section headed "Căn cứ (pháp lý / lập kế hoạch)" / "Cơ sở pháp lý" wherever it
is, up to the next heading of the same or a higher level. A "Căn cứ" that opens a body
section (after a heading) is not the document's basis. This works on bare text, so it
needs no section tree; ``ingest.extract.citations`` also honours ``Section.role``.
"""

from __future__ import annotations

import re

from ingest.lang.doc_types import TYPE_WORD_RE
from ingest.lang.folding import fold_key
from ingest.lang.numbers import find_numbers

_DOC_TITLE_RE = re.compile(
    r"^(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|ĐỀ ÁN|CHỈ THỊ|NGHỊ QUYẾT|HƯỚNG DẪN|BÁO CÁO|TỜ TRÌNH|"
    r"THÔNG BÁO|CÔNG VĂN|QUY CHẾ|QUY ĐỊNH|THÔNG TƯ)\b"
)
_HEADING_RE = re.compile(
    r"^(?:(?P<roman>[IVXL]+)[.)]|(?P<sub>\d+\.\d+)\.?|(?P<num>\d+)[.)]|(?P<letter>[a-zđ])\)|(?P<art>Điều[ \t]+\d+)\.?)"
    r"[ \t]+(?P<rest>\S.*)$"
)
# "Phần I", "PHẦN II. …" and a heading broken over lines ("Phần" alone, then "I").
_PART_RE = re.compile(r"^(?:Phần|PHẦN)(?:[ \t]+[IVXL\d]+\b.*)?$")
_BASIS_HEADING_KEYS = (
    "can cu",
    "cac can cu",
    "nhung can cu",
    "co so phap ly",
    "co so xay dung",
    "co so lap",
)
_BULLET = r"(?:[-+•*–—][ \t]*|\d{1,2}[.)][ \t]+|[a-zđ]\)[ \t]+)"
# "n cứ" is "Căn cứ" with its first letters lost in extraction.
_BASIS_LEAD_RE = re.compile(
    rf"^{_BULLET}?(?:Căn cứ|(?-i:n cứ|Căn c)|Thực hiện|Triển khai|Trên cơ sở)\b", re.IGNORECASE
)
# Text flattened to one long line (PDF text layers): a capitalised clause keyword inside it
# starts a line of its own.
_LONG_LINE = 400
_INLINE_LEAD_RE = re.compile(
    r"(?<=\s)(?=Căn cứ\b|Căn c\b|Xét đề nghị|Theo đề nghị|QUYẾT ĐỊNH:|Điều 1\b)"
)
_ITEM_START_RE = re.compile(rf"^(?:{TYPE_WORD_RE})\b", re.IGNORECASE)
_LIST_ITEM_RE = re.compile(rf"^{_BULLET}?(?:{TYPE_WORD_RE})\b", re.IGNORECASE)
# Where a basis clause stops inside its paragraph: proposals and report reviews.
_CUT_RE = re.compile(
    r"(?:(?<=[;,.])|(?<=^))[ \t\n]*(?:(?:theo|xét|trên cơ sở)[ \t\n]+(?:đề[ \t\n]+nghị|tờ[ \t\n]+trình)"
    r"|sau[ \t\n]+khi[ \t\n]+xem[ \t\n]+xét)",
    re.IGNORECASE,
)
# A narrative sentence after ";": "…; Ban Thường vụ Tỉnh ủy ban hành Nghị quyết số …".
_NARRATIVE_RE = re.compile(
    r";[ \t\n]*(?P<subject>[^;]{1,60}?)[ \t\n](?:đã[ \t\n]+)?ban[ \t\n]+hành\b"
)
_TERMINATORS = (";", ".", ":")


def _heading(line: str) -> tuple[int, str] | None:
    """(level, heading text) of a section heading line; None for other lines. A numbered
    line that starts with a document type or a basis keyword ("1. Luật …", "2. Căn cứ
    Nghị định …") is a list item, not a heading."""
    s = line.strip()
    if len(s) > 250:  # a paragraph (or a flattened page), however it starts
        return None
    if _PART_RE.match(s):
        return 0, s
    m = _HEADING_RE.match(s)
    if m:
        rest = m.group("rest")
        if _ITEM_START_RE.match(rest) or (
            _BASIS_LEAD_RE.match(rest)
            and not fold_key(rest).startswith(_BASIS_HEADING_KEYS[3:])
            and find_numbers(rest)
        ):
            return None
        level = (
            1
            if (m.group("roman") or m.group("art"))
            else 2
            if m.group("num")
            else 3
            if m.group("sub")
            else 4
        )
        return level, rest
    if len(s) <= 100 and _all_capitals(s) and fold_key(s).startswith(_BASIS_HEADING_KEYS):
        return 1, s
    return None


def _all_capitals(s: str) -> bool:
    """Letters, every one upper case (stops at the first lower-case letter)."""
    return any(c.isalpha() for c in s) and all(c.isupper() for c in s if c.isalpha())


def _clause_end(text: str, start: int, end: int) -> int:
    """Where a basis clause ``text[start:end]`` really ends: before a proposal clause or a
    narrative "; <subject> ban hành" sentence (a subject that is not itself a citation)."""
    cut = end
    m = _CUT_RE.search(text, start + 1, end)
    if m:
        cut = m.start()
    for n in _NARRATIVE_RE.finditer(text, start, cut):
        subject = n.group("subject").lstrip(" -+•")
        if not _ITEM_START_RE.match(subject) and not _BASIS_LEAD_RE.match(subject):
            return n.start() + 1
    return cut


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line; a very long line is split before inline clause keywords."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        cuts = [ls]
        if len(line) > _LONG_LINE:
            cuts += [ls + m.start() for m in _INLINE_LEAD_RE.finditer(line) if m.start() > 0]
        out += list(zip(cuts, [*cuts[1:], le], strict=True))
    return out


def _is_header_line(s: str) -> bool:
    """A line of a document header (cells, capitals, number, place and date, motto)."""
    return (
        "|" in s
        or all(c.isupper() for c in s if c.isalpha())  # also true without letters
        or bool(re.match(r"(?i)(?:số|v/v|về việc)\b", s))
        or _date_words(s)
        or bool(_HEADER_WORDS_RE.search(s))
        or len(s) <= 3
    )


_NGAY_RE = re.compile(r"(?i)\bngày\b")
_NAM_RE = re.compile(r"(?i)\bnăm\b")
_HEADER_WORDS_RE = re.compile(r"(?i)độc lập|tháng[ \t]+\S+[ \t]+năm")


def _date_words(s: str) -> bool:
    """ "ngày" and later "năm" on the line: the first "ngày" has the most room after it,
    so one search after it decides (no "ngày.*năm" retried from every "ngày")."""
    ngay = _NGAY_RE.search(s)
    return ngay is not None and _NAM_RE.search(s, ngay.end()) is not None


def basis_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that hold the legal basis (see the module docstring)."""
    ranges: list[tuple[int, int]] = []
    in_preamble = True
    seen_prose = False  # any body text yet in this preamble (an unheaded list must come first)
    list_open = False  # inside a basis list: its items need no keyword
    clause: int | None = None  # start of the open basis clause
    block: tuple[int, int] | None = None  # (level, start) of a basis section
    prev_open_ended = True  # the previous non-blank line ended a sentence

    def close(at: int) -> None:
        nonlocal clause
        if clause is not None:
            end = _clause_end(text, clause, at)
            if end > clause:
                ranges.append((clause, end))
            clause = None

    for ls, le in _lines(text):
        line = text[ls:le]
        s = line.strip()
        if not s:
            continue
        if _DOC_TITLE_RE.match(s) and all(c.isupper() for c in s if c.isalpha()):
            close(ls)
            list_open = False
            if not s.endswith(":"):  # "QUYẾT ĐỊNH:" ends the preamble, a title opens one
                in_preamble, seen_prose = True, False
            if block:
                ranges.append((block[1], ls))
                block = None
            prev_open_ended = True
            continue
        head = _heading(s)
        if head is not None:
            close(ls)
            list_open = False
            level, rest = head
            if block and level <= block[0]:
                ranges.append((block[1], ls))
                block = None
            key = fold_key(rest)
            if (
                block is None
                and len(rest) <= 100
                and key.startswith(_BASIS_HEADING_KEYS)
                and not find_numbers(rest)
            ):
                block = (level, ls)
            in_preamble = False
            prev_open_ended = True
            continue
        lead = _BASIS_LEAD_RE.match(s)
        item = _LIST_ITEM_RE.match(s)
        if in_preamble and lead:
            close(ls)
            clause = ls
            list_open = s.endswith(":") or list_open
        elif in_preamble and item and (list_open or not seen_prose):
            close(ls)
            clause, list_open = ls, True
        elif clause is not None and not prev_open_ended:
            pass  # a wrapped line of the open clause
        else:
            close(ls)
            list_open = False
            if not _is_header_line(s):
                seen_prose = True
        prev_open_ended = s.endswith(_TERMINATORS)
    close(len(text))
    if block:
        ranges.append((block[1], len(text)))
    return sorted(ranges)
