"""Retrievable passages: section-aware chunks with stable, content-based ids.

Kinds: "header" (title block), "basis" ("Căn cứ ..." / "Thực hiện ..." lines and basis
sections), "body" / "tasks" / "targets" (by section role), "table_row" (one per data row),
"article" (legal texts, one or more per article, each keeping ``article_id``).

Invariant: ``passage.text == doc.text[passage.start:passage.end]`` for every passage
EXCEPT table rows, whose text is the row rendered with its header context
("TT: 1; Tên dự án: ...; Kinh phí: 2.505 (triệu đồng)") while start/end still span the
row in ``doc.text``. Ids are ``content_id(doc_id, kind, text)``; a repeated text gets
its occurrence number appended, so an unchanged file always yields the same ids.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from ingest.model import Document, Passage, Section, Table, content_id
from ingest.structure.sections import section_path
from ingest.structure.spans import SpanSet

MIN_WORDS = 40
MAX_WORDS = 300
BASIS_LINES = 4  # "Căn cứ" lines per basis passage: one citation block stays findable
_ROLE_KIND = {"basis": "basis", "tasks": "tasks", "organisation": "tasks", "targets": "targets"}
_BASIS_LINE = re.compile(r"^\s*[-+•]?\s*(Căn cứ|Thực hiện|Xét đề nghị)\b")
_SENTENCE_END = re.compile(r"[.;:!?](?=\s+[A-ZĐÀ-Ỹ\-+•(])")
_WORD_RE = re.compile(r"\S+")


@dataclass(slots=True)
class _Unit:
    """A paragraph-sized piece of text (a line), with the section it belongs to."""

    start: int
    end: int
    words: int
    section_id: str | None
    top_id: str | None
    basis: bool = False


def _words(text: str) -> int:
    return len(text.split())


class _InnermostSections:
    """The deepest section containing each offset, for offsets asked in rising order.

    Same answer as scanning every section (deepest level, the later section on a tie), in
    O(log n) per offset: sections enter a heap when the offsets reach their start and
    leave it once the offsets have passed their end, never to come back.
    """

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        self.by_start = sorted(range(len(sections)), key=lambda i: sections[i].start)
        self.next = 0
        self.open: list[tuple[int, int]] = []  # (-level, -index): deepest, then latest

    def at(self, offset: int) -> Section | None:
        secs = self.sections
        while self.next < len(self.by_start) and secs[self.by_start[self.next]].start <= offset:
            i = self.by_start[self.next]
            heapq.heappush(self.open, (-secs[i].level, -i))
            self.next += 1
        while self.open and secs[-self.open[0][1]].end <= offset:
            heapq.heappop(self.open)
        return secs[-self.open[0][1]] if self.open else None


def _top(sections_by_id: dict[str, Section], sec: Section | None) -> Section | None:
    while sec is not None and sec.parent is not None:
        sec = sections_by_id[sec.parent]
    return sec


def _non_bullet(sections_by_id: dict[str, Section], sec: Section | None) -> Section | None:
    while sec is not None and sec.kind == "bullet" and sec.parent:
        sec = sections_by_id[sec.parent]
    return sec


def _units(doc: Document, lo: int, hi: int, skip: list[tuple[int, int]]) -> list[_Unit]:
    """Non-blank lines of doc.text[lo:hi] outside ``skip`` spans (tables), with sections."""
    by_id = {s.id: s for s in doc.sections}
    innermost = _InnermostSections(doc.sections)
    skipped = SpanSet(skip)
    out: list[_Unit] = []
    for m in re.finditer(r"[^\n]+", doc.text[lo:hi]):
        s, e = lo + m.start(), lo + m.end()
        if not m.group(0).strip() or s in skipped:
            continue
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        trail = len(m.group(0)) - len(m.group(0).rstrip())
        sec = innermost.at(s + lead)
        top = _top(by_id, sec)
        nb = _non_bullet(by_id, sec)
        basis = (sec is None or sec.role == "basis") and bool(_BASIS_LINE.match(m.group(0)))
        out.append(
            _Unit(
                s + lead,
                e - trail,
                _words(m.group(0)),
                nb.id if nb else None,
                top.id if top else None,
                basis,
            )
        )
    return out


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split an over-long span at sentence ends into pieces of at most MAX_WORDS words."""
    cuts = [start] + [start + m.end() for m in _SENTENCE_END.finditer(text[start:end])] + [end]
    pieces: list[tuple[int, int]] = []
    cur = start
    # A sentence end is followed by a space, so the words of text[cur:b] are the sum of
    # the words of its sentences: counted once each, never re-counted from ``cur``.
    words = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        sentence = _words(text[a:b])
        if words + sentence > MAX_WORDS and cur < a:
            pieces.append((cur, a))
            cur, words = a, 0
        words += sentence
    pieces.append((cur, end))
    # Sentences longer than MAX_WORDS: cut after every MAX_WORDS-th word.
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        if _words(text[a:b]) > MAX_WORDS:
            word_ends = [a + m.end() for m in _WORD_RE.finditer(text[a:b])]
            for k in range(MAX_WORDS, len(word_ends), MAX_WORDS):
                out.append((a, word_ends[k - 1]))
                a = word_ends[k - 1]
        out.append((a, b))
    return [(_strip(text, a, b)) for a, b in out if text[a:b].strip()]


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _pack(units: list[_Unit], heads: set[int]) -> list[list[_Unit]]:
    """Group consecutive units of one top-level section into 40-300 word chunks.

    A heading line ("2. Mục tiêu", offsets in ``heads``) always opens a new chunk; a chunk
    too small on its own is merged forward into the next chunk of the same top-level
    section (a heading joins its first paragraph), else back into the previous one.
    """
    groups: list[list[_Unit]] = []
    cur: list[_Unit] = []
    words = 0
    for u in units:
        if cur and (
            u.top_id != cur[0].top_id
            or u.basis != cur[-1].basis
            or (u.basis and len(cur) >= BASIS_LINES)
            or words + u.words > MAX_WORDS
            or (u.start in heads and not u.basis)
        ):
            groups.append(cur)
            cur, words = [], 0
        cur.append(u)
        words += u.words
    if cur:
        groups.append(cur)
    return _merge_small(groups)


