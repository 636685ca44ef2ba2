"""Read-only SPARQL with limits, and its results in the W3C SPARQL 1.1 formats.

Why a guard and a worker thread: a query must not change data (no Update, no SERVICE
calls out) and must not run forever. The guard (``graph.sparql_guard``) decides on the
parsed query. Untrusted queries run in a child process the time limit kills
(``graph.sparql_worker``); ``run_query`` here is the in-process path for the library's
own queries (and systems without ``fork``): pyoxigraph releases the GIL while it
evaluates, so the query runs in a worker thread and the caller waits at most
``timeout_s``, then gets what was collected, flagged ``timed_out``. That thread stops at
its next solution; one blocked inside one solution (an aggregate over a huge join)
finishes in the background and its result is dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
import rdflib

# One QueryError for the whole project: the CLI and the API map it to a message / 400.
from graph.errors import QueryError
from graph.sparql_guard import check_size, parse_read_only

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    f"{XSD}{t}"
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "unsignedInt",
        "unsignedLong",
    )
}


def output_bytes(data: bytes | None) -> bytes:
    """What a pyoxigraph serialiser wrote: it returns None only when given an output file."""
    return data if data is not None else b""


# ------------------------------------------------------------------ terms


def term_json(term: Any) -> dict[str, str]:
    """A term in the SPARQL 1.1 JSON results shape."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != f"{XSD}string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": str(term)}
    return {"type": "literal", "value": str(term)}


def term_value(term: Any) -> Any:
    """A python value: IRIs and strings as str, numbers as int/Decimal/float, dates, bools."""
    if not isinstance(term, ox.Literal):
        return term.value if hasattr(term, "value") else str(term)
    dtype, value = term.datatype.value, term.value
    try:
        if dtype in _INTEGER_TYPES:
            return int(value)
        if dtype == f"{XSD}decimal":
            return Decimal(value)
        if dtype in (f"{XSD}double", f"{XSD}float"):
            return float(value)
        if dtype == f"{XSD}boolean":
            return value in ("true", "1")
        if dtype == f"{XSD}date":
            return dt.date.fromisoformat(value)
    except ValueError:
        return value
    return value


# ------------------------------------------------------------------ results


@dataclass
class QueryResult:
    """The answer of one query, with what limits cut off said out loud."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(
        default_factory=list
    )  # var -> python value (unbound: absent)
    bindings: list[dict[str, dict[str, str]]] = field(
        default_factory=list
    )  # var -> SPARQL JSON term
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False  # the row cap cut the answer
    timed_out: bool = False  # the time limit cut the answer
    max_rows: int = 0
    elapsed_s: float = 0.0

    @property
    def graph(self) -> rdflib.Graph | None:
        """CONSTRUCT/DESCRIBE results as an rdflib Graph (None for SELECT/ASK)."""
        if self.form not in ("CONSTRUCT", "DESCRIBE"):
            return None
        data = ox.serialize(self.triples, format=ox.RdfFormat.N_TRIPLES) if self.triples else b""
        return rdflib.Graph().parse(data=data, format="nt")

    def to_sparql_json(self) -> bytes:
        if self.form == "ASK":
            return json.dumps({"head": {}, "boolean": bool(self.boolean)}).encode()
        self._require_solutions()
        doc = {"head": {"vars": self.vars}, "results": {"bindings": self.bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")

    def _native(self, fmt: ox.QueryResultsFormat) -> bytes:
        """XML/CSV/TSV written by pyoxigraph's own serializers from our (capped) JSON."""
        parsed = ox.parse_query_results(self.to_sparql_json(), format=ox.QueryResultsFormat.JSON)
        return output_bytes(parsed.serialize(format=fmt))

    def to_sparql_xml(self) -> bytes:
        return self._native(ox.QueryResultsFormat.XML)

    def to_csv(self) -> bytes:
        return self._native(ox.QueryResultsFormat.CSV)

    def to_tsv(self) -> bytes:
        return self._native(ox.QueryResultsFormat.TSV)

    def serialize_graph(self, fmt: str = "turtle") -> bytes:
        """CONSTRUCT/DESCRIBE results as turtle, ntriples or jsonld."""
        formats = {
            "turtle": ox.RdfFormat.TURTLE,
            "ntriples": ox.RdfFormat.N_TRIPLES,
            "jsonld": ox.RdfFormat.JSON_LD,
        }
        if self.form not in ("CONSTRUCT", "DESCRIBE") or fmt not in formats:
            raise QueryError(f"cannot write a {self.form} result as {fmt}")
        return output_bytes(ox.serialize(self.triples, format=formats[fmt]))

    def _require_solutions(self) -> None:
        if self.form != "SELECT":
            raise QueryError(f"a {self.form} result is a graph: use serialize_graph()")

    def status(self) -> dict[str, Any]:
        """Limits as a small dict (for HTTP headers or a JSON envelope)."""
        return {
            "truncated": self.truncated,
            "timed_out": self.timed_out,
            "max_rows": self.max_rows,
            "elapsed_s": round(self.elapsed_s, 4),
        }


