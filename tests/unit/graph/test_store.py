"""GraphStore: named graph per document, atomic replace, exact removal, limits, exports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from graph_fixtures import plan_extraction

from graph.build import extraction_to_graph
from graph.errors import InvalidGraphError, QueryError, StoreLockedError
from graph.store import GraphStore
from ontology import uris

DECREE = uris.legal_uri("36a/NQ-CP")


def _ingest(store: GraphStore, doc_id: str, province: str, number: str = "20/KH-UBND") -> None:
    ex = plan_extraction(doc_id, province, number)
    store.replace_document(doc_id, extraction_to_graph(ex), ex.document.content_hash)


def test_replace_is_idempotent_and_hash_is_kept(tmp_path: Path) -> None:
    store = GraphStore(tmp_path / "db")
    _ingest(store, "kh-tq", "Tuyên Quang")
    before = store.stats()["triples"]
    _ingest(store, "kh-tq", "Tuyên Quang")
    assert store.stats()["triples"] == before
    assert store.document_hash("kh-tq") == "h-kh-tq" and store.document_hash("nope") is None
    assert store.document_ids() == ["kh-tq"]
    store.close()
    reopened = GraphStore(tmp_path / "db")  # persisted on disk
    assert reopened.document_ids() == ["kh-tq"] and reopened.stats()["triples"] == before
    reopened.close()


def test_remove_keeps_other_documents_facts_on_shared_node() -> None:
    store = GraphStore()
    _ingest(store, "kh-tq", "Tuyên Quang")
    _ingest(store, "kh-bg", "Bắc Giang", "3701/KH-UBND")
    ask = f"ASK {{ ?d <http://data.europa.eu/eli/ontology#cites> <{DECREE}> ; <https://cancu.vn/ontology#docId> %s }}"
    assert store.query(ask % '"kh-tq"').boolean and store.query(ask % '"kh-bg"').boolean
    assert store.remove_document("kh-tq") is True and store.remove_document("kh-tq") is False
    assert not store.query(ask % '"kh-tq"').boolean
    assert store.query(ask % '"kh-bg"').boolean
    title = store.query(
        f'ASK {{ <{DECREE}> <http://data.europa.eu/eli/ontology#id_local> "36a/NQ-CP" }}'
    )
    assert title.boolean  # still described by the remaining plan
    assert store.document_ids() == ["kh-bg"]


def _one(subject: rdflib.URIRef) -> rdflib.Graph:
    g = rdflib.Graph()
    g.add((subject, rdflib.RDFS.label, rdflib.Literal("x")))
    return g


def test_failed_write_keeps_previous_version() -> None:
    store = GraphStore()
    _ingest(store, "kh-tq", "Tuyên Quang")
    before = store.stats()["triples"]
    bad = rdflib.Graph()
    bad.add((rdflib.BNode(), rdflib.RDFS.label, rdflib.Literal("x")))
    with pytest.raises(InvalidGraphError):
        store.replace_document("kh-tq", bad, "h2")
    bad2 = rdflib.Graph()
    bad2.add(
        (
            rdflib.URIRef("https://cancu.vn/x"),
            rdflib.RDFS.label,
            rdflib.Literal("bad", datatype=rdflib.XSD.date),
        )
    )
    with pytest.raises(InvalidGraphError):
        store.replace_document("kh-tq", bad2 + _one(rdflib.URIRef("not an iri")), "h3")
    # A relative IRI passes rdflib but Oxigraph rejects the update: CLEAR must not apply alone.
    with pytest.raises(InvalidGraphError):
        store.replace_document("kh-tq", bad2 + _one(rdflib.URIRef("relative/iri")), "h4")
    assert store.stats()["triples"] == before and store.document_hash("kh-tq") == "h-kh-tq"


def test_store_held_by_another_process_is_a_named_error(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with GraphStore(path):
        holder = "from graph.store import GraphStore; GraphStore(__import__('sys').argv[1])"
        other = subprocess.run(
            [sys.executable, "-c", holder, str(path)], capture_output=True, text=True
        )
        assert "StoreLockedError" in other.stderr and str(path) in other.stderr
        with pytest.raises(StoreLockedError, match="another cancu process"):
            GraphStore(path)  # the same process opening it twice
    GraphStore(path).close()  # released on close


def test_query_limits_and_refusals() -> None:
    store = GraphStore()
    _ingest(store, "kh-tq", "Tuyên Quang")
    res = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=5)
    assert len(res.rows) == 5 and res.truncated and not res.timed_out
    full = store.query("SELECT ?s WHERE { ?s a <https://cancu.vn/ontology#Plan> }")
    assert not full.truncated and full.rows == [
        {"s": uris.legal_uri("20/KH-UBND", province="Tuyên Quang", year="2017")}
    ]
    for update in (
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "DROP ALL",
        "CLEAR GRAPH <https://x>",
        "LOAD <http://example.org/x>",
        "DELETE WHERE { ?s ?p ?o }",
    ):
        with pytest.raises(QueryError):
            store.query(update)
    with pytest.raises(QueryError, match="SERVICE"):
        store.query("SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }")
    ok = store.query(
        'SELECT ?service WHERE { BIND("drop insert" AS ?service) }'
    )  # words in strings/vars are fine
    assert ok.rows == [{"service": "drop insert"}]
    with pytest.raises(QueryError):
        store.query("SELECT WHERE {")


def test_timeout_is_reported() -> None:
    store = GraphStore()
    for i in range(3):
        _ingest(store, f"kh-{i}", f"Tỉnh {i}", f"{i + 1}/KH-UBND")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    res = store.query(slow, timeout_s=0.05)
    assert res.timed_out and res.rows == []


def test_result_formats_and_exports_parse_back() -> None:
    store = GraphStore()
    _ingest(store, "kh-tq", "Tuyên Quang")
    res = store.query(
        "SELECT ?d ?n WHERE { ?d <http://data.europa.eu/eli/ontology#id_local> ?n } ORDER BY ?n"
    )
    doc = json.loads(res.to_sparql_json())
    assert doc["head"]["vars"] == ["d", "n"] and len(doc["results"]["bindings"]) == 2
    assert b"<sparql" in res.to_sparql_xml()
    assert res.to_csv().decode().splitlines()[0] == "d,n"
    assert res.to_tsv().decode().splitlines()[0] == "?d\t?n"
    construct = store.query("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }")
    assert construct.graph is not None and len(construct.graph) == len(construct.triples) > 0
    total = len(store.export("nquads").decode().strip().splitlines())
    for fmt, rdflib_fmt in (
        ("turtle", "turtle"),
        ("trig", "trig"),
        ("nquads", "nquads"),
        ("jsonld", "json-ld"),
    ):
        data = store.export(fmt)
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=rdflib_fmt)
        assert len(list(parsed.quads((None, None, None, None)))) == total, fmt


def test_rdflib_view_and_ontology_graph() -> None:
    store = GraphStore()
    _ingest(store, "kh-tq", "Tuyên Quang")
    store.load_ontology()
    store.load_ontology()
    ds = store.rdflib_graph()
    plan = rdflib.URIRef(uris.legal_uri("20/KH-UBND", province="Tuyên Quang", year="2017"))
    assert (plan, rdflib.RDF.type, rdflib.URIRef("https://cancu.vn/ontology#Plan")) in ds
    stats = store.stats()
    assert (
        stats["documents"] == 1
        and stats["citations"] == 1
        and stats["projects"] == 1
        and stats["targets"] == 1
    )
    assert store.query("ASK { <https://cancu.vn/ontology#Plan> ?p ?o }").boolean


def test_graph_under_the_older_slug_of_an_id_is_replaced_and_removed() -> None:
    # Homes written before ids got injective slugs hold "constitution-2013" under its
    # plain slug; replacing or removing the id must not leave that graph behind.
    doc_id = "constitution-2013"
    old = uris.legacy_named_graph_uri(doc_id)
    assert old is not None and old != uris.named_graph_uri(doc_id)
    store = GraphStore(None)
    store._store.update(  # written as an older cancu did: no public path makes it now
        f'INSERT DATA {{ GRAPH <{old}> {{ <{old}> <https://cancu.vn/ontology#docId> "{doc_id}" . '
        f'<https://x.example/a> <https://x.example/p> "old" }} }}'
    )
    g = rdflib.Graph()
    g.add(
        (
            rdflib.URIRef("https://x.example/a"),
            rdflib.URIRef("https://x.example/p"),
            rdflib.Literal("new"),
        )
    )
    store.replace_document(doc_id, g, "h1")
    graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [str(r["g"]) for r in graphs if "cancu.vn/graph/" in str(r["g"])] == [
        uris.named_graph_uri(doc_id)
    ]
    assert store.remove_document(doc_id) and not store.remove_document(doc_id)
