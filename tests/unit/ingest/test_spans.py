"""The bisection lookups of ``ingest.structure.spans`` give exactly what a scan gives.

Each index replaces a scan that extractors used to run once per match; on invented
spans (nested, overlapping, empty, tied) every offset is asked both ways.
"""

from __future__ import annotations

import random

from ingest.model import Document, Passage, Section
from ingest.structure.spans import LineIndex, PassageIndex, SectionIndex, SpanIndex, SpanSet

SEEDS = range(25)


def _spans(rng: random.Random, count: int, length: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(count):
        start = rng.randrange(length)
        out.append((start, start + rng.choice([0, 1, 2, 5, 17, length // 3, length])))
    return out


def test_passage_index_is_the_narrowest_passage_scan() -> None:
    for seed in SEEDS:
        rng = random.Random(seed)
        spans = _spans(rng, rng.randrange(1, 30), 60)
        passages = [Passage(f"p{i}", "d", "", s, e, "body") for i, (s, e) in enumerate(spans)]
        doc = Document("d", "d.txt", "x" * 80, passages=passages)
        index = PassageIndex(passages)
        for offset in range(-2, 130):
            expected = doc.passage_at(offset)
            assert index.at(offset) is expected, (seed, offset)
            assert index.id_at(offset) == (expected.id if expected else None)


def test_passage_index_ties_go_to_the_first_listed() -> None:
    a, b = Passage("a", "d", "", 0, 10, "body"), Passage("b", "d", "", 0, 10, "body")
    row = Passage("row", "d", "", 3, 6, "table_row")
    index = PassageIndex([a, b, row])
    assert index.at(1) is a and index.at(4) is row and index.at(10) is None


def test_section_index_matches_sorting_the_containing_sections() -> None:
    for seed in SEEDS:
        rng = random.Random(seed)
        sections = [
            Section(f"s{i}", "item", str(i), "", s, e, rng.randrange(1, 4))
            for i, (s, e) in enumerate(_spans(rng, rng.randrange(1, 25), 50))
        ]
        index = SectionIndex(sections)
        for offset in range(-1, 110):
            inside = [s for s in sections if s.start <= offset < s.end]
            assert list(index.enclosing(offset)) == sorted(inside, key=lambda s: -s.level)
            assert index.roles(offset) == {s.role for s in inside}


def test_span_index_orders_by_rank_then_position() -> None:
    items = ["wide", "narrow", "late"]
    spans = {"wide": (0, 10), "narrow": (2, 4), "late": (2, 4)}
    index = SpanIndex(items, spans.__getitem__, lambda i, item: spans[item][1] - spans[item][0])
    assert index.containing(3) == ("narrow", "late", "wide")
    assert index.containing(5) == ("wide",) and index.containing(10) == ()
    assert index.first(3) == "narrow" and index.first(11) is None


def test_span_set_is_any_span_containing() -> None:
    for seed in SEEDS:
        rng = random.Random(seed)
        spans = _spans(rng, rng.randrange(0, 20), 40)
        members = SpanSet(spans)
        for offset in range(-2, 90):
            assert (offset in members) == any(s <= offset < e for s, e in spans), (seed, offset)


def test_line_index_is_rfind_and_find() -> None:
    for text in ("", "one line", "a\nbb\n\nccc\n", "\n\n", "x" * 50 + "\n" + "y" * 3):
        lines = LineIndex(text)
        for pos in range(len(text) + 1):
            end = text.find("\n", pos)
            expected = (text.rfind("\n", 0, pos) + 1, len(text) if end < 0 else end)
            assert lines.bounds(pos) == expected, (text, pos)
