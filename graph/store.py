"""The RDF store: one named graph per ingested document, on Oxigraph or a SPARQL server.

``GraphStore`` is what every caller holds; the engine behind it is a ``StoreBackend``
(``graph.store_protocol``): the embedded Oxigraph store (``GraphStore(path)``, the
default, ``graph.embedded_store``) or any SPARQL 1.1 server
(``GraphStore.remote(endpoints)``, ``graph.remote_store``). The rules of the dataset live
here once: a document's named graph (URIs injective in the id:
``ontology.uris.document_slug``) carries its id and content hash, is replaced by one
SPARQL Update (``CLEAR`` + ``INSERT DATA``: one transaction, so a refused term leaves the
previous version) and refused with blank nodes (removal would not be exact); untrusted
queries pass the size cap and the guard with limits; the library's own ``select`` gets
the cancu prefixes; exports come out in the same formats from either engine.

``rdflib_graph()`` gives rdflib users a Dataset: over the very embedded store
(oxrdflib), or an in-memory copy of a remote one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from typing import Literal as TypingLiteral

import pyoxigraph as ox
import rdflib

from graph.embedded_store import EmbeddedBackend
from graph.errors import InvalidGraphError, QueryError, StoreNotEmptyError
from graph.sparql import QueryResult, output_bytes
from graph.sparql_guard import MAX_QUERY_BYTES, check_size
from graph.store_protocol import StoreBackend
from ontology import uris
from ontology.files import vocabulary_graph
from ontology.namespaces import CANCU, PREFIXES, SPARQL_PREFIXES

if TYPE_CHECKING:
    from graph.store_endpoints import StoreEndpoints

ExportFormat = TypingLiteral["turtle", "trig", "nquads", "jsonld"]

__all__ = ["GraphStore"]


def _nt_term(term: rdflib.term.Node) -> str:
    return term.n3()


def _insert_data(graph_uri: str, graph: rdflib.Graph) -> str:
    """The triples as one ``INSERT DATA`` block (N-Triples syntax is valid SPARQL)."""
    lines = [f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} ." for s, p, o in graph]
    return f"INSERT DATA {{ GRAPH <{graph_uri}> {{\n" + "\n".join(lines) + "\n} }"


def _check_iris(graph: rdflib.Graph) -> None:
    """InvalidGraphError for a relative or malformed IRI: a server would resolve a relative
    one against its own URL and store it; the embedded store refuses it. Checked here, the
    same for both."""
    seen: set[rdflib.URIRef] = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, rdflib.URIRef) and term not in seen:
                seen.add(term)
                try:
                    ox.NamedNode(str(term))
                except ValueError as exc:
                    raise InvalidGraphError(f"IRI <{term}>: {exc}") from None
        if isinstance(triple[2], rdflib.Literal) and triple[2].datatype is not None:
            try:
                ox.NamedNode(str(triple[2].datatype))
            except ValueError as exc:
                raise InvalidGraphError(f"datatype <{triple[2].datatype}>: {exc}") from None


def _insert_quads(quads: Iterable[Any]) -> str:
    """Quads (``pyoxigraph.Quad``) as one ``INSERT DATA`` block, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
        by_graph.setdefault(graph, []).append(f"{q.subject} {q.predicate} {q.object} .")
    blocks = [
        "\n".join(lines) if not graph else f"GRAPH {graph} {{\n" + "\n".join(lines) + "\n}"
        for graph, lines in by_graph.items()
    ]
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


