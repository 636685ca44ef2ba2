"""A cancu home directory: document store, RDF graph and search index kept in step.

The composition root: ``Workspace`` wires the stores together and does no processing of
its own. ``ingest`` reads files, runs each source through ``ingest.pipeline`` (Document,
Extraction) and writes the result to the graph (one named graph per document), the
document store and the search index. Unchanged files (same content hash) are skipped, a
file that fails is reported and skipped while everything already stored stays, and
removing a document removes its facts, passages and vectors.

A legal status table among the ingested files (``legal_status*.csv``, see
``ingest.read.registry.is_status_table``) is not a document: its facts
(``graph.build.status``) become one named graph per table file, replaced when the file
is ingested again, and a copy of the table is kept in the home (``status/``) for
``check_basis``, which needs the rows the graph cannot tell apart (reused numbers).

The document store is the record of what was ingested: an ingest writes the graph, then
the store, then the index, so a process killed half-way can leave a document in the
store but not in the index, or a named graph nobody stored. ``reconcile`` (run when the
server starts) repairs that from the store, and costs a few set comparisons when
everything is in step.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.lang.law_names import LawNameTable
from ingest.lang.legal_status import LegalStatus, StatusTable, load_status_table
from ingest.model import Document
from ingest.pipeline import ProcessedDocument, as_file_error, process_source
from ingest.read import SourceText, read_paths
from ingest.read.registry import shown_path
from ontology import uris
from search_api.docstore import DocStore
from search_api.errors import HomeError
from search_api.reports import IngestReport, ReconcileReport
from search_api.retrieval.embedders import DEFAULT_EMBEDDER, parse_name
from search_api.retrieval.filters import SearchFilters
from search_api.retrieval.idf import IdfFn
from search_api.retrieval.index import SearchHit, SearchIndex

if TYPE_CHECKING:
    from graph.store import GraphStore
    from graph.store_endpoints import StoreEndpoints
    from search_api.qa import Answer
    from search_api.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stage is "read", "extract" or "index"."""


def index_progress(progress: Progress | None) -> Callable[[int, int], None]:
    """The index's progress(done, total) reported as the "index" stage."""

    def on_progress(done: int, total: int) -> None:
        if progress:
            progress("index", done, total)

    return on_progress


def graph_endpoints(settings: Settings) -> StoreEndpoints | None:
    """The SPARQL server the settings name (None: the embedded store in the home)."""
    if settings.graph_store == "embedded":
        return None
    from graph.store_endpoints import StoreEndpoints

    return StoreEndpoints.for_url(
        settings.graph_store,
        query=settings.graph_store_query,
        update=settings.graph_store_update,
        gsp=settings.graph_store_gsp,
        user=settings.graph_store_user,
        password=settings.graph_store_password,
    )


