"""Laws cited by name: one invented sentence per form plans use."""

from __future__ import annotations

import pytest

from ingest.extract.law_mentions import LawMention, find_law_mentions, share_law_numbers
from ingest.lang.law_names import LawEntry, LawNameTable

TABLE = LawNameTable(
    [
        LawEntry("67/2006/QH11", "Luật", "Công nghệ thông tin", "2006-06-29", "2006"),
        LawEntry("51/2005/QH11", "Luật", "Giao dịch điện tử", "2005-11-29", "2005"),
        LawEntry("20/2023/QH15", "Luật", "Giao dịch điện tử", "2023-06-22", "2023"),
        LawEntry("86/2015/QH13", "Luật", "An toàn thông tin mạng", "2015-11-19", "2015"),
        LawEntry("77/2015/QH13", "Luật", "Tổ chức chính quyền địa phương", "2015-06-19", "2015"),
        LawEntry("76/2015/QH13", "Luật", "Tổ chức Chính phủ", "2015-06-19", "2015"),
        LawEntry(
            "11/2003/QH11",
            "Luật",
            "Tổ chức Hội đồng nhân dân và Ủy ban nhân dân",
            "2003-11-26",
            "2003",
        ),
        LawEntry(
            "47/2019/QH14",
            "Luật",
            "sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức "
            "chính quyền địa phương",
            "2019-11-22",
            "2019",
        ),
        LawEntry("91/2015/QH13", "Bộ luật", "Dân sự", "2015-11-24", "2015"),
        LawEntry("43/2002/PL-UBTVQH10", "Pháp lệnh", "Bưu chính, Viễn thông", "2002-05-25", "2002"),
        LawEntry("49/2010/QH12", "Luật", "Bưu chính", "2010-06-17", "2010"),
    ]
)


def _one(text: str, cited_before: str | None = None) -> LawMention:
    found = find_law_mentions(text, TABLE, [], cited_before)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "name", "date", "number"),
    [
        # name and date, in words or digits, with a comma or a line break before it
        (
            "Căn cứ Luật Công nghệ thông tin ngày 29 tháng 6 năm 2006;",
            "Công nghệ thông tin",
            "2006-06-29",
            "67/2006/QH11",
        ),
        (
            "Căn cứ Luật Công nghệ thông tin, ngày 29/6/2006;",
            "Công nghệ thông tin",
            "2006-06-29",
            "67/2006/QH11",
        ),
        (
            "Căn cứ Luật An toàn thông tin mạng\nngày 19/11/2015;",
            "An toàn thông tin mạng",
            "2015-11-19",
            "86/2015/QH13",
        ),
        # the issuer written out between name and date
        (
            "Căn cứ Luật Giao dịch điện tử của Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam"
            " ngày 29/11/2005;",
            "Giao dịch điện tử",
            "2005-11-29",
            "51/2005/QH11",
        ),
        (
            "Căn cứ Luật Giao dịch điện tử được Quốc hội thông qua ngày 22 tháng 6 năm 2023;",
            "Giao dịch điện tử",
            "2023-06-22",
            "20/2023/QH15",
        ),
        # a line break inside the name
        (
            "Căn cứ Luật Tổ chức chính quyền\nđịa phương ngày 19/6/2015;",
            "Tổ chức chính quyền địa phương",
            "2015-06-19",
            "77/2015/QH13",
        ),
        # abbreviations
        (
            "Căn cứ Luật Tổ chức HĐND và UBND ngày 26/11/2003;",
            "Tổ chức HĐND và UBND",
            "2003-11-26",
            "11/2003/QH11",
        ),
        # a code
        ("Căn cứ Bộ luật Dân sự ngày 24/11/2015;", "Dân sự", "2015-11-24", "91/2015/QH13"),
    ],
)
def test_name_and_date(text: str, name: str, date: str, number: str) -> None:
    m = _one(text)
    assert (m.name, m.date, m.number) == (name, date, number)
    assert text[m.start : m.end].endswith(text.rstrip(";")[-4:])  # the span runs through the date


@pytest.mark.parametrize(
    "text",
    ["Căn cứ Luật An toàn thông tin mạng 2015;", "Căn cứ Luật An toàn thông tin mạng năm 2015;"],
)
def test_name_and_year(text: str) -> None:
    m = _one(text)
    assert (m.name, m.date, m.year, m.number) == (
        "An toàn thông tin mạng",
        None,
        "2015",
        "86/2015/QH13",
    )


def test_amending_law_keeps_its_whole_name_and_hides_the_laws_it_names() -> None:
    text = (
        "Căn cứ Luật sửa đổi bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức"
        " chính quyền địa phương ngày 22 tháng 11 năm 2019;"
    )
    m = _one(text)
    assert m.name.startswith("sửa đổi bổ sung") and m.name.endswith("chính quyền địa phương")
    assert (m.date, m.number) == ("2019-11-22", "47/2019/QH14")


def test_unknown_amending_law_is_read_up_to_its_date() -> None:
    m = _one("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Mẫu Thử ngày 01/02/2021;")
    assert (m.name, m.date, m.number) == (
        "sửa đổi, bổ sung một số điều của Luật Mẫu Thử",
        "2021-02-01",
        None,
    )


def test_a_wrong_date_keeps_the_law_unresolved_with_the_date_as_written() -> None:
    m = _one("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/7/2015;")
    assert (m.date, m.number) == ("2015-07-19", None)


def test_ordinance_is_its_own_kind() -> None:
    m = _one("Căn cứ Pháp lệnh Bưu chính, Viễn thông;", cited_before="2008-04-01")
    assert (m.doc_type, m.name, m.number) == (
        "Pháp lệnh",
        "Bưu chính, Viễn thông",
        "43/2002/PL-UBTVQH10",
    )


def test_undated_later_mention_shares_the_dated_version() -> None:
    text = "Căn cứ Luật Giao dịch điện tử ngày 29/11/2005; theo Luật Giao dịch điện tử, các cơ quan"
    found = find_law_mentions(text, TABLE, [], None)
    share_law_numbers(found)
    assert [m.number for m in found] == ["51/2005/QH11", "51/2005/QH11"]


def test_law_with_its_number_is_left_to_the_number_path() -> None:
    assert (
        find_law_mentions(
            "Luật Công nghệ thông tin số 67/2006/QH11 ngày 29/6/2006", TABLE, [], None
        )
        == []
    )
