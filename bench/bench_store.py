"""Graph store bench: the embedded Oxigraph store against an Oxigraph server, in one run.

Builds the graph of the shipped corpus exactly as ``cancu ingest`` writes it (ontology,
legal-status table, one named graph per document), then a synthetic graph ten times its
size (copies of every document graph under new document URIs: the nodes a document alone
describes are renamed per copy, the legal documents several documents cite stay shared,
so copies cite the same decrees as more plans would). At each size, on each backend (an
on-disk embedded store, and ``oxigraph serve`` on loopback with its own on-disk store):

- load: the whole dataset imported in one transaction (``GraphStore.import_nquads``, what
  ``cancu import`` does), and p50 of replacing one plan's graph (the ingest write);
- p50 / p95 of the bench queries: what ``graph.queries`` and the API ask (citations of a
  plan, plans citing a decree, a legal document, overview counts and charts, suggest,
  stats) through ``select``, and SPARQL examples (``docs/queries/*.rq`` and the API
  bench's) through ``query``, the untrusted path with its guard and limits.

Target: remote p95 within 2x of embedded on every query.

    python bench/bench_store.py [--reps 30] [--copies 10] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import rdflib

from graph import queries as q
from graph.build import extraction_to_graph
from graph.build.status import status_table_to_graph
from graph.errors import QueryError
from graph.queries.overview import citations_by_year, indicator_groups, most_cited_by_use
from graph.queries.suggest import suggest
from graph.store import GraphStore
from graph.store_endpoints import StoreEndpoints
from ingest.lang.law_names import LawNameTable
from ingest.lang.legal_status import load_status_table
from ingest.pipeline import process_source
from ingest.read import read_paths
from ontology import uris

ROOT = Path(__file__).resolve().parents[1]
DOC_ID = "https://cancu.vn/ontology#docId"
API_SPARQL = [
    """PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX cancu: <https://cancu.vn/ontology#>
SELECT ?number (COUNT(DISTINCT ?plan) AS ?n) WHERE { ?c a cancu:Citation ; cancu:citedDocument ?l ;
cancu:citingDocument ?plan . ?l eli:id_local ?number } GROUP BY ?number ORDER BY DESC(?n) LIMIT 10""",
    "SELECT ?d WHERE { GRAPH ?g { ?d a <http://data.europa.eu/eli/ontology#LegalResource> } } LIMIT 20",
]  # fmt: skip


# ---------------------------------------------------------------- the data


def corpus_dataset(paths: list[Path]) -> tuple[bytes, rdflib.Graph, str]:
    """The corpus graph as N-Quads (as ``cancu ingest`` writes it), one plan's graph and id."""
    tables: list[Path] = []
    sources, _ = read_paths(paths, status_tables=tables)
    store = GraphStore()
    store.load_ontology()
    for table in tables:
        graph = status_table_to_graph(load_status_table(table))
        store.replace_graph(uris.status_graph_uri(table.name), graph)
    laws = LawNameTable.default()
    plan: tuple[rdflib.Graph, str] | None = None
    for source in sources:
        processed = process_source(source, laws)
        doc = processed.document
        graph = extraction_to_graph(processed.extraction)
        store.replace_document(doc.id, graph, doc.content_hash)
        if plan is None and doc.kind == "plan":
            plan = (graph, doc.id)
    assert plan is not None, "the corpus holds no plan"
    return store.export("nquads"), plan[0], plan[1]


def synthetic(data: bytes, copies: int) -> bytes:
    """The dataset plus ``copies - 1`` copies of every document graph (module doc)."""
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    docs = {q.graph_name for q in quads if q.predicate.value == DOC_ID}
    graphs_of: dict[Any, set[Any]] = {}
    for quad in quads:
        if quad.graph_name in docs and isinstance(quad.subject, ox.NamedNode):
            graphs_of.setdefault(quad.subject, set()).add(quad.graph_name)
    owned = {node for node, graphs in graphs_of.items() if len(graphs) == 1}
    out = list(quads)
    for k in range(1, copies):

        def renamed(term: Any, k: int = k) -> Any:
            if term in owned or term in docs:
                return ox.NamedNode(f"{term.value}-c{k}")
            return term

        for quad in quads:
            if quad.graph_name not in docs:
                continue
            obj = quad.object
            if quad.predicate.value == DOC_ID:
                obj = ox.Literal(f"{obj.value}-c{k}")
            out.append(
                ox.Quad(
                    renamed(quad.subject), quad.predicate, renamed(obj), renamed(quad.graph_name)
                )
            )
    return bytes(ox.serialize(out, format=ox.RdfFormat.N_QUADS) or b"")


