"""Laws cited by name ("Luật Công nghệ thông tin ngày 29/6/2006") resolved to their number.

Plans cite laws, codes and ordinances by name and date, rarely by number, so the graph
needs a name -> number table. It is generated (``build_law_names``) from the national
corpus: ``laws.csv`` (hand-checked rows with their source page: older versions, amending
laws, ordinances), ``census.json`` (93 national laws with number and date) and the source
lines of the Bộ Pháp điển topic codes ("Luật số 67/2006/QH11 Công nghệ thông tin ngày
29/06/2006"); ``corpus/national/README.md`` gives the formats. Several laws share a name
across versions (Luật Giao dịch điện tử 2005 and 2023), so a date or year picks one; a
date that matches no version resolves nothing (plans do cite wrong dates).

Regenerate the shipped table with::

    python -c "from ingest.lang.law_names import write_law_names; write_law_names('corpus/national')"
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.lang.dates import DATE_RE, date_from_match
from ingest.lang.folding import fold_key

DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "law_names.json"
# The hand-checked rows live beside the generated table, not in corpus/: a folder of
# documents to ingest holds documents only.
LAWS_CSV_PATH = DATA_PATH.parent / "laws.csv"

# Numbers the table accepts: laws and codes ("77/2015/QH13") and ordinances
# ("43/2002/PL-UBTVQH10").
_NUMBER_RE = re.compile(r"\d+/\d{4}/(?:PL-UBTV)?QH\d+")
_KINDS = ("Luật", "Bộ luật", "Pháp lệnh")

# Abbreviations plans use inside law names.
_ABBREVIATIONS = {
    "cntt": "cong nghe thong tin",
    "attt": "an toan thong tin",
    "hdnd": "hoi dong nhan dan",
    "ubnd": "uy ban nhan dan",
    "nsnn": "ngan sach nha nuoc",
    "vbqppl": "van ban quy pham phap luat",
    "qppl": "quy pham phap luat",
}


def name_key(name: str) -> str:
    """Matching key of a law name: no diacritics, lower case, abbreviations expanded,
    "uỷ"/"ủy" and punctuation spacing unified."""
    key = fold_key(name)
    key = re.sub(r"^(bo luat|luat|phap lenh)\s+", "", key)
    # Commas are optional in practice ("sửa đổi bổ sung" for "sửa đổi, bổ sung").
    key = re.sub(r"\s*,\s*", " ", key)
    key = re.sub(r"\s*-\s*", " - ", key)
    words = [_ABBREVIATIONS.get(w, w) for w in key.split(" ") if w]
    return " ".join(words).strip(" ,.;")


@dataclass(frozen=True, slots=True)
class LawEntry:
    number: str
    kind: str  # "Luật", "Bộ luật", "Pháp lệnh"
    name: str  # without the kind: "Công nghệ thông tin"
    date: str | None  # ISO date of passing
    year: str | None  # from the number when no date is known
    in_force: str | None = None  # ISO date it took effect, when known
    source: str | None = None  # where number and date were read (URL or corpus file)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "kind": self.kind,
            "name": self.name,
            "date": self.date,
            "year": self.year,
            "in_force": self.in_force,
            "source": self.source,
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
            LawEntry(
                number,
                m.group(1),
                m.group(2),
                law.get("issued_date"),
                _year_of(number),
                law.get("in_force_date"),
                law.get("url") or path.name,
            )
        )
    return out


def _from_csv(path: Path) -> list[LawEntry]:
    """The hand-checked rows of ``laws.csv`` (format in ``corpus/national/README.md``)."""
    out: list[LawEntry] = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            number, kind = row["number"].strip(), row["kind"].strip()
            if kind not in _KINDS or not _NUMBER_RE.fullmatch(number):
                continue
            source = row.get("source", "").strip()
            if row.get("verified", "").strip() != "yes":
                source = f"{source} (verified: {row.get('verified', '').strip() or 'no'})".strip()
            out.append(
                LawEntry(
                    number,
                    kind,
                    row["name"].strip(),
                    row.get("passed", "").strip() or None,
                    _year_of(number),
                    row.get("in_force", "").strip() or None,
                    source,
                )
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
                source=path.name,
            )
        )
    for m in _MD_NAMED_RE.finditer(text):
        name = m.group("name").strip()
        if re.search(r"\b(này|số)\b", name):
            continue
        out.append(
            LawEntry(
                m.group("number"),
                m.group("kind"),
                name,
                None,
                _year_of(m.group("number")),
                source=path.name,
            )
        )
    return out


def build_law_names(national_dir: str | Path) -> list[LawEntry]:
    """The name table from the national corpus folder (census.json, *.md) and the
    hand-checked rows of laws.csv (``LAWS_CSV_PATH``, or one in that folder).
    One entry per (number, name key); the first source in that order wins, a dated entry
    over an undated one."""
    national = Path(national_dir)
    found: list[LawEntry] = []
    # A laws.csv beside the national texts (a user's own table) replaces the shipped one.
    laws_csv = national / "laws.csv" if (national / "laws.csv").exists() else LAWS_CSV_PATH
    if laws_csv.exists():
        found += _from_csv(laws_csv)
    census = national / "census.json"
    if census.exists():
        found += _from_census(census)
    for md in sorted(national.glob("*.md")):
        if md.name.lower() != "readme.md":
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
                LawEntry(
                    d["number"],
                    d["kind"],
                    d["name"],
                    d.get("date"),
                    d.get("year"),
                    d.get("in_force"),
                    d.get("source"),
                )
                for d in data["laws"]
            ]
        )

    @classmethod
    def from_national(cls, national_dir: str | Path) -> LawNameTable:
        return cls(build_law_names(national_dir))

    def candidates(self, name: str, kind: str | None = None) -> list[LawEntry]:
        """Every version called ``name``; only those of ``kind`` ("Pháp lệnh") if given."""
        found = self._by_key.get(name_key(name), [])
        return [e for e in found if kind is None or _same_kind(e.kind, kind)]

    def resolve(
        self,
        name: str,
        date: str | None = None,
        *,
        year: str | None = None,
        cited_before: str | None = None,
        kind: str | None = None,
    ) -> str | None:
        """Number of the law called ``name`` (with or without "Luật"), or None.

        ``date`` (ISO) must be a version's date of passing: a date that matches none stays
        unresolved (a version whose date the table lacks may still match by year). ``year``
        picks the one version passed that year; with neither, ``cited_before`` (the citing
        document's date) drops laws passed later. A name with several remaining versions
        stays unresolved rather than guessed.
        """
        cands = self.candidates(name, kind)
        if not cands:
            return None
        if date:
            exact = {e.number for e in cands if e.date == date}
            if exact:
                return exact.pop() if len(exact) == 1 else None
            year = date[:4]
            if any(e.date and e.date[:4] == year for e in cands):
                return None  # that year's version has another date: a wrong citation
            undated = {e.number for e in cands if e.date is None and e.year == year}
            return undated.pop() if len(undated) == 1 else None
        if year:
            same = {
                e.number
                for e in cands
                if (e.date or "")[:4] == year or (e.date is None and e.year == year)
            }
            return same.pop() if len(same) == 1 else None
        if cited_before:
            cands = [e for e in cands if (e.date or f"{e.year}-01-01") <= cited_before]
        numbers = {e.number for e in cands}
        return numbers.pop() if len(numbers) == 1 else None

    def match_prefix(self, folded_text_key: str) -> str | None:
        """The longest known name key that ``folded_text_key`` starts with (whole words)."""
        for key in self._keys_longest_first:
            if folded_text_key.startswith(key) and (
                len(folded_text_key) == len(key) or not folded_text_key[len(key)].isalnum()
            ):
                return key
        return None


def _same_kind(entry_kind: str, cited_kind: str) -> bool:
    """A "Luật" citation may name a "Bộ luật" and the reverse; an ordinance is apart."""
    return (entry_kind == "Pháp lệnh") == (cited_kind == "Pháp lệnh")


@lru_cache(maxsize=1)
def _default_table() -> LawNameTable:
    return LawNameTable.from_json(DATA_PATH)
