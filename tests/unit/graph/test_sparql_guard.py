"""The read-only SPARQL guard decides on the parsed query, and untrusted queries run in a
child process the time limit kills: no SERVICE call out (however it is hidden), no
regular expression that backtracks, no core left burning after a time-out."""

from __future__ import annotations

import os
import time

import pyoxigraph as ox
import pytest
from processes import child_pids

from graph import sparql_worker
from graph.errors import QueryError, QueryTooLargeError
from graph.sparql_guard import check_read_only, normalize
from graph.store import GraphStore

# Each hides ``SERVICE <{url}> { ?x ?y ?z }`` from a text-based guard in its own way.
HIDDEN_SERVICE = {
    "comment with triple quotes": "SELECT * WHERE {{\n# '''\nSERVICE <{url}> {{ ?x ?y ?z }}\n# '''\n}}",
    "comment with double quote": 'SELECT * WHERE {{\n# "\nSERVICE <{url}> {{ ?x ?y ?z }}\n# "\n}}',
    "IRIs containing a quote": "SELECT * WHERE {{ ?s <http://a.example/'> ?o . SERVICE <{url}> {{ ?x ?y ?z }} ?s <http://b.example/'> ?o }}",
    "strings holding quotes": 'SELECT * WHERE {{ BIND("\'" AS ?a) SERVICE <{url}> {{ ?x ?y ?z }} BIND("\'" AS ?b) }}',
    "escaped quote in a string": 'SELECT * WHERE {{ BIND("\\"" AS ?a) SERVICE <{url}> {{ ?x ?y ?z }} BIND("\\"" AS ?b) }}',
    "long string with quotes": "SELECT * WHERE {{ BIND('''a'' \"\"\" ''' AS ?a) SERVICE <{url}> {{ ?x ?y ?z }} }}",
    "\\u escape": "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?x ?y ?z }} }}",
    "\\U escape": "SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?x ?y ?z }} }}",
    "lower case": "select * where {{ service <{url}> {{ ?x ?y ?z }} }}",
    "mixed case": "SELECT * WHERE {{ SeRvIcE <{url}> {{ ?x ?y ?z }} }}",
    "SILENT": "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?x ?y ?z }} }}",
    "prefixed name": "PREFIX e: <{url}>\nSELECT * WHERE {{ SERVICE e:x {{ ?x ?y ?z }} }}",
    "VALUES endpoint": "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?x ?y ?z }} }}",
    "BIND endpoint": "SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?x ?y ?z }} }}",
    "nested groups": "SELECT * WHERE {{ {{ {{ {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }} }}",
    "OPTIONAL": "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    "UNION": "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    "MINUS": "SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    "FILTER EXISTS": "SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    "subquery": "SELECT * WHERE {{ {{ SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }}",
    "GRAPH": "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    "ASK": "ASK {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
    "CONSTRUCT": "CONSTRUCT {{ ?x ?y ?z }} WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
    "DESCRIBE": "DESCRIBE ?x WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
    # rdflib ends a comment only at \n, Oxigraph also at \r: normalised before parsing.
    "comment ended by a lone CR": "SELECT * WHERE {{ ?s ?p ?o #\rSERVICE <{url}> {{ ?x ?y ?z }}\n}}",
    "CR made by an escape": "SELECT * WHERE {{ ?s ?p ?o #\\u000DSERVICE <{url}> {{ ?x ?y ?z }}\n}}",
    "escape making an escape": "SELECT * WHERE {{ \\u005Cu0053ERVICE <{url}> {{ ?x ?y ?z }} }}",
    "escaped hash in a local name": "PREFIX e: <http://e.example/>\nSELECT * WHERE {{ ?s e:a\\#b ?o . SERVICE <{url}> {{ ?x ?y ?z }}\n}}",
}


def seeded_store(n: int = 40) -> GraphStore:
    store = GraphStore()
    graph = ox.NamedNode("https://cancu.vn/graph/test")
    store._store.extend(  # noqa: SLF001 - a test fixture filling the store fast
        ox.Quad(
            ox.NamedNode(f"https://x.example/{i}"),
            ox.NamedNode("https://x.example/p"),
            ox.Literal(str(i)),
            graph,
        )
        for i in range(n)
    )
    return store


@pytest.mark.parametrize("name", sorted(HIDDEN_SERVICE))
def test_hidden_service_is_refused_and_never_called(
    name: str, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    query = HIDDEN_SERVICE[name].format(url=url)
    with pytest.raises(QueryError):
        check_read_only(query)
    with pytest.raises(QueryError):
        seeded_store().query(query, timeout_s=5)
    assert hits == []


def test_words_in_strings_iris_and_variables_are_fine() -> None:
    store = seeded_store(3)
    ok = store.query(
        'SELECT ?service ?drop WHERE { BIND("SERVICE <http://x> { }" AS ?service) '
        "BIND(<http://x.example/SERVICE> AS ?drop) } # SERVICE <http://y> { }"
    )
    assert ok.rows == [{"service": "SERVICE <http://x> { }", "drop": "http://x.example/SERVICE"}]
    assert check_read_only("PREFIX service: <http://s/> ASK { service:a ?p ?o }") == "ASK"
    # An escape means the same to the guard and to the store.
    assert store.query('SELECT ?a WHERE { BIND("\\u00e9t\\u00E9" AS ?a) }').rows == [{"a": "été"}]
    assert normalize("a\r\nb\rc\\u0041") == "a\nb\ncA"


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "DROP ALL",
        "LOAD <http://example.org/x>",
        "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
        "SELECT * WHERE { ?s ?p ?o }\nINSERT DATA { <a:b> <a:c> <a:d> }",
    ],
)
def test_updates_are_refused(update: str) -> None:
    store = seeded_store(3)
    with pytest.raises(QueryError):
        store.query(update)
    assert store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [{"n": 3}]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p ?o } " + "x." * 20_000,  # backtracked for seconds before
        "SELECT * WHERE { ?s ?p ?o } " + "x" * 40_000,
        'SELECT * WHERE { ?s ?p ?o } "' + "a" * 40_000,
        "SELECT * WHERE { ?s ?p <" + "a" * 40_000,
        "SELECT * WHERE { " + "{" * 3000 + "}" * 3000 + " }",  # nesting: refused, not a crash
        "SELECT * WHERE { ?s ?p ?o } " + "x." * 500_000,  # 1 MB: refused before parsing
    ],
)
def test_crafted_input_is_answered_fast(query: str) -> None:
    store = seeded_store(3)
    started = time.perf_counter()
    with pytest.raises(QueryError):
        store.query(query)
    assert time.perf_counter() - started < 2


