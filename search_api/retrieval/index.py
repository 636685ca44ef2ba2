"""SearchIndex: passages of cancu Documents, searchable by dense, BM25 or hybrid ranking.

One home directory holds everything: ``manifest.json`` (the commit point: embedder,
dimension, current generation and its files), the passage records, the dense index, the
lexical index and the embedding cache. ``save()`` commits a new generation (see
``generations``); a crash at any point leaves the last committed generation intact.
Passage records are built in ``records``.

Safe under concurrent reads: the state searches read is an immutable ``IndexSnapshot``
(records, lexical and dense indexes aligned row for row); writers, serialised by a lock,
build the next snapshot from copies and swap the reference in one assignment.

Incremental by construction: a passage is keyed by (document id, passage id); re-adding
an unchanged document does nothing, a changed one has its vanished passages removed and
only its new passages embedded (and even those usually come from the embedding cache).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ingest.model import Document
from search_api.errors import IndexMismatchError, InvalidSearchError
from search_api.retrieval.dense import DenseIndex, check_embedder
from search_api.retrieval.embedders import DEFAULT_EMBEDDER, Embedder, get_embedder
from search_api.retrieval.embedding_cache import EmbeddingCache
from search_api.retrieval.filters import SearchFilters, filter_mask
from search_api.retrieval.generations import (
    FORMAT_VERSION,
    delete_other_generations,
    last_generation,
    read_manifest,
    read_passages,
    write_manifest,
    write_passages,
)
from search_api.retrieval.hits import SearchHit, collapse_hits
from search_api.retrieval.hybrid import (
    DEPTH,
    HybridOptions,
    candidates_from_scores,
    rank_hybrid,
    top_rows,
)
from search_api.retrieval.idf import IdfFn
from search_api.retrieval.lexical import LexicalIndex
from search_api.retrieval.records import document_records, index_text
from search_api.retrieval.seed_vectors import shipped_seeds
from search_api.retrieval.snapshot import IndexSnapshot
from search_api.retrieval.tokenize import clean_query, has_search_terms, terms
from search_api.timing import stage

MODES = ("hybrid", "dense", "bm25")
Progress = Callable[[int, int], None]


class SearchIndex:
    """Dense + BM25 + hybrid search over passages, persisted in ``home``."""

    def __init__(
        self,
        home: Path,
        embedder: str = DEFAULT_EMBEDDER,
        *,
        fusion: str = "convex",
        dense_weight: float = 0.5,
        analyzer: str = "both",
        dense_kind: str = "auto",
        cache_path: Path | None = None,
        recreate: bool = False,
        clean_queries: bool = True,
        empty: bool = False,
        law_boost: float = 0.0,
        province_boost: float = 0.0,
    ) -> None:
        """Open (or create) the index in ``home``.

        Opening an index built with another embedder raises ``IndexMismatchError``;
        ``recreate=True`` instead keeps the passages and re-embeds them (through the cache)
        with the new embedder on first use. ``empty=True`` starts with no passages and
        ignores what is on disk (even a damaged index): a rebuild, which replaces the
        committed generation only when ``save()`` commits. ``law_boost`` and
        ``province_boost`` add hybrid score features for passages of the law/document or
        province the question names (``doc_boost``; 0 = off).
        """
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.embedder_name = embedder
        self.hybrid = HybridOptions(fusion, dense_weight, law_boost, province_boost)
        self.dense_kind = dense_kind
        self.clean_queries = clean_queries
        # Seeded with the shipped corpus's vectors: ingesting corpus/ embeds nothing.
        self.cache = EmbeddingCache(
            cache_path or self.home / "embeddings.sqlite", seeds=shipped_seeds()
        )
        self._embedder: Embedder | None = None
        self._snapshot = IndexSnapshot.empty(analyzer)
        # Serialises writers (add, remove, save, building missing vectors); never held
        # by a search.
        self._write_lock = threading.RLock()
        self._gen = 0
        if not empty:
            self._load(recreate)

    # -- the current snapshot ----------------------------------------------------------

    def snapshot(self) -> IndexSnapshot:
        """The current state; it never changes, so several reads of one answer can agree."""
        return self._snapshot

    @property
    def records(self) -> Sequence[dict[str, Any]]:
        return self._snapshot.records

    @property
    def docs(self) -> dict[str, dict[str, Any]]:
        return dict(self._snapshot.docs)

    @property
    def lexical(self) -> LexicalIndex:
        return self._snapshot.lexical

    # -- persistence -------------------------------------------------------------------

    def _load(self, recreate: bool) -> None:
        manifest = read_manifest(self.home)
        if manifest is None:
            return
        mismatch = manifest["embedder"] != self.embedder_name
        if mismatch and not recreate:
            check_embedder(
                self.home, manifest["embedder"], manifest["dim"], self.embedder_name, None
            )
        self._gen = int(manifest["gen"])
        stored = read_passages(self.home, self._gen)
        records = tuple(stored["records"])
        lexical = LexicalIndex.load(self.home / f"lexical-{self._gen}.json.gz")
        dense = None
        if not mismatch:
            dim = int(manifest["dim"])
            dense = DenseIndex.load(self.home, self._gen, self.embedder_name, dim)
        keys = [r["key"] for r in records]
        if lexical.ids != keys or (dense is not None and dense.ids != keys):
            raise IndexMismatchError(
                f"the index at {self.home} is inconsistent; rebuild it (cancu reindex)"
            )
        self._snapshot = IndexSnapshot(records, dict(stored["docs"]), lexical, dense)

    def save(self) -> None:
        """Commit the current state as a new generation (atomic via the manifest)."""
        with self._write_lock:
            dense = self._dense_of(self._snapshot)
            snap = self._snapshot
            # Above every generation on disk, so a committed file is never overwritten.
            gen = max(self._gen, last_generation(self.home)) + 1
            payload = {"records": list(snap.records), "docs": dict(snap.docs)}
            files = [write_passages(self.home, gen, payload)]
            files.append(snap.lexical.save(self.home, gen))
            files.extend(dense.save(self.home, gen))
            manifest = {
                "version": FORMAT_VERSION,
                "embedder": self.embedder_name,
                "dim": dense.dim,
                "gen": gen,
                "files": files,
                "analyzer": snap.lexical.analyzer,
                "passages": len(snap.records),
                "documents": len(snap.docs),
            }
            write_manifest(self.home, manifest)
            delete_other_generations(self.home, keep=gen)
            self._gen = gen

    def close(self) -> None:
        """Release the embedding cache and the vectors (safe to call twice)."""
        self.cache.close()
        snap = self._snapshot
        self._snapshot = IndexSnapshot(snap.records, snap.docs, snap.lexical)

    # -- components --------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.embedder_name)
        return self._embedder

    @property
    def dense(self) -> DenseIndex:
        """The dense index; built from the records (through the cache) when missing."""
        return self._dense_of(self._snapshot)

    def _dense_of(self, snap: IndexSnapshot) -> DenseIndex:
        """``snap``'s vectors; when it has none (opened with another embedder), embed its
        records (through the cache) and publish them if ``snap`` is still current."""
        if snap.dense is not None:
            return snap.dense
        with self._write_lock:
            current = self._snapshot
            if current.records is snap.records and current.dense is not None:
                return current.dense
            dense = DenseIndex(self.embedder_name, self.embedder.dim, self.dense_kind)
            if snap.records:
                dense.add([r["key"] for r in snap.records], self._embed(snap.records, None))
            if self._snapshot is snap:
                self._snapshot = replace(snap, dense=dense)
            return dense

    def _embed(self, records: Sequence[dict[str, Any]], progress: Progress | None) -> np.ndarray:
        texts = [index_text(r) for r in records]
        emb = self.embedder
        return self.cache.embed(
            emb.name, texts, emb.embed_passages, batch_size=32, progress=progress
        )

    # -- documents ---------------------------------------------------------------------

    def document_ids(self) -> set[str]:
        return self._snapshot.document_ids()

    def add_documents(self, docs: list[Document], progress: Progress | None = None) -> int:
        """Index new documents and changed ones; return how many passages were embedded/indexed.

        Everything slow (segmentation, embedding) happens before the index is touched, so
        a failure leaves the index as it was; searches see the old snapshot until the new
        one is published whole.
        """
        with self._write_lock:
            return self._add_documents(docs, progress)

    def _add_documents(self, docs: list[Document], progress: Progress | None) -> int:
        snap = self._snapshot
        latest = {d.id: d for d in docs}
        existing = {r["key"] for r in snap.records}
        stale: set[str] = set()
        new_records: list[dict[str, Any]] = []
        doc_entries: dict[str, dict[str, Any]] = {}
        refreshed: list[dict[str, Any]] = []
        for doc in latest.values():
            records = document_records(doc)
            keys = [r["key"] for r in records]
            entry = {"content_hash": doc.content_hash, "keys": keys}
            old = snap.docs.get(doc.id)
            if old is not None and old["keys"] == keys and old["content_hash"] == doc.content_hash:
                continue
            doc_entries[doc.id] = entry
            if old is not None:
                stale |= set(old["keys"]) - set(keys)
            refreshed.extend(r for r in records if r["key"] in existing)
            new_records.extend(r for r in records if r["key"] not in existing)
        # Deduplicate keys repeated inside one document.
        new_records = list({r["key"]: r for r in new_records}.values())
        term_lists = [terms(index_text(r)) for r in new_records]
        vectors = self._embed(new_records, progress) if new_records else None
        if not doc_entries:
            return 0
        dense = self._dense_of(snap)  # built (from the current records) before they change
        self.publish(
            snap.changed(
                dense,
                stale=stale,
                refreshed=refreshed,
                added=(new_records, term_lists, vectors),
                doc_entries=doc_entries,
            )
        )
        return len(new_records)

    def publish(self, snap: IndexSnapshot) -> None:
        """Swap in the next snapshot, its BM25 matrix built first so no search waits (also
        for a snapshot built elsewhere: benchmarks replicate an index this way)."""
        if snap.lexical.ids:
            snap.lexical.prepare()
        self._snapshot = snap

    def remove_document(self, doc_id: str) -> int:
        """Remove a document's passages; return how many were removed (0 if unknown)."""
        with self._write_lock:
            snap = self._snapshot
            if doc_id not in snap.docs:
                return 0
            keys = {r["key"] for r in snap.records if r["doc_id"] == doc_id}
            docs = {d: entry for d, entry in snap.docs.items() if d != doc_id}
            self.publish(replace(snap.without(keys), docs=docs))
            return len(keys)

    # -- search ------------------------------------------------------------------------

    def term_idf(self) -> IdfFn | None:
        """IDF of search terms over every indexed passage, from the lexical index's stored
        terms (the ones highlighting compares, already segmented: nothing is segmented
        again at question time). None when the index holds no passages."""
        return self._snapshot.term_idf()

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters | None = None,
        offset: int = 0,
        *,
        snapshot: IndexSnapshot | None = None,
    ) -> list[SearchHit]:
        """The best ``k`` passages after ``offset``; filters apply before the cut-off.

        Everything is read from one snapshot (``snapshot``, else the current one), so
        documents added or removed meanwhile never mix into one ranking.
        """
        snap = snapshot or self._snapshot
        if mode not in MODES:
            raise InvalidSearchError(f"unknown search mode {mode!r}: use one of {MODES}")
        if k < 0 or offset < 0:
            raise InvalidSearchError(f"k ({k}) and offset ({offset}) must not be negative")
        if not snap.records or k <= 0 or not has_search_terms(query):
            return []
        cleaned = clean_query(query) if self.clean_queries else query
        allowed = filter_mask(filters, snap.records)
        if allowed is not None and not allowed.any():
            return []
        want = offset + k
        depth = max(DEPTH, 2 * want + 10)  # over-fetch: duplicates are collapsed later
        dense_scores = bm25_scores = None
        if mode in ("dense", "hybrid"):
            with stage("embed"):
                query_vector = self.embedder.embed_query(cleaned)
            with stage("dense"):
                dense_scores = self._dense_of(snap).all_scores(query_vector)
        if mode in ("bm25", "hybrid"):
            with stage("bm25"):
                bm25_scores = snap.lexical.scores(terms(cleaned))
        if mode == "dense":
            assert dense_scores is not None
            rows = top_rows(dense_scores, depth, allowed)
            scores = dense_scores[rows]
        elif mode == "bm25":
            assert bm25_scores is not None
            rows = top_rows(bm25_scores, depth, allowed)
            rows = rows[bm25_scores[rows] > 0]
            scores = bm25_scores[rows]
        else:
            assert dense_scores is not None and bm25_scores is not None
            with stage("fuse"):
                cands = candidates_from_scores(dense_scores, bm25_scores, depth, allowed)
                rows, scores = rank_hybrid(snap, cleaned, cands, self.hybrid)
        return collapse_hits(snap.records, rows, scores, dense_scores, bm25_scores, offset, k)

    def stats(self) -> dict[str, Any]:
        snap = self._snapshot
        kinds: dict[str, int] = {}
        for r in snap.records:
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        return {
            "home": str(self.home),
            "embedder": self.embedder_name,
            "dim": snap.dense.dim if snap.dense is not None else None,
            "documents": len(snap.docs),
            "passages": len(snap.records),
            "passages_by_kind": kinds,
            "dense_index": snap.dense.effective_kind if snap.dense is not None else None,
            "analyzer": snap.lexical.analyzer,
            "fusion": self.hybrid.method,
            "generation": self._gen,
            "cached_embeddings": self.cache.count(self.embedder_name),
        }
