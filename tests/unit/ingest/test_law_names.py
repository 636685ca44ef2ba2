"""The law name table: generation from the national corpus and resolution by name + date."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.lang.law_names import LawNameTable, build_law_names, name_key, write_law_names

CENSUS = {
    "laws": [
        {
            "official_number": "67/2006/QH11",
            "type": "law",
            "title": "Luật Công nghệ thông tin 2006",
            "issued_date": "2006-06-29",
        },
        {
            "official_number": "20/2023/QH15",
            "type": "law",
            "title": "Luật Giao dịch điện tử 2023",
            "issued_date": "2023-06-22",
        },
        {
            "official_number": "91/2015/QH13",
            "type": "code",
            "title": "Bộ luật Dân sự 2015",
            "issued_date": "2015-11-24",
        },
        {
            "official_number": "N/A",
            "type": "constitution",
            "title": "Hiến pháp 2013",
            "issued_date": "2013-11-28",
        },
        {
            "official_number": "13/2023/NĐ-CP",
            "type": "decree",
            "title": "Nghị định 13/2023/NĐ-CP",
            "issued_date": "2023-04-17",
        },
    ]
}
CODE_MD = """| **Số hiệu** | 99/2099/QH99
## VĂN BẢN
(Điều 1 Luật số 86/2015/QH13 An toàn thông tin mạng ngày 19/11/2015 của Quốc hội, có hiệu lực thi hành kể từ ngày 01/07/2016 )
(Điều 2 Luật số 86/2015/QH13, có hiệu lực thi hành kể từ ngày 01/07/2016)
theo quy định của Luật Thư viện số 46/2019/QH14 và các văn bản
## Danh sách điều khoản
Luật số 12/2012/QH12 Bị bỏ qua ngày 01/01/2012
"""


LAWS_CSV = """kind,number,name,passed,in_force,verified,source
Luật,51/2005/QH11,Giao dịch điện tử,2005-11-29,2006-03-01,yes,https://example.vn/gddt
Pháp lệnh,43/2002/PL-UBTVQH10,"Bưu chính, Viễn thông",2002-05-25,,yes,https://example.vn/pl
Luật,12/2012/NĐ-CP,Không phải luật,2012-01-01,,yes,https://example.vn/x
Luật,49/2014/QH13,Đầu tư công,2014-06-18,,no,
"""


def _national(tmp_path: Path) -> Path:
    (tmp_path / "census.json").write_text(json.dumps(CENSUS, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "x.md").write_text(CODE_MD, encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "Luật số 98/2098/QH98 Mẫu ngày 01/01/2098\n", encoding="utf-8"
    )
    (tmp_path / "laws.csv").write_text(LAWS_CSV, encoding="utf-8")
    return tmp_path


def test_build_from_census_markdown_and_curated(tmp_path: Path) -> None:
    entries = {(e.number, e.name) for e in build_law_names(_national(tmp_path))}
    assert ("67/2006/QH11", "Công nghệ thông tin") in entries
    assert ("91/2015/QH13", "Dân sự") in entries
    assert ("86/2015/QH13", "An toàn thông tin mạng") in entries
    assert ("46/2019/QH14", "Thư viện") in entries
    assert ("51/2005/QH11", "Giao dịch điện tử") in entries  # laws.csv
    assert ("43/2002/PL-UBTVQH10", "Bưu chính, Viễn thông") in entries  # an ordinance
    numbers = {n for n, _ in entries}
    assert (
        "99/2099/QH99" not in numbers
        and "12/2012/QH12" not in numbers
        and "13/2023/NĐ-CP" not in numbers
        and "12/2012/NĐ-CP" not in numbers
        and "98/2098/QH98" not in numbers  # README.md is not a topic code
    )


def test_csv_rows_keep_source_and_date_in_force(tmp_path: Path) -> None:
    by_number = {e.number: e for e in build_law_names(_national(tmp_path))}
    gddt = by_number["51/2005/QH11"]
    assert (gddt.date, gddt.in_force, gddt.source) == (
        "2005-11-29",
        "2006-03-01",
        "https://example.vn/gddt",
    )
    assert by_number["49/2014/QH13"].source == "(verified: no)"


def test_shipped_table_loads_every_csv_row() -> None:
    shipped = {e.number for e in LawNameTable.default().entries}
    assert {"47/2019/QH14", "63/2020/QH14", "43/2002/PL-UBTVQH10", "11/2003/QH11"} <= shipped


def test_write_and_reload(tmp_path: Path) -> None:
    out = tmp_path / "laws.json"
    n = write_law_names(_national(tmp_path), out)
    table = LawNameTable.from_json(out)
    assert n == len(table.entries)
    assert table.resolve("luat an toan thong tin mang") == "86/2015/QH13"


def test_resolve_is_case_and_diacritic_insensitive() -> None:
    t = LawNameTable.default()
    assert t.resolve("Luật Công nghệ thông tin", "2006-06-29") == "67/2006/QH11"
    assert t.resolve("công nghệ thông tin") == "67/2006/QH11"
    assert t.resolve("LUAT CONG NGHE THONG TIN") == "67/2006/QH11"
    assert t.resolve("Luật CNTT") == "67/2006/QH11"
    assert t.resolve("Tổ chức Hội đồng nhân dân và Uỷ ban nhân dân", "2003-11-26") == "11/2003/QH11"


def test_date_or_year_picks_the_version() -> None:
    t = LawNameTable.default()
    assert t.resolve("Giao dịch điện tử", "2005-11-29") == "51/2005/QH11"
    assert t.resolve("Giao dịch điện tử", year="2023") == "20/2023/QH15"
    assert t.resolve("Giao dịch điện tử") is None  # two versions, nothing to choose by
    assert t.resolve("Giao dịch điện tử", cited_before="2019-01-01") == "51/2005/QH11"
    assert t.resolve("Giao dịch điện tử", "2010-01-01") is None  # no version of that date
    assert t.resolve("Luật không có thật") is None


def test_name_key() -> None:
    # Commas do not count: plans write "sửa đổi bổ sung" for "sửa đổi, bổ sung".
    assert name_key("Luật  Phòng ,chống tham nhũng") == "phong chong tham nhung"
    assert name_key("Phòng chống tham nhũng") == name_key("Phòng, chống tham nhũng")
    assert name_key("Pháp lệnh Bưu chính, Viễn thông") == "buu chinh vien thong"
    assert name_key("Bộ luật Dân sự") == "dan su"
