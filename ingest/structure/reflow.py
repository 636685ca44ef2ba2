"""A reflowed reading view of a stored text, with an offset map back to it.

Web sites render the same document in many layouts: header cells separated by "|" (one
row per line, one cell per line, several cells merged on one line, lone "|" lines),
headers spread over many short lines, words broken across lines ("Hà\\nTĩnh", "ỦY\\nBAN"),
words glued together ("ngày05/3/2018", "2016của"), the Latin letter Ð (U+00D0) for Đ,
en/em dashes, spaces inside numbers ("TTr- STTTT", "3478 /BTTTT-VP"), OCR damage
("n cứ" for "Căn cứ"). ``reflow`` turns all of them into one layout: one header cell per
line, broken words and lines re-joined, glued words spaced, numbers without inner spaces.

Every view character keeps the offset of the stored character it comes from
(``Reflowed.starts``, plus a final entry), like ``ingest.lang.folding.fold_text``: letters
and digits of the view are the stored ones (Ð read as Đ), so a span found in the view maps
back to the same characters of the stored text. Inserted spaces and line breaks map to the
next stored character; removed characters ("|", inner spaces) have no view character.

Line breaks are joined by rule, never by listing words of documents: the next line starts
with a lower-case letter (a sentence or a date going on), the line ends with a word that
cannot end a header item ("ngày", "Số:", "của" ...), or the two syllables around the break
belong to one known name (a province, a provincial capital, a state body: "Vũng\\nTàu").
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ingest.lang.folding import fold_key, fold_text, offset_array
from ingest.lang.provinces import known_place_names
from ingest.structure.spans import matches_at

__all__ = ["Reflowed", "reflow"]


@dataclass(frozen=True, slots=True)
class Reflowed:
    """The view (``text``) and, for every view character, its offset in the stored text
    (``starts``, one entry more than ``text``: the last is the stored length)."""

    text: str
    starts: array[int]
    source: str

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Stored (start, end) of the view span ``text[start:end]``."""
        if end <= start:
            at = self.starts[start]
            return at, at
        first = self.starts[start]
        last = self.starts[end - 1]
        stop = last + 1
        # A composed view character may come from a letter plus combining marks.
        while stop < len(self.source) and self.source[stop] in _COMBINING_TAIL:
            stop += 1
        return first, max(first, stop)


_COMBINING_TAIL = frozenset(chr(c) for c in range(0x0300, 0x0370))

# One edit: replace view[start:end] by ``text``; each new character names the view index
# whose stored offset it takes, or -1 when inserted (it then takes the next character's).
_Edit = tuple[int, int, str, list[int]]

_CHAR_MAP = {"\u00d0": "Đ", "\u00f0": "đ", "–": "-", "—": "-", "−": "-", "‒": "-"}
# Words that never end a header item or a sentence: the line goes on after them.
# (Case-sensitive: a capitals title line ending "... SỐ" is complete.)
_OPEN_END_RE = re.compile(r"(?:^|\s)(?:Số\s*:|số|ngày|tháng|năm|của|về|và|tại|theo)$")
_GRAMMAR_WORDS = "ngày|tháng|năm|số|của|về|và"
_BODY_NAMES = (
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Độc lập tự do hạnh phúc",
    "Thủ tướng Chính phủ",
    "Bộ trưởng",
    "Chủ tịch",
    "Ủy ban quốc gia",
    "Thông tin và Truyền thông",
    "Kế hoạch",
    "Quyết định",
    "Nghị quyết",
    "Chỉ thị",
    "Thông tư",
    "Công văn",
    "Báo cáo",
    "Tờ trình",
)


@lru_cache(maxsize=1)
def _name_bigrams() -> frozenset[tuple[str, str]]:
    """Consecutive syllable pairs of known names (places and bodies), folded."""
    pairs: set[tuple[str, str]] = set()
    for name in (*known_place_names(), *_BODY_NAMES):
        words = fold_key(name).replace("-", " ").split()
        pairs.update(zip(words, words[1:], strict=False))
    return frozenset(pairs)


def _apply(text: str, starts: array[int], edits: list[_Edit]) -> tuple[str, array[int]]:
    """Apply non-overlapping edits (sorted by start) to the view and its map."""
    out: list[str] = []
    out_starts = offset_array()
    pos = 0
    for start, end, new, offsets in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < pos:
            continue
        out.append(text[pos:start])
        out_starts.extend(starts[pos:start])
        out.append(new)
        out_starts.extend(starts[i] if i >= 0 else -1 for i in offsets)
        pos = end
    out.append(text[pos:])
    out_starts.extend(starts[pos:])
    return "".join(out), out_starts


def _pass(
    text: str, starts: array[int], pattern: re.Pattern[str], make: Callable[[re.Match[str]], _Edit]
) -> tuple[str, array[int]]:
    edits = [make(m) for m in pattern.finditer(text)]
    return _apply(text, starts, edits) if edits else (text, starts)


