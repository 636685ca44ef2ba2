"""Which spans hold an offset, answered by bisection: lookups that keep extraction linear.

Extractors ask, for every match they find, which passage, section, table or line holds
it. Scanning every span per question makes a document's extraction quadratic in its
length (a 5 MB plan has tens of thousands of passages and matches). Each index here is
built once per document from sorted boundaries and gives, for any offset, exactly what
the scan it replaces gives (same items, same order, same tie-breaks).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from ingest.model import Document, Passage, Section

__all__ = [
    "DocumentIndex",
    "LineIndex",
    "PassageIndex",
    "SectionIndex",
    "SpanIndex",
    "SpanSet",
]

T = TypeVar("T")


class SpanIndex(Generic[T]):
    """Items with half-open spans ``[start, end)``: the items containing an offset.

    ``containing(offset)`` lists every item with ``start <= offset < end``, ordered by
    ``rank(index, item)`` and then by the item's position in ``items`` (the order of a
    stable sort of the scan); ``first(offset)`` is the first of them. Built by one sweep
    over the boundaries: between two consecutive boundaries every offset is contained by
    the same items.
    """

    def __init__(
        self,
        items: Iterable[T],
        span: Callable[[T], tuple[int, int]],
        rank: Callable[[int, T], int] | None = None,
    ) -> None:
        entries: list[tuple[int, int, tuple[int, int, T]]] = []
        for i, item in enumerate(items):
            start, end = span(item)
            if start < end:  # an empty span holds no offset
                entries.append((start, end, (rank(i, item) if rank else 0, i, item)))
        self._bounds, self._groups = _sweep(entries)

    def containing(self, offset: int) -> tuple[T, ...]:
        k = bisect_right(self._bounds, offset) - 1
        return self._groups[k] if k >= 0 else ()

    def first(self, offset: int) -> T | None:
        found = self.containing(offset)
        return found[0] if found else None


def _sweep(
    entries: list[tuple[int, int, tuple[int, int, T]]],
) -> tuple[list[int], list[tuple[T, ...]]]:
    """The boundaries of ``entries`` and, from each, the items covering it (by key)."""
    by_start = sorted(entries, key=lambda e: e[0])
    by_end = sorted(entries, key=lambda e: e[1])
    bounds = sorted({e[0] for e in entries} | {e[1] for e in entries})
    groups: list[tuple[T, ...]] = []
    active: dict[int, tuple[int, int, T]] = {}  # position -> (rank, position, item)
    opened = closed = 0
    for bound in bounds:
        while closed < len(by_end) and by_end[closed][1] <= bound:
            active.pop(by_end[closed][2][1], None)
            closed += 1
        while opened < len(by_start) and by_start[opened][0] <= bound:
            _, end, key = by_start[opened]
            if end > bound:
                active[key[1]] = key
            opened += 1
        if len(active) > 1:  # keys are unique (rank, position): items are never compared
            groups.append(tuple(key[2] for key in sorted(active.values())))
        else:
            groups.append(tuple(key[2] for key in active.values()))
    return bounds, groups


class PassageIndex:
    """``Document.passage_at`` for many offsets: the narrowest passage containing each
    (the first listed on a tie), without scanning every passage per offset."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._index = SpanIndex(passages, lambda p: (p.start, p.end), lambda i, p: p.end - p.start)

    def at(self, offset: int) -> Passage | None:
        return self._index.first(offset)

    def id_at(self, offset: int) -> str | None:
        """The id of ``at(offset)``, None where no passage holds the offset."""
        found = self._index.first(offset)
        return found.id if found is not None else None


class SectionIndex:
    """The sections containing an offset, innermost first: deepest level first, document
    order among sections of one level (as sorting the containing sections by level)."""

    def __init__(self, sections: Sequence[Section]) -> None:
        self._index = SpanIndex(sections, lambda s: (s.start, s.end), lambda i, s: -s.level)

    def enclosing(self, offset: int) -> tuple[Section, ...]:
        return self._index.containing(offset)

    def roles(self, offset: int) -> set[str | None]:
        """The roles of the sections containing ``offset`` (None for sections without one)."""
        return {s.role for s in self._index.containing(offset)}


@dataclass(frozen=True, slots=True)
class DocumentIndex:
    """What the extractors look up on one document, indexed once: ``extract`` builds it
    and hands it to each extractor (each builds its own when called alone)."""

    passages: PassageIndex
    sections: SectionIndex
    tables: SpanSet

    @classmethod
    def of(cls, doc: Document) -> DocumentIndex:
        return cls(
            PassageIndex(doc.passages),
            SectionIndex(doc.sections),
            SpanSet((t.start, t.end) for t in doc.tables),
        )


class SpanSet:
    """Whether an offset lies in any of some half-open spans (their union, merged once)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(s for s in spans if s[0] < s[1]):
            if self._ends and start <= self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], end)
            else:
                self._starts.append(start)
                self._ends.append(end)

    def __contains__(self, offset: object) -> bool:
        if not isinstance(offset, int):
            return False
        k = bisect_right(self._starts, offset) - 1
        return k >= 0 and offset < self._ends[k]


class LineIndex:
    """Line bounds of any offset of one text, by bisection over its line breaks."""

    def __init__(self, text: str) -> None:
        self._breaks = [m.start() for m in re.finditer("\n", text)]
        self._length = len(text)

    def bounds(self, pos: int) -> tuple[int, int]:
        """(start, end) of the line holding ``pos``: after the last break before ``pos``,
        up to the first break at or after it (or the end of the text)."""
        k = bisect_left(self._breaks, pos)
        start = self._breaks[k - 1] + 1 if k > 0 else 0
        end = self._breaks[k] if k < len(self._breaks) else self._length
        return start, end


def matches_at(pat: re.Pattern[str], text: str, starts: Iterable[int]) -> list[re.Match[str]]:
    """``pat.finditer(text)`` tried only at ``starts`` (ascending; every offset where a
    match can start must be among them): the same matches, without running a pattern
    that opens with a look-around or an optional word from every offset of a long text.
    For patterns that never match empty."""
    out: list[re.Match[str]] = []
    pos = 0
    for s in starts:
        if s < pos:
            continue
        m = pat.match(text, s)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out
