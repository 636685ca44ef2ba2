"""Money amounts in Vietnamese plans -> million VND.

Why this needs care: plans mix two number conventions in one table ("50.141" and
"2,500" both mean thousands, while "2,55" and "16,8" are decimals, and a stray "16.8"
is a decimal too), and the unit is usually written once, in the table title or a header
cell ("Đơn vị: triệu đồng", "ĐVT: tỷ đồng", "Kinh phí (Tỷ đồng)"), not next to the
number. Everything here is pure and small so the table and text extractors share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Factor that turns one unit into million VND.
UNIT_FACTORS: dict[str, float] = {
    "tỷ đồng": 1000.0,
    "triệu đồng": 1.0,
    "nghìn đồng": 0.001,
    "đồng": 0.000001,
}

_UNIT_RE = re.compile(
    r"(?P<unit>tỷ|tỉ|triệu|nghìn|ngàn)\s*(?:đồng|vnđ|vnd|đ)\b|(?<![\wÀ-ỹ])(?:vnđ|vnd)\b",
    re.IGNORECASE,
)

# An amount is "<number> <unit> [đồng]": the matches of
#   (?P<num>\d[\d.,]*)\s*(?P<unit>tỷ|tỉ|triệu|nghìn|ngàn)\s*(?:đồng|vnđ|vnd|đ)?  (IGNORECASE)
# read run by run: searched as one pattern, it retries from every digit of a long run of
# digits (quadratic). A match can only start at the first digit of a run of digits, dots
# and commas, and only when a unit follows the whole run.
_NUMBER_RUN_RE = re.compile(r"[\d.,]+")
_FIRST_DIGIT_RE = re.compile(r"\d")
_UNIT_AFTER_RE = re.compile(
    r"\s*+(?P<unit>tỷ|tỉ|triệu|nghìn|ngàn)\s*(?:đồng|vnđ|vnd|đ)?", re.IGNORECASE
)


def _money_matches(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, number, unit) of every ``_MONEY_RE`` match of ``text``, in order."""
    for run in _NUMBER_RUN_RE.finditer(text):
        digit = _FIRST_DIGIT_RE.search(text, run.start(), run.end())
        if digit is None:
            continue
        unit = _UNIT_AFTER_RE.match(text, run.end())
        if unit is not None:
            yield digit.start(), unit.end(), text[digit.start() : run.end()], unit.group("unit")


def canonical_unit(text: str | None) -> str | None:
    """The money unit a title or header cell declares ("(Tỷ đồng)" -> "tỷ đồng").

    Only explicit money units count: a bare "triệu" in running text is not a unit
    declaration, but "Đơn vị: triệu" in a title is, so "đồng" is optional after the
    "Đơn vị"/"ĐVT" label.
    """
    if not text:
        return None
    low = text.lower()
    m = _UNIT_RE.search(low)
    if m is None:
        label = re.search(
            r"(?:đơn vị tính|đơn vị|đvt)\s*[:.]?\s*(tỷ|tỉ|triệu|nghìn|ngàn|đồng)", low
        )
        if label is None:
            return None
        word = label.group(1)
    else:
        word = (m.group("unit") or "đồng").lower()
    return {
        "tỷ": "tỷ đồng",
        "tỉ": "tỷ đồng",
        "triệu": "triệu đồng",
        "nghìn": "nghìn đồng",
        "ngàn": "nghìn đồng",
    }.get(word, "đồng")


# Abbreviated units a table caption uses ("Tr.đồng", "trđ", "1.000 đồng").
_SHORT_UNITS = (
    (
        re.compile(r"(?<![\wÀ-ỹ])tr\.?\s*(?:đồng|đ)(?![\wÀ-ỹ])|1\.000\.000\s*(?:đồng|đ)"),
        "triệu đồng",
    ),
    (re.compile(r"(?<![\d.,])1\.000\s*(?:đồng|đ)(?![\wÀ-ỹ])"), "nghìn đồng"),
)
# A unit declared as such: after "Đơn vị tính:"/"ĐVT:"/"Đơn vị:" or alone in brackets.
_DECLARED_RE = re.compile(
    r"(?:đơn vị tính|đơn vị|đvt)\s*[:.]?\s*([^\n;)]{1,30})|\(\s*([^()\d\n]{1,20})\)"
)