def _glued_before_digit(view: str) -> list[re.Match[str]]:
    """``_GLUED_BEFORE_DIGIT_RE.finditer(view)``, tried only where a match can start."""
    starts = {m.start() - n for m in _GLUED_DIGIT_RE.finditer(view) for n in _GRAMMAR_LENGTHS}
    return matches_at(_GLUED_BEFORE_DIGIT_RE, view, sorted(s for s in starts if s >= 0))


def _glued_after_digit(view: str) -> list[re.Match[str]]:
    """``_GLUED_AFTER_DIGIT_RE.finditer(view)``: a match starts after a digit, at a
    grammar word's first letter."""
    return matches_at(
        _GLUED_AFTER_DIGIT_RE, view, [m.end() for m in _DIGIT_THEN_WORD_RE.finditer(view)]
    )


_SO_RE = re.compile("Số")
_PHRASE_END_RE = re.compile(r"(?i)[ \t](?<=nam[ \t]|húc[ \t])")


def _merged_cells(view: str) -> list[re.Match[str]]:
    """``_MERGED_CELL_RE.finditer(view)``, tried only at the spaces before "Số" and the
    space after a phrase ending "nam" or "phúc" (where its two branches can start)."""
    starts: set[int] = {m.start() for m in _PHRASE_END_RE.finditer(view)}
    for m in _SO_RE.finditer(view):
        j = m.start()
        while j > 0 and view[j - 1] in " \t":
            j -= 1
            starts.add(j)
    return matches_at(_MERGED_CELL_RE, view, sorted(starts))


def _edits(
    text: str,
    starts: array[int],
    matches: list[re.Match[str]],
    make: Callable[[re.Match[str]], _Edit],
) -> tuple[str, array[int]]:
    """``_pass`` over matches found by the caller."""
    edits = [make(m) for m in matches]
    return _apply(text, starts, edits) if edits else (text, starts)


def _drop(m: re.Match[str], group: int = 0) -> _Edit:
    return m.start(group), m.end(group), "", []


def _to_line(m: re.Match[str]) -> _Edit:
    """A cell boundary becomes a line break (mapped to the separator's first character)."""
    return m.start(), m.end(), "\n", [m.start()]


# Each pass scans the whole view; a pattern that opens with a look-around or an optional
# run is tried at every offset. Where it helps, a look-ahead "(?=[...])" (or a
# look-behind) first names what every match starts with (or follows), so the other
# offsets are turned away at once: the same matches, a faster scan.
_GRAMMAR_FIRST = "[" + "".join(sorted({w[0] for w in _GRAMMAR_WORDS.split("|")})) + "]"
# "|" cells: a lone "|" line empties, a cell separator inside a row breaks the line.
_PIPE_LINE_RE = re.compile(r"(?m)^[ \t]*\|[ \t]*$")
_PIPE_EDGE_RE = re.compile(r"(?m)(?=[ \t|])(?:[ \t]*\|[ \t]*$|^[ \t]*\|[ \t]*)")
_PIPE_INNER_RE = re.compile(r"(?=[ \t|])[ \t]*\|[ \t]*")
# Merged header cells: "ỦY BAN NHÂN DÂN Số: 23/..." and "... VIỆT NAM Long An, ngày ...".
_MERGED_CELL_RE = re.compile(
    r"(?=[ \t])(?:(?<=\S)[ \t]+(?=Số\s*:)"
    r"|(?i:(?<=chủ nghĩa việt nam)|(?<=tự do - hạnh phúc))[ \t]+(?=\S))"
)
_GLUED_BEFORE_DIGIT_RE = re.compile(rf"(?i)(?={_GRAMMAR_FIRST})\b(?:{_GRAMMAR_WORDS})(?=\d)")
# A word glued before a digit ends at the digit: the digits that follow one of the words'
# last letters, less each word length, are the only offsets where a match can start (a
# scan of digits, instead of the pattern tried at every word start).
_GLUED_DIGIT_RE = re.compile(
    "(?i)\\d(?<=[" + "".join(sorted({w[-1] for w in _GRAMMAR_WORDS.split("|")})) + "]\\d)"
)
_GRAMMAR_LENGTHS = tuple(sorted({len(w) for w in _GRAMMAR_WORDS.split("|")}))
_GLUED_AFTER_DIGIT_RE = re.compile(rf"(?<=\d)(?:{_GRAMMAR_WORDS})\b")
_DIGIT_THEN_WORD_RE = re.compile(r"\d(?=" + _GRAMMAR_FIRST + ")")
# Spaces inside a number: "3478 /BTTTT", "215 -TB/TU", "52- NQ/TW", "TTr- STTTT", "QĐ -UBND".
_NUMBER_SPACE_RE = re.compile(
    r"(?<=[\d/-])(?:(?<=\d)[ \t]+(?=[/-][ \t]*[A-ZĐ])"
    r"|(?<=\d[/-])[ \t]+(?=[A-ZĐ0-9])"
    r"|(?<=/)(?P<code>[A-Za-zĐđ]{1,8})(?P<gap>[ \t]*-[ \t]*)(?=[A-ZĐ]))"
)
# OCR damage at a line start: "n cứ" / "ăn cứ" for "Căn cứ".
_LOST_CAN_RE = re.compile(r"(?m)^(?P<lost>n|ăn)(?= cứ\b)")
_DOUBLED_RE = re.compile(rf"(?i)(?={_GRAMMAR_FIRST})\b(?P<w>{_GRAMMAR_WORDS})(?P<dup> (?P=w))\b")


