"""SearchIndex: passages of cancu Documents, searchable by dense, BM25 or hybrid ranking.

One home directory holds everything: ``manifest.json`` (the commit point: embedder,
dimension, current generation and its files), the passage records, the dense index, the
lexical index and the embedding cache. ``save()`` commits a new generation (see
``generations``); a crash at any point leaves the last committed generation intact.
Passage records are built in ``records``.

Incremental by construction: a passage is keyed by (document id, passage id); re-adding
an unchanged document does nothing, a changed one has its vanished passages removed and
only its new passages embedded (and even those usually come from the embedding cache).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
from search_api.retrieval.hybrid import DEPTH, fuse, top_rows
from search_api.retrieval.idf import IdfFn, idf_from_term_lists
from search_api.retrieval.lexical import LexicalIndex
from search_api.retrieval.records import document_records, index_text
from search_api.retrieval.tokenize import clean_query, terms

MODES = ("hybrid", "dense", "bm25")
# Hit fields copied unchanged from a passage record.
HIT_FIELDS_FROM_RECORD = (
    "doc_id", "source", "passage_id", "article_id", "section", "start", "end", "text",
    "kind", "province", "year", "doc_type", "title",
)  # fmt: skip
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class SearchHit:
    rank: int
    score: float
    doc_id: str
    source: str
    passage_id: str
    article_id: str | None
    section: str
    start: int
    end: int
    text: str
    kind: str
    province: str | None
    year: int | None
    doc_type: str | None
    title: str | None
    dense_score: float | None = None
    bm25_score: float | None = None
    # Identical passages of other documents (e.g. the same law under two ids), collapsed
    # into this hit so they do not crowd the result list.
    duplicates: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out = {k: getattr(self, k) for k in self.__slots__}
        for key in ("score", "dense_score", "bm25_score"):
            if out[key] is not None:
                out[key] = round(float(out[key]), 6)
        return out


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
    ) -> None:
        """Open (or create) the index in ``home``.

        Opening an index built with another embedder raises ``IndexMismatchError``;
        ``recreate=True`` instead keeps the passages and re-embeds them (through the cache)
        with the new embedder on first use. ``empty=True`` starts with no passages and
        ignores what is on disk (even a damaged index): a rebuild, which replaces the
        committed generation only when ``save()`` commits.
        """
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.embedder_name = embedder
        self.fusion = fusion
        self.dense_weight = dense_weight
        self.dense_kind = dense_kind
        self.clean_queries = clean_queries
        self.cache = EmbeddingCache(cache_path or self.home / "embeddings.sqlite")
        self._embedder: Embedder | None = None
        self.records: list[dict[str, Any]] = []
        self.docs: dict[str, dict[str, Any]] = {}
        self.lexical = LexicalIndex(analyzer)
        self._dense: DenseIndex | None = None
        self._gen = 0
        # IDF over the lexical terms, built on first use; add/remove reset it.
        self._term_idf: IdfFn | None = None
        if not empty:
            self._load(recreate)

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
        self.records, self.docs = stored["records"], stored["docs"]
        self.lexical = LexicalIndex.load(self.home / f"lexical-{self._gen}.json.gz")
        if not mismatch:
            dim = int(manifest["dim"])
            self._dense = DenseIndex.load(self.home, self._gen, self.embedder_name, dim)
        keys = [r["key"] for r in self.records]
        if self.lexical.ids != keys or (self._dense is not None and self._dense.ids != keys):
            raise IndexMismatchError(
                f"the index at {self.home} is inconsistent; rebuild it (cancu reindex)"
            )

    def save(self) -> None:
        """Commit the current state as a new generation (atomic via the manifest)."""
        # Above every generation on disk, so a committed file is never overwritten.
        gen = max(self._gen, last_generation(self.home)) + 1
        files = [write_passages(self.home, gen, {"records": self.records, "docs": self.docs})]
        files.append(self.lexical.save(self.home, gen))
        files.extend(self.dense.save(self.home, gen))
        manifest = {
            "version": FORMAT_VERSION,
            "embedder": self.embedder_name,
            "dim": self.dense.dim,
            "gen": gen,
            "files": files,
            "analyzer": self.lexical.analyzer,
            "passages": len(self.records),
            "documents": len(self.docs),
        }
        write_manifest(self.home, manifest)
        delete_other_generations(self.home, keep=gen)
        self._gen = gen

    def close(self) -> None:
        """Release the embedding cache and the vectors (safe to call twice)."""
        self.cache.close()
        self._dense = None
        self._term_idf = None

    # -- components --------------------------------------------------------------------

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.embedder_name)
        return self._embedder

    @property
    def dense(self) -> DenseIndex:
        """The dense index; built from the records (through the cache) when missing."""
        if self._dense is None:
            dense = DenseIndex(self.embedder_name, self.embedder.dim, self.dense_kind)
            if self.records:
                dense.add([r["key"] for r in self.records], self._embed(self.records, None))
            self._dense = dense
        return self._dense

    def _embed(self, records: Sequence[dict[str, Any]], progress: Progress | None) -> np.ndarray:
        texts = [index_text(r) for r in records]
        emb = self.embedder
        return self.cache.embed(
            emb.name, texts, emb.embed_passages, batch_size=32, progress=progress
        )

    # -- documents ---------------------------------------------------------------------

    def document_ids(self) -> set[str]:
        return set(self.docs)

    def add_documents(self, docs: list[Document], progress: Progress | None = None) -> int:
        """Index new documents and changed ones; return how many passages were embedded/indexed.

        Everything slow (segmentation, embedding) happens before the index is touched, so
        a failure leaves the index as it was.
        """
        latest = {d.id: d for d in docs}
        existing = {r["key"] for r in self.records}
        stale: set[str] = set()
        new_records: list[dict[str, Any]] = []
        doc_entries: dict[str, dict[str, Any]] = {}
        refreshed: list[dict[str, Any]] = []
        for doc in latest.values():
            records = document_records(doc)
            keys = [r["key"] for r in records]
            entry = {"content_hash": doc.content_hash, "keys": keys}
            old = self.docs.get(doc.id)
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
        dense = self.dense  # built (from the current records) before they change
        self._remove_keys(stale)
        self._refresh_records(refreshed)
        if vectors is not None:  # there are new records
            keys = [r["key"] for r in new_records]
            self.records.extend(new_records)
            self.lexical.add(keys, term_lists)
            self._term_idf = None
            dense.add(keys, vectors)
        self.docs.update(doc_entries)
        return len(new_records)

    def _refresh_records(self, records: list[dict[str, Any]]) -> None:
        """Same passages, maybe new document metadata (title, date...): update in place."""
        if not records:
            return
        position = {r["key"]: i for i, r in enumerate(self.records)}
        for record in records:
            if record["key"] in position:
                self.records[position[record["key"]]] = record

    def _remove_keys(self, keys: set[str]) -> int:
        if not keys:
            return 0
        self._term_idf = None
        self.records = [r for r in self.records if r["key"] not in keys]
        self.lexical.remove(keys)
        if self._dense is not None:
            self._dense.remove(keys)
        return len(keys)

    def remove_document(self, doc_id: str) -> int:
        """Remove a document's passages; return how many were removed (0 if unknown)."""
        entry = self.docs.pop(doc_id, None)
        if entry is None:
            return 0
        keys = {r["key"] for r in self.records if r["doc_id"] == doc_id}
        return self._remove_keys(keys)

    # -- search ------------------------------------------------------------------------

    def term_idf(self) -> IdfFn | None:
        """IDF of search terms over every indexed passage, from the lexical index's stored
        terms (the ones highlighting compares, already segmented: nothing is segmented
        again at question time). None when the index holds no passages."""
        if not self.lexical.terms:
            return None
        if self._term_idf is None:
            self._term_idf = idf_from_term_lists(self.lexical.terms)
        return self._term_idf

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters | None = None,
        offset: int = 0,
    ) -> list[SearchHit]:
        """The best ``k`` passages after ``offset``; filters apply before the cut-off."""
        if mode not in MODES:
            raise InvalidSearchError(f"unknown search mode {mode!r}: use one of {MODES}")
        if k < 0 or offset < 0:
            raise InvalidSearchError(f"k ({k}) and offset ({offset}) must not be negative")
        if not self.records or k <= 0 or not query.strip():
            return []
        cleaned = clean_query(query) if self.clean_queries else query
        allowed = filter_mask(filters, self.records)
        if allowed is not None and not allowed.any():
            return []
        want = offset + k
        depth = max(DEPTH, 2 * want + 10)  # over-fetch: duplicates are collapsed later
        dense_scores = bm25_scores = None
        if mode in ("dense", "hybrid"):
            dense_scores = self.dense.all_scores(self.embedder.embed_query(cleaned))
        if mode in ("bm25", "hybrid"):
            bm25_scores = self.lexical.scores(terms(cleaned))
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
            rows, scores = fuse(
                dense_scores,
                bm25_scores,
                method=self.fusion,
                dense_weight=self.dense_weight,
                depth=depth,
                allowed=allowed,
            )
        return self._hits(rows, scores, dense_scores, bm25_scores, offset, k)

    def _hits(
        self,
        rows: np.ndarray,
        scores: np.ndarray,
        dense_scores: np.ndarray | None,
        bm25_scores: np.ndarray | None,
        offset: int,
        k: int,
    ) -> list[SearchHit]:
        """Collapse identical passages (first ranked wins), then cut [offset, offset+k)."""
        kept: list[tuple[int, float]] = []
        by_text: dict[str, int] = {}
        dupes: dict[int, list[dict[str, str]]] = {}
        for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
            rec = self.records[row]
            first = by_text.get(rec["text_key"])
            if first is not None:
                dupes.setdefault(first, []).append(
                    {"doc_id": rec["doc_id"], "passage_id": rec["passage_id"]}
                )
                continue
            by_text[rec["text_key"]] = row
            kept.append((row, score))
        hits: list[SearchHit] = []
        for rank, (row, score) in enumerate(kept[offset : offset + k], start=offset + 1):
            r = self.records[row]
            hits.append(
                SearchHit(
                    rank=rank,
                    score=float(score),
                    **{name: r[name] for name in HIT_FIELDS_FROM_RECORD},
                    dense_score=None if dense_scores is None else float(dense_scores[row]),
                    bm25_score=None if bm25_scores is None else float(bm25_scores[row]),
                    duplicates=dupes.get(row, []),
                )
            )
        return hits

    def stats(self) -> dict[str, Any]:
        kinds: dict[str, int] = {}
        for r in self.records:
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        return {
            "home": str(self.home),
            "embedder": self.embedder_name,
            "dim": self._dense.dim if self._dense is not None else None,
            "documents": len(self.docs),
            "passages": len(self.records),
            "passages_by_kind": kinds,
            "dense_index": self._dense.effective_kind if self._dense is not None else None,
            "analyzer": self.lexical.analyzer,
            "fusion": self.fusion,
            "generation": self._gen,
            "cached_embeddings": self.cache.count(self.embedder_name),
        }
