"""One state of a search index that readers search while writers build the next one.

Why snapshots: the passage records, the BM25 index and the dense vectors are three arrays
that must agree row for row. A writer that changed them one after the other (add, remove)
let a concurrent search score rows of one state and read records of another
(``IndexError``, or a hit showing another passage). A snapshot is never changed once
published: a writer builds the next one from copies (``LexicalIndex.copy``,
``DenseIndex.copy``) and replaces the index's reference in one assignment, which is atomic
in Python; a search reads the reference once and uses that snapshot throughout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from search_api.retrieval.dense import DenseIndex
from search_api.retrieval.idf import IdfFn, idf_from_term_lists
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
        if not self.lexical.terms:
            return None
        idf = self.derived.get("term_idf")
        if idf is None:
            idf = idf_from_term_lists(self.lexical.terms)
            self.derived["term_idf"] = idf
        return idf

    def without(self, keys: set[str]) -> IndexSnapshot:
        """The next snapshot without the passages ``keys`` (``docs`` unchanged: the caller
        says which documents are gone). Copies: this snapshot stays as searches see it."""
        if not keys:
            return self
        lexical = self.lexical.copy()
        lexical.remove(keys)
        dense = self.dense
        if dense is not None:
            dense = dense.copy()
            dense.remove(keys)
        records = tuple(r for r in self.records if r["key"] not in keys)
        return IndexSnapshot(records, self.docs, lexical, dense)

    def changed(
        self,
        dense: DenseIndex,
        *,
        stale: set[str],
        refreshed: Sequence[dict[str, Any]],
        added: Added,
        doc_entries: Mapping[str, dict[str, Any]],
    ) -> IndexSnapshot:
        """The next snapshot: ``stale`` passages gone, ``refreshed`` records (same passage,
        new document metadata) replaced, ``added`` passages appended, ``doc_entries`` set.
        ``dense`` is this snapshot's vectors (built by the caller when they were missing).
        """
        nxt = replace(self, dense=dense, derived={}).without(stale)
        records = nxt.records
        if refreshed:
            by_key = {r["key"]: r for r in refreshed}
            records = tuple(by_key.get(r["key"], r) for r in records)
        lexical, vectors_of = nxt.lexical, nxt.dense
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
