"""Laws cited by name ("Luật Công nghệ thông tin ngày 29/6/2006") resolved to their number.

Plans cite laws by name and date, rarely by number, so the graph needs a name -> number
table. It is generated (``build_law_names``) from the national corpus: ``census.json``
(93 national laws with number and date) and the source lines of the Bộ Pháp điển topic
codes ("Luật số 67/2006/QH11 Công nghệ thông tin ngày 29/06/2006 của Quốc hội"), plus a
short curated list of the framework laws that IT plans cite most but the census lacks
(it holds only the newest version of many laws). Several laws share a name across
versions (Luật Giao dịch điện tử 2005 and 2023), so a date or year disambiguates.

Regenerate the shipped table with::

    python -c "from ingest.lang.law_names import write_law_names; write_law_names('corpus/national')"
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.lang.dates import DATE_RE, date_from_match
from ingest.lang.folding import fold_key

DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "law_names.json"

# Curated: (number, kind, name, ISO date of passing). Each checked against the official
# gazette; only laws whose number and date are certain belong here.
_CURATED: list[tuple[str, str, str, str]] = [
    ("51/2005/QH11", "Luật", "Giao dịch điện tử", "2005-11-29"),
    ("67/2006/QH11", "Luật", "Công nghệ thông tin", "2006-06-29"),
    ("11/2003/QH11", "Luật", "Tổ chức Hội đồng nhân dân và Ủy ban nhân dân", "2003-11-26"),
    ("77/2015/QH13", "Luật", "Tổ chức chính quyền địa phương", "2015-06-19"),
    ("32/2001/QH10", "Luật", "Tổ chức Chính phủ", "2001-12-25"),
    ("76/2015/QH13", "Luật", "Tổ chức Chính phủ", "2015-06-19"),
    (
        "47/2019/QH14",
        "Luật",
        "sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
        "2019-11-22",
    ),
    ("49/2014/QH13", "Luật", "Đầu tư công", "2014-06-18"),
    ("39/2019/QH14", "Luật", "Đầu tư công", "2019-06-13"),
    ("01/2002/QH11", "Luật", "Ngân sách nhà nước", "2002-12-16"),
    ("83/2015/QH13", "Luật", "Ngân sách nhà nước", "2015-06-25"),
    ("17/2008/QH12", "Luật", "Ban hành văn bản quy phạm pháp luật", "2008-06-03"),
    ("80/2015/QH13", "Luật", "Ban hành văn bản quy phạm pháp luật", "2015-06-22"),
    ("61/2005/QH11", "Luật", "Đấu thầu", "2005-11-29"),
    ("43/2013/QH13", "Luật", "Đấu thầu", "2013-11-26"),
    ("41/2009/QH12", "Luật", "Viễn thông", "2009-11-23"),
    ("42/2009/QH12", "Luật", "Tần số vô tuyến điện", "2009-11-23"),
    ("49/2010/QH12", "Luật", "Bưu chính", "2010-06-17"),
    ("01/2011/QH13", "Luật", "Lưu trữ", "2011-11-11"),
    ("22/2008/QH12", "Luật", "Cán bộ, công chức", "2008-11-13"),
    ("58/2010/QH12", "Luật", "Viên chức", "2010-11-15"),
    ("86/2015/QH13", "Luật", "An toàn thông tin mạng", "2015-11-19"),
    ("24/2018/QH14", "Luật", "An ninh mạng", "2018-06-12"),
    ("104/2016/QH13", "Luật", "Tiếp cận thông tin", "2016-04-06"),
    ("67/2014/QH13", "Luật", "Đầu tư", "2014-11-26"),
    ("68/2014/QH13", "Luật", "Doanh nghiệp", "2014-11-26"),
    ("21/2017/QH14", "Luật", "Quy hoạch", "2017-11-24"),
    ("55/2005/QH11", "Luật", "Phòng, chống tham nhũng", "2005-11-29"),
    ("44/2013/QH13", "Luật", "Thực hành tiết kiệm, chống lãng phí", "2013-11-26"),
    ("09/2008/QH12", "Luật", "Quản lý, sử dụng tài sản nhà nước", "2008-06-03"),
    ("29/2018/QH14", "Luật", "Bảo vệ bí mật nhà nước", "2018-11-15"),
    ("89/2015/QH13", "Luật", "Thống kê", "2015-11-23"),
    ("55/2014/QH13", "Luật", "Bảo vệ môi trường", "2014-06-23"),
    ("29/2013/QH13", "Luật", "Khoa học và công nghệ", "2013-06-18"),
]

# Abbreviations plans use inside law names.
_ABBREVIATIONS = {
    "cntt": "cong nghe thong tin",
    "attt": "an toan thong tin",
    "hdnd": "hoi dong nhan dan",
    "ubnd": "uy ban nhan dan",
    "nsnn": "ngan sach nha nuoc",
    "vbqppl": "van ban quy pham phap luat",
}


def name_key(name: str) -> str:
    """Matching key of a law name: no diacritics, lower case, abbreviations expanded,
    "uỷ"/"ủy" and punctuation spacing unified."""
    key = fold_key(name)
    key = re.sub(r"^(bo luat|luat)\s+", "", key)
    key = re.sub(r"\s*,\s*", ", ", key)
    key = re.sub(r"\s*-\s*", " - ", key)
    words = [_ABBREVIATIONS.get(w, w) for w in key.split(" ")]
    return " ".join(words).strip(" ,.;")


@dataclass(frozen=True, slots=True)
class LawEntry:
    number: str
    kind: str  # "Luật", "Bộ luật"
    name: str  # without the kind: "Công nghệ thông tin"
    date: str | None  # ISO date of passing
    year: str | None  # from the number when no date is known

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "name": self.name,
            "date": self.date,
            "year": self.year,
        }


def _year_of(number: str) -> str | None:
    m = re.search(r"/((?:19|20)\d\d)/", number)
    return m.group(1) if m else None


def _from_census(path: Path) -> list[LawEntry]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out: list[LawEntry] = []
    for law in data.get("laws", []):
        if law.get("type") not in ("law", "code"):
            continue
        number = law.get("official_number") or ""
        if not re.fullmatch(r"\d+/\d{4}/QH\d+", number):
            continue
        title = re.sub(r"\s+(?:năm\s+)?(?:19|20)\d\d$", "", law["title"].strip())
        m = re.match(r"(Bộ luật|Luật)\s+(.+)$", title)
        if not m:
            continue
        out.append(
            LawEntry(number, m.group(1), m.group(2), law.get("issued_date"), _year_of(number))
        )
    return out


_MD_SOURCE_RE = re.compile(
    r"(?P<kind>Bộ luật|Luật) số (?P<number>\d+/\d{4}/QH\d+) (?P<name>(?!có hiệu lực)[^(),\n][^()\n]+?) ngày (?P<date>\d{1,2}/\d{1,2}/\d{4})"
)
_MD_NAMED_RE = re.compile(
    r"(?<!\w)(?P<kind>Bộ luật|Luật) (?P<name>[^\d()\n;,.]{3,80}?) số (?P<number>\d+/\d{4}/QH\d+)"
)


def _from_markdown(path: Path) -> list[LawEntry]:
    """Source lines ("Luật số 67/2006/QH11 Công nghệ thông tin ngày 29/06/2006") and
    cross-references ("Luật đầu tư số 67/2014/QH13") of a national topic code."""
    text = path.read_text(encoding="utf-8").split("## Danh sách điều khoản")[0]
    text = text.split("## VĂN BẢN", 1)[-1]  # the metadata table at the top is wrong
    out: list[LawEntry] = []
    for m in _MD_SOURCE_RE.finditer(text):
        dm = DATE_RE.search(m.group("date"))
        date = date_from_match(dm) if dm else None
        out.append(
            LawEntry(
                m.group("number"),
                m.group("kind"),
                m.group("name").strip(),
                date,
                _year_of(m.group("number")),
            )
        )
    for m in _MD_NAMED_RE.finditer(text):
        name = m.group("name").strip()
        if re.search(r"\b(này|số)\b", name):
            continue
        out.append(
            LawEntry(m.group("number"), m.group("kind"), name, None, _year_of(m.group("number")))
        )
    return out


def build_law_names(national_dir: str | Path) -> list[LawEntry]:
    """The name table from the national corpus folder (census.json + *.md) and the curated
    list. One entry per (number, name key); a dated entry wins over an undated one."""
    national = Path(national_dir)
    found: list[LawEntry] = [LawEntry(n, k, nm, d, _year_of(n)) for n, k, nm, d in _CURATED]
    census = national / "census.json"
    if census.exists():
        found += _from_census(census)
    for md in sorted(national.glob("*.md")):
        found += _from_markdown(md)
    merged: dict[tuple[str, str], LawEntry] = {}
    for e in found:
        key = (e.number, name_key(e.name))
        if key not in merged or (merged[key].date is None and e.date is not None):
            merged[key] = e
    return sorted(merged.values(), key=lambda e: (name_key(e.name), e.date or e.year or ""))


def write_law_names(national_dir: str | Path, out_path: str | Path = DATA_PATH) -> int:
    """Regenerate ``ingest/data/law_names.json``; returns the number of entries."""
    entries = build_law_names(national_dir)
    payload = {
        "description": "Vietnamese laws by name -> number; generated by ingest.lang.law_names.write_law_names",
        "laws": [e.to_json() for e in entries],
    }
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(entries)


@dataclass(slots=True)
class LawNameTable:
    """Name -> candidate laws; ``resolve`` picks one by date, year or citing date."""

    entries: list[LawEntry]
    _by_key: dict[str, list[LawEntry]] = field(default_factory=dict, init=False)
    _keys_longest_first: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        for e in self.entries:
            self._by_key.setdefault(name_key(e.name), []).append(e)
        self._keys_longest_first = sorted(self._by_key, key=len, reverse=True)

    @classmethod
    def default(cls) -> LawNameTable:
        """The table shipped with the package (``ingest/data/law_names.json``)."""
        return _default_table()

    @classmethod
    def from_json(cls, path: str | Path) -> LawNameTable:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            [
                LawEntry(d["number"], d["kind"], d["name"], d.get("date"), d.get("year"))
                for d in data["laws"]
            ]
        )

    @classmethod
    def from_national(cls, national_dir: str | Path) -> LawNameTable:
        return cls(build_law_names(national_dir))

    def candidates(self, name: str) -> list[LawEntry]:
        return list(self._by_key.get(name_key(name), []))

    def resolve(
        self,
        name: str,
        date: str | None = None,
        *,
        year: str | None = None,
        cited_before: str | None = None,
    ) -> str | None:
        """Number of the law called ``name`` (with or without "Luật"), or None.

        ``date`` (ISO) or ``year`` given with the name picks among versions; with neither,
        ``cited_before`` (the citing document's date) drops laws passed later. A name with
        several remaining versions stays unresolved rather than guessed.
        """
        cands = self.candidates(name)
        if not cands:
            return None
        if date:
            exact = [e for e in cands if e.date == date]
            if len(exact) == 1:
                return exact[0].number
            year = year or date[:4]
        if year:
            same = [
                e
                for e in cands
                if (e.date or "")[:4] == year or (e.date is None and e.year == year)
            ]
            return same[0].number if len(same) == 1 else None
        if cited_before:
            cands = [e for e in cands if (e.date or f"{e.year}-01-01") <= cited_before]
        return cands[0].number if len(cands) == 1 else None

    def match_prefix(self, folded_text_key: str) -> str | None:
        """The longest known name key that ``folded_text_key`` starts with (whole words)."""
        for key in self._keys_longest_first:
            if folded_text_key.startswith(key) and (
                len(folded_text_key) == len(key) or not folded_text_key[len(key)].isalnum()
            ):
                return key
        return None


@lru_cache(maxsize=1)
def _default_table() -> LawNameTable:
    return LawNameTable.from_json(DATA_PATH)
