"""Text folding: raw text (no-break spaces, combining accents) made comparable.

``fold_text`` keeps an offset map so spans found in folded text can be reported in the
caller's text; ``fold_key`` is a case- and diacritic-insensitive lookup key.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections.abc import Iterable
from functools import lru_cache

from ontology.uris import strip_accents

__all__ = ["fold_key", "fold_text", "offset_array"]

_SPACES = {"\u00a0", "\u202f", "\u2007", "\u2009", "\u200a", "\u3000"}
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\ufeff"}
# Look-alikes that Word/PDF text puts in symbols: Latin eth "Ð" for "Đ" ("NÐ-CP"), and
# dashes or a minus sign for the hyphen ("07–CT/TU"). One character each, so offsets hold.
_LOOKALIKES = {
    "\u00d0": "Đ",
    "\u00f0": "đ",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
}


@lru_cache(maxsize=1)
def _special_re() -> re.Pattern[str]:
    """What ``fold_text`` changes: an odd space, a zero-width character or a look-alike
    (with any marks after it), or a run of combining marks (composed with the character
    before it). Everything between two is copied as it is, so folding costs one regex scan
    instead of a Python step per character."""
    marks = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))]
    singles = sorted(_SPACES | _ZERO_WIDTH | set(_LOOKALIKES))
    mark_class = "".join(re.escape(ch) for ch in marks)
    single_class = "".join(re.escape(ch) for ch in singles)
    # The look-ahead turns away at once the characters of ordinary Vietnamese text (ASCII,
    # the Latin blocks of its letters) that are none of these, before the large classes
    # are tried: the same matches, several times faster.
    special = {ord(ch) for ch in (*marks, *singles)}
    common = [c for lo, hi in _COMMON_BLOCKS for c in range(lo, hi + 1) if c not in special]
    return re.compile(
        rf"(?![{_class_of(common)}])(?:[{single_class}][{mark_class}]*|[{mark_class}]+)"
    )


# ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers; Latin Extended Additional.
_COMMON_BLOCKS = ((0x0000, 0x02FF), (0x1E00, 0x1EFF))


def _class_of(codes: list[int]) -> str:
    """A character class body for sorted code points, as ranges."""
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    return "".join(parts)


def offset_array(values: Iterable[int] = ()) -> array[int]:
    """An array of text offsets (signed 32-bit: -1 marks "none yet"; texts are far
    shorter than 2**31 characters)."""
    return array("i", values)


def fold_text(text: str) -> tuple[str, array[int]]:
    """NFC-compose ``text``, turn odd spaces into plain ones and look-alikes ("Ð", "–") into
    the letters of symbols, keeping an offset map.

    Returns ``(folded, starts)`` where ``starts[i]`` is the offset in ``text`` of the
    character ``folded[i]`` (``starts[len(folded)] == len(text)``), so spans found in the
    folded text can be reported in the caller's text. Zero-width characters are dropped
    (turning them into spaces would split tokens). ``starts`` is a compact integer array
    (4 bytes per character, where a list of ints costs about 36).
    """
    out: list[str] = []
    starts = offset_array()
    pos = 0
    for m in _special_re().finditer(text):
        i, j = m.span()
        if i > pos and unicodedata.combining(text[i]):
            i -= 1  # the marks compose with the character before them
        out.append(text[pos:i])
        starts.extend(range(pos, i))
        pos = j
        cluster = text[i:j]
        if cluster in _ZERO_WIDTH:
            continue
        if cluster in _SPACES:
            cluster = " "
        cluster = _LOOKALIKES.get(cluster, cluster)
        composed = unicodedata.normalize("NFC", cluster) if j - i > 1 else cluster
        out.append(composed)
        starts.extend([i] * len(composed))
    out.append(text[pos:])
    starts.extend(range(pos, len(text) + 1))
    return "".join(out), starts


def fold_key(text: str) -> str:
    """Case- and diacritic-insensitive key: "Luật Công nghệ  thông tin" -> "luat cong nghe thong tin"."""
    text = unicodedata.normalize("NFC", text)
    return _SPACES_RE.sub(" ", _strip_marks(text).lower()).strip()


_SPACES_RE = re.compile(r"\s+")
# U+0300-U+036F (every one a non-spacing mark) carry all Vietnamese tones and vowel marks.
_COMMON_MARKS_RE = re.compile("[\u0300-\u036f]+")


def _strip_marks(text: str) -> str:
    """``ontology.uris.strip_accents(text)``, the common marks dropped by one regex: the
    per-character category test runs only on what is left outside ASCII (same result)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    rest = _COMMON_MARKS_RE.sub("", decomposed)
    return rest if rest.isascii() else strip_accents(rest)
