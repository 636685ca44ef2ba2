"""Patterns tried only where a match can start give exactly ``finditer``'s matches.

Extraction scans long texts with patterns that open with a look-around or an optional
word; trying them only at the offsets of a fixed word (or at a superset of the offsets
where they can start) must neither lose nor add a match.
"""

from __future__ import annotations

import re

from ingest.extract.agency_mentions import anchored_matches, occurrences
from ingest.extract.collective_mentions import collective_hits, partner_hits
from ingest.lang.agency_gazetteer import fold
from ingest.structure import normalize
from ingest.structure.reflow import reflow
from ingest.structure.spans import matches_at

TEXT = (
    "UBND các huyện, thị xã, thành phố; các sở, ban, ngành; cơ sở, ngành nghề.\n"
    "Các 12 huyện ủy, thị ủy, thành ủy và các  cơ quan ngành dọc; đài truyền thanh cấp huyện.\n"
    "Trường Đại học Cần Thơ, Công ty Cổ phần Minh An và Viện Khoa học phối hợp.\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM  Long An, ngày 5 tháng 3 năm2020 số5 của1.\n"
)


def test_matches_at_is_finditer_where_starts_cover_the_matches() -> None:
    pattern = re.compile(r"(?<![\w])(?:ab|abab|b)")
    text = "abab ab xab b abab"
    every = range(len(text))
    assert [m.span() for m in matches_at(pattern, text, every)] == [
        m.span() for m in pattern.finditer(text)
    ]


def test_occurrences_include_overlapping_ones() -> None:
    assert occurrences("aaaa", "aa") == [0, 1, 2]
    assert occurrences("sở sởsở", "sở") == [0, 3, 5]
    assert occurrences("abc", "x") == []


def test_anchored_matches_equal_finditer() -> None:
    pattern = re.compile(r"(?=[TĐ])(?<![\w])(?:Trường\s+Đại học|Đại học)(?= )")
    text = "Trường  Đại học A, Đại học B, xĐại học C, Trường Đại họcX "
    assert [m.span() for m in anchored_matches(pattern, text, ("Trường", "Đại học"))] == [
        m.span() for m in pattern.finditer(text)
    ]


def test_collective_and_partner_hits_found_in_the_text() -> None:
    folded = fold(TEXT)
    # Each mention from its first word: "các" and a count before the word found first.
    assert [h.surface for h in collective_hits(TEXT, folded)] == [
        "UBND các huyện, thị xã, thành phố",
        "các sở, ban, ngành",
        "Các 12 huyện ủy, thị ủy, thành ủy",
        "các  cơ quan ngành dọc",
        "đài truyền thanh cấp huyện",
    ]
    surfaces = [h.surface for h in partner_hits(TEXT, folded)]
    assert "Trường Đại học Cần Thơ" in surfaces and "Công ty Cổ phần Minh An" in surfaces


def test_reflow_splits_merged_cells_and_glued_words() -> None:
    view = reflow(normalize(TEXT).text).text
    assert "VIỆT NAM\nLong An" in view
    assert "năm 2020" in view and "số 5" in view