def _size(group: list[_Unit]) -> int:
    return sum(u.words for u in group)


def _mergeable(a: list[_Unit], b: list[_Unit]) -> bool:
    return (
        a[0].top_id == b[0].top_id
        and not a[0].basis
        and not b[0].basis
        and _size(a) + _size(b) <= MAX_WORDS
    )


def _merge_small(groups: list[list[_Unit]]) -> list[list[_Unit]]:
    forward: list[list[_Unit]] = []
    carry: list[_Unit] = []
    for i, g in enumerate(groups):
        g = carry + g
        carry = []
        nxt = groups[i + 1] if i + 1 < len(groups) else None
        if _size(g) < MIN_WORDS and nxt is not None and _mergeable(g, nxt):
            carry = g
            continue
        forward.append(g)
    if carry:
        forward.append(carry)
    merged: list[list[_Unit]] = []
    for g in forward:
        if merged and _size(g) < MIN_WORDS and _mergeable(merged[-1], g):
            merged[-1].extend(g)
        else:
            merged.append(g)
    return merged


class _Ids:
    """content_id with deterministic disambiguation of repeated texts."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self.seen: dict[str, int] = {}

    def __call__(self, kind: str, text: str) -> str:
        base = content_id(self.doc_id, kind, text)
        n = self.seen.get(base, 0)
        self.seen[base] = n + 1
        return base if n == 0 else content_id(self.doc_id, kind, text, str(n))


def _kind_for(by_id: dict[str, Section], section_id: str | None, text: str) -> str:
    sec = by_id.get(section_id) if section_id else None
    if sec is None and _BASIS_LINE.match(text):
        return "basis"
    return _ROLE_KIND.get(sec.role or "", "body") if sec else "body"


def _span_passages(
    doc: Document,
    ids: _Ids,
    span: tuple[int, int],
    kind: str,
    sid: str | None,
    by_id: dict[str, Section],
) -> list[Passage]:
    start, end = span
    path = section_path(sid, doc.sections, by_id=by_id)
    out = []
    for a, b in _split_long(doc.text, start, end):
        text = doc.text[a:b]
        out.append(Passage(ids(kind, text), doc.id, text, a, b, kind, path, sid))
    return out


def _header_end(doc: Document) -> int:
    """Where the header stops: first section, first basis line, or first long paragraph."""
    limit = doc.sections[0].start if doc.sections else len(doc.text)
    title = doc.meta.spans.get("title")
    lo = title.end if title is not None and title.end <= limit else 0
    for m in re.finditer(r"[^\n]+", doc.text[lo:limit]):
        line = m.group(0)
        if _BASIS_LINE.match(line) or len(line) > 200:
            return lo + m.start()
    return limit


def _row_text(table: Table, cells: list[str]) -> str:
    parts = []
    for i, cell in enumerate(cells):
        value = " ".join(cell.split())
        if not value:
            continue
        name = table.header[i] if i < len(table.header) and table.header[i] else ""
        parts.append(f"{name}: {value}" if name else value)
    body = "; ".join(parts)
    prefix = f"[{' '.join(table.title.split())[:120]}] " if table.title else ""
    unit = f" (đơn vị: {table.unit})" if table.unit else ""
    return f"{prefix}{body}{unit}"


def _table_passages(doc: Document, ids: _Ids) -> list[Passage]:
    out = []
    by_id = {s.id: s for s in doc.sections}
    for table in doc.tables:
        path = section_path(table.section_id, doc.sections, by_id=by_id)
        for row in table.rows:
            if row.is_header or not any(row.cells):
                continue
            text = _row_text(table, row.cells)
            out.append(
                Passage(
                    ids("table_row", text), doc.id, text, row.start, row.end, "table_row",
                    path, table.section_id, table_id=table.id, row_index=row.index,
                )
            )  # fmt: skip
    return out


def _legal_passages(doc: Document, ids: _Ids) -> list[Passage]:
    out = []
    for sec in doc.sections:
        if sec.kind != "article":
            continue
        a, b = _strip(doc.text, sec.start, sec.end)
        for s, e in _split_long(doc.text, a, b):
            text = doc.text[s:e]
            out.append(
                Passage(
                    ids("article", text), doc.id, text, s, e, "article",
                    sec.label, sec.id, article_id=sec.label,
                )
            )  # fmt: skip
    return out


def make_passages(doc: Document) -> list[Passage]:
    """All passages of ``doc`` in document order (see module docstring)."""
    ids = _Ids(doc.id)
    if doc.kind == "legal":
        return _legal_passages(doc, ids)
    out: list[Passage] = []
    head_end = _header_end(doc)
    if doc.text[:head_end].strip():
        a, b = _strip(doc.text, 0, head_end)
        out.extend(_span_passages(doc, ids, (a, b), "header", None, {}))
    tables = [(t.start, t.end) for t in doc.tables]
    heads = {sec.start for sec in doc.sections if sec.kind != "bullet"}
    by_id = {s.id: s for s in doc.sections}
    for group in _pack(_units(doc, head_end, len(doc.text), tables), heads):
        sid = group[0].section_id
        kind = (
            "basis"
            if group[0].basis
            else _kind_for(by_id, sid, doc.text[group[0].start : group[0].end])
        )
        out.extend(_span_passages(doc, ids, (group[0].start, group[-1].end), kind, sid, by_id))
    out.extend(_table_passages(doc, ids))
    out.sort(key=lambda p: (p.start, p.end))
    return out
