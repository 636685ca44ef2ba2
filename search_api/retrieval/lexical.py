"""BM25 over Vietnamese terms (syllables + segmented words + document numbers), in segments.

Why segments: a static BM25 matrix (bm25s) has to be rebuilt whenever one passage is added
or removed, and written whole. Here each added batch of passages is one immutable
``TermPart`` (term-major postings: for each term, the rows holding it and how often), so
adding a document builds and writes only its own part, and a deletion is a mask bit.
Scores use the statistics of the whole index at query time: the number of live passages,
their mean length and each query term's document frequency are summed over the parts, so
a passage scores exactly as in one matrix built over every live passage (the formula and
arithmetic are bm25s's "lucene" method, which the index used before; a test
compares the two).

Terms are stored, never re-segmented: word segmentation (underthesea) is the slow part and
runs once per passage, ever. Persistence of the parts is ``segments``'s job. A large
index's top rows come from impact-ordered candidates (``impact``), scored exactly here.

Size: over 400 lines on purpose: the per-state statistics, scoring every row and scoring
a few rows (which must agree bit for bit) share one set of private caches.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from search_api.errors import InvalidIndexOptionError
from search_api.retrieval.idf import IdfFn
from search_api.retrieval.impact import (
    Impacts,
    best_impacts,
    keep_impacts,
    top_by_impacts,
    uses_impacts,
)
from search_api.retrieval.tombstones import live_keys, without_rows
from search_api.retrieval.topk import best_rows

ANALYZERS = ("both", "syllable")
TERM_CACHE_MIN_DF = 1000  # terms this common keep their scores per index state ...
TERM_CACHE_POSTINGS = 20_000_000  # ... up to this many postings (about 240 MB)


def select_terms(terms: Sequence[str], analyzer: str) -> list[str]:
    """The terms an analyzer uses: "both" = all; "syllable" = no multi-syllable words."""
    if analyzer == "both":
        return list(terms)
    if analyzer == "syllable":
        return [t for t in terms if "_" not in t]
    raise InvalidIndexOptionError(f"unknown analyzer {analyzer!r}: use one of {ANALYZERS}")


@dataclass(eq=False)
class TermPart:
    """The terms of one batch of passages, as term-major postings; never changed.

    ``indptr[t]:indptr[t+1]`` slices ``rows`` (local row numbers, ascending) and ``tf``
    (how often term ``vocab[t]`` occurs in that row). ``seg`` is the segment id on disk
    (None until saved).
    """

    keys: list[str]
    vocab: list[str]
    indptr: np.ndarray  # int64, len(vocab) + 1
    rows: np.ndarray  # int32
    tf: np.ndarray  # float32
    seg: int | None = None
    term_id: dict[str, int] = field(default_factory=dict, repr=False)
    _lengths: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.term_id:
            self.term_id = {t: i for i, t in enumerate(self.vocab)}

    def __len__(self) -> int:
        return len(self.keys)

    @classmethod
    def from_terms(cls, keys: Sequence[str], term_lists: Sequence[Sequence[str]]) -> TermPart:
        vocab: dict[str, int] = {}
        doc_rows: list[int] = []
        doc_terms: list[int] = []
        counts: list[int] = []
        for row, items in enumerate(term_lists):
            for term, n in Counter(items).items():
                doc_rows.append(row)
                doc_terms.append(vocab.setdefault(term, len(vocab)))
                counts.append(n)
        return cls.from_postings(
            list(keys),
            list(vocab),
            np.asarray(doc_terms, dtype=np.int64),
            np.asarray(doc_rows, dtype=np.int32),
            np.asarray(counts, dtype=np.float32),
        )

    @classmethod
    def from_postings(
        cls,
        keys: list[str],
        vocab: list[str],
        term_ids: np.ndarray,
        rows: np.ndarray,
        tf: np.ndarray,
        seg: int | None = None,
    ) -> TermPart:
        """From (term id, row, count) triples in row order (rows stay ascending per term)."""
        order = np.argsort(term_ids, kind="stable")
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_ids, minlength=len(vocab)), out=indptr[1:])
        return cls(keys, vocab, indptr, rows[order].astype(np.int32), tf[order], seg)

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        t = self.term_id.get(term)
        if t is None:
            return None
        a, b = int(self.indptr[t]), int(self.indptr[t + 1])
        return self.rows[a:b], self.tf[a:b]

    def lengths(self, analyzer: str) -> np.ndarray:
        """Each row's number of terms the analyzer keeps (1 when none: bm25s indexed an
        empty passage as one empty token)."""
        out = self._lengths.get(analyzer)
        if out is None:
            keep = np.array([bool(select_terms([t], analyzer)) for t in self.vocab], dtype=bool)
            per_posting = np.repeat(keep, np.diff(self.indptr))
            out = np.bincount(
                self.rows[per_posting], weights=self.tf[per_posting], minlength=len(self.keys)
            ).astype(np.int64)
            out[out == 0] = 1
            self._lengths[analyzer] = out
        return out

    def term_lists(self, local_rows: np.ndarray | None = None) -> list[list[str]]:
        """The terms of some rows (all when None), each repeated as often as it occurs
        (their order within a passage is not kept: BM25 and IDF do not need it)."""
        wanted = np.arange(len(self.keys)) if local_rows is None else np.asarray(local_rows)
        slot = {int(r): i for i, r in enumerate(wanted.tolist())}
        out: list[list[str]] = [[] for _ in slot]
        term_of = np.repeat(np.arange(len(self.vocab)), np.diff(self.indptr))
        hit = np.isin(self.rows, wanted) if local_rows is not None else slice(None)
        for t, r, n in zip(
            term_of[hit].tolist(), self.rows[hit].tolist(), self.tf[hit].tolist(), strict=True
        ):
            out[slot[r]].extend([self.vocab[t]] * int(n))
        return out

    def save(self, path: Path) -> None:
        # The vocabulary as UTF-8 joined by NUL (no term holds one): a fixed-width string
        # array would pad every term to the longest.
        vocab = np.frombuffer("\0".join(self.vocab).encode("utf-8"), dtype=np.uint8)
        with open(path, "wb") as fh:
            np.savez(fh, vocab=vocab, indptr=self.indptr, rows=self.rows, tf=self.tf)

    @classmethod
    def load(cls, path: Path, keys: list[str], seg: int) -> TermPart:
        with np.load(path) as data:
            joined = data["vocab"].tobytes().decode("utf-8")
            indptr = data["indptr"]
            vocab = joined.split("\0") if len(indptr) > 1 else []
            return cls(keys, vocab, indptr, data["rows"], data["tf"], seg)


def merge_parts(parts: Sequence[TermPart], live: Sequence[np.ndarray | None]) -> TermPart:
    """One part holding the live rows of ``parts``, in order (a segment merge)."""
    vocab: dict[str, int] = {}
    keys: list[str] = []
    term_ids, rows, tfs = [], [], []
    offset = 0
    for part, mask in zip(parts, live, strict=True):
        remap = np.array([vocab.setdefault(t, len(vocab)) for t in part.vocab], dtype=np.int64)
        term_of = np.repeat(remap, np.diff(part.indptr))
        new_row = np.arange(len(part), dtype=np.int64)
        keep = slice(None) if mask is None else mask[part.rows]
        if mask is not None:
            new_row = np.cumsum(mask) - 1
            keys.extend(k for k, m in zip(part.keys, mask.tolist(), strict=True) if m)
        else:
            keys.extend(part.keys)
        term_ids.append(term_of[keep])
        rows.append(new_row[part.rows[keep]] + offset)
        tfs.append(part.tf[keep])
        offset = len(keys)
    if not parts:
        return TermPart.from_terms([], [])
    t_all, r_all, f_all = np.concatenate(term_ids), np.concatenate(rows), np.concatenate(tfs)
    # Each part's postings are in row order per term and parts follow each other, so a
    # stable sort by term keeps rows ascending within each term.
    order = np.argsort(t_all, kind="stable")
    t_all, r_all, f_all = t_all[order], r_all[order], f_all[order]
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(np.bincount(t_all, minlength=len(vocab)), out=indptr[1:])
    return TermPart(keys, list(vocab), indptr, r_all.astype(np.int32), f_all.astype(np.float32))


class LexicalIndex:
    """BM25 scores of every live passage, over a list of term parts with deletion masks.

    Rows are the live rows of the parts, in order. ``add`` appends a part, ``remove``
    clears mask bits; both change this object, so a writer changes a ``copy`` (which
    shares the immutable parts) while searches read the original.
    """

    def __init__(self, analyzer: str = "both", k1: float = 1.2, b: float = 0.75) -> None:
        select_terms([], analyzer)  # validates the name early
        self.analyzer = analyzer
        self.k1 = k1
        self.b = b
        self.parts: list[TermPart] = []
        self.live: list[np.ndarray | None] = []  # per part: None = every row live
        self._stats: dict[str, Any] | None = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return int(sum(len(p) if m is None else int(m.sum()) for p, m in self._pairs()))

    def _pairs(self) -> list[tuple[TermPart, np.ndarray | None]]:
        return list(zip(self.parts, self.live, strict=True))

    def copy(self) -> LexicalIndex:
        other = LexicalIndex(self.analyzer, self.k1, self.b)
        other.parts = list(self.parts)
        other.live = list(self.live)
        return other

    @property
    def ids(self) -> list[str]:
        return live_keys(self.parts, self.live)

    @property
    def terms(self) -> list[list[str]]:
        """Every live passage's terms (rebuilt from the postings: for tools, not search)."""
        out: list[list[str]] = []
        for part, mask in self._pairs():
            rows = None if mask is None else np.flatnonzero(mask)
            out.extend(part.term_lists(rows))
        return out

    def use_analyzer(self, analyzer: str) -> None:
        """Score with another analyzer over the same stored terms (benchmarks compare them)."""
        select_terms([], analyzer)
        self.analyzer = analyzer
        self._stats = None

    def add(self, ids: Sequence[str], terms: Sequence[Sequence[str]]) -> None:
        """Add passages as one new part (ids must be new: the caller removes replaced ones)."""
        self.add_part(TermPart.from_terms(ids, terms))

    def add_part(self, part: TermPart, live: np.ndarray | None = None) -> None:
        self.parts.append(part)
        self.live.append(live)
        self._stats = None

    def remove(self, ids: set[str]) -> int:
        rows = np.array([i for i, key in enumerate(self.ids) if key in ids], dtype=np.int64)
        return self.remove_rows(rows)

    def remove_rows(self, rows: np.ndarray) -> int:
        """Mark live rows (global positions) deleted; return how many."""
        if not len(rows):
            return 0
        self.live = without_rows([len(part) for part in self.parts], self.live, rows)
        self._stats = None
        return len(rows)

    def prepare(self) -> dict[str, Any]:
        """The statistics a query needs (live count, mean length, each part's row offset
        and lengths), computed once per index state; a writer calls it before publishing."""
        stats = self._stats
        if stats is not None:
            return stats
        with self._lock:
            if self._stats is None:
                lengths: list[np.ndarray] = []
                offsets: list[int] = []
                global_of: list[np.ndarray | None] = []
                start = 0
                for part, mask in self._pairs():
                    dl = part.lengths(self.analyzer)
                    offsets.append(start)
                    if mask is None:
                        global_of.append(None)
                        lengths.append(dl)
                        start += len(part)
                    else:
                        g = np.cumsum(mask) - 1 + start
                        global_of.append(np.where(mask, g, -1))
                        lengths.append(dl[mask])
                        start += int(mask.sum())
                all_lengths = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
                avgdl = float(all_lengths.mean()) if start else 0.0
                k1, b = self.k1, self.b
                self._stats = {
                    "n": start,
                    "avgdl": avgdl,
                    "offsets": offsets,
                    "global_of": global_of,
                    # each row's length normaliser, float64 as bm25s computes it
                    "norm": [
                        k1 * ((1 - b) + b * p.lengths(self.analyzer) / avgdl) if avgdl else None
                        for p in self.parts
                    ],
                    "idf_cache": {},
                    "term_cache": {},  # term -> (rows, contributions), see ``term_scores``
                    "cached_postings": [0],
                    "impacts": {},  # term -> Impacts, see ``impacts``
                    "impact_postings": [0],
                    "df": {},  # term -> live document frequency
                    "live_rows": [None if m is None else np.flatnonzero(m) for m in self.live],
                }
            return self._stats

    def live_postings(self, term: str) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """(part index, live local rows, their tf) of each part holding ``term``."""
        out = []
        for i, (part, mask) in enumerate(self._pairs()):
            found = part.postings(term)
            if found is None:
                continue
            rows, tf = found
            if mask is not None:
                keep = mask[rows]
                rows, tf = rows[keep], tf[keep]
            if len(rows):
                out.append((i, rows, tf))
        return out

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 score of every live passage (aligned with ``self.ids``) for the query terms."""
        stats = self.prepare()
        n = stats["n"]
        out = np.zeros(n, dtype=np.float32)
        if not n:
            return out
        for term in select_terms(query_terms, self.analyzer):
            if term:
                found = self.term_scores(term, stats)
                if found is not None:
                    out[found[0]] += found[1]
        return out

    def term_scores(self, term: str, stats: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows, BM25 contributions) of one term over the live passages (None when no
        live passage holds it). Kept per index state for terms with many postings (common
        words recur across questions), within ``TERM_CACHE_POSTINGS``."""
        cache: dict[str, tuple[np.ndarray, np.ndarray] | None] = stats["term_cache"]
        if term in cache:
            return cache[term]
        n = stats["n"]
        found = self.live_postings(term)
        df = sum(len(rows) for _, rows, _ in found)
        if not df:
            return None
        idf = np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))
        targets, contributions = [], []
        for i, rows, tf in found:
            # idf * (tf / (norm + tf)) in float64, in place: the first use of a common
            # term (hundreds of thousands of postings) is paid inside a query
            x = stats["norm"][i][rows]
            np.add(x, tf, out=x)
            np.divide(tf, x, out=x)
            np.multiply(x, idf, out=x)
            contributions.append(x.astype(np.float32))
            g = stats["global_of"][i]
            if g is not None:
                targets.append(g[rows])
            else:
                targets.append(rows.astype(np.int64))
                targets[-1] += stats["offsets"][i]
        one = len(found) == 1  # (a concatenation would copy)
        result = (
            targets[0] if one else np.concatenate(targets),
            contributions[0] if one else np.concatenate(contributions),
        )
        if df >= TERM_CACHE_MIN_DF and stats["cached_postings"][0] + df <= TERM_CACHE_POSTINGS:
            stats["cached_postings"][0] += df
            cache[term] = result
        return result

    def top(
        self, query_terms: Sequence[str], depth: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows, scores) of the ``depth`` best rows (allowed ones only), best first, ties
        in row order, zero-score rows filling the list as ``best_rows`` does. Scores are
        exact; past ``IMPACT_MIN_ROWS`` rows (and without a filter) the rows considered
        come from each term's best impacts (``impact``), else every row is scored."""
        stats = self.prepare()
        n = stats["n"]
        if not uses_impacts(n) or allowed is not None:
            every = self.scores(query_terms)
            rows = best_rows(every, depth, allowed)
            return rows, every[rows]
        terms = [t for t in select_terms(query_terms, self.analyzer) if t]
        return top_by_impacts(
            terms,
            lambda term: self.impacts(term, stats),
            lambda rows: self.scores_of(query_terms, rows),
            n,
            depth,
        )

    def impacts(self, term: str, stats: dict[str, Any]) -> Impacts | None:
        """The term's best postings by contribution (None when no live passage holds
        it), kept per index state within ``IMPACT_CACHE_POSTINGS``."""
        cache: dict[str, Impacts | None] = stats["impacts"]
        try:
            return cache[term]
        except KeyError:  # (not ``in``: another thread may evict it in between)
            pass
        found = self.live_postings(term)
        df = stats["df"][term] = sum(len(rows) for _, rows, _ in found)
        result = None
        if df:
            # Which postings are best needs no exact arithmetic (their scores are exact
            # later): float32 halves the first use of a common term, paid in a query.
            n = stats["n"]
            idf = np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))
            norm32 = stats.get("norm32")
            if norm32 is None:
                norm32 = stats["norm32"] = [
                    None if x is None else x.astype(np.float32) for x in stats["norm"]
                ]
            targets, values = [], []
            for i, rows, tf in found:
                x = norm32[i][rows]
                np.add(x, tf, out=x)
                np.divide(tf, x, out=x)
                np.multiply(x, idf, out=x)
                values.append(x)
                g = stats["global_of"][i]
                start = stats["offsets"][i]
                if g is not None:
                    targets.append(g[rows])
                else:
                    targets.append(rows.astype(np.int64) + start if start else rows)
            result = best_impacts(np.concatenate(targets), np.concatenate(values))
        keep_impacts(cache, stats["impact_postings"], term, result)
        return result

    def scores_of(self, query_terms: Sequence[str], rows: np.ndarray) -> np.ndarray:
        """BM25 scores of some live rows only, equal bit for bit to ``scores(...)[rows]``
        (same arithmetic, terms added in the same order)."""
        rows = np.asarray(rows, dtype=np.int64)
        stats = self.prepare()
        order = np.argsort(rows, kind="stable")
        ascending = rows[order]
        total = np.zeros(len(rows), dtype=np.float32)
        seen: dict[str, np.ndarray] = {}
        for term in select_terms(query_terms, self.analyzer):
            if term:
                found = seen.get(term)
                if found is None:
                    found = seen[term] = self.term_scores_at(term, ascending, stats)
                total += found
        out = np.empty(len(rows), dtype=np.float32)
        out[order] = total
        return out

    def term_scores_at(self, term: str, rows: np.ndarray, stats: dict[str, Any]) -> np.ndarray:
        """One term's BM25 contribution at some live rows (ascending; 0 where absent),
        from its postings (or its kept scores), without scoring its other rows."""
        out = np.zeros(len(rows), dtype=np.float32)
        cached = stats["term_cache"].get(term)
        if cached is not None:
            found_rows, values = cached
            keys = rows.astype(found_rows.dtype)  # a mixed-type search would copy the rows
            pos = np.minimum(np.searchsorted(found_rows, keys), len(found_rows) - 1)
            hit = found_rows[pos] == keys
            out[hit] = values[pos[hit]]
            return out
        df = self.live_document_frequency(term, stats)
        if not df:
            return out
        n = stats["n"]
        idf = np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))
        for i, part in enumerate(self.parts):
            found = part.postings(term)
            if found is None:
                continue
            start = stats["offsets"][i]
            live_rows = stats["live_rows"][i]
            count = len(part) if live_rows is None else len(live_rows)
            lo, hi = np.searchsorted(rows, [start, start + count])
            if hi <= lo:
                continue
            local = rows[lo:hi] - start if live_rows is None else live_rows[rows[lo:hi] - start]
            p_rows, p_tf = found
            if not len(p_rows):
                continue
            local = local.astype(p_rows.dtype)  # a mixed-type search would copy the postings
            pos = np.minimum(np.searchsorted(p_rows, local), len(p_rows) - 1)
            hit = p_rows[pos] == local
            tf = p_tf[pos[hit]]
            norm = stats["norm"][i][local[hit]]
            out[lo:hi][hit] = (idf * (tf / (norm + tf))).astype(np.float32)
        return out

    def live_document_frequency(self, term: str, stats: dict[str, Any]) -> int:
        """``document_frequency``, kept per index state."""
        cache: dict[str, int] = stats["df"]
        df = cache.get(term)
        if df is None:
            df = cache[term] = self.document_frequency(term)
        return df

    def document_frequency(self, term: str) -> int:
        """Live passages holding ``term`` (any analyzer: the stored terms)."""
        return sum(len(rows) for _, rows, _ in self.live_postings(term))

    def term_idf(self) -> IdfFn | None:
        """IDF of terms over the live passages (``idf.idf_from_term_lists``'s formula,
        from the postings: nothing is re-read); None when there are none."""
        stats = self.prepare()
        n = stats["n"]
        if not n:
            return None
        cache: dict[str, float] = stats["idf_cache"]
        top = math.log(1 + (n + 1) / 0.5)

        def idf(term: str) -> float:
            value = cache.get(term)
            if value is None:
                d = self.document_frequency(term)
                value = math.log(1 + (n - d + 0.5) / (d + 0.5)) if d else top
                cache[term] = value
            return value

        return idf
