"""The persistent RDF store: one named graph per ingested document, on Oxigraph.

Why pyoxigraph directly: loading and SPARQL through rdflib's own engine are orders of
magnitude slower; ``rdflib_graph()`` still gives rdflib users a Dataset over the same
store (oxrdflib), sharing the open ``pyoxigraph.Store`` (RocksDB allows one writer
process, so opening the directory twice would fail).

Concurrency: a ``GraphStore`` may be shared by many threads; concurrent readers are fine
(Oxigraph reads from snapshots). ``query`` (untrusted text) runs each query in a child
process killed at its time limit (``graph.sparql_worker``); the library's own ``select``
runs in a thread of this process (no fork cost). Each write (``replace_document``,
``remove_document``, ``load_ontology``) is one SPARQL Update, i.e. one transaction: it
either fully applies or leaves the already ingested data untouched.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import Any
from typing import Literal as TypingLiteral

import pyoxigraph as ox
import rdflib

from graph.errors import InvalidGraphError, QueryError, StoreLockedError
from graph.sparql import QueryResult, output_bytes, run_query
from graph.sparql_guard import MAX_QUERY_BYTES, check_size
from graph.sparql_worker import NetworkBlocker, fork_supported, run_isolated
from ontology import uris
from ontology.files import vocabulary_graph
from ontology.namespaces import CANCU, PREFIXES, SPARQL_PREFIXES

ExportFormat = TypingLiteral["turtle", "trig", "nquads", "jsonld"]

__all__ = ["GraphStore"]


def _open_store(path: Path) -> ox.Store:
    """The Oxigraph store in ``path``; StoreLockedError when another process holds it."""
    try:
        return ox.Store(str(path))
    except OSError as exc:
        # RocksDB's words: "While lock file: <path>/LOCK: Resource temporarily unavailable"
        # (another process), "lock hold by current process" (this one).
        if not any(words in str(exc) for words in ("While lock file", "lock hold by")):
            raise
        if "lock hold by" in str(exc):
            # This process: a store closed while an exception's frames still held it is
            # freed once those frames are collected.
            gc.collect()
            try:
                return ox.Store(str(path))
            except OSError:
                pass
        raise StoreLockedError(
            f"the graph store in {path} is locked: another cancu process (a server or a "
            "command) has it open; stop it or use another home directory"
        ) from exc


def _nt_term(term: rdflib.term.Node) -> str:
    return term.n3()


def _insert_data(graph_uri: str, graph: rdflib.Graph) -> str:
    """The triples as one ``INSERT DATA`` block (N-Triples syntax is valid SPARQL)."""
    lines = [f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} ." for s, p, o in graph]
    return f"INSERT DATA {{ GRAPH <{graph_uri}> {{\n" + "\n".join(lines) + "\n} }"


class GraphStore:
    """Documents' named graphs in an Oxigraph store (``path=None``: in memory)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        if self.path is not None:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = _open_store(self.path)
        else:
            self._store = ox.Store()
        self._write_lock = threading.Lock()
        self._network_blocker = NetworkBlocker()  # prepared here: children only apply it

    # ------------------------------------------------------------------ writes

    def replace_document(self, doc_id: str, graph: rdflib.Graph, content_hash: str) -> None:
        """Atomically swap the document's named graph for ``graph`` (+ id and hash).

        One SPARQL Update: CLEAR then INSERT DATA in a single transaction, so a failure
        (bad term, full disk) leaves the previous version in place.
        """
        g_uri = uris.named_graph_uri(doc_id)
        meta = rdflib.Graph()
        node = rdflib.URIRef(g_uri)
        meta.add((node, CANCU.docId, rdflib.Literal(doc_id)))
        meta.add((node, CANCU.contentHash, rdflib.Literal(content_hash)))
        if any(isinstance(t, rdflib.BNode) for triple in graph for t in triple):
            raise InvalidGraphError(
                "document graphs must not contain blank nodes (removal would not be exact)"
            )
        legacy = self._legacy_graph(doc_id)
        drop_legacy = f"DROP SILENT GRAPH <{legacy}> ;\n" if legacy else ""
        try:
            update = f"{drop_legacy}CLEAR SILENT GRAPH <{g_uri}> ;\n" + _insert_data(
                g_uri, graph + meta
            )
        except Exception as exc:  # rdflib raises bare Exception for IRIs it cannot write
            raise InvalidGraphError(f"cannot store graph of {doc_id!r}: {exc}") from exc
        with self._write_lock:
            try:
                self._store.update(update)
            except (SyntaxError, ValueError) as exc:  # a term Oxigraph refuses (relative IRI)
                raise InvalidGraphError(f"cannot store graph of {doc_id!r}: {exc}") from exc

    def replace_graph(self, graph_uri: str, graph: rdflib.Graph) -> None:
        """Swap a named graph that is no document's (a legal-status table's facts): not
        listed, counted or reconciled as a document, replaced in one transaction."""
        if any(isinstance(t, rdflib.BNode) for triple in graph for t in triple):
            raise InvalidGraphError(
                "graphs must not contain blank nodes (removal would not be exact)"
            )
        try:
            update = f"CLEAR SILENT GRAPH <{graph_uri}> ;\n" + _insert_data(graph_uri, graph)
        except Exception as exc:  # rdflib raises bare Exception for IRIs it cannot write
            raise InvalidGraphError(f"cannot store graph <{graph_uri}>: {exc}") from exc
        with self._write_lock:
            try:
                self._store.update(update)
            except (SyntaxError, ValueError) as exc:
                raise InvalidGraphError(f"cannot store graph <{graph_uri}>: {exc}") from exc

    def remove_document(self, doc_id: str) -> bool:
        """Drop the document's named graph; other documents' facts on shared nodes stay."""
        found = False
        for g_uri in (uris.named_graph_uri(doc_id), self._legacy_graph(doc_id)):
            if g_uri is None:
                continue
            with self._write_lock:
                if self._has_graph(ox.NamedNode(g_uri)):
                    self._store.update(f"DROP SILENT GRAPH <{g_uri}>")
                    found = True
        return found

    def _has_graph(self, node: ox.NamedNode) -> bool:
        return next(iter(self._store.quads_for_pattern(None, None, None, node)), None) is not None

    def _legacy_graph(self, doc_id: str) -> str | None:
        """The named graph this id had under the older, non-injective slug, when the store
        still holds it for this very id (homes written before ``uris.document_slug``)."""
        old = uris.legacy_named_graph_uri(doc_id)
        if old is None:
            return None
        node = ox.NamedNode(old)
        owner = ox.Literal(doc_id)
        quads = self._store.quads_for_pattern(node, ox.NamedNode(str(CANCU.docId)), owner, node)
        return old if next(iter(quads), None) is not None else None

    def load_ontology(self) -> None:
        """Put cancu.ttl and skos.ttl into their own named graph (replacing it)."""
        g = vocabulary_graph()
        g_uri = uris.ontology_graph_uri()
        with self._write_lock:
            self._store.update(f"CLEAR SILENT GRAPH <{g_uri}> ;\n" + _insert_data(g_uri, g))

    # ------------------------------------------------------------------ reads

    def document_hash(self, doc_id: str) -> str | None:
        g_uri = uris.named_graph_uri(doc_id)
        quads = self._store.quads_for_pattern(
            ox.NamedNode(g_uri), ox.NamedNode(str(CANCU.contentHash)), None, ox.NamedNode(g_uri)
        )
        for q in quads:
            return q.object.value if isinstance(q.object, ox.Literal) else None
        return None

    def document_ids(self) -> list[str]:
        query = f"SELECT ?id WHERE {{ GRAPH ?g {{ ?g <{CANCU.docId}> ?id }} }} ORDER BY ?id"
        rows = self._store.query(query)
        return [sol["id"].value for sol in rows] if isinstance(rows, ox.QuerySolutions) else []

    def query(
        self,
        sparql: str,
        *,
        timeout_s: float = 10,
        max_rows: int = 10000,
        max_bytes: int = MAX_QUERY_BYTES,
    ) -> QueryResult:
        """Read-only SPARQL over the union of all named graphs, with a time limit and a row cap.

        For untrusted text: refused over ``max_bytes`` (``QueryTooLargeError``) before any
        parsing; updates and SERVICE are refused with ``QueryError``; the query runs in a
        child process killed at the time limit (no CPU left burning), without network.
        Truncation and time-outs are reported in the result (``.truncated`` /
        ``.timed_out``), never hidden.
        """
        check_size(sparql, max_bytes)
        if not fork_supported():
            return run_query(self._store, sparql, timeout_s=timeout_s, max_rows=max_rows)
        return run_isolated(
            self._store,
            sparql,
            timeout_s=timeout_s,
            max_rows=max_rows,
            fork_lock=self._write_lock,
            blocker=self._network_blocker,
        )

    def select(
        self, sparql: str, *, timeout_s: float = 30, max_rows: int = 100000
    ) -> list[dict[str, Any]]:
        """The library's own SELECTs: cancu prefixes prepended, python values back."""
        # Our own query text (user input only through graph/queries/terms.py): in a thread.
        result = run_query(
            self._store,
            SPARQL_PREFIXES + sparql,
            timeout_s=timeout_s,
            max_rows=max_rows,
            trusted_form="SELECT",
        )
        if result.timed_out:
            raise QueryError(f"query timed out after {timeout_s}s")
        return result.rows

    def count(self, pattern: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(rows[0]["n"]) if rows else 0

    def stats(self) -> dict[str, int]:
        """Sizes of the graph for dashboards and health checks."""
        triples = len(self._store)
        return {
            "documents": len(self.document_ids()),
            "triples": triples,
            "legal_documents_cited": self.count("SELECT DISTINCT ?x WHERE { ?d eli:cites ?x }"),
            "citations": self.count("SELECT DISTINCT ?c WHERE { ?c a cancu:Citation }"),
            "agencies": self.count("SELECT DISTINCT ?a WHERE { ?a a org:Organization }"),
            "projects": self.count("SELECT DISTINCT ?p WHERE { ?p a cancu:Project }"),
            "targets": self.count("SELECT DISTINCT ?t WHERE { ?t a cancu:Target }"),
        }

    # ------------------------------------------------------------------ export

    def export(self, fmt: ExportFormat = "trig", *, doc_id: str | None = None) -> bytes:
        """The whole store (or one document's graph) as Turtle, TriG, N-Quads or JSON-LD."""
        graph = ox.NamedNode(uris.named_graph_uri(doc_id)) if doc_id else None
        if fmt in ("trig", "nquads"):
            rdf_format = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS
            if graph is None:
                return output_bytes(
                    self._store.dump(
                        format=rdf_format, prefixes=_prefixes() if fmt == "trig" else None
                    )
                )
            quads = self._store.quads_for_pattern(None, None, None, graph)
            return output_bytes(ox.serialize(quads, format=rdf_format))
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self._store.quads_for_pattern(None, None, None, graph)
        ]
        if fmt == "turtle":
            return output_bytes(
                ox.serialize(_dedup(triples), format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
            )
        if fmt == "jsonld":
            return output_bytes(
                ox.serialize(_dedup(triples), format=ox.RdfFormat.JSON_LD, prefixes=_prefixes())
            )
        raise QueryError(f"unknown export format {fmt!r}")

    def rdflib_graph(self) -> rdflib.Dataset:
        """An rdflib Dataset over this very store (oxrdflib), for rdflib-based code.

        Its default graph is the union of the named graphs. Prefer ``query`` for SPARQL:
        oxrdflib forwards it to Oxigraph only for plain strings (``prepareQuery`` falls
        back to rdflib's slow engine) and variables in ``initBindings`` must be projected.
        """
        from oxrdflib import OxigraphStore

        return rdflib.Dataset(store=OxigraphStore(store=self._store), default_union=True)

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        """Flush and release the RocksDB lock (the object must not be used afterwards)."""
        self.flush()
        del self._store
        # The lock goes with the last reference: frames kept by reference cycles (the
        # rdflib/pyparsing parser's exceptions hold the stack that called it) can hold one.
        gc.collect()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _prefixes() -> dict[str, str]:
    return dict(PREFIXES)


def _dedup(triples: list[ox.Triple]) -> list[ox.Triple]:
    """A triple stated by two documents appears once in a merged Turtle/JSON-LD view."""
    return list(dict.fromkeys(triples))
