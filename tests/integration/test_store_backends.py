"""The graph store's contract, run on each backend: the embedded Oxigraph store and a real
Oxigraph server (``oxigraph serve``, PyPI). Same tests, parametrised: named graph per
document, atomic replace, exact removal, the guard before anything is sent, limits,
result shapes and exports; then what only a server has (reachability, credentials, the
union default graph) and moving a home between the two with `cancu export` / `import`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import rdflib
from click.testing import CliRunner
from graph_fixtures import law_extraction, plan_extraction
from oxigraph_process import OxigraphServer, free_port

from graph import queries as q
from graph.build import extraction_to_graph
from graph.errors import InvalidGraphError, QueryError, StoreUnavailableError
from graph.queries.facts import document_headers
from graph.queries.overview import (
    citations_by_year,
    indicator_across_provinces,
    indicator_groups,
    most_cited_by_use,
)
from graph.queries.status import plans_citing_after_end
from graph.queries.suggest import suggest
from graph.store import GraphStore
from graph.store_endpoints import StoreEndpoints
from ontology import uris
from search_api.errors import SettingsError
from search_api.settings import Settings

DECREE = uris.legal_uri("36a/NQ-CP")
ELI = "http://data.europa.eu/eli/ontology#"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class Backend:
    """One engine under test: ``open()`` gives a store over the same data each time."""

    name: str
    open: Callable[[], GraphStore]


@pytest.fixture(params=["embedded", "oxigraph-server"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "embedded":
        yield Backend("embedded", lambda: GraphStore(tmp_path / "db"))
        return
    server: OxigraphServer = request.getfixturevalue("oxigraph_server")
    server.clear()
    yield Backend("oxigraph-server", lambda: GraphStore.remote(server.endpoints))


@pytest.fixture
def store(backend: Backend) -> Iterator[GraphStore]:
    opened = backend.open()
    yield opened
    opened.close()


def ingest(store: GraphStore, doc_id: str, province: str, number: str = "20/KH-UBND") -> None:
    ex = plan_extraction(doc_id, province, number)
    store.replace_document(doc_id, extraction_to_graph(ex), ex.document.content_hash)


def fill_two_plans_and_a_law(store: GraphStore) -> None:
    for ex in (
        plan_extraction("kh-tq", "Tuyên Quang", "20/KH-UBND", "2015-10-14"),
        plan_extraction("kh-bg", "Bắc Giang", "3701/KH-UBND", "2015-10-15"),
        law_extraction(),
    ):
        store.replace_document(ex.document.id, extraction_to_graph(ex), ex.document.content_hash)


def one_triple(subject: rdflib.URIRef, value: str = "x") -> rdflib.Graph:
    g = rdflib.Graph()
    g.add((subject, rdflib.RDFS.label, rdflib.Literal(value)))
    return g


# ---------------------------------------------------------------- both backends


def test_replace_is_idempotent_hash_kept_and_persisted(backend: Backend) -> None:
    store = backend.open()
    ingest(store, "kh-tq", "Tuyên Quang")
    before = store.stats()["triples"]
    ingest(store, "kh-tq", "Tuyên Quang")
    assert store.stats()["triples"] == before
    assert store.document_hash("kh-tq") == "h-kh-tq" and store.document_hash("nope") is None
    assert store.document_ids() == ["kh-tq"]
    store.close()
    reopened = backend.open()
    assert reopened.document_ids() == ["kh-tq"] and reopened.stats()["triples"] == before
    reopened.close()


def test_remove_keeps_other_documents_facts_on_shared_node(store: GraphStore) -> None:
    ingest(store, "kh-tq", "Tuyên Quang")
    ingest(store, "kh-bg", "Bắc Giang", "3701/KH-UBND")
    ask = f"ASK {{ ?d <{ELI}cites> <{DECREE}> ; <https://cancu.vn/ontology#docId> %s }}"
    assert store.query(ask % '"kh-tq"').boolean and store.query(ask % '"kh-bg"').boolean
    assert store.remove_document("kh-tq") is True and store.remove_document("kh-tq") is False
    assert not store.query(ask % '"kh-tq"').boolean and store.query(ask % '"kh-bg"').boolean
    assert store.query(f'ASK {{ <{DECREE}> <{ELI}id_local> "36a/NQ-CP" }}').boolean
    assert store.document_ids() == ["kh-bg"]


def test_failed_write_keeps_previous_version(store: GraphStore) -> None:
    ingest(store, "kh-tq", "Tuyên Quang")
    before = store.stats()["triples"]
    blank = rdflib.Graph()
    blank.add((rdflib.BNode(), rdflib.RDFS.label, rdflib.Literal("x")))
    for bad in (
        blank,
        one_triple(rdflib.URIRef("https://cancu.vn/x")) + one_triple(rdflib.URIRef("not an iri")),
        # Passes rdflib, refused by the engine: CLEAR must not apply alone.
        one_triple(rdflib.URIRef("https://cancu.vn/x")) + one_triple(rdflib.URIRef("rel/iri")),
    ):
        with pytest.raises(InvalidGraphError, match="kh-tq|blank nodes"):
            store.replace_document("kh-tq", bad, "h2")
    assert store.stats()["triples"] == before and store.document_hash("kh-tq") == "h-kh-tq"


def test_query_limits_and_refusals(store: GraphStore) -> None:
    ingest(store, "kh-tq", "Tuyên Quang")
    res = store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", max_rows=5)
    assert len(res.rows) == 5 and res.truncated and not res.timed_out
    full = store.query("SELECT ?s WHERE { ?s a <https://cancu.vn/ontology#Plan> }")
    assert not full.truncated and full.rows == [
        {"s": uris.legal_uri("20/KH-UBND", province="Tuyên Quang", year="2017")}
    ]
    construct = store.query("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=4)
    assert len(construct.triples) == 4 and construct.truncated
    for update in ("INSERT DATA { <a:b> <a:c> <a:d> }", "DROP ALL", "DELETE WHERE { ?s ?p ?o }"):
        with pytest.raises(QueryError, match="Update"):
            store.query(update)
    with pytest.raises(QueryError, match="SERVICE"):
        store.query("SELECT * WHERE { SERVICE <http://dbpedia.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="syntax"):
        store.query("SELECT WHERE {")
    assert store.document_ids() == ["kh-tq"]  # nothing was changed


def test_hidden_service_is_refused_before_anything_is_sent(
    store: GraphStore, listener: tuple[str, list[str]]
) -> None:
    url, hits = listener
    with pytest.raises(QueryError, match="SERVICE"):
        store.query(f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?x ?y ?z }} }}")
    assert hits == []


def test_timeout_is_reported_with_what_came_back(store: GraphStore) -> None:
    for i in range(3):
        ingest(store, f"kh-{i}", f"Tỉnh {i}", f"{i + 1}/KH-UBND")
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    started = time.perf_counter()
    res = store.query(slow, timeout_s=0.2)
    assert res.timed_out and res.rows == [] and time.perf_counter() - started < 2
    assert store.query("ASK { ?s ?p ?o }").boolean  # the store still answers


def test_result_shapes_formats_and_exports(store: GraphStore) -> None:
    ingest(store, "kh-tq", "Tuyên Quang")
    res = store.query(f"SELECT ?d ?n WHERE {{ ?d <{ELI}id_local> ?n }} ORDER BY ?n")
    doc = json.loads(res.to_sparql_json())
    assert doc["head"]["vars"] == ["d", "n"] and len(doc["results"]["bindings"]) == 2
    assert doc["results"]["bindings"][0]["d"]["type"] == "uri"
    assert b"<sparql" in res.to_sparql_xml() and res.to_csv().decode().startswith("d,n")
    typed = store.query(
        'SELECT ?i ?d WHERE { BIND(3 AS ?i) BIND("2020-01-02"^^<http://www.w3.org/2001/XMLSchema#date> AS ?d) }'
    )
    assert typed.rows == [{"i": 3, "d": dt.date(2020, 1, 2)}]
    construct = store.query("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t }")
    assert construct.graph is not None and len(construct.graph) == len(construct.triples) > 0
    total = len(store.export("nquads").decode().strip().splitlines())
    for fmt, rdflib_fmt in (("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"),
                            ("jsonld", "json-ld")):  # fmt: skip
        parsed = rdflib.Dataset()
        parsed.parse(data=store.export(fmt), format=rdflib_fmt)
        assert len(list(parsed.quads((None, None, None, None)))) == total, fmt
    one = store.export("nquads", doc_id="kh-tq").decode().strip().splitlines()
    assert one and all(f"<{uris.named_graph_uri('kh-tq')}> ." in line for line in one)


def test_stats_ontology_and_rdflib_view(store: GraphStore) -> None:
    ingest(store, "kh-tq", "Tuyên Quang")
    store.load_ontology()
    store.load_ontology()
    plan = rdflib.URIRef(uris.legal_uri("20/KH-UBND", province="Tuyên Quang", year="2017"))
    assert (plan, rdflib.RDF.type, rdflib.URIRef("https://cancu.vn/ontology#Plan")) in (
        store.rdflib_graph()
    )
    stats = store.stats()
    assert (stats["documents"], stats["citations"], stats["projects"]) == (1, 1, 1)
    assert store.query("ASK { <https://cancu.vn/ontology#Plan> ?p ?o }").boolean


def test_graph_under_the_older_slug_of_an_id_is_replaced_and_removed(store: GraphStore) -> None:
    doc_id = "constitution-2013"
    old = uris.legacy_named_graph_uri(doc_id)
    assert old is not None
    store.backend.update(  # written as an older cancu did: no public path makes it now
        f'INSERT DATA {{ GRAPH <{old}> {{ <{old}> <https://cancu.vn/ontology#docId> "{doc_id}" . '
        f'<https://x.example/a> <https://x.example/p> "old" }} }}'
    )
    store.replace_document(doc_id, one_triple(rdflib.URIRef("https://x.example/a"), "new"), "h1")
    graphs = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [r["g"] for r in graphs if "cancu.vn/graph/" in r["g"]] == [uris.named_graph_uri(doc_id)]
    assert store.remove_document(doc_id) and not store.remove_document(doc_id)


# ---------------------------------------------------------------- the same answers


def library_answers(store: GraphStore) -> dict[str, Any]:
    """What graph.queries and the API ask, over two plans and a law."""
    node = uris.legal_uri("20/KH-UBND", province="Tuyên Quang", year="2015")
    return {
        "resolve": q.resolve_number(store, "Nghị quyết 36a"),
        "cited_by": q.cited_by(store, "36a/NQ-CP"),
        "citations_of": q.citations_of(store, "kh-tq"),
        "legal_document": q.legal_document(store, "36a/NQ-CP"),
        "most_cited": q.most_cited(store),
        "conflicts": q.conflicts(store),
        "documents": q.documents(store),
        "neighbours": q.neighbours(store, node),
        "agencies": q.agencies(store),
        "projects": q.projects(store),
        "budgets": q.budgets(store, by="year"),
        "targets": q.targets(store),
        "suggest": suggest(store, "36a"),
        "by_use": most_cited_by_use(store),
        "by_year": citations_by_year(store),
        "groups": indicator_groups(store),
        "across": indicator_across_provinces(store),
        "after_end": plans_citing_after_end(store),
        "headers": document_headers(store),
        "stats": store.stats(),
    }


def canonical(value: Any) -> str:
    """Equal for the same answer whatever order unordered rows came in."""
    if isinstance(value, list):
        return "[" + ",".join(sorted(canonical(v) for v in value)) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{canonical(v)}" for k, v in sorted(value.items())) + "}"
    return json.dumps(value, default=str, ensure_ascii=False)


def test_library_questions_answer_the_same_on_both_backends(
    oxigraph_server: OxigraphServer,
) -> None:
    oxigraph_server.clear()
    embedded, remote = GraphStore(), GraphStore.remote(oxigraph_server.endpoints)
    for store in (embedded, remote):
        fill_two_plans_and_a_law(store)
    local, served = library_answers(embedded), library_answers(remote)
    assert local["cited_by"] and local["projects"] and local["documents"]  # not vacuous
    for key in local:
        assert canonical(served[key]) == canonical(local[key]), key
    remote.close()


# ---------------------------------------------------------------- embedded only


def test_embedded_query_does_not_wait_behind_a_write() -> None:
    store = GraphStore()
    ingest(store, "kh-tq", "Tuyên Quang")
    backend: Any = store.backend
    with backend.write_lock:  # a write in progress in another thread of this process
        started = time.perf_counter()
        res = store.query("SELECT ?d WHERE { ?d a <https://cancu.vn/ontology#Plan> }")
        assert time.perf_counter() - started < 2 and len(res.rows) == 1
        with pytest.raises(QueryError, match="SERVICE"):  # the guard still runs first
            store.query("ASK { SERVICE <http://x.example/s> { ?s ?p ?o } }")


# ---------------------------------------------------------------- server only


def test_unreachable_store_is_one_named_error_without_credentials() -> None:
    port = free_port()  # nothing listens there
    for endpoints in (
        StoreEndpoints.for_url(f"http://127.0.0.1:{port}", user="u", password="s3cret-pw"),
        StoreEndpoints.for_url(f"http://u:s3cret-pw@127.0.0.1:{port}/"),
    ):
        with pytest.raises(StoreUnavailableError) as caught:
            GraphStore.remote(endpoints)
        assert str(caught.value).startswith(f"cannot reach the store at http://127.0.0.1:{port}")
        assert "s3cret" not in str(caught.value) and "s3cret" not in repr(endpoints)
    from search_api.cli.commands import main  # the CLI loads the search stack: here only

    result = CliRunner().invoke(
        main, ["--graph-store", f"http://127.0.0.1:{port}", "export", "--format", "nquads"]
    )
    assert result.exit_code == 1 and result.output.startswith("error: cannot reach the store")


def test_server_without_union_default_graph_is_refused(oxigraph_server: OxigraphServer) -> None:
    oxigraph_server.clear()
    with GraphStore.remote(oxigraph_server.endpoints) as store:
        ingest(store, "kh-tq", "Tuyên Quang")
    base = oxigraph_server.url
    plain = StoreEndpoints.for_url(base, query=f"{base}/query", update=f"{base}/update")
    with pytest.raises(StoreUnavailableError, match="union of its named graphs"):
        GraphStore.remote(plain)


def test_graph_store_settings_are_checked_and_never_show_the_password() -> None:
    with pytest.raises(SettingsError, match="CANCU_GRAPH_STORE"):
        Settings.from_env({"CANCU_GRAPH_STORE": "ftp://x.example"})
    with pytest.raises(SettingsError, match="graph_store_update"):
        Settings.from_env({"CANCU_GRAPH_STORE": "http://x.example", "CANCU_GRAPH_STORE_QUERY": "http://x.example/q"})  # fmt: skip
    with pytest.raises(SettingsError, match="needs graph_store"):
        Settings.from_env({"CANCU_GRAPH_STORE_QUERY": "http://x.example/q"})
    settings = Settings.from_env({"CANCU_GRAPH_STORE": "http://x.example", "CANCU_GRAPH_STORE_PASSWORD": "s3cret"})  # fmt: skip
    assert "s3cret" not in repr(settings) and settings.graph_store_password == "s3cret"


def test_workspace_ingests_into_the_server(oxigraph_server: OxigraphServer, tmp_path: Path) -> None:
    from search_api.workspace import Workspace

    oxigraph_server.clear()
    settings = Settings(home=tmp_path / "home", graph_store=oxigraph_server.url)
    with Workspace.from_settings(settings) as ws:
        report = ws.ingest([FIXTURES / "plan_small.txt"], index=False)
        assert report.added and not report.errors
        assert ws.graph.location == oxigraph_server.url
        assert not ws.graph.ensure_ontology()  # loaded when opened: not written again
        assert ws.graph.document_ids() == report.added
        assert ws.remove(report.added[0]) and ws.graph.document_ids() == []
    assert not (tmp_path / "home" / "graph").exists()  # nothing embedded was opened


def test_export_and_import_move_a_home_to_the_server(
    oxigraph_server: OxigraphServer, tmp_path: Path
) -> None:
    oxigraph_server.clear()
    home = tmp_path / "home"
    with GraphStore(home / "graph") as local:
        fill_two_plans_and_a_law(local)
        local.load_ontology()
        quads = set(local.export("nquads").decode().splitlines())

    from search_api.cli.commands import main

    def cancu(*args: str) -> Any:
        return CliRunner().invoke(main, ["--home", str(home), *args])

    dump = tmp_path / "home.nq"
    assert cancu("export", str(dump)).exit_code == 0
    assert set(dump.read_text("utf-8").splitlines()) == quads
    remote = ["--graph-store", oxigraph_server.url]
    moved = cancu(*remote, "import", str(dump))
    assert moved.exit_code == 0 and f"imported {len(quads)} quads" in moved.output
    again = cancu(*remote, "import", str(dump))
    assert again.exit_code == 1 and "--replace" in again.output
    broken = tmp_path / "broken.nq"
    broken.write_text(dump.read_text("utf-8") + "<a:b> <a:c> oops .\n", "utf-8")
    refused = cancu(*remote, "import", "--replace", str(broken))
    assert refused.exit_code == 1 and str(broken) in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    assert cancu(*remote, "import", "--replace", str(dump)).exit_code == 0
    back = tmp_path / "back.nq"
    assert cancu(*remote, "export", "-o", str(back)).exit_code == 0
    version = f"<{uris.ontology_graph_uri()}> <https://cancu.vn/ontology#contentHash>"
    exported = {line for line in back.read_text("utf-8").splitlines() if version not in line}
    assert exported == quads  # nothing lost or added (but the vocabulary's version mark)
    with GraphStore.remote(oxigraph_server.endpoints) as served:
        assert served.document_ids() == ["kh-bg", "kh-tq", "luat-cntt"]


READER = """
import sys, time
from graph.store import GraphStore
from graph.store_endpoints import StoreEndpoints
store = GraphStore.remote(StoreEndpoints.for_url(sys.argv[1]))
reads, deadline = 0, time.monotonic() + 30
while time.monotonic() < deadline:
    ids = store.document_ids()
    reads += 1
    if "kh-last" in ids:
        break
print(reads, len(ids))
"""


def test_processes_read_while_one_writes(oxigraph_server: OxigraphServer) -> None:
    oxigraph_server.clear()
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, oxigraph_server.url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    with GraphStore.remote(oxigraph_server.endpoints) as writer:
        for i in range(6):
            ingest(writer, f"kh-{i}", f"Tỉnh {i}", f"{i + 1}/KH-UBND")
        ingest(writer, "kh-last", "Tỉnh cuối", "99/KH-UBND")
    for reader in readers:
        out, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err
        reads, seen = map(int, out.split())
        assert reads >= 1 and seen == 7  # all committed documents, none half written
