"""The read-only guard: a query is judged on its PARSED form, never on its text.

Why a parser: keyword searches over the text (even after stripping strings and comments
with regular expressions) are fooled by quotes inside comments or IRIs, by ``\\u``
escapes and by any construct the stripper does not know, and such regular expressions
backtrack on crafted input. Here the query is (1) refused over a size cap before any
work, (2) normalised once (``normalize``): its ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes
expanded by one linear pass (SPARQL expands them before parsing) and its line ends made
``\\n`` (rdflib ends a ``#`` comment only at ``\\n``, Oxigraph also at ``\\r``: a
``SERVICE`` after a lone ``\\r`` was a comment to one and live to the other), so that
rdflib and Oxigraph read the very same text; (3) parsed by rdflib's SPARQL grammar, and
(4) refused when the parse tree holds a ``SERVICE`` anywhere or is not a query (updates
do not parse as queries). The normalised text is the one evaluated.

Limits: rdflib's grammar is recursive, so groups or expressions nested more than about
thirty levels deep (or a few hundred triple patterns in one block) are refused as too
deeply nested; parsing costs about a millisecond per hundred tokens, so callers run it
where a time limit can stop it (``graph.sparql_worker``).
"""

from __future__ import annotations

import threading
from typing import Any

from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import QueryError, QueryTooLargeError

MAX_QUERY_BYTES = 100_000
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
QUERY_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def check_size(sparql: str, max_bytes: int = MAX_QUERY_BYTES) -> None:
    """QueryTooLargeError when the query's UTF-8 text is over ``max_bytes``."""
    # A str has at most 4 bytes per character: skip the encoding when it cannot be over.
    if len(sparql) * 4 > max_bytes and len(sparql.encode("utf-8", "replace")) > max_bytes:
        raise QueryTooLargeError(
            f"query too large: over the limit of {max_bytes} bytes", max_bytes=max_bytes
        )


def expand_escapes(sparql: str) -> str:
    """The text with SPARQL's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced (one pass).

    Refuses an escape that is not a code point, and a text that still holds an escape
    afterwards (``\\u005Cu0053``): a second expansion by either parser would then read
    something else than the guard did.
    """
    if "\\u" not in sparql and "\\U" not in sparql:
        return sparql
    out: list[str] = []
    start = 0
    pos = sparql.find("\\", start)
    while pos != -1:
        kind = sparql[pos + 1 : pos + 2]
        width = 4 if kind == "u" else 8 if kind == "U" else 0
        digits = sparql[pos + 2 : pos + 2 + width]
        if width and len(digits) == width and all(c in HEX_DIGITS for c in digits):
            code = int(digits, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise QueryError(f"SPARQL syntax error: invalid escape \\{kind}{digits}")
            out.append(sparql[start:pos])
            out.append(chr(code))
            start = pos + 2 + width
            pos = sparql.find("\\", start)
        else:
            pos = sparql.find("\\", pos + 2)
    out.append(sparql[start:])
    expanded = "".join(out)
    if has_escape(expanded):
        raise QueryError("SPARQL syntax error: an escape sequence produces another escape")
    return expanded


def has_escape(text: str) -> bool:
    """Whether ``text`` holds a ``\\u`` + 4 hex or ``\\U`` + 8 hex escape."""
    pos = text.find("\\")
    while pos != -1:
        kind = text[pos + 1 : pos + 2]
        width = 4 if kind == "u" else 8 if kind == "U" else 0
        digits = text[pos + 2 : pos + 2 + width]
        if width and len(digits) == width and all(c in HEX_DIGITS for c in digits):
            return True
        pos = text.find("\\", pos + 1)
    return False


def nodes(tree: Any) -> list[CompValue]:
    """Every rule node of an rdflib parse tree (iterative: no recursion limit here)."""
    found: list[CompValue] = []
    stack: list[Any] = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, (ParseResults, list, tuple)):
            stack.extend(item)
    return found


def normalize(sparql: str) -> str:
    """The text both parsers read: escapes expanded, then every line end a ``\\n``."""
    return expand_escapes(sparql).replace("\r\n", "\n").replace("\r", "\n")


# rdflib's SPARQL grammar is a set of module-level pyparsing objects that are not safe to
# use from two threads at once (parse actions see each other's state): one parse at a time.
PARSE_LOCK = threading.Lock()
_parser_warmed = threading.Event()


def warm_parser() -> None:
    """Parse one trivial query in this process, once. Why: the grammar finishes building on
    its first use, and each query is checked in a fresh fork; a parent that never parsed
    made every child build it again (30 of a query's 55 ms on the shipped corpus)."""
    if _parser_warmed.is_set():
        return
    _parser_warmed.set()
    with PARSE_LOCK:
        parseQuery("SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def parse_read_only(sparql: str) -> tuple[str, str]:
    """The query form and the escape-free text to evaluate; QueryError when refused.

    Refused: a text that is not one SPARQL query (syntax errors, updates), a SERVICE
    anywhere in it (SILENT, variable endpoints, inside OPTIONAL/UNION/subqueries).
    """
    text = normalize(sparql)
    try:
        with PARSE_LOCK:
            tree = parseQuery(text)
    except ParseBaseException as exc:
        if is_update(text):
            raise QueryError(
                "read-only endpoint: SPARQL Update is not accepted, only queries"
            ) from None
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except RecursionError:
        raise QueryError("query nested too deeply for this endpoint") from None
    except ValueError as exc:  # rdflib's own escape check
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    if any(node.name == "ServiceGraphPattern" for node in nodes(tree)):
        raise QueryError("SERVICE (federated query) is not allowed")
    if len(tree) < 2 or getattr(tree[1], "name", None) not in QUERY_FORMS:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return QUERY_FORMS[tree[1].name], text


def is_update(text: str) -> bool:
    """Whether ``text`` parses as a SPARQL Update (only to word the refusal)."""
    try:
        with PARSE_LOCK:
            parseUpdate(text)
    except (ParseBaseException, RecursionError, ValueError):
        return False
    return True


def check_read_only(sparql: str, max_bytes: int = MAX_QUERY_BYTES) -> str:
    """The query form (SELECT/ASK/CONSTRUCT/DESCRIBE) of an allowed query (see module doc)."""
    check_size(sparql, max_bytes)
    return parse_read_only(sparql)[0]
