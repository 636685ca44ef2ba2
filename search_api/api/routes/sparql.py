"""``/sparql``: a read-only SPARQL 1.1 Protocol endpoint over the union of all documents.

Query by GET ``?query=``, POST form ``query=`` or POST ``application/sparql-query``;
results by Accept (SELECT/ASK: SPARQL JSON, XML, CSV, TSV; CONSTRUCT/DESCRIBE: Turtle,
N-Triples, JSON-LD, RDF/XML). Updates and SERVICE are refused (400 problem). The time
limit and row cap come from the settings; when one cuts an answer the response says so:
``X-Cancu-Truncated`` / ``X-Cancu-Timeout`` headers, a ``warnings`` member in JSON
results and a ``#`` comment in Turtle / N-Triples. Standard clients (SPARQLWrapper, the
Jena and rdflib HTTP clients) get the media types they ask for.

Abuse limits: a query over ``sparql_max_query_bytes`` is refused (413) before it is
parsed; at most ``sparql_max_concurrent`` queries run at once (each is one child process,
up to one core, until its time limit): beyond, 429 with ``Retry-After``.
"""

from __future__ import annotations

import math
import threading
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from graph.sparql import QueryResult
from search_api.api.problems import Problem, problems
from search_api.timing import stage

router = APIRouter(tags=["sparql"])

# Guards only the one-time creation of an app's query slots (not a cache: the slots
# themselves live on ``app.state``).
SLOTS_CREATION = threading.Lock()

SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
# ``format=`` values (SPARQLWrapper sends format=xml/json along with Accept, also for
# CONSTRUCT, so the generic names map to the graph serialisation of the same family).
SELECT_FORMAT = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv"}
GRAPH_FORMAT = {
    "turtle": "turtle",
    "ttl": "turtle",
    "n3": "turtle",
    "ntriples": "ntriples",
    "nt": "ntriples",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "json": "jsonld",
    "rdfxml": "rdfxml",
    "rdf+xml": "rdfxml",
    "xml": "rdfxml",
}

EXAMPLE_QUERY = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX cancu: <https://cancu.vn/ontology#>
SELECT ?number (COUNT(DISTINCT ?plan) AS ?plans) WHERE {
  ?c a cancu:Citation ; cancu:citedDocument ?law ; cancu:citingDocument ?plan .
  ?law eli:id_local ?number .
} GROUP BY ?number ORDER BY DESC(?plans) LIMIT 10"""

SPARQL_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query results in the negotiated format. Headers X-Cancu-Truncated and "
        "X-Cancu-Timeout say whether the row cap or the time limit cut the answer.",
        "content": {
            "application/sparql-results+json": {
                "example": {
                    "head": {"vars": ["number", "plans"]},
                    "results": {
                        "bindings": [
                            {
                                "number": {"type": "literal", "value": "64/2007/NĐ-CP"},
                                "plans": {
                                    "type": "literal",
                                    "value": "5",
                                    "datatype": "http://www.w3.org/2001/XMLSchema#integer",
                                },
                            }
                        ]
                    },
                }
            },
            "application/sparql-results+xml": {
                "example": '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">...</sparql>'
            },
            "text/csv": {"example": "number,plans\r\n64/2007/NĐ-CP,5\r\n"},
            "text/tab-separated-values": {"example": '?number\t?plans\n"64/2007/NĐ-CP"\t5\n'},
            "text/turtle": {
                "example": '<https://cancu.vn/eli/vn/cp/2007/nd/64> <http://data.europa.eu/eli/ontology#id_local> "64/2007/NĐ-CP" .'
            },
            "application/n-triples": {
                "example": '<https://cancu.vn/eli/vn/cp/2007/nd/64> <http://data.europa.eu/eli/ontology#id_local> "64/2007/NĐ-CP" .'
            },
        },
    },
    **problems(400, 413),
    429: {
        "description": "Too many queries running; retry after the Retry-After seconds",
        "content": {"application/problem+json": {}},
    },
}


def first(params: dict[str, list[str]], name: str) -> str | None:
    """The first value of a repeated query or form parameter, if any."""
    values = params.get(name)
    return values[0] if values else None


def _accepted(accept: str) -> list[str]:
    """Media types in the client's order of preference (q-values honoured, stable)."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            ranked.append((-q, i, media))
    return [m for _, _, m in sorted(ranked)]


