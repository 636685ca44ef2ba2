"""Document types in running text: the prose type phrase before a number.

"Nghị định số 64/2007/NĐ-CP", "Luật đầu tư công số 39/2019/QH14", "văn bản 2634/BTTTT-THH":
``type_before`` reads the phrase right before a number, ``canonical_type`` names it.
The type implied by a number's own code is ``ingest.lang.numbers.type_from_number``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TYPE_WORDS", "TYPE_WORD_RE", "TypeBefore", "canonical_type", "type_before"]

# Longest first; value is the canonical type.
TYPE_WORDS: dict[str, str] = {
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
TYPE_WORD_RE = "|".join(re.escape(w) for w in TYPE_WORDS)
_TYPE_WORD_FIND_RE = re.compile(rf"(?<!\w)(?:{TYPE_WORD_RE})(?!\w)", re.IGNORECASE)
# After the type phrase: a few name words then "số" ("Luật đầu tư công số"), or nothing.
# The words may also name the issuer: "Nghị quyết của Ban Chấp hành Đảng bộ tỉnh số 05-NQ/TU".
_TYPE_TAIL_RE = re.compile(
    r"(?:(?P<mid>[ \t]+của(?:[ \t]+[^\s\d;,.()/:]+){1,10}?|(?:[ \t]+[^\s\d;,.()/:]+){0,5}?)"
    r"[ \t]+số(?:[ \t]+hiệu)?[ \t]*:?[ \t]*|[ \t]+)$",
    re.IGNORECASE,
)
_SO_BEFORE_RE = re.compile(r"(?<!\w)số(?:[ \t]+hiệu)?[ \t]*:?[ \t]*$", re.IGNORECASE)


def canonical_type(words: str) -> str:
    """Canonical document type of a prose type phrase: "văn bản" -> "Công văn"."""
    return TYPE_WORDS.get(re.sub(r"\s+", " ", words.lower()), words)


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
