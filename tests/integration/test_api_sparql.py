"""/sparql: the SPARQL 1.1 Protocol (GET, POST form, POST sparql-query), content
negotiation, read-only refusals, and limits that are reported rather than hidden."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace

import pytest
import rdflib
from api_fixtures import home_copy
from fastapi.testclient import TestClient

from search_api.api.app import create_app
from search_api.settings import Settings

CITED = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX cancu: <https://cancu.vn/ontology#>
SELECT ?number (COUNT(DISTINCT ?plan) AS ?plans) WHERE {
  ?c a cancu:Citation ; cancu:citedDocument ?law ; cancu:citingDocument ?plan .
  ?law eli:id_local ?number .
} GROUP BY ?number ORDER BY DESC(?plans) ?number"""
CONSTRUCT = """PREFIX eli: <http://data.europa.eu/eli/ontology#>
CONSTRUCT { ?plan eli:cites ?law } WHERE { ?plan eli:cites ?law }"""
ASK = 'PREFIX eli: <http://data.europa.eu/eli/ontology#> ASK { ?x eli:id_local "64/2007/NĐ-CP" }'
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    home = home_copy(tmp_path_factory.mktemp("sparql") / "home")
    with TestClient(
        create_app(Settings(home=home, sparql_max_rows=1000, sparql_timeout_s=10))
    ) as c:
        yield c


def rows_of(resp) -> list[dict]:  # noqa: ANN001
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]["bindings"]


def problem(resp, status: int = 400) -> str:  # noqa: ANN001
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith("application/problem+json")
    return resp.json()["detail"]


def test_get_defaults_to_sparql_json(client: TestClient) -> None:
    resp = client.get("/sparql", params={"query": CITED})
    assert resp.headers["content-type"] == "application/sparql-results+json"
    assert (
        resp.headers["x-cancu-truncated"] == "false" and resp.headers["x-cancu-timeout"] == "false"
    )
    body = resp.json()
    assert body["head"]["vars"] == ["number", "plans"] and "warnings" not in body
    top = body["results"]["bindings"][0]
    assert top["number"]["value"] in {"64/2007/NĐ-CP", "36a/NQ-CP"} and top["plans"]["value"] == "2"


def test_post_form_and_post_sparql_query_agree(client: TestClient) -> None:
    by_get = rows_of(client.get("/sparql", params={"query": CITED}))
    by_form = rows_of(client.post("/sparql", data={"query": CITED}))
    by_body = rows_of(
        client.post(
            "/sparql", content=CITED.encode(), headers={"Content-Type": "application/sparql-query"}
        )
    )
    assert by_get == by_form == by_body and len(by_get) == 4


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "application/xml"])
def test_xml_results(client: TestClient, accept: str) -> None:
    resp = client.get("/sparql", params={"query": CITED}, headers={"Accept": accept})
    assert resp.headers["content-type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(resp.content)
    assert [v.get("name") for v in root.iter(f"{SRX}variable")] == ["number", "plans"]
    assert len(list(root.iter(f"{SRX}result"))) == 4


def test_csv_and_tsv_results(client: TestClient) -> None:
    resp = client.get("/sparql", params={"query": CITED}, headers={"Accept": "text/csv"})
    assert resp.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(resp.text)))
    assert (
        table[0] == ["number", "plans"]
        and len(table) == 5
        and "64/2007/NĐ-CP" in {r[0] for r in table}
    )
    tsv = client.get(
        "/sparql", params={"query": CITED}, headers={"Accept": "text/tab-separated-values"}
    )
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.text.splitlines()[0] == "?number\t?plans"
    assert client.get("/sparql", params={"query": CITED, "format": "csv"}).text == resp.text


def test_accept_with_quality_values(client: TestClient) -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    assert (
        client.get("/sparql", params={"query": CITED}, headers={"Accept": accept})
        .headers["content-type"]
        .startswith("text/csv")
    )