class GraphStore:
    """Documents' named graphs in an Oxigraph store (``path=None``: in memory), or on the
    engine ``backend`` given (see ``GraphStore.remote``)."""

    def __init__(
        self, path: Path | str | None = None, *, backend: StoreBackend | None = None
    ) -> None:
        self.path = Path(path) if path is not None else None
        if backend is None:
            backend = EmbeddedBackend(self.path)
        self.backend: StoreBackend = backend
        # The embedded pyoxigraph.Store itself (None on a server): oxrdflib and tests use it.
        self._store: Any = backend.store if isinstance(backend, EmbeddedBackend) else None

    @classmethod
    def remote(cls, endpoints: StoreEndpoints) -> GraphStore:
        """The dataset on a SPARQL 1.1 server; ``StoreUnavailableError`` when it cannot be
        reached or does not query the union of its named graphs."""
        from graph.remote_store import RemoteBackend  # httpx: loaded only when used

        return cls(backend=RemoteBackend(endpoints))

    @property
    def location(self) -> str:
        """Where the data is, for messages: a directory, "memory" or a URL."""
        return self.backend.location

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
        try:
            _check_iris(graph)
        except InvalidGraphError as exc:
            raise InvalidGraphError(f"cannot store graph of {doc_id!r}: {exc}") from None
        legacy = self._legacy_graph(doc_id)
        drop_legacy = f"DROP SILENT GRAPH <{legacy}> ;\n" if legacy else ""
        try:
            update = f"{drop_legacy}CLEAR SILENT GRAPH <{g_uri}> ;\n" + _insert_data(
                g_uri, graph + meta
            )
        except Exception as exc:  # rdflib raises bare Exception for IRIs it cannot write
            raise InvalidGraphError(f"cannot store graph of {doc_id!r}: {exc}") from exc
        try:
            self.backend.update(update)
        except InvalidGraphError as exc:  # a term the engine refuses (relative IRI)
            raise InvalidGraphError(f"cannot store graph of {doc_id!r}: {exc}") from exc

    def replace_graph(self, graph_uri: str, graph: rdflib.Graph) -> None:
        """Swap a named graph that is no document's (a legal-status table's facts): not
        listed, counted or reconciled as a document, replaced in one transaction."""
        if any(isinstance(t, rdflib.BNode) for triple in graph for t in triple):
            raise InvalidGraphError(
                "graphs must not contain blank nodes (removal would not be exact)"
            )
        try:
            _check_iris(graph)
            update = f"CLEAR SILENT GRAPH <{graph_uri}> ;\n" + _insert_data(graph_uri, graph)
        except Exception as exc:  # rdflib raises bare Exception for IRIs it cannot write
            raise InvalidGraphError(f"cannot store graph <{graph_uri}>: {exc}") from exc
        try:
            self.backend.update(update)
        except InvalidGraphError as exc:
            raise InvalidGraphError(f"cannot store graph <{graph_uri}>: {exc}") from exc

    def remove_document(self, doc_id: str) -> bool:
        """Drop the document's named graph; other documents' facts on shared nodes stay."""
        found = False
        for g_uri in (uris.named_graph_uri(doc_id), self._legacy_graph(doc_id)):
            if g_uri is not None and self.backend.drop_graph(g_uri):
                found = True
        return found

    def _legacy_graph(self, doc_id: str) -> str | None:
        """The named graph this id had under the older, non-injective slug, when the store
        still holds it for this very id (homes written before ``uris.document_slug``)."""
        old = uris.legacy_named_graph_uri(doc_id)
        if old is None:
            return None
        ask = f"ASK {{ GRAPH <{old}> {{ <{old}> <{CANCU.docId}> {rdflib.Literal(doc_id).n3()} }} }}"
        return old if self._ask(ask) else None

    def load_ontology(self) -> None:
        """Put cancu.ttl and skos.ttl into their own named graph (replacing it)."""
        g = vocabulary_graph()
        g_uri = uris.ontology_graph_uri()
        self.backend.update(f"CLEAR SILENT GRAPH <{g_uri}> ;\n" + _insert_data(g_uri, g))

    def ensure_ontology(self) -> bool:
        """Load the vocabulary's graph unless the store already holds this very version
        (True when loaded): a store several processes share is not rewritten by every
        process that opens it, nor written at all by read-only ones."""
        g = vocabulary_graph()
        digest = hashlib.sha256(
            "\n".join(sorted(" ".join(t.n3() for t in triple) for triple in g)).encode()
        ).hexdigest()
        g_uri = uris.ontology_graph_uri()
        held = f'ASK {{ GRAPH <{g_uri}> {{ <{g_uri}> <{CANCU.contentHash}> "{digest}" }} }}'
        if self._ask(held):
            return False
        g.add((rdflib.URIRef(g_uri), CANCU.contentHash, rdflib.Literal(digest)))
        self.backend.update(f"CLEAR SILENT GRAPH <{g_uri}> ;\n" + _insert_data(g_uri, g))
        return True

    def import_nquads(self, data: bytes, *, replace: bool = False, source: str = "") -> int:
        """Load a whole dataset (N-Quads) as one transaction; the number of quads.

        The data is parsed first (``InvalidGraphError`` naming ``source`` and the problem:
        nothing written). Into a store holding any graph but the vocabulary's only with
        ``replace``, which drops everything in the same transaction (else
        ``StoreNotEmptyError``).
        """
        shown = f"{source}: " if source else ""
        try:
            quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
        except SyntaxError as exc:
            raise InvalidGraphError(f"{shown}not valid N-Quads: {exc}") from None
        if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
            raise InvalidGraphError(
                f"{shown}graphs must not contain blank nodes (removal would not be exact)"
            )
        ontology = uris.ontology_graph_uri()
        held = f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{ontology}>) }}"
        if not replace and self._ask(held):
            raise StoreNotEmptyError(
                f"the graph store at {self.location} already holds documents: import with "
                "--replace to drop everything it holds"
            )
        try:
            self.backend.update("DROP SILENT ALL ;\n" + _insert_quads(quads))
        except InvalidGraphError as exc:
            raise InvalidGraphError(f"{shown}{exc}") from exc
        return len(quads)

    # ------------------------------------------------------------------ reads

    def document_hash(self, doc_id: str) -> str | None:
        g_uri = uris.named_graph_uri(doc_id)
        rows = self._rows(
            f"SELECT ?h WHERE {{ GRAPH <{g_uri}> {{ <{g_uri}> <{CANCU.contentHash}> ?h }} }}"
        )
        return str(rows[0]["h"]) if rows else None

    def document_ids(self) -> list[str]:
        query = f"SELECT ?id WHERE {{ GRAPH ?g {{ ?g <{CANCU.docId}> ?id }} }} ORDER BY ?id"
        return [str(row["id"]) for row in self._rows(query)]

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
        parsing; updates and SERVICE are refused with ``QueryError``; embedded, the query
        runs in a child process killed at the time limit (no CPU left burning), without
        network. Truncation and time-outs are reported in the result (``.truncated`` /
        ``.timed_out``), never hidden.
        """
        check_size(sparql, max_bytes)
        return self.backend.run_untrusted(sparql, timeout_s=timeout_s, max_rows=max_rows)

    def select(
        self, sparql: str, *, timeout_s: float = 30, max_rows: int = 100000
    ) -> list[dict[str, Any]]:
        """The library's own SELECTs: cancu prefixes prepended, python values back."""
        # Our own query text (user input only through graph/queries/terms.py): no guard.
        return self._rows(SPARQL_PREFIXES + sparql, timeout_s=timeout_s, max_rows=max_rows)

    def _rows(
        self, sparql: str, *, timeout_s: float = 30, max_rows: int = 100000
    ) -> list[dict[str, Any]]:
        result = self.backend.run_trusted(
            sparql, form="SELECT", timeout_s=timeout_s, max_rows=max_rows
        )
        if result.timed_out:
            raise QueryError(f"query timed out after {timeout_s}s")
        return result.rows

    def _ask(self, sparql: str) -> bool:
        result = self.backend.run_trusted(sparql, form="ASK", timeout_s=30, max_rows=1)
        if result.timed_out:
            raise QueryError("query timed out after 30s")
        return bool(result.boolean)

    def count(self, pattern: str) -> int:
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(rows[0]["n"]) if rows else 0

    def stats(self) -> dict[str, int]:
        """Sizes of the graph for dashboards and health checks."""
        triples = self.backend.quad_count()
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
        graph = uris.named_graph_uri(doc_id) if doc_id else None
        if fmt in ("trig", "nquads"):
            rdf_format = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS
            if graph is None:
                return self.backend.dump(rdf_format, _prefixes() if fmt == "trig" else None)
            return output_bytes(ox.serialize(self.backend.quads(graph), format=rdf_format))
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in self.backend.quads(graph)]
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
        """An rdflib Dataset over this very store (oxrdflib), for rdflib-based code; on a
        SPARQL server, an in-memory copy of its named graphs.

        Its default graph is the union of the named graphs. Prefer ``query`` for SPARQL:
        oxrdflib forwards it to Oxigraph only for plain strings (``prepareQuery`` falls
        back to rdflib's slow engine) and variables in ``initBindings`` must be projected.
        """
        from oxrdflib import OxigraphStore

        store = self._store
        if store is None:
            store = ox.Store()
            store.extend(self.backend.quads())
        return rdflib.Dataset(store=OxigraphStore(store=store), default_union=True)

    def flush(self) -> None:
        self.backend.flush()

    def close(self) -> None:
        """Flush and release the store (the RocksDB lock, or the server's connections);
        the object must not be used afterwards."""
        self._store = None
        self.backend.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _prefixes() -> dict[str, str]:
    return dict(PREFIXES)


def _dedup(triples: list[ox.Triple]) -> list[ox.Triple]:
    """A triple stated by two documents appears once in a merged Turtle/JSON-LD view."""
    return list(dict.fromkeys(triples))
