"""BM25 over Vietnamese terms (syllables + segmented words + document numbers), via bm25s.

bm25s builds a static sparse matrix, so adding or removing passages means rebuilding it.
That is cheap (well under a second per ten thousand passages) *if* the text never has to
be segmented again: we store every passage's terms and rebuild from them. Word
segmentation (underthesea) is the slow part and runs once per passage, ever.

Persistence: ``lexical-<gen>.json.gz`` holds ids and terms; the caller (``SearchIndex``)
commits generations through its manifest, so a crash never leaves a half-written index.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from search_api.errors import InvalidIndexOptionError, MissingDependencyError

ANALYZERS = ("both", "syllable")


def _bm25s() -> Any:
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every rebuild at DEBUG
    try:
        import bm25s
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("lexical search needs bm25s: pip install bm25s") from exc
    return bm25s


def select_terms(terms: Sequence[str], analyzer: str) -> list[str]:
    """The terms an analyzer uses: "both" = all; "syllable" = no multi-syllable words."""
    if analyzer == "both":
        return list(terms)
    if analyzer == "syllable":
        return [t for t in terms if "_" not in t]
    raise InvalidIndexOptionError(f"unknown analyzer {analyzer!r}: use one of {ANALYZERS}")


class LexicalIndex:
    """BM25 scores for every stored passage; terms kept so rebuilds never re-segment."""

    def __init__(self, analyzer: str = "both", k1: float = 1.2, b: float = 0.75) -> None:
        select_terms([], analyzer)  # validates the name early
        self.analyzer = analyzer
        self.k1 = k1
        self.b = b
        self.ids: list[str] = []
        self.terms: list[list[str]] = []
        # (retriever, vocabulary) built together, so a reader never sees one without the
        # other; the lock keeps concurrent readers from building the same matrix twice.
        self._built: tuple[Any, dict[str, int]] | None = None
        self._build_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def copy(self) -> LexicalIndex:
        """A copy to change while searches read this one (term lists are shared: they are
        never changed in place)."""
        other = LexicalIndex(self.analyzer, self.k1, self.b)
        other.ids = list(self.ids)
        other.terms = list(self.terms)
        return other

    def use_analyzer(self, analyzer: str) -> None:
        """Score with another analyzer over the same stored terms (benchmarks compare them)."""
        select_terms([], analyzer)
        self.analyzer = analyzer
        self._built = None

    def add(self, ids: Sequence[str], terms: Sequence[Sequence[str]]) -> None:
        """Add passages (ids must be new: the caller removes replaced ones first)."""
        self.ids.extend(ids)
        self.terms.extend(list(t) for t in terms)
        self._built = None

    def remove(self, ids: set[str]) -> int:
        keep = [i for i, pid in enumerate(self.ids) if pid not in ids]
        removed = len(self.ids) - len(keep)
        if removed:
            self.ids = [self.ids[i] for i in keep]
            self.terms = [self.terms[i] for i in keep]
            self._built = None
        return removed

    def prepare(self) -> tuple[Any, dict[str, int]]:
        """Build the BM25 matrix now (a writer does it before publishing, so that no
        search pays for it); return (retriever, vocabulary)."""
        built = self._built
        if built is not None:
            return built
        with self._build_lock:
            if self._built is None:
                bm25s = _bm25s()
                corpus = [select_terms(t, self.analyzer) or [""] for t in self.terms]
                retriever = bm25s.BM25(k1=self.k1, b=self.b)
                retriever.index(corpus, show_progress=False)
                self._built = (retriever, dict(retriever.vocab_dict))
            return self._built

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every passage (aligned with ``self.ids``) for the query terms."""
        if not self.ids:
            return np.zeros(0, dtype=np.float32)
        retriever, vocab = self.prepare()
        known = [t for t in select_terms(query_terms, self.analyzer) if t and t in vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        ids = [vocab[t] for t in known]
        return np.asarray(retriever.get_scores_from_ids(ids), dtype=np.float32)

    def save(self, directory: Path, gen: int) -> str:
        """Write generation ``gen`` (temp file, then rename); return the file name."""
        name = f"lexical-{gen}.json.gz"
        tmp = directory / f".{name}.tmp"
        payload = {
            "analyzer": self.analyzer,
            "k1": self.k1,
            "b": self.b,
            "ids": self.ids,
            "terms": self.terms,
        }
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False)
        os.replace(tmp, directory / name)
        return name

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            payload = json.load(fh)
        index = cls(payload["analyzer"], payload["k1"], payload["b"])
        index.ids = list(payload["ids"])
        index.terms = [list(t) for t in payload["terms"]]
        return index
