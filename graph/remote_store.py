"""The remote backend: the dataset on any SPARQL 1.1 server (Oxigraph server, Fuseki, ...).

Why: one embedded store admits one process; a server lets several API workers read the
same graph while one process writes, and grows past one machine's disk.

How each operation maps to the standards: writes are one SPARQL Update each (one
transaction on the server: a document's graph is replaced by ``CLEAR`` + ``INSERT DATA``
in one request, so a refused term leaves the previous version), a document is removed
with a Graph Store Protocol ``DELETE`` (an ``ASK`` + ``DROP`` when no GSP endpoint is
configured), queries go to the SPARQL Protocol endpoint (POST, form-encoded) and their
results are parsed as they stream in (``pyoxigraph.parse_query_results``), so the row cap
stops reading and the rows come back as the same python values and SPARQL JSON terms as
the embedded store's. Untrusted text passes ``graph.sparql_guard`` here first (SERVICE
and updates refused before anything is sent).

Time limits: the caller waits at most ``timeout_s`` and gets the rows received so far,
flagged ``timed_out``; the HTTP read time-out ends the transfer a little later. The
server's own limit (``oxigraph serve --timeout-s``, Fuseki's ``arq:queryTimeout``)
is what stops its work: an answer the server cuts for time ("cancelled") is reported as
timed out too. Queries read the union of the named graphs as their default graph: an
Oxigraph server given by its base URL is asked so per request (``union-default-graph``);
other servers must be configured so, which is checked when the store is opened.

Credentials (HTTP Basic) come with ``StoreEndpoints``; no message or ``repr`` shows them.
Connections are pooled (one ``httpx.Client``, safe across threads).
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from typing import IO, Any, cast

import httpx
import pyoxigraph as ox

from graph.errors import InvalidGraphError, QueryError, StoreUnavailableError
from graph.sparql import QueryResult, collect_solutions, output_bytes
from graph.sparql_guard import parse_read_only
from graph.store_endpoints import StoreEndpoints

RESULTS_JSON = "application/sparql-results+json"
GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9"
CONNECT_TIMEOUT_S = 5.0
READ_GRACE_S = 2.0  # past the caller's limit, the transfer itself is ended
ERROR_TEXT_CHARS = 300
SERVER_CUT_WORDS = (b"cancelled", b"canceled", b"timeout", b"timed out")


class ResponseReader(io.RawIOBase):
    """An HTTP response body as a raw stream for pyoxigraph's streaming parsers; keeps the
    last bytes read, to tell a server's own time-out from a broken answer."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.pending = b""
        self.tail = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = next(self.chunks, None)
            if chunk is None:
                return 0
            self.pending = chunk
            self.tail = (self.tail + chunk)[-200:]
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def cut_by_server(self) -> bool:
        lowered = self.tail.lower()
        return any(words in lowered for words in SERVER_CUT_WORDS)