def collect_solutions(answer: ox.QuerySolutions, out: QueryResult, stop: threading.Event) -> None:
    """Variables and rows (plain values and SPARQL JSON bindings) of ``answer`` into
    ``out``, up to its row cap (one more marks it truncated); stops when ``stop`` is set.
    Both the embedded store and a remote one read their solutions through this."""
    out.vars = [v.value for v in answer.variables]
    for sol in answer:
        if stop.is_set():
            return
        if len(out.rows) >= out.max_rows:
            out.truncated = True
            return
        row, binding = {}, {}
        for var in out.vars:
            term = sol[var]
            if term is not None:
                row[var] = term_value(term)
                binding[var] = term_json(term)
        out.bindings.append(binding)
        out.rows.append(row)


def _collect(
    store: ox.Store,
    sparql: str,
    form: str,
    max_rows: int,
    out: QueryResult,
    stop: threading.Event,
    errors: list[BaseException],
) -> None:
    """Runs in the worker thread: evaluate, pull up to ``max_rows`` (+1 to detect more)."""
    try:
        answer = store.query(sparql, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryBoolean):
            out.boolean = bool(answer)
            return
        if isinstance(answer, ox.QuerySolutions):
            collect_solutions(answer, out, stop)
            return
        for triple in answer:
            if stop.is_set():
                return
            if len(out.triples) >= max_rows:
                out.truncated = True
                return
            out.triples.append(triple)
    except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
        # Without its traceback: the frames hold pyoxigraph's results, which must be
        # dropped in this thread (they are "unsendable").
        errors.append(exc.with_traceback(None))


def run_query(
    store: ox.Store,
    sparql: str,
    *,
    timeout_s: float = 10,
    max_rows: int = 10000,
    max_bytes: int | None = None,
    trusted_form: str | None = None,
) -> QueryResult:
    """Evaluate a read-only query in a thread, with a time limit and a row cap (module doc).

    ``trusted_form`` ("SELECT", ...) marks the library's own query text (user input only
    through ``graph.queries.terms``): it skips the guard's parse, which costs more than
    most of these queries take to run. Text from outside always goes through the guard.
    """
    import time

    if trusted_form is not None:
        form = trusted_form
    else:
        if max_bytes is not None:
            check_size(sparql, max_bytes)
        form, sparql = parse_read_only(sparql)
    out = QueryResult(form=form, max_rows=max_rows)
    stop = threading.Event()
    errors: list[BaseException] = []
    started = time.perf_counter()
    worker = threading.Thread(
        target=_collect, args=(store, sparql, form, max_rows, out, stop, errors), daemon=True
    )
    worker.start()
    worker.join(timeout_s)
    out.elapsed_s = time.perf_counter() - started
    if worker.is_alive():
        stop.set()
        out.timed_out = True
        n = min(len(out.rows), len(out.bindings))  # the worker may be between the two appends
        out.rows, out.bindings = out.rows[:n], out.bindings[:n]
        out.triples = list(out.triples)
        return out
    if errors:
        exc = errors[0]
        if isinstance(exc, SyntaxError):
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        raise QueryError(f"query failed: {exc}") from exc
    return out
