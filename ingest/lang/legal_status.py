"""Validity of national legal documents: the status table and the classifier.

The table (``corpus/national/legal_status.csv``, format in ``corpus/national/README.md``)
says, per document, when it entered into force, when it stopped being in force, up to
which day a source still showed it in force, and its relations (replaces, amends,
guides), each row with the sources it was checked against. ``classify`` answers "was this
document in force on that day?" from those facts alone: a fact the table lacks leaves the
answer ``unknown``, never guessed. ``check_basis`` applies it to every legal-basis item of
an extraction (the ``cancu extract --json`` shape).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ingest.errors import LegalStatusTableError
from ingest.lang.folding import fold_key

STATUS_COLUMNS = (
    "number",
    "year",
    "type",
    "issuer",
    "title",
    "issued",
    "in_force",
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
DATE_COLUMNS = ("issued", "in_force", "not_in_force", "in_force_as_of")
STATUSES = ("in_force", "not_in_force", "not_yet_in_force", "unknown")

_YEAR_IN_NUMBER = re.compile(r"/(?:19|20)\d\d/")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
        return bool(self.sources) and any((self.in_force, self.not_in_force, self.in_force_as_of))

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "year": self.year,
            "type": self.doc_type,
            "issuer": self.issuer,
            "title": self.title,
            "issued": self.issued,
            "in_force": self.in_force,
            "not_in_force": self.not_in_force,
            "in_force_as_of": self.in_force_as_of,
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
        """The row of ``number``; a number without a year is told apart by the cited
        year, or, when no row has that year, by the same title (a citation with a wrong
        year, reported by ``check_basis`` as a date conflict)."""
        same = [row for row in self.rows if row.number == number]
        if len(same) <= 1 and (not same or not same[0].year or not cited_date):
            return same[0] if same else None
        cited_year = cited_date[:4] if cited_date else None
        for row in same:
            if row.year == cited_year or (row.issued or "")[:4] == cited_year:
                return row
        titled = [row for row in same if _same_title(row.title, cited_title)]
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
        start, end = dates["in_force"], dates["not_in_force"]
        if start and end and end < start:
            raise LegalStatusTableError(
                path, row_no, f"'not_in_force' {end} is before 'in_force' {start}"
            )
        sources = tuple(values.get("source", "").split())
        facts = [col for col in ("in_force", "not_in_force", "in_force_as_of") if dates[col]]
        facts += [col for col in RELATION_COLUMNS if values.get(col)]
        if facts and not sources:
            raise LegalStatusTableError(
                path, row_no, f"{', '.join(facts)} given without a 'source'"
            )
        key = (number, year)
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
                in_force=start,
                not_in_force=end,
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
    """The status of ``entry`` on ISO day ``on`` from its checked facts only."""
    if entry is None:
        return Classification("unknown")
    if entry.not_in_force and on >= entry.not_in_force:
        return Classification("not_in_force", entry.not_in_force)
    if entry.in_force and on < entry.in_force:
        return Classification("not_yet_in_force")
    if entry.issued and on < entry.issued and entry.sources:
        return Classification("not_yet_in_force")
    if entry.in_force and (
        (entry.not_in_force and on < entry.not_in_force)
        or (entry.in_force_as_of and on <= entry.in_force_as_of)
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
        entry = table.find(number, citation.get("date"), citation.get("title")) if number else None
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
