"""Typed RDF literals of extracted values: dates and decimals, or nothing when the value is
broken (facts are never invented)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from rdflib import Literal
from rdflib.namespace import XSD


def iso_date(value: str | None) -> Literal | None:
    """An xsd:date literal for a full ISO date; partial or broken dates give None."""
    if not value:
        return None
    try:
        return Literal(dt.date.fromisoformat(value[:10]).isoformat(), datatype=XSD.date)
    except ValueError:
        return None


def decimal_literal(value: float | int | str | None) -> Literal | None:
    """Budgets and values as xsd:decimal (floats would print as 1.2E3 and compare badly)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return Literal(format(number, "f"), datatype=XSD.decimal)
