"""A real server: ``search_api.api.serve.serve`` in its own process on a free loopback port,
queried over HTTP by httpx and by SPARQLWrapper (a standard SPARQL client)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from api_fixtures import free_port, home_copy, start_server, stop_server, wait_ready


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("uvicorn")
    home, log, port = home_copy(root / "home"), root / "server.log", free_port()
    proc = start_server(home, port, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, proc, log)
        yield base, log
    finally:
        stop_server(proc)


def test_prints_its_address(server: tuple[str, Path]) -> None:
    base, log = server
    assert log.read_text("utf-8").splitlines()[0] == f"cancu serving on {base}"


def test_health_search_and_sparql_over_http(server: tuple[str, Path]) -> None:
    base, _ = server
    with httpx.Client(base_url=base, timeout=30) as http:
        assert http.get("/health").json()["documents"] == 2
        hits = http.get("/search", params={"q": "trung tâm tích hợp dữ liệu", "k": 3}).json()[
            "results"
        ]
        assert hits and hits[0]["passage_id"] and hits[0]["end"] > hits[0]["start"]
        resp = http.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                         headers={"Accept": "application/sparql-results+json"})  # fmt: skip
        assert resp.headers["content-type"] == "application/sparql-results+json"
        assert int(resp.json()["results"]["bindings"][0]["n"]["value"]) > 100
        encoded = http.get(
            "/legal/64%2F2007%2FN%C4%90-CP/cited-by"
        ).json()  # %2F through a real server
        assert encoded["total"] == 2
        assert http.post("/sparql", data={"update": "DROP ALL"}).status_code == 400


def test_sparqlwrapper_client(server: tuple[str, Path]) -> None:
    from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

    base, _ = server
    query = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
    SELECT ?law ?number WHERE { ?plan eli:cites ?law . ?law eli:id_local ?number } ORDER BY ?number"""
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(query)
    client.setReturnFormat(JSON)
    numbers = {b["number"]["value"] for b in client.query().convert()["results"]["bindings"]}
    assert "64/2007/NĐ-CP" in numbers

    client.setMethod(POST)
    client.setReturnFormat(XML)
    xml = client.query().convert()  # a DOM document
    assert "64/2007/NĐ-CP" in {n.firstChild.data for n in xml.getElementsByTagName("literal")}

    client.setReturnFormat(CSV)
    assert "64/2007/NĐ-CP".encode() in client.query().convert()

    client.setQuery(
        "PREFIX eli: <http://data.europa.eu/eli/ontology#> CONSTRUCT { ?p eli:cites ?l } WHERE { ?p eli:cites ?l }"
    )
    client.setReturnFormat(
        XML
    )  # SPARQLWrapper's default for graphs: RDF/XML, parsed into an rdflib Graph
    assert len(client.query().convert()) == 6
    client.setReturnFormat(TURTLE)
    assert b"eli/vn/cp/2007/nd/64" in client.query().convert()