def test_size_cap_comes_before_parsing() -> None:
    with pytest.raises(QueryTooLargeError, match="100000 bytes"):
        seeded_store(1).query("SELECT * WHERE { ?s ?p ?o } #" + "é" * 60_000)
    with pytest.raises(QueryTooLargeError):
        seeded_store(1).query("ASK { ?s ?p ?o }", max_bytes=10)


def test_time_limit_kills_the_evaluation() -> None:
    store = seeded_store(200)  # 200^4 solutions: minutes of work
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    before = os.times()
    started = time.perf_counter()
    res = store.query(slow, timeout_s=0.5)
    assert res.timed_out and res.rows == [] and time.perf_counter() - started < 3
    assert child_pids() == []  # the worker is gone: no core left burning
    time.sleep(0.5)
    after = os.times()
    assert after.children_user + after.children_system >= before.children_user  # reaped
    assert store.query("ASK { ?s ?p ?o }").boolean  # the store still answers


def test_partial_rows_and_row_cap_come_back_from_the_child() -> None:
    store = seeded_store(50)
    capped = store.query("SELECT ?s WHERE { ?s ?p ?o }", max_rows=7)
    assert len(capped.rows) == 7 and capped.truncated and not capped.timed_out
    construct = store.query("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=5)
    assert len(construct.triples) == 5 and construct.truncated
    assert not store.query("ASK { ?s <https://x.example/none> ?o }").boolean


@pytest.mark.skipif(
    sparql_worker.NetworkBlocker().program is None or not sparql_worker.fork_supported(),
    reason="no seccomp filter on this machine",
)
def test_second_wall_blocks_network_even_without_the_guard(
    listener: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, hits = listener

    def no_guard(sparql: str) -> tuple[str, str]:
        return "SELECT", sparql

    monkeypatch.setattr(sparql_worker, "parse_read_only", no_guard)
    with pytest.raises(QueryError):
        seeded_store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}")
    assert hits == []