def negotiate(form: str, accept: str, fmt: str | None) -> str:
    """The output format for a query form, from ``format=`` first, then Accept."""
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    table = GRAPH_TYPES if graph_form else SELECT_TYPES
    if fmt:
        names = GRAPH_FORMAT if graph_form else SELECT_FORMAT
        chosen = names.get(fmt.lower())
        if chosen is None:
            raise Problem(
                400,
                "Bad request",
                f"format '{fmt}' does not fit a {form} query (use {', '.join(names)})",
                slug="bad-format",
            )
        return chosen
    for media in _accepted(accept):
        if media in table:
            return table[media]
    return "turtle" if graph_form else "json"


def _warnings(result: QueryResult) -> list[str]:
    out = []
    if result.truncated:
        out.append(f"result truncated: the row cap of {result.max_rows} rows was reached")
    if result.timed_out:
        out.append(f"query stopped by the time limit after {result.elapsed_s:.1f}s: partial result")
    return out


def render(result: QueryResult, fmt: str) -> bytes:
    warnings = _warnings(result)
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        if fmt == "rdfxml":
            graph = result.graph
            body = graph.serialize(format="xml", encoding="utf-8") if graph is not None else b""
        else:
            body = result.serialize_graph(fmt)
        if warnings and fmt in ("turtle", "ntriples"):
            body = "".join(f"# warning: {w}\n" for w in warnings).encode() + body
        return body
    if fmt == "json":
        body = result.to_sparql_json()
        if warnings:
            import json

            body = b'{"warnings": ' + json.dumps(warnings).encode() + b", " + body.lstrip()[1:]
        return body
    return {"xml": result.to_sparql_xml, "csv": result.to_csv, "tsv": result.to_tsv}[fmt]()


def max_query_bytes(request: Request) -> int:
    limit: int = request.app.state.settings.sparql_max_query_bytes
    return limit


def query_slots(request: Request) -> threading.BoundedSemaphore:
    """The app's bound on queries running at once, made on first use."""
    state = request.app.state
    with SLOTS_CREATION:
        slots = getattr(state, "sparql_slots", None)
        if slots is None:
            limit = int(state.settings.sparql_max_concurrent)
            slots = threading.BoundedSemaphore(max(1, limit))
            state.sparql_slots = slots
    return slots


def refuse_large(request: Request, size: int) -> None:
    limit = max_query_bytes(request)
    if size > limit:
        raise Problem(
            413,
            "Content too large",
            f"query too large: {size} bytes, over the limit of {limit} bytes",
            slug="query-too-large",
        )


def run(request: Request, query: str | None, fmt: str | None) -> Response:
    if not query or not query.strip():
        if "text/html" in request.headers.get("accept", "") and request.method == "GET":
            return RedirectResponse("/#/sparql", status_code=303)
        raise Problem(
            400, "Bad request", "missing SPARQL query: pass it as 'query'", slug="missing-query"
        )
    refuse_large(request, len(query.encode("utf-8", "replace")))
    settings = request.app.state.settings
    store = request.app.state.workspace.graph
    slots = query_slots(request)
    if not slots.acquire(blocking=False):
        raise Problem(
            429,
            "Too many requests",
            "too many SPARQL queries are running: retry later",
            slug="too-many-queries",
            headers={"Retry-After": str(max(1, math.ceil(settings.sparql_timeout_s)))},
        )
    try:
        with stage("graph"):
            result = store.query(
                query,
                timeout_s=settings.sparql_timeout_s,
                max_rows=settings.sparql_max_rows,
                max_bytes=max_query_bytes(request),
            )
    finally:
        slots.release()
    if result.timed_out and result.form == "ASK":
        raise Problem(
            503,
            "Query timed out",
            f"ASK query did not finish within {settings.sparql_timeout_s}s",
            slug="query-timeout",
        )
    out_fmt = negotiate(result.form, request.headers.get("accept", ""), fmt)
    headers = {
        "X-Cancu-Truncated": "true" if result.truncated else "false",
        "X-Cancu-Timeout": "true" if result.timed_out else "false",
        "X-Cancu-Elapsed-Ms": f"{result.elapsed_s * 1000:.1f}",
        "Vary": "Accept",
    }
    if result.truncated or result.timed_out:
        headers["Warning"] = '199 cancu "' + "; ".join(_warnings(result)) + '"'
    return Response(render(result, out_fmt), media_type=MEDIA[out_fmt], headers=headers)


