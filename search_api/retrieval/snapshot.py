"""One state of a search index that readers search while writers build the next one.

Why snapshots: the passage records, the BM25 index and the dense vectors must agree row
for row. A writer that changed them one after the other (add, remove) let a concurrent
search score rows of one state and read records of another (``IndexError``, or a hit
showing another passage). A snapshot is never changed once published: a writer builds
the next one from copies (``LexicalIndex.copy``, ``DenseIndex.copy``, which share the
immutable parts and copy only the lists of parts and deletion masks) and replaces the
index's reference in one assignment, which is atomic in Python; a search reads the
reference once and uses that snapshot throughout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from search_api.retrieval.dense import DenseIndex
from search_api.retrieval.idf import IdfFn
from search_api.retrieval.lexical import LexicalIndex

Added = tuple[Sequence[dict[str, Any]], Sequence[Sequence[str]], np.ndarray | None]
"""New passages: (records, their BM25 terms, their vectors; None when there are none)."""


@dataclass(frozen=True, slots=True)
class IndexSnapshot:
    """Passage records, per-document entries and both indexes, aligned row for row.

    ``docs`` maps a document id to ``{"content_hash", "keys"}``; ``dense`` is None until
    the vectors are loaded or built (an index opened with another embedder).
    """

    records: tuple[dict[str, Any], ...]
    docs: Mapping[str, dict[str, Any]]
    lexical: LexicalIndex
    dense: DenseIndex | None = None
    # Derived lazily from the (immutable) lexical terms; computing it twice is harmless.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def empty(cls, analyzer: str) -> IndexSnapshot:
        return cls((), {}, LexicalIndex(analyzer))

    def document_ids(self) -> set[str]:
        return set(self.docs)

    def term_idf(self) -> IdfFn | None:
        """IDF of the lexical terms of this snapshot; None when it holds no passages."""
        if "term_idf" not in self.derived:
            self.derived["term_idf"] = self.lexical.term_idf()
        idf = self.derived["term_idf"]
        return idf if callable(idf) else None

    def rows_of(self, keys: set[str]) -> np.ndarray:
        """Row positions of the passages ``keys``."""
        return np.array([i for i, r in enumerate(self.records) if r["key"] in keys], dtype=np.int64)

    def without(self, keys: set[str]) -> IndexSnapshot:
        """The next snapshot without the passages ``keys`` (``docs`` unchanged: the caller
        says which documents are gone). Copies: this snapshot stays as searches see it."""
        rows = self.rows_of(keys) if keys else np.zeros(0, dtype=np.int64)
        if not len(rows):
            return self
        lexical = self.lexical.copy()
        lexical.remove_rows(rows)
        dense = self.dense
        if dense is not None:
            dense = dense.copy()
            dense.remove_rows(rows)
        gone = set(rows.tolist())
        records = tuple(r for i, r in enumerate(self.records) if i not in gone)
        return IndexSnapshot(records, self.docs, lexical, dense)

    def changed(
        self,
        dense: DenseIndex,
        *,
        stale: set[str],
        added: Added,
        doc_entries: Mapping[str, dict[str, Any]],
    ) -> IndexSnapshot:
        """The next snapshot: ``stale`` passages gone, ``added`` passages appended (one new
        part of each index), ``doc_entries`` set.
        ``dense`` is this snapshot's vectors (built by the caller when they were missing).
        """
        nxt = replace(self, dense=dense, derived={}).without(stale)
        records, lexical, vectors_of = nxt.records, nxt.lexical, nxt.dense
        new_records, term_lists, vectors = added
        if vectors is not None and new_records:
            keys = [r["key"] for r in new_records]
            records = records + tuple(new_records)
            lexical = lexical.copy() if lexical is self.lexical else lexical
            lexical.add(keys, term_lists)
            assert vectors_of is not None  # set from ``dense`` above
            vectors_of = vectors_of.copy() if vectors_of is dense else vectors_of
            vectors_of.add(keys, vectors)
        return IndexSnapshot(records, {**self.docs, **doc_entries}, lexical, vectors_of)
