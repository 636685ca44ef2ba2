"""/sparql through the app: no SERVICE call out however hidden, size cap before parsing
(413), bounded concurrency (429 + Retry-After), and a slow query that neither freezes
the server nor leaves its work running after the time limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from processes import child_pids

from search_api.api.app import create_app
from search_api.settings import Settings

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HIDDEN = [
    "SELECT * WHERE {{\n# '''\nSERVICE <{url}> {{ ?x ?y ?z }}\n# '''\n}}",
    "SELECT * WHERE {{ ?s <http://a.example/'> ?o . SERVICE <{url}> {{ ?x ?y ?z }} ?s <http://b.example/'> ?o }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?x ?y ?z }} }}",
    "SELECT * WHERE {{ ?s ?p ?o #\rSERVICE <{url}> {{ ?x ?y ?z }}\n}}",
    "SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT ?e {{ ?x ?y ?z }} }} VALUES ?e {{ <{url}> }} }}",
]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(home=tmp_path / "home", sparql_timeout_s=10))) as c:
        graph = rdflib.Graph()
        p = rdflib.URIRef("https://x.example/p")
        for i in range(200):  # SLOW is 200^4 solutions: minutes of work
            graph.add((rdflib.URIRef(f"https://x.example/{i}"), p, rdflib.Literal(i)))
        c.app.state.workspace.graph.replace_document("doc-test", graph, "h")
        yield c


def test_hidden_service_never_reaches_the_network(
    client: TestClient, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    for template in HIDDEN:
        query = template.format(url=url)
        assert client.get("/sparql", params={"query": query}).status_code == 400
        assert client.post("/sparql", data={"query": query}).status_code == 400
        sent = client.post(
            "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        assert sent.status_code == 400 and "SERVICE" in sent.json()["detail"], query
    assert hits == []


def test_oversize_and_crafted_queries_are_refused_fast(client: TestClient) -> None:
    started = time.perf_counter()
    big = "SELECT * WHERE { ?s ?p ?o } " + "x." * 500_000
    resp = client.post(
        "/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert resp.status_code == 413 and resp.headers["content-type"].startswith(
        "application/problem+json"
    )
    assert client.post("/sparql", data={"query": big}).status_code == 413
    crafted = "SELECT * WHERE { ?s ?p ?o } " + "x." * 20_000
    assert client.get("/sparql", params={"query": crafted}).status_code == 400
    assert time.perf_counter() - started < 2


def test_slow_query_neither_freezes_the_server_nor_keeps_running(client: TestClient) -> None:
    client.app.state.settings = replace(client.app.state.settings, sparql_timeout_s=3)
    answers: dict[str, object] = {}

    def slow_query() -> None:
        answers["slow"] = client.get("/sparql", params={"query": SLOW})

    worker = threading.Thread(target=slow_query)
    worker.start()
    time.sleep(0.5)  # the query is running now
    started = time.perf_counter()
    assert client.get("/health").status_code == 200
    assert time.perf_counter() - started < 1
    # Beyond the bound on queries running at once: 429 with Retry-After.
    client.app.state.sparql_slots = threading.BoundedSemaphore(1)
    worker.join(10)
    assert not worker.is_alive()
    slow = answers["slow"]
    assert getattr(slow, "status_code", None) == 200
    assert getattr(slow, "headers", {})["x-cancu-timeout"] == "true"
    assert child_pids() == []  # the query's worker process is gone: no CPU left burning

    client.app.state.sparql_slots.acquire()  # one query running (held by this test)
    busy = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert busy.status_code == 429 and busy.headers["retry-after"] == "3"
    client.app.state.sparql_slots.release()
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
