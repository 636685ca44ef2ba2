"""Numbers typed by a user, resolved against the numbers known: every accepted form."""

from __future__ import annotations

import pytest

from ingest.lang.numbers import canonical_number, resolve_typed_number

KNOWN = [
    "64/2007/NĐ-CP",
    "64/QĐ-TTg",
    "640/2007/NĐ-CP",
    "1819/QĐ-TTg",
    "972/QĐ-UBND",
    "36a/NQ-CP",
    "49/2014/QH13",
    "20/KH-UBND",
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("64/2007/NĐ-CP", ["64/2007/NĐ-CP"]),
        ("64/2007/ND-CP", ["64/2007/NĐ-CP"]),
        (" 972/QĐ- UBND", ["972/QĐ-UBND"]),
        ("1819/QD-Ttg", ["1819/QĐ-TTg"]),
    ],
)
def test_canonical_and_damaged_numbers(typed: str, expected: list[str]) -> None:
    assert resolve_typed_number(typed, KNOWN) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("64-2007-nd-cp", ["64/2007/NĐ-CP"]),
        ("1819-qd-ttg", ["1819/QĐ-TTg"]),
        ("36a-nq-cp", ["36a/NQ-CP"]),
    ],
)
def test_slugs(typed: str, expected: list[str]) -> None:
    assert resolve_typed_number(typed, KNOWN) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("cp/2007/nd/64", ["64/2007/NĐ-CP"]),
        ("/cp/2007/nd/64/", ["64/2007/NĐ-CP"]),
        ("https://cancu.vn/eli/vn/cp/2007/nd/64", ["64/2007/NĐ-CP"]),
        ("qh13/2014/luat/49", ["49/2014/QH13"]),
        ("ubnd/kh/20", ["20/KH-UBND"]),
        ("https://cancu.vn/eli/vn/tuyen-quang/ubnd/2016/kh/20", ["20/KH-UBND"]),
    ],
)
def test_eli_paths_and_uris(typed: str, expected: list[str]) -> None:
    assert resolve_typed_number(typed, KNOWN) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Nghị định 64", ["64/2007/NĐ-CP"]),
        ("NĐ 64", ["64/2007/NĐ-CP"]),
        ("Quyết định 1819", ["1819/QĐ-TTg"]),
        ("Nghị quyết 36a", ["36a/NQ-CP"]),
        ("Quyết định 64", ["64/QĐ-TTg"]),
    ],
)
def test_short_forms(typed: str, expected: list[str]) -> None:
    assert resolve_typed_number(typed, KNOWN) == expected


def test_exact_canonical_match_comes_first() -> None:
    known = ["64/2007/nđ-cp", "64/2007/NĐ-CP"]
    assert resolve_typed_number("64/2007/NĐ-CP", known) == ["64/2007/NĐ-CP", "64/2007/nđ-cp"]


@pytest.mark.parametrize(
    "typed", ["", "   ", "65/2007/NĐ-CP", "Nghị định 65", "cp/2008/nd/64", "xyz"]
)
def test_nothing_matches(typed: str) -> None:
    assert resolve_typed_number(typed, KNOWN) == []


def test_canonical_number_is_none_for_non_numbers() -> None:
    assert canonical_number("64-2007-nd-cp") is None
    assert canonical_number("Nghị định 64") is None
