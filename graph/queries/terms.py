"""SPARQL terms from python values and python values from query rows, shared by the query
modules: user input only ever reaches a query through ``sparql_literal`` or ``sparql_iri``."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from graph.errors import InvalidIriError
from ontology.namespaces import PREFIXES

_NOT_IN_IRI = re.compile(r"[<>\"{}|^`\\\s]")


def sparql_literal(value: str) -> str:
    """A SPARQL string literal (user input never reaches the query unescaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def sparql_iri(value: str) -> str:
    """``<value>``, refusing characters that would end or break the IRI."""
    if _NOT_IN_IRI.search(value):
        raise InvalidIriError(f"not an IRI: {value!r}")
    return f"<{value}>"


def values_block(var: str, iris: list[str]) -> str:
    """``VALUES ?var { <iri> ... }``: nodes resolved by an earlier query, bound up front
    (Oxigraph then starts its joins from them rather than filtering a join of all)."""
    return f"VALUES ?{var} {{ {' '.join(sparql_iri(i) for i in iris)} }}"


def plain_value(value: Any) -> Any:
    """JSON-friendly python values (Decimal -> float or int, dates -> ISO)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def clean_row(row: dict[str, Any]) -> dict[str, Any]:
    """A result row with every value made JSON-friendly by ``plain_value``."""
    return {k: plain_value(v) for k, v in row.items()}


def prefixed_name(iri: str) -> str:
    """``eli:cites`` for ``http://data.europa.eu/eli/ontology#cites``: readable labels."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri
