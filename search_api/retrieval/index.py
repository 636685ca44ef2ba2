"""SearchIndex: passages of cancu Documents, searchable by dense, BM25 or hybrid ranking.

One home directory holds everything: ``manifest.json`` (the commit point: embedder,
dimension, generation, its segments), the segments (passage records, terms, vectors,
approximate dense indexes: ``segments``) and the embedding cache. ``save()`` commits a new
generation that writes only the segments the changes since the last one need
(``commits``); a crash at any point leaves the last committed generation intact.

Safe under concurrent reads: the state searches read is an immutable ``IndexSnapshot``
(records, lexical and dense indexes aligned row for row); writers, serialised by a lock
(and across processes by the home's writer lock at commit), build the next snapshot from
copies and swap the reference in one assignment. Several processes may open one home:
each read checks the manifest's signature (one ``stat``) and, when another process has
committed, opens the new generation (only its new segments) before answering; a writer
that finds another process committed first re-applies its own changes on top.

Incremental by construction: a passage is keyed by (document id, passage id); re-adding
an unchanged document does nothing, a changed one is replaced (its passages' vectors come
from the embedding cache, so only new passages are embedded).

Size: one class holding the index's whole life (open, refresh, add, remove, save,
search); persistence lives in ``commits``, ``segments`` and ``generations``.
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
from search_api.retrieval.commits import Committed, commit, load_committed
from search_api.retrieval.dense import ANN_MIN_ROWS, DenseIndex, check_embedder
from search_api.retrieval.embedders import DEFAULT_EMBEDDER, Embedder, get_embedder
from search_api.retrieval.embedding_cache import EmbeddingCache
from search_api.retrieval.filters import SearchFilters, filter_mask
from search_api.retrieval.generations import read_manifest, signature, write_lock
from search_api.retrieval.hits import SearchHit, collapse_hits
from search_api.retrieval.hybrid import (
    DEPTH,
    HybridOptions,
    candidates_from_scores,
    candidates_from_tops,
    rank_hybrid,
    top_rows,
)
from search_api.retrieval.idf import IdfFn
from search_api.retrieval.lexical import LexicalIndex
from search_api.retrieval.parallel_terms import passage_terms
from search_api.retrieval.records import document_records, index_text
from search_api.retrieval.seed_vectors import shipped_seeds
from search_api.retrieval.snapshot import IndexSnapshot
from search_api.retrieval.tokenize import clean_query, has_search_terms, terms
from search_api.timing import stage

MODES = ("hybrid", "dense", "bm25")
Progress = Callable[[int, int], None]
_LOAD_ATTEMPTS = 5  # a writer may delete a merged segment between manifest and files


class SearchIndex:
    """Dense + BM25 + hybrid search over passages, persisted in ``home``."""

    def __init__(
        self,
        home: Path,
        embedder: str = DEFAULT_EMBEDDER,
        *,
        fusion: str = "learned",
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
        province the question names (``doc_boost``; 0 = off). ``dense_kind``: "auto"
        (exact, approximate for large segments), "flat" (always exact), "ivf", "hnsw".
        """
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.embedder_name = embedder
        self.hybrid = HybridOptions(fusion, dense_weight, law_boost, province_boost)
        self.dense_kind = dense_kind
        DenseIndex(embedder, 1, dense_kind)  # a bad kind fails now
        self.clean_queries = clean_queries
        # Seeded with the shipped corpus's vectors: ingesting corpus/ embeds nothing.
        self.cache = EmbeddingCache(
            cache_path or self.home / "embeddings.sqlite", seeds=shipped_seeds()
        )
        self._embedder: Embedder | None = None
        self._snapshot = IndexSnapshot.empty(analyzer)
        # Serialises writers (add, remove, save, building missing vectors, reloading a
        # newer generation); a search takes it only to reload.
        self._write_lock = threading.RLock()
        self._committed = Committed(0, None, self._snapshot)
        # Changes since the last commit, replayed if another process commits first.
        self._pending: list[tuple[str, Any]] = []
        self._unsaved_docs: set[str] = set()
        self._rebuild = empty  # the next save replaces whatever is committed
        self._recreated = False  # vectors of another embedder dropped: rewrite all
        self.last_commit_bytes = 0
        # Processes segmenting passages into terms (``parallel_terms``): 1 in a server,
        # every core for a command-line ingest.
        self.term_workers = 1
        if not empty:
            self._load(recreate)

    # -- the current snapshot ----------------------------------------------------------

    def snapshot(self) -> IndexSnapshot:
        """The current state; it never changes, so several reads of one answer can agree."""
        self.refresh()
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

    @property
    def _gen(self) -> int:
        return self._committed.gen

    # -- persistence -------------------------------------------------------------------

    def _load(self, recreate: bool) -> None:
        """Open the committed generation (reusing segments already open)."""
        for attempt in range(_LOAD_ATTEMPTS):
            sig = signature(self.home)
            manifest = read_manifest(self.home)
            if manifest is None:
                return
            mismatch = manifest["embedder"] != self.embedder_name
            if mismatch and not recreate:
                check_embedder(
                    self.home, manifest["embedder"], manifest["dim"], self.embedder_name, None
                )
            try:
                committed = load_committed(
                    self.home,
                    manifest,
                    sig,
                    dense_kind=self.dense_kind,
                    with_vectors=not mismatch,
                    reuse=self._committed.segments,
                )
            except FileNotFoundError:
                if attempt == _LOAD_ATTEMPTS - 1:
                    raise
                continue
            self._recreated = mismatch
            # Published before it counts as loaded: a search that sees the new signature
            # as current must also find the new snapshot.
            self.publish(committed.snapshot)
            self._committed = committed
            return

    def refresh(self) -> bool:
        """Open a generation another process committed since this one was read (one
        ``stat`` when there is none); True when it did. Changes not yet saved here are
        kept (``save`` re-applies them on top)."""
        if self._keeps_own_state() or signature(self.home) == self._committed.signature:
            return False
        with self._write_lock:
            if self._keeps_own_state() or signature(self.home) == self._committed.signature:
                return False
            self._load(recreate=False)
            return True

    def _keeps_own_state(self) -> bool:
        """Unsaved changes, a rebuild or re-embedded vectors: not replaced by a reload."""
        return bool(self._pending) or self._rebuild or self._recreated

    def save(self) -> None:
        """Commit the current state as a new generation (atomic via the manifest)."""
        with self._write_lock, write_lock(self.home):
            if not self._rebuild and signature(self.home) != self._committed.signature:
                self._rebase()
            dense = self._dense_of(self._snapshot)
            snap = self._snapshot
            try:
                manifest = read_manifest(self.home)
            except IndexMismatchError:  # damaged: a rebuild replaces it
                manifest = None
            gen = max(self._gen, int(manifest["gen"]) if manifest else 0) + 1
            committed = commit(
                self.home,
                snap,
                dense,
                gen=gen,
                doc_seg=self._committed.doc_seg,
                unsaved_docs=self._unsaved_docs,
                rewrite_all=self._rebuild or self._recreated or self._committed.legacy,
                reuse=self._committed.segments,
            )
            if self._snapshot is snap:
                self.publish(committed.snapshot)
            self._committed = committed
            self.last_commit_bytes = committed.written
            self._pending, self._unsaved_docs = [], set()
            self._rebuild = self._recreated = False

    def _rebase(self) -> None:
        """Another process committed since this state was read: open its generation and
        apply this process's unsaved changes again (vectors come from the cache)."""
        pending = self._pending
        self._pending, self._unsaved_docs = [], set()
        self._load(recreate=False)
        for op, arg in pending:
            if op == "add":
                self._add_documents(arg, None)
            else:
                self._remove_document(arg)

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
        return self.snapshot().document_ids()

    def add_documents(self, docs: list[Document], progress: Progress | None = None) -> int:
        """Index new documents and changed ones; return how many passages were new.

        Everything slow (segmentation, embedding) happens before the index is touched, so
        a failure leaves the index as it was; searches see the old snapshot until the new
        one is published whole.
        """
        with self._write_lock:
            self.refresh()
            return self._add_documents(docs, progress)

    def _add_documents(self, docs: list[Document], progress: Progress | None) -> int:
        snap = self._snapshot
        latest = {d.id: d for d in docs}
        stale: set[str] = set()
        records: list[dict[str, Any]] = []
        doc_entries: dict[str, dict[str, Any]] = {}
        new = 0
        for doc in latest.values():
            doc_records = document_records(doc)
            keys = [r["key"] for r in doc_records]
            entry = {"content_hash": doc.content_hash, "keys": keys}
            old = snap.docs.get(doc.id)
            if old is not None and old["keys"] == keys and old["content_hash"] == doc.content_hash:
                continue
            doc_entries[doc.id] = entry
            known = set(old["keys"]) if old is not None else set()
            stale |= known  # replaced whole: kept passages move to the end
            new += len({k for k in keys if k not in known})
            records.extend(doc_records)
        if not doc_entries:
            return 0
        # Deduplicate keys repeated inside one document.
        records = list({r["key"]: r for r in records}.values())
        term_lists = passage_terms([index_text(r) for r in records], self.term_workers)
        vectors = self._embed(records, progress) if records else None
        dense = self._dense_of(snap)  # built (from the current records) before they change
        self.publish(
            snap.changed(
                dense, stale=stale, added=(records, term_lists, vectors), doc_entries=doc_entries
            )
        )
        self._pending.append(("add", list(latest.values())))
        self._unsaved_docs |= set(doc_entries)
        return new

    def publish(self, snap: IndexSnapshot) -> None:
        """Swap in the next snapshot, its query statistics computed first so no search
        waits (also for a snapshot built elsewhere: benchmarks replicate an index this
        way)."""
        if len(snap.lexical):
            snap.lexical.prepare()
        if snap.dense is not None:
            snap.dense.layout()
        self._snapshot = snap

    def remove_document(self, doc_id: str) -> int:
        """Remove a document's passages; return how many were removed (0 if unknown)."""
        with self._write_lock:
            self.refresh()
            return self._remove_document(doc_id)

    def _remove_document(self, doc_id: str) -> int:
        snap = self._snapshot
        if doc_id not in snap.docs:
            return 0
        keys = {r["key"] for r in snap.records if r["doc_id"] == doc_id}
        docs = {d: entry for d, entry in snap.docs.items() if d != doc_id}
        self.publish(replace(snap.without(keys), docs=docs))
        self._pending.append(("remove", doc_id))
        self._unsaved_docs.discard(doc_id)
        return len(keys)

    # -- search ------------------------------------------------------------------------

    def term_idf(self) -> IdfFn | None:
        """IDF of search terms over every indexed passage, from the lexical index's stored
        terms (the ones highlighting compares, already segmented: nothing is segmented
        again at question time). None when the index holds no passages."""
        return self.snapshot().term_idf()

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters | None = None,
        offset: int = 0,
        *,
        snapshot: IndexSnapshot | None = None,
        query_vector: np.ndarray | None = None,
    ) -> list[SearchHit]:
        """The best ``k`` passages after ``offset``; filters apply before the cut-off.

        Everything is read from one snapshot (``snapshot``, else the current one, after
        opening a generation another process committed), so documents added or removed
        meanwhile never mix into one ranking. ``query_vector`` skips embedding the query.
        """
        snap = snapshot or self.snapshot()
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
        vector = query_vector
        if mode in ("dense", "hybrid") and vector is None:
            with stage("embed"):
                vector = self.embedder.embed_query(cleaned)
        dense = self._dense_of(snap) if mode != "bm25" else None
        if dense.approximate if dense else len(snap.records) >= ANN_MIN_ROWS:
            return self._search_approximate(
                snap, dense, cleaned, vector, mode, allowed, depth, offset, k
            )
        dense_scores = bm25_scores = None
        if mode in ("dense", "hybrid"):
            assert vector is not None and dense is not None
            with stage("dense"):
                dense_scores = dense.all_scores(vector)
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

    def _search_approximate(
        self,
        snap: IndexSnapshot,
        dense: DenseIndex | None,
        cleaned: str,
        vector: np.ndarray | None,
        mode: str,
        allowed: np.ndarray | None,
        depth: int,
        offset: int,
        k: int,
    ) -> list[SearchHit]:
        """A large index: each mode finds its own top rows (dense through the approximate
        index; BM25 from its postings, ``LexicalIndex.top``), and the
        other mode's scores are looked up for those rows only."""
        dense_scores: dict[int, float] | None = None
        bm25_scores: dict[int, float] | None = None
        top_dense = top_bm25 = np.zeros(0, dtype=np.int64)
        found = bm25_found = np.zeros(0, dtype=np.float32)
        signal = False
        query_terms = terms(cleaned)
        lexical = snap.lexical
        if mode in ("dense", "hybrid"):
            assert vector is not None and dense is not None
            with stage("dense"):
                top_dense, found = dense.search(vector, depth, allowed)
                dense_scores = dict(zip(top_dense.tolist(), found.tolist(), strict=True))
        if mode in ("bm25", "hybrid"):
            with stage("bm25"):
                top_bm25, bm25_found = lexical.top(query_terms, depth, allowed)
                signal = bool(np.any(bm25_found > 0))
        if mode == "dense":
            rows, scores = top_dense, found
        elif mode == "bm25":
            positive = bm25_found > 0
            rows, scores = top_bm25[positive], bm25_found[positive]
            bm25_scores = dict(zip(rows.tolist(), scores.tolist(), strict=True))
        else:
            assert vector is not None and dense is not None
            with stage("fuse"):
                query = vector
                cands = candidates_from_tops(
                    top_dense,
                    top_bm25 if signal else top_dense[:0],
                    lambda r: dense.scores_of(query, r),
                    lambda r: lexical.scores_of(query_terms, r),
                )
                rows, scores = rank_hybrid(snap, cleaned, cands, self.hybrid)
            dense_scores = dict(zip(cands.rows.tolist(), cands.dense.tolist(), strict=True))
            bm25_scores = dict(zip(cands.rows.tolist(), cands.bm25.tolist(), strict=True))
        return collapse_hits(snap.records, rows, scores, dense_scores, bm25_scores, offset, k)

    def stats(self) -> dict[str, Any]:
        snap = self.snapshot()
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
            "segments": len(snap.lexical.parts),
            "analyzer": snap.lexical.analyzer,
            "fusion": self.hybrid.method,
            "generation": self._gen,
            "cached_embeddings": self.cache.count(self.embedder_name),
        }
