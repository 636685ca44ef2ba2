"""Vietnamese date expressions -> ISO dates: the one date grammar of the project.

Two readings share these building blocks. ``find_dates`` / ``parse_date`` read the dates a
plan writes anywhere (headers, stamps, drafts); ``DATE_RE`` / ``NGAY_DATE_RE`` read the
date that follows a cited number ("Nghị định số 64/2007/NĐ-CP ngày 10/4/2007"), which is
always complete and has a four-digit year.

Plans write dates as "10/4/2007", "10-4-2007", "13/06/2011", "ngày 10 tháng 4 năm 2007",
received stamps use two-digit years ("13/1/16"), and drafts leave the day or month blank
("…/02/2019", "ngày ....... tháng ....... năm 2015"). A blank is never guessed: it parses
to ``None`` but is still reported as a date expression so callers can tell "no date
written" from "a date left blank".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DATE_RE",
    "NGAY_DATE_RE",
    "OPENING_DATE_RE",
    "NUMERIC_DATE_RE",
    "WORDY_DATE_RE",
    "DateMatch",
    "date_from_match",
    "expand_year",
    "find_dates",
    "parse_date",
    "to_iso",
    "year_of",
]

# A draft blank: dots, ellipses, underscores, or only spaces between separators.
_BLANK = r"(?:[.…_]+\s*)+"
_DAY = rf"(?P<d>\d{{1,2}}|{_BLANK})"
_MONTH = rf"(?P<m>\d{{1,2}}|{_BLANK})"

NUMERIC_DATE_RE = re.compile(
    rf"(?<![\d/.]){_DAY}\s?(?P<sep>[/.-])\s?{_MONTH}\s?(?P=sep)\s?(?P<y>\d{{4}}|\d{{2}})(?![\d/])"
)
"""``dd/mm/yyyy`` with "/", "-" or "." (the same separator twice), 2- or 4-digit year."""

WORDY_DATE_RE = re.compile(
    rf"ngày\s*{_DAY}\s*tháng\s*{_MONTH}\s*năm\s*(?P<y>\d{{4}})",
    re.IGNORECASE,
)
"""``ngày 10 tháng 4 năm 2007`` (also with blanks for day or month)."""


# A cited date: complete, four-digit year, separators may differ ("10/4-2007"). Text
# extracted from Word/PDF wraps lines anywhere ("ngày 23 tháng\n4 năm 2018"), so the
# gaps of a cited date may hold one line break; "tháng 4 2008" (no "năm") is a typo.
_GAP = r"(?:[ \t]+(?:\n[ \t]*)?|\n[ \t]*)"
_OPT_GAP = r"[ \t]*(?:\n[ \t]*)?"
_CITED_NUMERIC = (
    r"(?P<d>\d{1,2})[ \t]*[/.\-][ \t]*(?P<m>\d{1,2})[ \t]*[/.\-][ \t]*(?P<y>(?:19|20)\d\d)(?!\d)"
)
_CITED_WORDY = (
    rf"(?P<d2>\d{{1,2}}){_GAP}tháng{_GAP}(?P<m2>\d{{1,2}})[ \t]*,?{_GAP}(?:năm{_GAP})?"
    r"(?P<y2>(?:19|20)\d\d)(?!\d)"
)
DATE_RE = re.compile(rf"(?:{_CITED_NUMERIC}|{_CITED_WORDY})", re.IGNORECASE)
"""A complete date after a cited number or law name: "10/4/2007", "10 tháng 4 năm 2007"."""
NGAY_DATE_RE = re.compile(
    rf"(?:[ \t]*,)?{_OPT_GAP}(?:(?:được{_GAP}(?:Quốc hội{_GAP})?)?(?:ban hành|ký|thông qua){_GAP})?"
    rf"ng[aàậ]y{_GAP}(?:ngày{_GAP})?"  # "ngày ngày 22 tháng 6": a doubled word
    rf"(?:{_CITED_NUMERIC}|{_CITED_WORDY})"
    # "Nghị quyết số 36-NQ/TW 01/7/2014": a full numeric date right after the number.
    # (Written "[ \t]*,?[ \t]+" before; the possessive form matches the same and never
    # retries every split of a long run of blanks.)
    r"|(?:[ \t]*+,)?[ \t]++(?P<d3>\d{1,2})[ \t]*/[ \t]*(?P<m3>\d{1,2})[ \t]*/[ \t]*"
    r"(?P<y3>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
"""``DATE_RE`` introduced by "ngày": "ngày 10/4/2007", ", ban hành ngày 10 tháng 4 năm 2007"."""
OPENING_DATE_RE = re.compile(
    rf"(?<!\w)ngày{_GAP}(?:{_CITED_NUMERIC}|{_CITED_WORDY})[ \t]*,", re.IGNORECASE
)
"""A date that opens a sentence before the act it dates: "Ngày 10/4/2007, Chính phủ ban hành"."""


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date expression found in a text; ``iso`` is None for blanks and impossible dates."""

    start: int
    end: int
    raw: str
    iso: str | None
    blank: bool = False


def expand_year(year: str) -> int:
    """Two-digit years come from received stamps ("13/1/16"): 00-69 -> 2000s, else 1900s."""
    value = int(year)
    if len(year) == 2:
        return 2000 + value if value < 70 else 1900 + value
    return value


def to_iso(day: int | str, month: int | str, year: int | str) -> str | None:
    """ISO ``YYYY-MM-DD`` for a real calendar date, else None (31/2, month 13, ...)."""
    try:
        y = expand_year(str(year)) if isinstance(year, str) else int(year)
        return date(y, int(month), int(day)).isoformat()
    except (ValueError, TypeError):
        return None


def date_from_match(m: re.Match[str]) -> str | None:
    """ISO date from a match of ``DATE_RE`` or ``NGAY_DATE_RE``."""
    if m.group("d"):
        return to_iso(m.group("d"), m.group("m"), m.group("y"))
    if "d3" in m.re.groupindex and m.group("d3"):
        return to_iso(m.group("d3"), m.group("m3"), m.group("y3"))
    return to_iso(m.group("d2"), m.group("m2"), m.group("y2"))


def _is_blank(part: str | None) -> bool:
    return part is None or not part.strip().isdigit()


def _from_match(m: re.Match[str], offset: int = 0) -> DateMatch:
    day, month, year = m.group("d"), m.group("m"), m.group("y")
    blank = _is_blank(day) or _is_blank(month)
    iso = None if blank else to_iso(day.strip(), month.strip(), year)
    return DateMatch(offset + m.start(), offset + m.end(), m.group(0), iso, blank)


def find_dates(text: str, include_blank: bool = False) -> list[DateMatch]:
    """Every date expression in ``text`` in reading order (wordy and numeric forms).

    Numeric matches inside a wordy match are dropped; blanks are returned only when
    ``include_blank`` (drafts: "ngày …/02/2019").
    """
    found: list[DateMatch] = [_from_match(m) for m in WORDY_DATE_RE.finditer(text)]
    taken = [(d.start, d.end) for d in found]
    for m in NUMERIC_DATE_RE.finditer(text):
        dm = _from_match(m)
        if any(s <= dm.start < e for s, e in taken):
            continue
        found.append(dm)
    found.sort(key=lambda d: d.start)
    return [d for d in found if include_blank or not d.blank]


def parse_date(text: str) -> str | None:
    """The ISO date of the first date expression in ``text``; None if none or blank."""
    for match in find_dates(text, include_blank=True):
        return match.iso
    return None


def year_of(iso: str | None) -> int | None:
    """The year of an ISO date, tolerating None."""
    return int(iso[:4]) if iso else None