# ---------------------------------------------------------------- the server


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = Path(sys.executable).parent / "oxigraph"
    command = str(binary) if binary.exists() else shutil.which("oxigraph")
    if command is None:
        raise SystemExit("the oxigraph server is not installed: pip install oxigraph")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [command, "serve", "--location", str(root), "--bind", f"127.0.0.1:{port}",
         "--timeout-s", "60"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("oxigraph serve did not start")


# ---------------------------------------------------------------- the measures


def bench_queries(plan_id: str) -> list[tuple[str, Callable[[GraphStore], Any]]]:
    rq = sorted((ROOT / "docs" / "queries").glob("*.rq"))
    found: list[tuple[str, Callable[[GraphStore], Any]]] = [
        ("citations_of(plan)", lambda s: q.citations_of(s, plan_id)),
        ("cited_by(64/2007/NĐ-CP)", lambda s: q.cited_by(s, "64/2007/NĐ-CP")),
        ("legal_document(64/2007)", lambda s: q.legal_document(s, "64/2007/NĐ-CP")),
        ("resolve_number(Nghị định 64)", lambda s: q.resolve_number(s, "Nghị định 64")),
        ("most_cited", lambda s: q.most_cited(s)),
        ("overview: most_cited_by_use", most_cited_by_use),
        ("overview: citations_by_year", citations_by_year),
        ("overview: indicator_groups", indicator_groups),
        ("documents", lambda s: q.documents(s)),
        ("suggest(nghi dinh 64)", lambda s: suggest(s, "nghi dinh 64")),
        ("stats (overview counts)", lambda s: s.stats()),
    ]
    for path in rq:
        text = path.read_text("utf-8")
        found.append((f"sparql: {path.name}", lambda s, t=text: s.query(t, timeout_s=60)))
    for i, text in enumerate(API_SPARQL, 1):
        found.append((f"sparql: bench_api #{i}", lambda s, t=text: s.query(t, timeout_s=60)))
    return found


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(
    store: GraphStore, ask: Callable[[GraphStore], Any], reps: int, budget_s: float
) -> tuple[float, float, int] | None:
    """(p50 ms, p95 ms, samples) of ``ask``: ``reps`` runs, fewer (at least 3) past
    ``budget_s``; None when the store's time limit stopped it (QueryError)."""
    try:
        ask(store)  # warm: caches, connections, the page cache
        samples: list[float] = []
        spent = time.perf_counter()
        while len(samples) < reps and (len(samples) < 3 or time.perf_counter() - spent < budget_s):
            started = time.perf_counter()
            ask(store)
            samples.append(time.perf_counter() - started)
    except QueryError:
        return None
    return (*percentiles(samples), len(samples))


def measure(
    store: GraphStore,
    data: bytes,
    plan: tuple[rdflib.Graph, str],
    reps: int,
    plan_id: str,
    budget_s: float,
) -> dict[str, Any]:
    started = time.perf_counter()
    quads = store.import_nquads(data, replace=True)
    load_s = time.perf_counter() - started
    graph, doc_id = plan
    writes = []
    for _ in range(5):
        started = time.perf_counter()
        store.replace_document(doc_id, graph, "bench")
        writes.append(time.perf_counter() - started)
    result: dict[str, Any] = {
        "quads": quads,
        "load_s": load_s,
        "replace_one_plan_ms": statistics.median(writes) * 1000,
        "queries": {},
    }
    for name, ask in bench_queries(plan_id):
        result["queries"][name] = timed(store, ask, reps, budget_s)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+", default=[ROOT / "corpus"])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--budget", type=float, default=15, help="seconds per query and store")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    base, plan_graph, plan_id = corpus_dataset(args.corpus)
    print(f"corpus graph built in {time.perf_counter() - started:.1f} s", flush=True)
    plan = (plan_graph, plan_id)
    sizes = {"corpus": base, f"{args.copies}x": synthetic(base, args.copies)}
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-store-") as tmp:
        for size, data in sizes.items():
            embedded = GraphStore(Path(tmp) / f"embedded-{size}")
            proc, url = start_server(Path(tmp) / f"server-{size}")
            remote = GraphStore.remote(StoreEndpoints.for_url(url))
            try:
                report[size] = {
                    "embedded": measure(embedded, data, plan, args.reps, plan_id, args.budget),
                    "server": measure(remote, data, plan, args.reps, plan_id, args.budget),
                }
            finally:
                remote.close()
                embedded.close()
                proc.terminate()
                proc.wait(10)
            print_size(size, report[size])
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), "utf-8")


def print_size(size: str, result: dict[str, Any]) -> None:
    local, served = result["embedded"], result["server"]
    print(f"\n## {size}: {local['quads']} quads")
    print("| measure | embedded | Oxigraph server | ratio |")
    print("|---|---|---|---|")
    print(f"| load (import, one transaction) | {local['load_s']:.2f} s | {served['load_s']:.2f} s "
          f"| {served['load_s'] / local['load_s']:.2f} |")  # fmt: skip
    a, b = local["replace_one_plan_ms"], served["replace_one_plan_ms"]
    print(f"| replace one plan, p50 | {a:.1f} ms | {b:.1f} ms | {b / a:.2f} |")
    ratios = []
    for name, local_q in local["queries"].items():
        served_q = served["queries"][name]
        if local_q is None or served_q is None:
            shown = [
                f"{x[0]:.2f} / {x[1]:.2f} ms" if x else "timed out" for x in (local_q, served_q)
            ]
            print(f"| {name}, p50 / p95 | {shown[0]} | {shown[1]} | - |")
            continue
        (p50, p95, n), (r50, r95, _) = local_q, served_q
        ratios.append(r95 / p95)
        print(f"| {name}, p50 / p95 (n={n}) | {p50:.2f} / {p95:.2f} ms | {r50:.2f} / {r95:.2f} ms "
              f"| {r95 / p95:.2f} |")  # fmt: skip
    within = sum(r <= 2 for r in ratios)
    print(f"\np95 ratio server/embedded: median {statistics.median(ratios):.2f}, "
          f"max {max(ratios):.2f}; within 2x: {within}/{len(ratios)}")  # fmt: skip


if __name__ == "__main__":
    main()
