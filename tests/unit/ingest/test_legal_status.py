"""The status table loader and the in-force classifier on invented timelines."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.lang.legal_status import (
    LegalStatus,
    LegalStatusTableError,
    StatusTable,
    check_basis,
    classify,
    is_national,
    load_status_table,
)

HEADER = "number,year,type,issued,in_force,not_in_force,in_force_as_of,replaced_by,source\n"
SRC = "https://example.test/doc"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "status.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


OLD = LegalStatus(
    "10/2001/NĐ-CP",
    in_force="2001-06-01",
    not_in_force="2012-01-01",
    replaced_by=("20/2011/NĐ-CP",),
    sources=(SRC,),
)
NEW = LegalStatus(
    "20/2011/NĐ-CP", in_force="2012-01-01", in_force_as_of="2020-01-01", sources=(SRC,)
)


@pytest.mark.parametrize(
    ("entry", "day", "status", "since"),
    [
        (NEW, "2015-05-05", "in_force", "2012-01-01"),  # in force, still shown in force later
        (OLD, "2013-03-03", "not_in_force", "2012-01-01"),  # replaced before the plan
        (OLD, "2010-03-03", "in_force", "2001-06-01"),  # replaced after the plan
        (NEW, "2011-12-31", "not_yet_in_force", None),
        (NEW, "2021-01-01", "unknown", None),  # past the last day a source showed it
        (None, "2015-01-01", "unknown", None),
    ],
)
def test_classify_timelines(
    entry: LegalStatus | None, day: str, status: str, since: str | None
) -> None:
    result = classify(entry, day)
    assert (result.status, result.since) == (status, since)


def test_amended_only_stays_in_force() -> None:
    amended = LegalStatus(
        "30/2015/QH13",
        in_force="2016-01-01",
        in_force_as_of="2023-07-01",
        amended_by=("40/2019/QH14",),
        sources=(SRC,),
    )
    assert classify(amended, "2021-01-01").status == "in_force"


def test_check_basis_flags_replacement_and_date_conflict() -> None:
    table = StatusTable(
        (
            OLD,
            LegalStatus(
                "5/QĐ-TTg",
                year="2015",
                title="phê duyệt Chương trình quốc gia thử nghiệm",
                issued="2015-10-26",
                in_force="2015-10-26",
                in_force_as_of="2020-12-31",
                sources=(SRC,),
            ),
        )
    )
    extraction = {
        "document": {"id": "plan", "date": "2016-03-01"},
        "citations": [
            {"number": "10/2001/NĐ-CP", "date": "2001-05-01", "in_basis": True, "title": "x"},
            {
                "number": "5/QĐ-TTg",
                "date": "2016-10-26",
                "in_basis": True,
                "title": "phê duyệt Chương trình quốc gia thử nghiệm",
            },
            {"number": "9/2010/QĐ-TTg", "date": None, "in_basis": True, "title": None},
            {"number": "7/2010/QĐ-TTg", "date": None, "in_basis": False, "title": None},
        ],
    }
    result = check_basis(extraction, table)
    assert result["date"] == "2016-03-01"
    statuses = [(item["number"], item["status"]) for item in result["basis"]]
    assert statuses == [
        ("10/2001/NĐ-CP", "not_in_force"),
        ("5/QĐ-TTg", "in_force"),
        ("9/2010/QĐ-TTg", "unknown"),
    ]
    assert result["basis"][0]["replaced_by"] == ["20/2011/NĐ-CP"]
    assert result["basis"][0]["source"] == [SRC]
    assert result["basis"][1]["date_conflict"] == {"cited": "2016-10-26", "official": "2015-10-26"}


def test_undated_document_uses_latest_cited_day() -> None:
    extraction = {
        "document": {"id": "p"},
        "citations": [{"number": "a/2001/QH10", "date": "2019-02-21"}],
    }
    assert check_basis(extraction, StatusTable(()))["date_source"] == "latest_cited"


def test_loader_reads_rows(tmp_path: Path) -> None:
    table = load_status_table(
        write(
            tmp_path,
            f"1/2001/QH10,,Luật,2001-01-01,2001-07-01,2010-01-01,,2/2009/QH12,{SRC}\n"
            f"7/QĐ-TTg,2015,Quyết định,,,,,,\n",
        )
    )
    assert table.rows[0].replaced_by == ("2/2009/QH12",)
    assert table.find("7/QĐ-TTg", "2015-03-03") is table.rows[1]
    assert not table.rows[1].known


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (f",,Luật,,,,,,{SRC}", "empty 'number'"),
        (f"1/2001/QH10,,Luật,,01/07/2001,,,,{SRC}", "'in_force' is not an ISO date"),
        ("1/2001/QH10,,Luật,,2001-07-01,,,,", "without a 'source'"),
        (f"1/2001/QH10,,Luật,,2001-07-01,2000-01-01,,,{SRC}", "is before 'in_force'"),
        (f"1/2001/QH10,,,,,,,,{SRC},extra", "more fields"),
        (f"1/QĐ-TTg,15,,,,,,,{SRC}", "'year' is not a year"),
    ],
)
def test_loader_names_bad_row(tmp_path: Path, row: str, problem: str) -> None:
    with pytest.raises(LegalStatusTableError) as err:
        load_status_table(write(tmp_path, row + "\n"))
    assert err.value.row == 2
    assert problem.replace("'in_force' is", "column 'in_force' is") in str(
        err.value
    ) or problem in str(err.value)


def test_loader_rejects_duplicates(tmp_path: Path) -> None:
    with pytest.raises(LegalStatusTableError, match="row 3: duplicate"):
        load_status_table(write(tmp_path, "1/2001/QH10,,,,,,,,\n1/2001/QH10,,,,,,,,\n"))


def test_shipped_table_loads() -> None:
    table = load_status_table(Path(__file__).parents[3] / "corpus/national/legal_status.csv")
    assert any(row.known for row in table.rows)


# --- in force by a dated act, lookups by number form, year typo and law name ---------

BY_HEADER = (
    "number,year,type,title,issued,in_force,in_force_by,not_in_force,in_force_as_of,source\n"
)


def write_by(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "status.csv"
    path.write_text(BY_HEADER + body, encoding="utf-8")
    return path


APPLIED = LegalStatus(
    "8/NQ-CP",
    year="2015",
    issued="2015-10-14",
    in_force_by="2016-02-04",
    in_force_as_of="2018-08-14",
    sources=(SRC,),
)


@pytest.mark.parametrize(
    ("day", "status"),
    [
        ("2016-02-04", "in_force"),  # the day a dated act applied it
        ("2017-06-01", "in_force"),
        ("2018-08-15", "unknown"),  # after the last day a source showed it in force
        ("2015-12-15", "unknown"),  # issued, but its day in force was not found
        ("2015-10-01", "not_yet_in_force"),  # before it was issued
    ],
)
def test_in_force_by_bounds_the_start(day: str, status: str) -> None:
    result = classify(APPLIED, day)
    assert result.status == status
    assert result.since is None  # the day it took effect is not known


def test_loader_reads_in_force_by(tmp_path: Path) -> None:
    table = load_status_table(
        write_by(tmp_path, f"8/NQ-CP,2015,Nghị quyết,,2015-10-14,,2016-02-04,,2018-08-14,{SRC}\n")
    )
    assert table.rows[0].in_force_by == "2016-02-04"
    assert table.rows[0].known
    assert table.rows[0].to_json()["in_force_by"] == "2016-02-04"


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (f"8/NQ-CP,2015,,,,2015-10-14,2016-02-04,,,{SRC}", "give one of them"),
        (
            f"8/NQ-CP,2015,,,2015-10-14,,2015-10-01,,,{SRC}",
            "'in_force_by' 2015-10-01 is before 'issued'",
        ),
        (
            f"8/NQ-CP,2015,,,,,2016-02-04,2016-01-01,,{SRC}",
            "'not_in_force' 2016-01-01 is before 'in_force_by'",
        ),
        (
            f"1/2001/QH10,,,,,2001-07-01,,,2001-01-01,{SRC}",
            "'in_force_as_of' 2001-01-01 is before 'in_force'",
        ),
        (
            f"1/2001/QH10,,,,,2001-07-01,,2010-01-01,2010-01-01,{SRC}",
            "is not before 'not_in_force'",
        ),
        ("8/NQ-CP,2015,,,,,2016-02-04,,,", "in_force_by given without a 'source'"),
    ],
)
def test_loader_names_contradicting_dates(tmp_path: Path, row: str, problem: str) -> None:
    with pytest.raises(LegalStatusTableError) as err:
        load_status_table(write_by(tmp_path, row + "\n"))
    assert err.value.row == 2
    assert problem in str(err.value)
    assert str(tmp_path / "status.csv") in str(err.value)


def test_loader_rejects_duplicates_written_differently(tmp_path: Path) -> None:
    with pytest.raises(LegalStatusTableError, match="row 3: duplicate"):
        load_status_table(write_by(tmp_path, "64/2007/NĐ-CP,,,,,,,,,\n64/2007/ND-CP,,,,,,,,,\n"))


def test_find_compares_numbers_in_canonical_form() -> None:
    table = StatusTable((LegalStatus("64/2007/NĐ-CP", sources=(SRC,)),))
    assert table.find("64/2007/ND-CP") is table.rows[0]
    assert table.find("64/2007/nđ-cp") is table.rows[0]


def test_find_prefers_the_official_row_over_a_wrong_year() -> None:
    unsure = LegalStatus("8/NQ-CP", title="về Chính phủ điện tử")  # year unknown
    table = StatusTable((unsure, APPLIED, LegalStatus("8/NQ-CP", year="2019", title="x")))
    # the plan writes 2016-10-14 for the resolution of 2015-10-14: same day, other year
    assert table.find("8/NQ-CP", "2016-10-14", "về Chính phủ điện tử") is APPLIED
    assert table.find("8/NQ-CP", "2019-05-05") is table.rows[2]


def test_find_keeps_another_year_apart() -> None:
    table = StatusTable((APPLIED,))
    # a year-less number reused in 2017 for another document: unknown, not the 2015 row
    assert table.find("8/NQ-CP", "2017-03-01", "về việc phân bổ vốn") is None
    # a number with a year names one document whatever date the plan writes
    dated = StatusTable((LegalStatus("64/2007/NĐ-CP", issued="2007-04-10"),))
    assert dated.find("64/2007/NĐ-CP", "2008-01-01") is dated.rows[0]


def test_check_basis_flags_the_wrong_year_against_the_official_row() -> None:
    extraction = {
        "document": {"id": "plan", "date": "2017-01-01"},
        "citations": [
            {"number": "8/NQ-CP", "date": "2016-10-14", "in_basis": True, "title": "về CPĐT"}
        ],
    }
    item = check_basis(extraction, StatusTable((APPLIED,)))["basis"][0]
    assert item["status"] == "in_force"
    assert item["date_conflict"] == {"cited": "2016-10-14", "official": "2015-10-14"}


LAWS = StatusTable(
    (
        LegalStatus(
            "1/2002/QH11",
            doc_type="Luật",
            title="Luật Ngân sách nhà nước",
            issued="2002-12-16",
            in_force="2004-01-01",
            not_in_force="2017-01-01",
            sources=(SRC,),
        ),
        LegalStatus(
            "2/2015/QH13",
            doc_type="Luật",
            title="Luật Ngân sách nhà nước 2015",
            issued="2015-06-25",
            in_force="2017-01-01",
            in_force_as_of="2026-02-26",
            sources=(SRC,),
        ),
    )
)


def test_find_law_by_name_and_date() -> None:
    assert LAWS.find_law("Luật ngân sách nhà nước", "2015-06-25") is LAWS.rows[1]
    assert LAWS.find_law("Luật ngân sách nhà nước") is None  # two laws share the name
    assert LAWS.find_law("Luật Đầu tư công", "2015-06-25") is None


def test_check_basis_resolves_a_law_cited_by_name() -> None:
    extraction = {
        "document": {"id": "plan", "date": "2016-05-01"},
        "citations": [
            {
                "number": None,
                "doc_type": "Luật",
                "title": "Luật Ngân sách nhà nước",
                "date": "2002-12-16",
                "in_basis": True,
            }
        ],
    }
    item = check_basis(extraction, LAWS)["basis"][0]
    assert (item["number"], item["status"]) == ("1/2002/QH11", "in_force")


@pytest.mark.parametrize(
    ("number", "national"),
    [
        ("36a/NQ-CP", True),
        ("2634/BTTTT-THH", True),
        ("36-NQ/TW", True),
        ("20/KH-UBND", False),
        ("42-NQ/TU", False),
        ("09/TTr-STTTT", False),
        ("12/2013/QĐ-UBND", False),
    ],
)
def test_is_national(number: str, national: bool) -> None:
    assert is_national(number) is national