def update_refused() -> Problem:
    return Problem(
        400,
        "Invalid query",
        "read-only endpoint: SPARQL Update is not accepted",
        slug="invalid-query",
    )


def _refuse_dataset(params: dict[str, list[str]]) -> None:
    if any(v for k in ("default-graph-uri", "named-graph-uri") for v in params.get(k, [])):
        raise Problem(
            400,
            "Bad request",
            "default-graph-uri / named-graph-uri are not supported: "
            "the default graph is the union of all documents; use GRAPH in the query",
            slug="dataset-not-supported",
        )


@router.get(
    "/sparql",
    summary="SPARQL query (GET)",
    responses=SPARQL_RESPONSES,
    openapi_extra={
        "parameters": [
            {
                "name": "query",
                "in": "query",
                "required": True,
                "schema": {"type": "string"},
                "example": EXAMPLE_QUERY,
            },
            {
                "name": "format",
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "Overrides Accept: json, xml, csv, tsv (SELECT/ASK) or turtle, ntriples, jsonld, rdfxml.",
                "example": "csv",
            },
        ]
    },
)
def sparql_get(request: Request) -> Response:
    """SPARQL 1.1 Protocol query via GET (read-only)."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    if params.get("update"):
        raise update_refused()
    _refuse_dataset(params)
    return run(request, first(params, "query"), first(params, "format"))


async def read_body(request: Request) -> bytes:
    """The request body, refused (413) once it cannot hold a query under the size limit.

    Percent-encoding at most triples a form's size; chunked bodies are counted as read.
    """
    cap = 3 * max_query_bytes(request) + 1024
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        refuse_large(request, int(declared) // 3)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            refuse_large(request, len(body) // 3)
    return bytes(body)


@router.post(
    "/sparql",
    summary="SPARQL query (POST)",
    responses=SPARQL_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"query": {"type": "string"}}},
                    "example": {"query": EXAMPLE_QUERY},
                },
                "application/sparql-query": {
                    "schema": {"type": "string"},
                    "example": EXAMPLE_QUERY,
                },
            },
        }
    },
)
async def sparql_post(request: Request) -> Response:
    """SPARQL 1.1 Protocol query via POST: form-encoded ``query=`` or a sparql-query body."""
    from starlette.concurrency import run_in_threadpool

    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = (await read_body(request)).decode("utf-8", errors="replace")
    params = parse_qs(request.url.query, keep_blank_values=True)
    if ctype == "application/sparql-update":
        raise update_refused()
    query: str | None
    if ctype == "application/sparql-query":
        query = body
    elif ctype == "application/x-www-form-urlencoded":
        form = parse_qs(body, keep_blank_values=True)
        if form.get("update"):
            raise update_refused()
        params = {**params, **form}
        query = first(form, "query")
    else:
        raise Problem(
            415,
            "Unsupported media type",
            "POST the query as application/x-www-form-urlencoded "
            "(query=...) or application/sparql-query",
            slug="unsupported-media-type",
        )
    _refuse_dataset(params)
    return await run_in_threadpool(run, request, query, first(params, "format"))
