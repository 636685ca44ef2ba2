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
