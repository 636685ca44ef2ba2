"""Validity of national legal documents: the status table and the classifier.

The table (``corpus/national/legal_status.csv``, format in ``corpus/national/README.md``)
says, per document, when it entered into force (or, when that day was not found, a day by
which a dated act already applied it), when it stopped being in force, up to which day a
source still showed it in force, and its relations (replaces, amends, guides), each row
with the sources it was checked against. ``classify`` answers "was this document in force
on that day?" from those facts alone: a fact the table lacks leaves the answer
``unknown``, never guessed. ``check_basis`` applies it to every legal-basis item of an
extraction (the ``cancu extract --json`` shape), a law cited by name without a resolved
number included when the table knows it by title and date.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ingest.errors import LegalStatusTableError
from ingest.lang.folding import fold_key
from ingest.lang.issuers import issuer_from_code
from ingest.lang.numbers import canonical_number

STATUS_COLUMNS = (
    "number",
    "year",
    "type",
    "issuer",
    "title",
    "issued",
    "in_force",
    "in_force_by",
    "not_in_force",
    "in_force_as_of",
    "replaces",
    "replaced_by",
    "amends",
    "amended_by",
    "guides",
    "guided_by",
    "source",
    "note",
)
RELATION_COLUMNS = ("replaces", "replaced_by", "amends", "amended_by", "guides", "guided_by")
DATE_COLUMNS = ("issued", "in_force", "in_force_by", "not_in_force", "in_force_as_of")
# Columns that state a validity fact: any of them needs a source.
FACT_COLUMNS = ("in_force", "in_force_by", "not_in_force", "in_force_as_of")
STATUSES = ("in_force", "not_in_force", "not_yet_in_force", "unknown")

_YEAR_IN_NUMBER = re.compile(r"/(?:19|20)\d\d/")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Issuers of a province (its People's Committee and Council, Party committee, departments).
_PROVINCIAL_ISSUER = re.compile(r"(?:UBND|HĐND|Tỉnh ủy|Thành ủy|Sở|Công an tỉnh)\b")


def is_national(number: str) -> bool:
    """Whether ``number`` was issued by a national body (its issuer code is not a
    province's: ``…/KH-UBND``, ``…-NQ/TU``, ``…/TTr-STTTT`` are provincial). An issuer code
    not recognised counts as national."""
    issuer = issuer_from_code(number)
    return not (issuer and _PROVINCIAL_ISSUER.match(issuer))


@dataclass(frozen=True, slots=True)
class LegalStatus:
    """One document's validity facts, as checked against ``sources``."""

    number: str
    year: str | None = None  # only for numbers without a year ("1819/QĐ-TTg" of 2015)
    doc_type: str | None = None
    issuer: str | None = None
    title: str | None = None
    issued: str | None = None
    in_force: str | None = None
    # In force by this day at the latest (a dated act applied it), when ``in_force`` is
    # not known: the status on an earlier day stays unknown.
    in_force_by: str | None = None
    not_in_force: str | None = None
    in_force_as_of: str | None = None  # a source still showed it in force on this day
    replaces: tuple[str, ...] = ()
    replaced_by: tuple[str, ...] = ()
    amends: tuple[str, ...] = ()
    amended_by: tuple[str, ...] = ()
    guides: tuple[str, ...] = ()
    guided_by: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str | None = None

    @property
    def known(self) -> bool:
        """Whether any validity fact (not only a name) was checked."""
        return bool(self.sources) and any(getattr(self, col) for col in FACT_COLUMNS)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "year": self.year,
            "type": self.doc_type,
            "issuer": self.issuer,
            "title": self.title,
            **{name: getattr(self, name) for name in DATE_COLUMNS},
            **{name: list(getattr(self, name)) for name in RELATION_COLUMNS},
            "sources": list(self.sources),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class StatusTable:
    """Rows keyed by (number, year); ``find`` resolves a citation to its row."""

    rows: tuple[LegalStatus, ...]

    def find(
        self, number: str, cited_date: str | None = None, cited_title: str | None = None
    ) -> LegalStatus | None:
        """The row of ``number`` (compared in canonical form, so "64/2007/ND-CP" finds
        "64/2007/NĐ-CP"). A number with a year names one document. A number without a
        year ("36a/NQ-CP") is reused every year, so the cited date picks the row: the row
        of the cited year; else the row issued on the same day and month (the citation's
        year is a typo); else the one row with the same title. ``check_basis`` reports a
        cited date that differs from the row's as a date conflict."""
        key = number_key(number)
        same = [row for row in self.rows if number_key(row.number) == key]
        if len(same) <= 1 or _YEAR_IN_NUMBER.search(key):
            return _choose(same, cited_date, cited_title) if len(same) == 1 else None
        if cited_date:
            of_year = [row for row in same if _row_year(row) == cited_date[:4]]
            if of_year:
                return of_year[0] if len(of_year) == 1 else _one_titled(of_year, cited_title)
            typo = [row for row in same if _same_day_other_year(row, cited_date)]
            if len(typo) == 1:
                return typo[0]
        dated = [row for row in same if _row_year(row)]
        return _one_titled(dated, cited_title) or _one_titled(same, cited_title)

    def find_law(self, title: str | None, cited_date: str | None = None) -> LegalStatus | None:
        """The law (or code, ordinance) a citation names without a number: the row of
        that name passed on the cited day, or, without a cited day, the only row of that
        name (laws that share a name are told apart by their date only)."""
        name = _law_name(title)
        if not name:
            return None
        named = [
            row for row in self.rows if row.doc_type in LAW_TYPES and _law_name(row.title) == name
        ]
        if cited_date:
            named = [row for row in named if row.issued == cited_date]
        return named[0] if len(named) == 1 else None


LAW_TYPES = ("Luật", "Bộ luật", "Pháp lệnh")
_LAW_WORD = re.compile(r"^(?:bo luat|luat|phap lenh)\s+")
_TRAILING_YEAR = re.compile(r"\s+(?:nam\s+)?(?:19|20)\d\d$")


def _law_name(title: str | None) -> str:
    """ "Luật Công nghệ thông tin 2006" -> "cong nghe thong tin" (kind word, year off)."""
    if not title:
        return ""
    return _TRAILING_YEAR.sub("", _LAW_WORD.sub("", fold_key(title))).strip()


@lru_cache(maxsize=4096)
def number_key(number: str) -> str:
    """A number in canonical form for comparison ("1819/QĐ-Ttg" -> "1819/QĐ-TTg")."""
    return canonical_number(number) or canonical_number(number.upper()) or number.strip()


def _row_year(row: LegalStatus) -> str | None:
    return row.year or (row.issued[:4] if row.issued else None)


def _same_day_other_year(row: LegalStatus, cited_date: str) -> bool:
    issued = row.issued
    return issued is not None and issued[5:] == cited_date[5:] and issued != cited_date


def _choose(
    rows: list[LegalStatus], cited_date: str | None, cited_title: str | None
) -> LegalStatus | None:
    """The single row of a number: always the document when the number has a year or
    the row's year is unknown; for a year-less number of another cited year, only when
    the day and month or the title agree (a typo in the year, not another document)."""
    row = rows[0]
    year = _row_year(row)
    if _YEAR_IN_NUMBER.search(number_key(row.number)) or not cited_date or not year:
        return row
    if year == cited_date[:4] or _same_day_other_year(row, cited_date):
        return row
    return row if _same_title(row.title, cited_title) else None


def _one_titled(rows: list[LegalStatus], cited_title: str | None) -> LegalStatus | None:
    titled = [row for row in rows if _same_title(row.title, cited_title)]
    return titled[0] if len(titled) == 1 else None


def _same_title(official: str | None, cited: str | None) -> bool:
    if not official or not cited:
        return False
    a, b = fold_key(official)[:40], fold_key(cited)[:40]
    shorter = min(len(a), len(b))
    return shorter >= 15 and a[:shorter] == b[:shorter]


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _checked_date(value: str, column: str, path: str, row: int) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise LegalStatusTableError(
            path, row, f"column '{column}' is not an ISO date (YYYY-MM-DD): {value!r}"
        ) from None
    return value


def _timeline_problem(dates: Mapping[str, str | None]) -> str | None:
    """Dates of one row that contradict each other, as one sentence (None when none)."""
    if dates["in_force"] and dates["in_force_by"]:
        return "'in_force_by' is for a row whose 'in_force' is not known; give one of them"
    start_col = "in_force" if dates["in_force"] else "in_force_by"
    start, end, seen = dates[start_col], dates["not_in_force"], dates["in_force_as_of"]
    issued = dates["issued"]
    if dates["in_force_by"] and issued and dates["in_force_by"] < issued:
        return f"'in_force_by' {dates['in_force_by']} is before 'issued' {issued}"
    if start and end and end < start:
        return f"'not_in_force' {end} is before '{start_col}' {start}"
    if start and seen and seen < start:
        return f"'in_force_as_of' {seen} is before '{start_col}' {start}"
    if end and seen and seen >= end:
        return f"'in_force_as_of' {seen} is not before 'not_in_force' {end}"
    return None


def parse_status_rows(records: Iterable[Mapping[str, str | None]], path: str) -> StatusTable:
    """Rows (dicts by column name, the header being row 1) -> ``StatusTable``; every bad
    row raises ``LegalStatusTableError`` naming the row and the problem."""
    rows: list[LegalStatus] = []
    seen: set[tuple[str, str | None]] = set()
    for row_no, record in enumerate(records, start=2):
        if None in record:
            raise LegalStatusTableError(path, row_no, "more fields than the header has")
        values = {key: (value or "").strip() for key, value in record.items() if key}
        number = values.get("number", "")
        if not number:
            raise LegalStatusTableError(path, row_no, "empty 'number'")
        year = values.get("year") or None
        if year is not None and not re.fullmatch(r"(?:19|20)\d\d", year):
            raise LegalStatusTableError(path, row_no, f"'year' is not a year: {year!r}")
        if year is None and not _YEAR_IN_NUMBER.search(number):
            issued_year = values.get("issued", "")[:4]
            year = issued_year or None
        dates = {col: _checked_date(values.get(col, ""), col, path, row_no) for col in DATE_COLUMNS}
        problem = _timeline_problem(dates)
        if problem:
            raise LegalStatusTableError(path, row_no, problem)
        sources = tuple(values.get("source", "").split())
        facts = [col for col in FACT_COLUMNS if dates[col]]
        facts += [col for col in RELATION_COLUMNS if values.get(col)]
        if facts and not sources:
            raise LegalStatusTableError(
                path, row_no, f"{', '.join(facts)} given without a 'source'"
            )
        key = (number_key(number), year)
        if key in seen:
            raise LegalStatusTableError(path, row_no, f"duplicate row for {number} ({year})")
        seen.add(key)
        rows.append(
            LegalStatus(
                number=number,
                year=year,
                doc_type=values.get("type") or None,
                issuer=values.get("issuer") or None,
                title=values.get("title") or None,
                issued=dates["issued"],
                in_force=dates["in_force"],
                in_force_by=dates["in_force_by"],
                not_in_force=dates["not_in_force"],
                in_force_as_of=dates["in_force_as_of"],
                **{col: _split(values.get(col, "")) for col in RELATION_COLUMNS},
                sources=sources,
                note=values.get("note") or None,
            )
        )
    return StatusTable(tuple(rows))


def load_status_table(path: Path | str) -> StatusTable:
    """Read a status table (UTF-8 CSV with the ``STATUS_COLUMNS`` header)."""
    name = str(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [col for col in ("number", "source") if col not in header]
            if missing:
                raise LegalStatusTableError(name, 1, f"header lacks {', '.join(missing)}")
            unknown = [col for col in header if col not in STATUS_COLUMNS]
            if unknown:
                raise LegalStatusTableError(name, 1, f"unknown columns {', '.join(unknown)}")
            return parse_status_rows(reader, name)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise LegalStatusTableError(name, 0, f"cannot be read ({exc})") from None


@dataclass(frozen=True, slots=True)
class Classification:
    status: str  # one of STATUSES
    since: str | None = None  # the day the status began, when known


def classify(entry: LegalStatus | None, on: str) -> Classification:
    """The status of ``entry`` on ISO day ``on`` from its checked facts only: in force
    from ``in_force`` (or, when only that is known, ``in_force_by``) until the day before
    ``not_in_force``, or up to ``in_force_as_of`` when no end is known; ``since`` is the
    day the status began, None when only ``in_force_by`` bounds it."""
    if entry is None:
        return Classification("unknown")
    if entry.not_in_force and on >= entry.not_in_force:
        return Classification("not_in_force", entry.not_in_force)
    if entry.in_force and on < entry.in_force:
        return Classification("not_yet_in_force")
    if entry.issued and on < entry.issued and entry.sources:
        return Classification("not_yet_in_force")
    start = entry.in_force or entry.in_force_by
    if (
        start
        and on >= start
        and (
            (entry.not_in_force and on < entry.not_in_force)
            or (entry.in_force_as_of and on <= entry.in_force_as_of)
        )
    ):
        return Classification("in_force", entry.in_force)
    return Classification("unknown")


def _document_date(extraction: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The signing day of the checked document, else the latest day it cites (it cannot
    be older than what it cites), with which of the two it is."""
    doc_date = (extraction.get("document") or {}).get("date")
    if doc_date:
        return doc_date, "document"
    cited = [c.get("date") for c in extraction.get("citations", []) if c.get("date")]
    return (max(cited), "latest_cited") if cited else (None, None)


def check_basis(
    extraction: Mapping[str, Any], table: StatusTable, on: str | None = None
) -> dict[str, Any]:
    """Every legal-basis item of ``extraction`` classified on the document's date (or
    ``on``): ``{"document", "date", "date_source", "basis": [...]}`` (README shape)."""
    doc = extraction.get("document") or {}
    day, day_source = (on, "given") if on else _document_date(extraction)
    basis: list[dict[str, Any]] = []
    for citation in extraction.get("citations", []):
        if not citation.get("in_basis"):
            continue
        number = citation.get("number")
        if number:
            entry = table.find(number, citation.get("date"), citation.get("title"))
        elif citation.get("doc_type") in LAW_TYPES:
            entry = table.find_law(citation.get("title"), citation.get("date"))
            number = entry.number if entry else None
        else:
            entry = None
        result = classify(entry, day) if day else Classification("unknown")
        item: dict[str, Any] = {
            "number": number,
            "title": (entry.title if entry and entry.title else None) or citation.get("title"),
            "status": result.status,
            "since": result.since,
            "replaced_by": list(entry.replaced_by) if entry else [],
            "source": list(entry.sources) if entry and result.status != "unknown" else [],
        }
        official = entry.issued if entry else None
        if official and citation.get("date") and citation["date"] != official:
            item["date_conflict"] = {"cited": citation["date"], "official": official}
        basis.append(item)
    return {
        "document": doc.get("id") or extraction.get("source"),
        "date": day,
        "date_source": day_source,
        "basis": basis,
    }