class Workspace:
    """``graph_store``: the SPARQL server holding this home's graph (one dataset per home:
    ``reconcile`` removes the named graphs of documents the home does not hold); None, the
    default: the embedded Oxigraph store in ``home/graph``."""

    def __init__(
        self,
        home: Path,
        embedder: str | None = None,
        graph_store: StoreEndpoints | None = None,
    ) -> None:
        self.home = Path(home)
        self.embedder_name = embedder or DEFAULT_EMBEDDER
        self.graph_store = graph_store
        parse_name(self.embedder_name)  # a bad name fails now, not at the first search
        try:
            self.home.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise HomeError(f"cannot use {self.home} as cancu home: {err.strerror or err}") from err
        if not os.access(self.home, os.W_OK | os.X_OK):
            # Every store writes (the graph's lock file at least): say so now, in one line.
            raise HomeError(f"cannot use {self.home} as cancu home: it is not writable")

    @classmethod
    def from_settings(cls, settings: Settings) -> Workspace:
        """The home, embedder and graph store the settings name."""
        return cls(settings.home, settings.embedder, graph_store=graph_endpoints(settings))

    @cached_property
    def docs(self) -> DocStore:
        return DocStore(self.home / "docs")

    @cached_property
    def graph(self) -> GraphStore:
        from graph.store import GraphStore  # rdflib and pyoxigraph load slowly: on first use

        if self.graph_store is not None:
            store = GraphStore.remote(self.graph_store)
        else:
            store = GraphStore(self.home / "graph")
        if self.graph_store is not None:
            store.ensure_ontology()  # a shared server: written only when it lacks this version
        else:
            store.load_ontology()
        return store

    @cached_property
    def index(self) -> SearchIndex:
        return SearchIndex(self.home / "index", embedder=self.embedder_name)

    @cached_property
    def laws(self) -> LawNameTable:
        return LawNameTable.default()

    # -- ingest -------------------------------------------------------------------------

    def ingest(
        self, paths: Iterable[Path], progress: Progress | None = None, *, index: bool = True
    ) -> IngestReport:
        """Ingest files and folders; one bad file never stops the others."""
        started = time.perf_counter()
        report = IngestReport()
        tables: list[Path] = []
        sources, errors = read_paths([Path(p) for p in paths], status_tables=tables)
        report.errors.extend(str(e) for e in errors)
        for table_path in tables:
            try:
                self._store_status_table(table_path)
            except Exception as err:  # noqa: BLE001 - a bad table must not stop the documents
                report.errors.append(str(err))
                continue
            report.status_tables.append(shown_path(table_path, None))
        changed: list[Document] = []
        indexed = self.index.document_ids() if index else set()
        total = len(sources)
        for i, source in enumerate(sources, 1):
            if progress:
                progress("extract", i - 1, total)
            if self._unchanged(source):
                report.unchanged.append(source.doc_id)
                if index and source.doc_id not in indexed:
                    # Ingested earlier with --no-index: index it now from the store.
                    stored = self.docs.get(source.doc_id)
                    if stored is not None:
                        changed.append(stored.document)
                continue
            existed = source.doc_id in self.docs.ids()
            try:
                processed = process_source(source, self.laws)
                self._store(processed)
            except Exception as err:  # noqa: BLE001 - one bad document must not stop the rest
                report.errors.append(str(as_file_error(source.source, err)))
                continue
            doc = processed.document
            (report.updated if existed else report.added).append(doc.id)
            changed.append(doc)
        if progress:
            progress("extract", total, total)
        if index:
            report.passages_indexed = self._index_documents(changed, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _store(self, processed: ProcessedDocument) -> None:
        """Write one processed document to the graph and the document store."""
        from graph.build.document import extraction_to_graph

        doc = processed.document
        graph = extraction_to_graph(processed.extraction)
        self.graph.replace_document(doc.id, graph, doc.content_hash)
        self.docs.put(doc, processed.extraction_json)

    def _store_status_table(self, path: Path) -> None:
        """Load a status table (a bad row is a ``LegalStatusTableError`` naming it), store
        its facts as the table's named graph and keep a copy for ``status_table``."""
        from graph.build.status import status_table_to_graph

        table = load_status_table(path)
        graph_uri = uris.status_graph_uri(path.name)
        self.graph.replace_graph(graph_uri, status_table_to_graph(table))
        folder = self.home / "status"
        folder.mkdir(exist_ok=True)
        copy = folder / f"{uris.slugify(path.stem)}.csv"
        shutil.copyfile(path, copy.with_suffix(".tmp"))
        os.replace(copy.with_suffix(".tmp"), copy)

    def status_table(self) -> StatusTable:
        """The rows of every status table ingested into this home (empty when none was):
        the facts ``check_basis`` classifies a plan's legal basis with."""
        rows: list[LegalStatus] = []
        for path in sorted((self.home / "status").glob("*.csv")):
            rows.extend(load_status_table(path).rows)
        return StatusTable(tuple(rows))

    def _unchanged(self, source: SourceText) -> bool:
        return (
            bool(source.content_hash)
            and self.docs.content_hash(source.doc_id) == source.content_hash
            and self.graph.document_hash(source.doc_id) == source.content_hash
        )

    def _index_documents(self, docs: list[Document], progress: Progress | None) -> int:
        if not docs:
            return 0

        added = self.index.add_documents(docs, progress=index_progress(progress))
        self.index.save()
        return added

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the search index from the document store: after a change of embedder,
        or when the index on disk is damaged.

        The new index is built in memory and committed as the next generation of the same
        home, beside the live one, by the manifest's atomic replace; until then the old
        index stays the committed one, so a crash or an error at any point leaves a
        working index. The embedding cache is kept, so texts already embedded with this
        embedder are not embedded again.
        """
        # Older versions built the new index in a staging folder; drop any left over.
        shutil.rmtree(self.home / "index.new", ignore_errors=True)
        fresh = SearchIndex(self.home / "index", embedder=self.embedder_name, empty=True)
        stored = [self.docs.get(i) for i in self.docs.ids()]
        docs = [s.document for s in stored if s is not None]

        try:
            added = fresh.add_documents(docs, progress=index_progress(progress))
            fresh.save()
        except BaseException:
            fresh.close()
            raise
        # Swap first, close after: a search running meanwhile finishes on the old index.
        old: SearchIndex | None = self.__dict__.get("index")
        self.__dict__["index"] = fresh
        if old is not None:
            old.close()
        return added

    def reconcile(self) -> ReconcileReport:
        """Bring the graph and the index in step with the document store, which records
        what was ingested: remove named graphs and index entries of documents it does not
        hold, rebuild the graph of a stored document that is missing or stale there, and
        index stored documents the index lacks or holds in another version.

        Cheap when everything is in step (id sets and content hashes compared); a
        document that cannot be repaired is reported in ``errors`` and left as it is.
        """
        from graph.build.document import extraction_to_graph
        from ingest.extract.extraction import extract

        report = ReconcileReport()
        stored_hash = {i: self.docs.content_hash(i) or "" for i in self.docs.ids()}
        for doc_id in sorted(set(self.graph.document_ids()) - set(stored_hash)):
            self.graph.remove_document(doc_id)
            report.graphs_removed.append(doc_id)
        indexed = self.index.snapshot().docs
        for doc_id in sorted(set(indexed) - set(stored_hash)):
            self.index.remove_document(doc_id)
            report.unindexed.append(doc_id)
        to_index: list[Document] = []
        for doc_id, content_hash in stored_hash.items():
            graph_stale = self.graph.document_hash(doc_id) != content_hash
            entry = indexed.get(doc_id)
            index_stale = entry is None or entry.get("content_hash") != content_hash
            if not (graph_stale or index_stale):
                continue
            try:
                stored = self.docs.get(doc_id)
                if stored is None:
                    continue
                if graph_stale:
                    graph = extraction_to_graph(extract(stored.document, self.laws))
                    self.graph.replace_document(doc_id, graph, content_hash)
                    report.graphs_rebuilt.append(doc_id)
            except Exception as err:  # noqa: BLE001 - one bad document must not stop the rest
                report.errors.append(f"{doc_id}: {err}")
                continue
            if index_stale:
                to_index.append(stored.document)
                report.indexed.append(doc_id)
        if to_index:
            self.index.add_documents(to_index)
        if to_index or report.unindexed:
            self.index.save()
        if not report.in_step:
            log.warning("home %s was out of step, repaired: %s", self.home, report.to_json())
        return report

    def remove(self, doc_id: str) -> bool:
        """Remove a document's facts, passages and vectors."""
        found = self.docs.remove(doc_id)
        found = self.graph.remove_document(doc_id) or found
        if doc_id in self.index.document_ids():
            self.index.remove_document(doc_id)
            self.index.save()
            found = True
        return found

    def close(self) -> None:
        """Release the graph store's lock and the index's files (safe to call twice)."""
        graph = self.__dict__.pop("graph", None)
        if graph is not None:
            graph.close()
        self._close_index()

    def _close_index(self) -> None:
        index: SearchIndex | None = self.__dict__.pop("index", None)
        if index is not None:
            index.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters | None = None,
        offset: int = 0,
    ) -> list[SearchHit]:
        return self.index.search(query, k=k, mode=mode, filters=filters, offset=offset)

    def document(self, doc_id: str) -> Document | None:
        """A stored document by id (None when unknown)."""
        stored = self.docs.get(doc_id)
        return stored.document if stored is not None else None

    def term_idf(self) -> IdfFn | None:
        """IDF of search terms over every indexed passage (None for an empty index)."""
        return self.index.term_idf()

    def ask(
        self,
        question: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
    ) -> Answer:
        from search_api.qa import answer

        return answer(question, self, k=k, filters=filters, mode=mode)

    def stats(self) -> dict[str, Any]:
        return {"home": str(self.home), "documents": len(self.docs.ids()), **self.graph.stats()}
