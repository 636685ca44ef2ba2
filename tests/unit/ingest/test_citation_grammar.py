"""The ingest.lang grammars (numbers, dates, types, issuers) on invented snippets of every family and typo."""

from __future__ import annotations

import pytest

from ingest.lang.dates import parse_date
from ingest.lang.doc_types import type_before
from ingest.lang.folding import fold_text
from ingest.lang.issuers import canonical_issuer, issuer_after, issuer_from_code
from ingest.lang.numbers import canonical_number, find_numbers, type_from_number


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("64/2007/NĐ-CP", "64/2007/NĐ-CP"),
        ("17/2014/QĐ-UBND", "17/2014/QĐ-UBND"),
        ("49/2014/QH13", "49/2014/QH13"),
        ("1819/QĐ-TTg", "1819/QĐ-TTg"),
        ("36a/NQ-CP", "36a/NQ-CP"),
        ("09/TTr-STTTT", "09/TTr-STTTT"),
        ("2634/BTTTT-THH", "2634/BTTTT-THH"),
        ("36-NQ/TW", "36-NQ/TW"),
        ("38-CTr/TU", "38-CTr/TU"),
        ("3035/CTPH-BTTTT-BNV", "3035/CTPH-BTTTT-BNV"),
        ("43/2008/TTLT-BTC-BTTTT", "43/2008/TTLT-BTC-BTTTT"),
        # typos repaired
        ("1819/QĐ-Ttg", "1819/QĐ-TTg"),
        ("714/QĐ-TTG", "714/QĐ-TTg"),
        ("972/QĐ- UBND", "972/QĐ-UBND"),
        ("55/2010/ND-CP", "55/2010/NĐ-CP"),
        ("12/QD-UBND", "12/QĐ-UBND"),
        ("64 / 2007 / NĐ-CP", "64/2007/NĐ-CP"),
        ("7/CTR-TU", "7/CTr-TU"),
        ("15/2016/NQ-HDND", "15/2016/NQ-HĐND"),
        ("36A/NQ-CP", "36a/NQ-CP"),
    ],
)
def test_canonical_number(surface: str, canonical: str) -> None:
    assert canonical_number(surface) == canonical


def test_near_identical_numbers_stay_distinct() -> None:
    found = [
        n.number
        for n in find_numbers("Nghị quyết 36-NQ/TW, Nghị quyết 36a/NQ-CP, 26/NQ-CP và 26/KH-UBND")
    ]
    assert found == ["36-NQ/TW", "36a/NQ-CP", "26/NQ-CP", "26/KH-UBND"]


@pytest.mark.parametrize(
    "text",
    [
        "Số: ......./KH-UBND",  # draft blank
        "Số        /QĐ-UBND ngày …/02/2019",
        "Số\t189\nĐến\tNgày: 13/1/16",  # received stamp
        "đạt tỷ lệ 1010/1884 hồ sơ, 98/98 trường",
        "chuẩn TCVN ISO 9001:2008, mạng 3G/4G, 24/7",
        "09 huyện/thành phố, mức 3/Mức 4",
    ],
)
def test_not_numbers(text: str) -> None:
    assert [n.number for n in find_numbers(text) if n.groups > 1] == []


def test_single_code_number_is_reported_as_weak() -> None:
    (n,) = find_numbers("Công văn số 189/STTTT")
    assert n.number == "189/STTTT" and n.groups == 1


def test_fold_text_maps_back_to_raw_offsets() -> None:
    raw = "Nghi\u0323 đi\u0323nh\u00a0số 64/2007/NĐ-CP"
    folded, starts = fold_text(raw)
    assert folded == "Nghị định số 64/2007/NĐ-CP"
    (n,) = find_numbers(folded)
    assert raw[starts[n.start] : starts[n.end]] == "64/2007/NĐ-CP"
    assert raw[starts[0] : starts[len("Nghị định")]] == "Nghi\u0323 đi\u0323nh"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("ngày 10/4/2007", "2007-04-10"),
        ("ngày 13/06/2011", "2011-06-13"),
        ("ngày 10 tháng 4 năm 2007", "2007-04-10"),
        ("ngày 29 tháng 11 năm 2005", "2005-11-29"),
        ("ngày 10-4-2007", "2007-04-10"),
        ("ngày 31/2/2015", None),
        ("ngày …/02/2019", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("before", "doc_type", "mid"),
    [
        ("Căn cứ Nghị định số ", "Nghị định", ""),
        ("theo Thông tư ", "Thông tư", ""),
        ("Căn cứ văn bản số ", "Công văn", ""),
        ("Thông tư liên tịch số ", "Thông tư liên tịch", ""),
        ("Chương trình hành động số ", "Chương trình", ""),
        ("Luật đầu tư công số ", "Luật", "đầu tư công"),
        ("Nghị quyết Số ", "Nghị quyết", ""),
        ("Quyết định phê duyệt Kế hoạch số ", "Kế hoạch", ""),
        ("Tờ trình số: ", "Tờ trình", ""),
    ],
)
def test_type_before(before: str, doc_type: str, mid: str) -> None:
    tb = type_before(before, len(before))
    assert tb is not None and tb.doc_type == doc_type and tb.mid == mid


def test_type_before_needs_adjacency() -> None:
    text = "Quyết định thành lập ban chỉ đạo tỉnh tại 15/KH-UBND"
    assert type_before(text, text.index("15")) is None


@pytest.mark.parametrize(
    ("number", "doc_type"),
    [
        ("36a/NQ-CP", "Nghị quyết"),
        ("49/2014/QH13", "Luật"),
        ("2634/BTTTT-THH", "Công văn"),
        ("38-CTr/TU", "Chương trình"),
        ("09/TTr-STTTT", "Tờ trình"),
        ("43/2008/TTLT-BTC-BTTTT", "Thông tư liên tịch"),
    ],
)
def test_type_from_number(number: str, doc_type: str) -> None:
    assert type_from_number(number) == doc_type


def test_issuer_after_and_canonical() -> None:
    text = " của Bộ Bưu chính, Viễn thông về việc hướng dẫn"
    phrase, _, _ = issuer_after(text, 0)
    assert canonical_issuer(phrase) == "Bộ Bưu chính, Viễn thông"
    phrase, _, _ = issuer_after(" của Uỷ ban nhân dân tỉnh về việc", 0)
    assert canonical_issuer(phrase, "Tây Ninh") == "UBND tỉnh Tây Ninh"
    phrase, _, _ = issuer_after(" của Tỉnh ủy Hòa Bình về thực hiện", 0)
    assert canonical_issuer(phrase) == "Tỉnh ủy Hòa Bình"
    phrase, _, _ = issuer_after(" của UBND tỉnh Phê duyệt Đề án", 0)
    assert phrase == "UBND tỉnh"
    assert canonical_issuer("Bộ Tài Chính") == "Bộ Tài chính"


@pytest.mark.parametrize(
    ("number", "issuer"),
    [
        ("64/2007/NĐ-CP", "Chính phủ"),
        ("1819/QĐ-TTg", "Thủ tướng Chính phủ"),
        ("67/2006/QH11", "Quốc hội"),
        ("2634/BTTTT-THH", "Bộ Thông tin và Truyền thông"),
        ("58-CT/TW", "Ban Chấp hành Trung ương"),
        ("20/KH-UBND", "UBND tỉnh Lào Cai"),
        ("3035/CTPH-BTTTT-BNV", "Bộ Thông tin và Truyền thông và Bộ Nội vụ"),
    ],
)
def test_issuer_from_code(number: str, issuer: str) -> None:
    assert issuer_from_code(number, "Lào Cai") == issuer