def _number_space(m: re.Match[str]) -> _Edit:
    if m.group("code") is None:
        return _drop(m)
    return m.start("gap"), m.end("gap"), "-", [m.start("gap") + m.group("gap").index("-")]


def _join_breaks(text: str, starts: array[int]) -> tuple[str, array[int]]:
    """Turn single line breaks inside one item into spaces (see module docstring)."""
    bigrams = _name_bigrams()
    edits: list[_Edit] = []
    for m in re.finditer(r"\n", text):
        at = m.start()
        line_start = text.rfind("\n", 0, at) + 1
        prev = text[line_start:at].rstrip()
        nxt_end = text.find("\n", at + 1)
        nxt = text[at + 1 : nxt_end if nxt_end >= 0 else len(text)].lstrip()
        if not prev or not nxt or not nxt[0].isalnum() or "\t" in text[line_start : at + 2]:
            continue  # tab lines are table cells: kept as they are
        if _should_join(prev, nxt, bigrams):
            edits.append((at, at + 1, " ", [at]))
    return _apply(text, starts, edits) if edits else (text, starts)


_LIST_MARK_RE = re.compile(r"^(?:[a-zđ]\)|\d+(?:\.\d+)*[.)]|[IVX]+\.)(?:\s|$)")


def _should_join(prev: str, nxt: str, bigrams: frozenset[tuple[str, str]]) -> bool:
    if re.fullmatch(r"[-_=.*|]+", prev) or prev.endswith("|") or _LIST_MARK_RE.match(nxt):
        return False
    if nxt[0].islower() and prev[-1] not in ".;:!?":
        # ... except a capitals heading followed by sentence-case text.
        return not (prev.isupper() and len(prev.split()) > 1)
    if _OPEN_END_RE.search(prev):
        return True
    last = prev.split()[-1]
    first = nxt.split()[0]
    if not last[:1].isupper() or not first[:1].isalpha():
        return False
    pair = (fold_key(last.strip(",-")), fold_key(first.strip(",-")))
    return pair in bigrams


def reflow(text: str) -> Reflowed:
    """The reading view of ``text`` (see module docstring) with its offset map.

    The view of the last text asked for is kept: the header reader and the citation
    extractor of one document read the same view, built once. Treat it as read-only.
    """
    return _reflow_last(text)


@lru_cache(maxsize=1)
def _reflow_last(text: str) -> Reflowed:
    view, starts = fold_text(text)
    for old, new in _CHAR_MAP.items():  # one character for one: offsets hold
        if old in view:  # str.replace per character: far faster than str.translate
            view = view.replace(old, new)
    # Joined before the "|" cells are split: a cell boundary is never joined.
    view, starts = _join_breaks(view, starts)
    if "|" in view:  # every "|" pass matches a "|": most texts need none of them
        view, starts = _pass(view, starts, _PIPE_LINE_RE, _drop)
        view, starts = _pass(view, starts, _PIPE_EDGE_RE, _drop)
        view, starts = _pass(view, starts, _PIPE_INNER_RE, _to_line)
    view, starts = _edits(view, starts, _merged_cells(view), _to_line)
    view, starts = _edits(
        view, starts, _glued_before_digit(view), lambda m: (m.end(), m.end(), " ", [-1])
    )
    view, starts = _edits(
        view, starts, _glued_after_digit(view), lambda m: (m.start(), m.start(), " ", [-1])
    )
    view, starts = _pass(view, starts, _NUMBER_SPACE_RE, _number_space)
    view, starts = _pass(view, starts, _DOUBLED_RE, lambda m: _drop(m, 2))
    view, starts = _pass(
        view, starts, _LOST_CAN_RE, lambda m: (m.start(), m.start(), "Că", [-1, -1])
    )
    return Reflowed(view, _fill_inserted(starts), text)


def _fill_inserted(starts: array[int]) -> array[int]:
    """Inserted characters (offset -1) map to the stored offset of the next character.

    Only the inserted runs are visited (found by the array's own search): the last entry
    is the stored length, never inserted, so every run has a next character."""
    out = offset_array(starts)
    k = 0
    while True:
        try:
            k = out.index(-1, k)
        except ValueError:
            return out
        run_end = k
        while out[run_end] < 0:
            run_end += 1
        out[k:run_end] = offset_array([out[run_end]] * (run_end - k))
        k = run_end
