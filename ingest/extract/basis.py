"""Where the legal basis of a document is, found line by line.

A citation is "in the basis" (ELI ``based_on``) when it is cited in a "Căn cứ ..." or
opening "Thực hiện ..." paragraph of a document's preamble, or in a section headed
"Căn cứ lập kế hoạch" / "Cơ sở pháp lý" whose items carry no prefix. This works on bare
text, so it needs no section tree; ``ingest.extract.citations`` also honours ``Section.role``.
"""

from __future__ import annotations

import re

from ingest.lang.doc_types import TYPE_WORD_RE
from ingest.lang.folding import fold_key
from ingest.lang.numbers import find_numbers

_DOC_TITLE_RE = re.compile(
    r"^(?:KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|ĐỀ ÁN|CHỈ THỊ|NGHỊ QUYẾT|HƯỚNG DẪN|BÁO CÁO|TỜ TRÌNH|"
    r"THÔNG BÁO|CÔNG VĂN|QUY CHẾ|QUY ĐỊNH)\b"
)
_HEADING_RE = re.compile(
    r"^(?:(?P<roman>[IVXL]+)[.)]|(?P<sub>\d+\.\d+)\.?|(?P<num>\d+)[.)]|(?P<letter>[a-zđ])\)|(?P<art>Điều[ \t]+\d+)\.?)"
    r"[ \t]+(?P<rest>\S.*)$"
)
_BASIS_HEADING_KEYS = (
    "can cu",
    "cac can cu",
    "nhung can cu",
    "co so phap ly",
    "co so xay dung",
    "co so lap",
)
_BASIS_LEAD_RE = re.compile(
    r"^[-+•*–\s]*(?:Căn cứ|Thực hiện|Triển khai|Trên cơ sở)\b", re.IGNORECASE
)
_ITEM_START_RE = re.compile(rf"^(?:{TYPE_WORD_RE})\b", re.IGNORECASE)


def _heading(line: str) -> tuple[int, str] | None:
    """(level, heading text) of a section heading line; None for other lines. A numbered
    line that starts with a document type ("1. Luật …") is a list item, not a heading."""
    s = line.strip()
    m = _HEADING_RE.match(s)
    if m:
        rest = m.group("rest")
        if _ITEM_START_RE.match(rest):
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
    letters = [c for c in s if c.isalpha()]
    if (
        letters
        and len(s) <= 100
        and all(c.isupper() for c in letters)
        and fold_key(s).startswith(_BASIS_HEADING_KEYS)
    ):
        return 1, s
    return None


def basis_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that hold the legal basis, found line by line (no section tree
    needed): "Căn cứ …" / "Thực hiện …" paragraphs of a document's preamble (after its
    title, before its first heading or "Điều 1"), and sections headed "Căn cứ lập kế
    hoạch", "Cơ sở pháp lý" … up to the next heading of the same or a higher level."""
    ranges: list[tuple[int, int]] = []
    in_preamble = True
    block: tuple[int, int] | None = None  # (level, start)
    pos = 0
    for line in text.split("\n"):
        ls, le = pos, pos + len(line)
        pos = le + 1
        s = line.strip()
        if not s:
            continue
        letters = [c for c in s if c.isalpha()]
        if _DOC_TITLE_RE.match(s) and not s.endswith(":") and all(c.isupper() for c in letters):
            in_preamble = True
            if block:
                ranges.append((block[1], ls))
                block = None
            continue
        head = _heading(s)
        if head is not None:
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
            continue
        if in_preamble and _BASIS_LEAD_RE.match(s):
            ranges.append((ls, le))
    if block:
        ranges.append((block[1], len(text)))
    return ranges