def test_ask(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": ASK}).json() == {"head": {}, "boolean": True}
    xml = client.get(
        "/sparql", params={"query": ASK}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert ET.fromstring(xml.content).find(f"{SRX}boolean").text == "true"


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    (None, "text/turtle", "turtle"), ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"), ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])  # fmt: skip
def test_construct_negotiation(
    client: TestClient, accept: str | None, media: str, fmt: str
) -> None:
    headers = {"Accept": accept} if accept else {}
    resp = client.post("/sparql", data={"query": CONSTRUCT}, headers=headers)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith(media)
    graph = rdflib.Graph().parse(data=resp.content, format=fmt)
    assert (
        None,
        rdflib.URIRef("http://data.europa.eu/eli/ontology#cites"),
        rdflib.URIRef("https://cancu.vn/eli/vn/cp/2007/nd/64"),
    ) in graph
    assert len(graph) == 6


@pytest.mark.parametrize("query", [
    'INSERT DATA { <urn:a> <urn:b> "c" }',
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "LOAD <http://example.org/x.ttl>",
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
])  # fmt: skip
def test_updates_and_service_refused(client: TestClient, query: str) -> None:
    problem(client.get("/sparql", params={"query": query}))
    problem(client.post("/sparql", data={"query": query}))
    problem(
        client.post(
            "/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
    )
    # Nothing changed.
    assert len(rows_of(client.get("/sparql", params={"query": CITED}))) == 4


def test_update_parameter_and_media_type_refused(client: TestClient) -> None:
    assert "read-only" in problem(client.post("/sparql", data={"update": "DROP ALL"}))
    assert "read-only" in problem(client.get("/sparql", params={"update": "DROP ALL"}))
    update = b'INSERT DATA { <urn:a> <urn:b> "c" }'
    assert "read-only" in problem(
        client.post(
            "/sparql", content=update, headers={"Content-Type": "application/sparql-update"}
        )
    )
    problem(
        client.post("/sparql", content=b"SELECT * {}", headers={"Content-Type": "text/plain"}), 415
    )


def test_bad_queries(client: TestClient) -> None:
    assert (
        "syntax" in problem(client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})).lower()
    )
    assert "missing" in problem(client.get("/sparql"))
    problem(client.get("/sparql", params={"query": CITED, "format": "yaml"}))
    problem(client.get("/sparql", params={"query": CITED, "default-graph-uri": "urn:g"}))
    page = client.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/#/sparql"


def test_row_cap_is_reported(tmp_path_factory: pytest.TempPathFactory) -> None:
    home = home_copy(tmp_path_factory.mktemp("sparql-cap") / "home")
    with TestClient(create_app(Settings(home=home, sparql_max_rows=3))) as c:
        resp = c.get("/sparql", params={"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
        assert resp.headers["x-cancu-truncated"] == "true" and "199" in resp.headers["warning"]
        body = json.loads(resp.content)
        assert len(body["results"]["bindings"]) == 3 and "3 rows" in body["warnings"][0]
        ttl = c.post("/sparql", data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
        assert ttl.headers["x-cancu-truncated"] == "true" and ttl.text.startswith("# warning:")
        assert len(rdflib.Graph().parse(data=ttl.text, format="turtle")) == 3
        csv_resp = c.get(
            "/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }", "format": "csv"}
        )
        assert (
            csv_resp.headers["x-cancu-truncated"] == "true"
            and len(csv_resp.text.strip().splitlines()) == 4
        )

        # The time limit: a cross product far too big to finish in 50 ms stops with what it has.
        c.app.state.settings = replace(
            c.app.state.settings, sparql_max_rows=10_000_000, sparql_timeout_s=0.05
        )
        slow = c.get(
            "/sparql", params={"query": "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
        )
        assert slow.status_code == 200 and slow.headers["x-cancu-timeout"] == "true"
        assert "time limit" in slow.json()["warnings"][-1]
