"""Normalisation and the offset map back to the raw text; date helpers."""

from __future__ import annotations

import unicodedata

from ingest.lang.dates import find_dates, parse_date
from ingest.structure.normalize import normalize


def test_normalize_fixes_and_maps_offsets() -> None:
    raw = "Nghi\u0323 đi\u0323nh\u00a0số  64\u200b/2007/NĐ-CP   \r\n\t\u00a0\n \tô"
    norm = normalize(raw)
    assert norm.text == "Nghị định số 64/2007/NĐ-CP\n\t\n \tô"
    assert unicodedata.is_normalized("NFC", norm.text)
    i = norm.text.index("64")
    assert raw[norm.to_raw(i) : norm.to_raw_end(i + 2)] == "64"
    j = norm.text.index("NĐ-CP")
    start, end = norm.raw_span(j, j + 5)
    assert raw[start:end] == "NĐ-CP"
    k = norm.text.index("ị")
    assert raw[norm.to_raw(k)] == "i"
    assert norm.to_raw(len(norm.text)) == len(raw)


def test_normalize_identity_is_cheap() -> None:
    raw = "Kế hoạch\n\tSTT\n\t1\n"
    norm = normalize(raw)
    assert norm.text == raw
    assert all(norm.to_raw(i) == i for i in range(len(raw) + 1))


def test_dates() -> None:
    assert parse_date("ngày 10/4/2007") == "2007-04-10"
    assert parse_date("ngày 10 tháng 4 năm 2007") == "2007-04-10"
    assert parse_date("13/06/2011") == "2011-06-13"
    assert parse_date("Đến Ngày: 13/1/16") == "2016-01-13"
    assert parse_date("ngày …/02/2019") is None
    assert parse_date("ngày ....... tháng ....... năm 2015") is None
    assert parse_date("31/2/2015") is None
    assert parse_date("Nghị định 64/2007/NĐ-CP") is None
    found = find_dates("ngày …/02/2019 và ngày 01/3/2016", include_blank=True)
    assert [d.blank for d in found] == [True, False]
    assert [d.iso for d in find_dates("ngày …/02/2019 và ngày 01/3/2016")] == ["2016-03-01"]