def declared_unit(text: str | None) -> str | None:
    """The money unit a caption or the lines above a table declare, else None.

    Why not ``canonical_unit`` alone: a caption may also hold prose amounts ("tổng
    kinh phí 50 tỷ đồng ... (Đơn vị tính: triệu đồng)"); the labelled or bracketed
    declaration wins over a unit that merely follows a number.
    """
    if not text:
        return None
    low = text.lower()
    for m in _DECLARED_RE.finditer(low):
        body = m.group(1) or m.group(2) or ""
        unit = canonical_unit(("đvt: " if m.group(1) else "") + body) or _short_unit(body)
        if unit:
            return unit
    short = _short_unit(low)
    if short:
        return short
    bare = [m for m in _UNIT_RE.finditer(low) if not re.search(r"\d\s*$", low[: m.start()])]
    return canonical_unit(bare[0].group(0)) if bare else None


def _short_unit(text: str) -> str | None:
    return next((unit for pattern, unit in _SHORT_UNITS if pattern.search(text)), None)


def unit_factor(unit: str | None) -> float:
    """Million VND per unit; an unknown or missing unit is taken as million VND,
    the unit almost every provincial budget table uses."""
    if not unit:
        return 1.0
    return UNIT_FACTORS.get(canonical_unit(unit) or unit.lower().strip(), 1.0)


def parse_number(text: str) -> float | None:
    """A Vietnamese-written number -> float, or None when the cell is not a number.

    Rules (from the plans): several identical separators are thousands ("1.234.567");
    both "." and "," present: the last one is the decimal mark; one separator followed
    by exactly three digits is a thousands separator ("50.141", "2,500"); otherwise it
    is a decimal mark ("2,55", "16,8", "16.8", "0,6").
    """
    s = text.strip().replace(" ", "")
    s = s.rstrip(".;:")
    if not s or not re.fullmatch(r"[+-]?\d[\d.,]*", s):
        return None
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        dec = "." if s.rfind(".") > s.rfind(",") else ","
        thou = "," if dec == "." else "."
        if s.count(dec) > 1:
            return None
        s = s.replace(thou, "").replace(dec, ".")
    elif dots + commas > 1:
        sep = "." if dots else ","
        parts = s.split(sep)
        if any(len(p) != 3 for p in parts[1:]):
            return None
        s = "".join(parts)
    elif dots + commas == 1:
        sep = "." if dots else ","
        head, tail = s.split(sep)
        s = head + tail if len(tail) == 3 and head != "0" else head + "." + tail
    try:
        return sign * float(s)
    except ValueError:
        return None


def parse_amount(cell: str, unit: str | None = None) -> float | None:
    """A table cell -> million VND, using the cell's own unit if it has one
    ("16,8 tỷ"), else ``unit`` (from the table title or header)."""
    money = parse_money(cell)
    if money is not None:
        return money
    value = parse_number(cell)
    if value is None:
        return None
    return round(value * unit_factor(unit), 6)


def parse_money(text: str) -> float | None:
    """The first "number + unit" amount in a text -> million VND ("16,8 tỷ đồng" -> 16800)."""
    m = next(_money_matches(text), None)
    if m is None:
        return None
    value = parse_number(m[2])
    if value is None:
        return None
    return round(value * unit_factor(m[3] + " đồng"), 6)


def find_money(text: str) -> list[tuple[int, int, float]]:
    """Every "number + unit" amount in a text: (start, end, million VND)."""
    out: list[tuple[int, int, float]] = []
    for start, end, number, unit in _money_matches(text):
        value = parse_number(number)
        if value is not None:
            out.append((start, end, round(value * unit_factor(unit + " đồng"), 6)))
    return out


def is_number_cell(cell: str) -> bool:
    """True when a cell holds just a number (possibly with a money unit)."""
    s = cell.strip()
    if not s:
        return False
    return parse_number(s) is not None or (parse_money(s) is not None and len(s) < 30)