class RemoteBackend:
    """``StoreBackend`` over a SPARQL 1.1 server (module doc)."""

    def __init__(self, endpoints: StoreEndpoints, *, check: bool = True) -> None:
        self.endpoints = endpoints
        auth = (endpoints.user, endpoints.password or "") if endpoints.user else None
        self.client = httpx.Client(
            auth=auth,
            timeout=httpx.Timeout(60.0, connect=CONNECT_TIMEOUT_S),
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
            follow_redirects=False,
        )
        if check:
            self.check_union_default_graph()

    @property
    def location(self) -> str:
        return self.endpoints.name

    # ------------------------------------------------------------------ HTTP

    def unavailable(self, reason: str) -> StoreUnavailableError:
        if self.endpoints.password:  # never shown, whatever a library put in its message
            reason = reason.replace(self.endpoints.password, "***")
        return StoreUnavailableError(f"cannot reach the store at {self.location}: {reason}")

    def send(self, method: str, url: str, **kw: Any) -> httpx.Response:
        try:
            return self.client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            raise self.unavailable(transport_reason(exc)) from None

    def check_status(self, response: httpx.Response, *, refused: type[Exception]) -> None:
        """Nothing for 2xx; ``refused`` (the server's words) for 400; unavailable else."""
        if response.is_success:
            return
        text = error_text(response)
        if response.status_code in (400, 413, 415):
            raise refused(f"the store at {self.location} refused it: {text}")
        if response.status_code in (401, 403):
            raise self.unavailable(
                f"access refused (HTTP {response.status_code}): check the user and password"
            )
        raise self.unavailable(f"HTTP {response.status_code}: {text}")

    # ------------------------------------------------------------------ writes

    def update(self, sparql_update: str) -> None:
        response = self.send(
            "POST",
            self.endpoints.update,
            content=sparql_update.encode("utf-8"),
            headers={"Content-Type": "application/sparql-update; charset=utf-8"},
        )
        self.check_status(response, refused=InvalidGraphError)

    def drop_graph(self, graph_uri: str) -> bool:
        if self.endpoints.gsp is None:
            if not self.ask(f"ASK {{ GRAPH <{graph_uri}> {{ ?s ?p ?o }} }}"):
                return False
            self.update(f"DROP SILENT GRAPH <{graph_uri}>")
            return True
        response = self.send("DELETE", self.endpoints.gsp, params={"graph": graph_uri})
        if response.status_code == 404:
            return False
        self.check_status(response, refused=InvalidGraphError)
        return True

    # ------------------------------------------------------------------ reads

    def run_trusted(
        self, sparql: str, *, form: str, timeout_s: float, max_rows: int
    ) -> QueryResult:
        return self.collect(sparql, form, timeout_s=timeout_s, max_rows=max_rows)

    def run_untrusted(self, sparql: str, *, timeout_s: float, max_rows: int) -> QueryResult:
        form, text = parse_read_only(sparql)  # refused here: never sent
        return self.collect(text, form, timeout_s=timeout_s, max_rows=max_rows)

    def ask(self, sparql: str) -> bool:
        result = self.collect(sparql, "ASK", timeout_s=30, max_rows=1)
        if result.timed_out:
            raise QueryError("query timed out after 30s")
        return bool(result.boolean)

    def collect(self, sparql: str, form: str, *, timeout_s: float, max_rows: int) -> QueryResult:
        """Evaluate on the server; the caller waits at most ``timeout_s`` (module doc)."""
        out = QueryResult(form=form, max_rows=max_rows)
        stop = threading.Event()
        errors: list[BaseException] = []
        started = time.perf_counter()
        worker = threading.Thread(
            target=self.receive,
            args=(sparql, form, timeout_s, out, stop, errors),
            daemon=True,
        )
        worker.start()
        worker.join(timeout_s)
        out.elapsed_s = time.perf_counter() - started
        if worker.is_alive():
            stop.set()
            out.timed_out = True
            n = min(len(out.rows), len(out.bindings))  # the worker may be between appends
            out.rows, out.bindings, out.triples = out.rows[:n], out.bindings[:n], list(out.triples)
            return out
        if errors:
            raise errors[0]
        return out

    def receive(
        self,
        sparql: str,
        form: str,
        timeout_s: float,
        out: QueryResult,
        stop: threading.Event,
        errors: list[BaseException],
    ) -> None:
        """In the worker thread: send the query, fold the streamed answer into ``out``."""
        data = {"query": sparql}
        if self.endpoints.union_param:
            data["union-default-graph"] = ""
        accept = RESULTS_JSON if form in ("SELECT", "ASK") else GRAPH_TYPES
        timeout = httpx.Timeout(timeout_s + READ_GRACE_S, connect=CONNECT_TIMEOUT_S)
        try:
            with self.client.stream(
                "POST", self.endpoints.query, data=data, headers={"Accept": accept}, timeout=timeout
            ) as response:
                if not response.is_success:
                    response.read()
                    self.check_status(response, refused=QueryError)
                reader = ResponseReader(response.iter_bytes())
                try:
                    fold_answer(response, reader, form, out, stop)
                except SyntaxError as exc:
                    if not reader.cut_by_server():
                        raise QueryError(
                            f"query failed: the store at {self.location} sent a broken "
                            f"answer: {exc}"
                        ) from None
                    out.timed_out = True  # the server's own time limit cut the answer
        except httpx.HTTPError as exc:
            if not stop.is_set():
                errors.append(self.unavailable(transport_reason(exc)))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
            errors.append(exc.with_traceback(None))

    def stream_rows(self, sparql: str, timeout_s: float = 3600) -> Iterator[Any]:
        """Every solution of one of our own SELECTs, as it arrives (exports: no row cap)."""
        data = {"query": sparql}
        if self.endpoints.union_param:
            data["union-default-graph"] = ""
        timeout = httpx.Timeout(timeout_s, connect=CONNECT_TIMEOUT_S)
        try:
            with self.client.stream(
                "POST",
                self.endpoints.query,
                data=data,
                headers={"Accept": RESULTS_JSON},
                timeout=timeout,
            ) as response:
                if not response.is_success:
                    response.read()
                    self.check_status(response, refused=QueryError)
                yield from results_parser(response, ResponseReader(response.iter_bytes()))
        except httpx.HTTPError as exc:
            raise self.unavailable(transport_reason(exc)) from None

    def quads(self, graph_uri: str | None = None) -> Iterator[Any]:
        if graph_uri is not None:
            graph = ox.NamedNode(graph_uri)
            for row in self.stream_rows(
                f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph_uri}> {{ ?s ?p ?o }} }}"
            ):
                yield ox.Quad(row["s"], row["p"], row["o"], graph)
            return
        for row in self.stream_rows("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])

    def quad_count(self) -> int:
        rows = self.collect(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            "SELECT",
            timeout_s=300,
            max_rows=1,
        ).rows
        return int(rows[0]["n"]) if rows else 0

    def dump(self, rdf_format: Any, prefixes: dict[str, str] | None) -> bytes:
        quads = sorted(self.quads(), key=lambda q: q.graph_name.value)  # one block per graph
        return output_bytes(ox.serialize(quads, format=rdf_format, prefixes=prefixes))

    def check_union_default_graph(self) -> None:
        """Reachable, and its default graph is the union of the named graphs (queries
        rely on it); a store holding nothing passes."""
        if not self.ask("ASK { GRAPH ?g { ?s ?p ?o } }"):
            return
        if not self.ask("ASK { ?s ?p ?o }"):
            raise self.unavailable(
                "its default graph is not the union of its named graphs; configure the "
                "server so (Fuseki: tdb2:unionDefaultGraph true; Oxigraph: give its base "
                "URL only, or serve it with --union-default-graph)"
            )

    def flush(self) -> None:
        """Nothing to do: each request is committed by the server."""

    def close(self) -> None:
        self.client.close()


def results_parser(response: httpx.Response, reader: ResponseReader) -> Any:
    """pyoxigraph's streaming parser for the results format the server answered in."""
    media = response.headers.get("content-type", RESULTS_JSON).split(";")[0].strip()
    fmt = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
    return ox.parse_query_results(cast(IO[bytes], reader), format=fmt)


def fold_answer(
    response: httpx.Response,
    reader: ResponseReader,
    form: str,
    out: QueryResult,
    stop: threading.Event,
) -> None:
    """Rows, a boolean or triples into ``out`` (up to its row cap, +1 to see more)."""
    if form in ("SELECT", "ASK"):
        answer = results_parser(response, reader)
        if isinstance(answer, ox.QueryBoolean):
            out.boolean = bool(answer)
            return
        collect_solutions(answer, out, stop)
        return
    media = response.headers.get("content-type", "application/n-triples").split(";")[0].strip()
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
    for quad in ox.parse(cast(IO[bytes], reader), format=fmt):
        if stop.is_set():
            return
        if len(out.triples) >= out.max_rows:
            out.truncated = True
            return
        out.triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))


def transport_reason(exc: httpx.HTTPError) -> str:
    """A short reason for a failed connection or transfer, without any URL."""
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed ({exc})" if str(exc) else "connection failed"
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def error_text(response: httpx.Response) -> str:
    """The first line of a server's error body, shortened."""
    try:
        text = response.text.strip()
    except (httpx.HTTPError, UnicodeDecodeError):
        return f"HTTP {response.status_code}"
    first = text.splitlines()[0] if text else f"HTTP {response.status_code}"
    return first[:ERROR_TEXT_CHARS]
