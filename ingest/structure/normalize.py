"""Text normalisation with an offset map back to the raw text.

What changes (and why):
- CRLF and lone CR become LF: every later stage works line by line.
- Zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, stray BOM) are removed: they
  split words and numbers invisibly ("64/2007/NĐ\u200b-CP").
- No-break and other Unicode spaces become plain spaces: they sit inside citations
  ("Nghị định\xa0số 64") and defeat regexes.
- Base letter + combining accents are composed to NFC ("ươ" typed with combining marks).
- Symbol-font bullets from Word (private use U+F0B7 ...) become "•".
- Runs of spaces collapse to one space; spaces at the end of a line are dropped.

What is kept: tabs and line breaks. Tabs are table structure in the flattened tables
(each cell is a line starting with a tab; a line starting " \t" opens a new row), so a
single leading space before a tab survives too. Words split by spaces ("môi tr ường")
are not repaired: a wrong repair would corrupt names.

``NormalizedText.to_raw(i)`` maps any offset of the normalised text (0..len) back to the
raw text, so spans found on the normalised text can be shown on the original file.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Word's Symbol-font bullets land in the private use area (U+F0B7 ...): make them "•".
_PUA_BULLETS = "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf06e"

# The look-aheads first turn away most offsets at once (same matches, a faster scan): an
# offset can start a match only at one of the characters listed or at a letter before a
# combining mark, and never at a single plain space before an ordinary character.
_FIX_RE = re.compile(
    rf"(?=[\r{_ZERO_WIDTH}{_PUA_BULLETS} {_SPACES}]|[^\s][\u0300-\u036f])(?! [^ {_SPACES}\r\n])"
    rf"(?:\r\n?"  # line breaks
    rf"|[{_ZERO_WIDTH}]+"  # invisible characters
    rf"|[{_PUA_BULLETS}]"  # symbol-font bullets
    rf"|[ {_SPACES}]+(?=\r|\n|$)"  # trailing spaces
    rf"|[ {_SPACES}]{{2,}}|[{_SPACES}]"  # space runs and exotic spaces
    r"|[^\s][\u0300-\u036f]+)"  # letter + combining marks
)


def _replacement(match: str, at_line_end: bool) -> str:
    """What one matched stretch becomes."""
    if match[0] in "\r\n":
        return "\n"
    if match[0] in _ZERO_WIDTH:
        return ""
    if match[0] in _PUA_BULLETS:
        return "•"
    if match[0] == " " or match[0] in _SPACES or unicodedata.category(match[0]) == "Zs":
        return "" if at_line_end else " "
    return unicodedata.normalize("NFC", match)


@dataclass(slots=True)
class NormalizedText:
    """Normalised text plus a piecewise-linear map to raw offsets.

    The map is a list of segments ``(norm_start, raw_start, linear)``: inside a linear
    segment offsets shift by a constant; inside a replaced stretch every offset maps to
    the stretch's raw start (the stretch is the smallest unit that can be traced).
    """

    text: str
    raw_length: int
    _norm_starts: list[int] = field(default_factory=list)
    _raw_starts: list[int] = field(default_factory=list)
    _linear: list[bool] = field(default_factory=list)
    _raw_ends: list[int] = field(default_factory=list)

    def to_raw(self, offset: int) -> int:
        """Raw offset for a normalised offset (0..len(text) inclusive)."""
        if offset >= len(self.text):
            return self.raw_length
        if offset <= 0 or not self._norm_starts:
            return max(0, min(offset, self.raw_length))
        i = bisect_right(self._norm_starts, offset) - 1
        base = self._raw_starts[i]
        return base + (offset - self._norm_starts[i]) if self._linear[i] else base

    def to_raw_end(self, offset: int) -> int:
        """Raw end offset for an exclusive normalised end: just past the raw stretch of the
        character before ``offset`` (so removed characters after a span stay outside it)."""
        if offset <= 0 or not self._norm_starts:
            return max(0, min(offset, self.raw_length))
        i = bisect_right(self._norm_starts, offset - 1) - 1
        if self._linear[i]:
            return self._raw_starts[i] + (offset - self._norm_starts[i])
        return self._raw_ends[i]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw (start, end) covering a normalised span."""
        raw_start = self.to_raw(start)
        return raw_start, max(raw_start, self.to_raw_end(end))


def normalize(raw: str) -> NormalizedText:
    """Normalise ``raw`` (see module docstring) and keep the offset map."""
    parts: list[str] = []
    norm_starts: list[int] = []
    raw_starts: list[int] = []
    linear: list[bool] = []
    raw_ends: list[int] = []
    norm_pos = 0
    raw_pos = 0
    for m in _FIX_RE.finditer(raw):
        piece = m.group(0)
        at_line_end = m.end() == len(raw) or raw[m.end()] in "\r\n"
        new = _replacement(piece, at_line_end)
        if new == piece:
            continue
        if m.start() > raw_pos:
            norm_starts.append(norm_pos)
            raw_starts.append(raw_pos)
            linear.append(True)
            raw_ends.append(m.start())
            parts.append(raw[raw_pos : m.start()])
            norm_pos += m.start() - raw_pos
        if new:
            norm_starts.append(norm_pos)
            raw_starts.append(m.start())
            linear.append(len(new) == len(piece))
            raw_ends.append(m.end())
            parts.append(new)
            norm_pos += len(new)
        raw_pos = m.end()
    if raw_pos < len(raw) or not parts:
        norm_starts.append(norm_pos)
        raw_starts.append(raw_pos)
        linear.append(True)
        raw_ends.append(len(raw))
        parts.append(raw[raw_pos:])
    return NormalizedText("".join(parts), len(raw), norm_starts, raw_starts, linear, raw_ends)


def normalize_inline(text: str) -> str:
    """Normalise a short string and fold all whitespace to single spaces (titles, cells)."""
    return " ".join(normalize(text).text.split())
