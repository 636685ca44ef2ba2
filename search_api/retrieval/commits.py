"""Reading and committing generations of an index home (format 2: segments).

``load_committed`` opens the generation the manifest names, reusing segments already
open (a reader that notices a new commit opens only the new segments); ``commit`` writes
the segments a snapshot adds or merges, then the manifest (the commit point), then
deletes files no longer named. See ``generations`` for the files and ``segments`` for a
segment and the merge policy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from search_api.errors import IndexMismatchError
from search_api.retrieval.dense import DenseIndex, VectorPart, merge_vector_parts
from search_api.retrieval.generations import (
    FORMAT_VERSION,
    Signature,
    delete_unnamed,
    last_segment,
    legacy_vectors,
    read_legacy,
    signature,
    write_manifest,
)
from search_api.retrieval.lexical import LexicalIndex, TermPart, merge_parts
from search_api.retrieval.segments import (
    LoadedSegment,
    merge_plan,
    read_segment,
    segment_files,
    too_many_deleted,
    write_segment,
)
from search_api.retrieval.snapshot import IndexSnapshot


@dataclass(slots=True)
class Committed:
    """A committed generation as opened (or just written) by this process."""

    gen: int
    signature: Signature
    snapshot: IndexSnapshot
    doc_seg: dict[str, int] = field(default_factory=dict)  # doc id -> segment of its entry
    segments: dict[int, LoadedSegment] = field(default_factory=dict)
    legacy: bool = False  # format 1: the next save rewrites everything
    written: int = 0  # bytes this commit wrote


def _mask(rows: int, deleted: Sequence[int]) -> np.ndarray | None:
    if not deleted:
        return None
    mask = np.ones(rows, dtype=bool)
    mask[np.asarray(deleted, dtype=np.int64)] = False
    return mask


def load_committed(
    home: Path,
    manifest: dict[str, Any],
    sig: Signature,
    *,
    dense_kind: str,
    with_vectors: bool,
    reuse: Mapping[int, LoadedSegment],
) -> Committed:
    """Open the generation ``manifest`` names (``FileNotFoundError`` when a writer
    deleted one of its segments meanwhile: read the manifest again)."""
    if int(manifest.get("version", 1)) < 2:
        return _load_legacy(home, manifest, sig, dense_kind, with_vectors)
    analyzer = manifest.get("analyzer", "both")
    lexical = LexicalIndex(analyzer)
    dense = DenseIndex(manifest["embedder"], int(manifest["dim"]), dense_kind)
    records: list[dict[str, Any]] = []
    segments: dict[int, LoadedSegment] = {}
    for entry in manifest["segments"]:
        seg = int(entry["id"])
        loaded = reuse.get(seg) or read_segment(home, seg, bool(entry.get("ann")))
        if len(loaded.records) != int(entry["rows"]):
            raise IndexMismatchError(
                f"the index at {home} is inconsistent (segment {seg}); rebuild it (cancu reindex)"
            )
        segments[seg] = loaded
        mask = _mask(len(loaded.records), entry.get("deleted", []))
        lexical.add_part(loaded.terms, mask)
        if with_vectors:
            dense.add_part(loaded.vectors, mask)
        if mask is None:
            records.extend(loaded.records)
        else:
            records.extend(r for r, m in zip(loaded.records, mask.tolist(), strict=True) if m)
    doc_seg = {d: int(s) for d, s in manifest.get("docs", {}).items()}
    docs = {d: segments[s].docs[d] for d, s in doc_seg.items()}
    snap = IndexSnapshot(tuple(records), docs, lexical, dense if with_vectors else None)
    return Committed(int(manifest["gen"]), sig, snap, doc_seg, segments)


def _load_legacy(
    home: Path, manifest: dict[str, Any], sig: Signature, dense_kind: str, with_vectors: bool
) -> Committed:
    gen = int(manifest["gen"])
    passages, lex, _meta = read_legacy(home, gen)
    records = tuple(passages["records"])
    keys = [r["key"] for r in records]
    if list(lex["ids"]) != keys:
        raise IndexMismatchError(f"the index at {home} is inconsistent; rebuild it (cancu reindex)")
    lexical = LexicalIndex(lex["analyzer"], lex["k1"], lex["b"])
    lexical.add(keys, lex["terms"])
    dense = None
    if with_vectors:
        dense = DenseIndex(manifest["embedder"], int(manifest["dim"]), dense_kind)
        vectors = legacy_vectors(home, gen)
        if len(vectors) != len(keys):
            raise IndexMismatchError(
                f"the index at {home} is inconsistent; rebuild it (cancu reindex)"
            )
        dense.add(keys, vectors)
    snap = IndexSnapshot(records, dict(passages["docs"]), lexical, dense)
    return Committed(gen, sig, snap, legacy=True)


def _aligned(lexical: LexicalIndex, dense: DenseIndex) -> bool:
    """Whether both indexes are cut into the same parts (they are unless one was rebuilt
    alone: vectors re-embedded for another embedder)."""
    if len(lexical.parts) != len(dense.parts):
        return False
    for a, b, ma, mb in zip(lexical.parts, dense.parts, lexical.live, dense.live, strict=True):
        if len(a) != len(b) or a.seg != b.seg:
            return False
        if ma is None or mb is None:
            if ma is not mb:
                return False
        elif not np.array_equal(ma, mb):
            return False
    return True


def commit(
    home: Path,
    snap: IndexSnapshot,
    dense: DenseIndex,
    *,
    gen: int,
    doc_seg: Mapping[str, int],
    unsaved_docs: set[str],
    rewrite_all: bool,
    reuse: Mapping[int, LoadedSegment],
) -> Committed:
    """Write the segments ``snap`` needs, then the manifest of generation ``gen``; return
    the committed state (its snapshot cut into the committed segments: same rows)."""
    lexical = snap.lexical.copy()
    vectors = dense.copy()
    if rewrite_all or not _aligned(lexical, vectors):
        unsaved_docs = set(snap.docs)  # every entry moves into the one new segment
        lexical = _single(lexical, merge_parts(lexical.parts, lexical.live))
        vectors = _single_dense(
            vectors, merge_vector_parts(vectors.parts, vectors.live, dense.kind)
        )
    # Entries not in a committed segment (a snapshot published from outside) count too.
    unsaved_docs = {d for d in snap.docs if d in unsaved_docs or d not in doc_seg}
    if unsaved_docs and all(p.seg is not None for p in lexical.parts):
        # Documents changed without new passages: an empty segment holds their entries.
        lexical.add_part(TermPart.from_terms([], []))
        vectors.add_part(VectorPart([], np.zeros((0, dense.dim), dtype=np.float32)))
    sizes = [
        len(p) if m is None else int(m.sum())
        for p, m in zip(lexical.parts, lexical.live, strict=True)
    ]
    rewrite = [
        p.seg is None or (m is not None and too_many_deleted(len(p), int((~m).sum())))
        for p, m in zip(lexical.parts, lexical.live, strict=True)
    ]
    next_seg = last_segment(home)
    new_lexical = LexicalIndex(lexical.analyzer, lexical.k1, lexical.b)
    new_dense = DenseIndex(dense.embedder, dense.dim, dense.kind)
    seg_entries: list[dict[str, Any]] = []
    segments: dict[int, LoadedSegment] = {}
    new_doc_seg = {d: s for d, s in doc_seg.items() if d in snap.docs and d not in unsaved_docs}
    written, row = 0, 0
    named: set[str] = set()
    groups = merge_plan(sizes, rewrite)
    for number, (first, end, again) in enumerate(groups):
        n_rows = sum(sizes[first:end])
        part = lexical.parts[first]
        if not again and end - first == 1 and part.seg is not None:
            mask = lexical.live[first]
            seg = part.seg
            segments[seg] = reuse[seg]
            new_lexical.add_part(part, mask)
            new_dense.add_part(vectors.parts[first], vectors.live[first])
            deleted = [] if mask is None else np.flatnonzero(~mask).tolist()
            has_ann = vectors.parts[first].ann is not None
        else:
            next_seg += 1
            seg = next_seg
            terms = merge_parts(lexical.parts[first:end], lexical.live[first:end])
            terms.seg = seg
            merged = merge_vector_parts(
                vectors.parts[first:end], vectors.live[first:end], dense.kind
            )
            old = {p.seg for p in lexical.parts[first:end] if p.seg is not None}
            moved = {d for d, s in new_doc_seg.items() if s in old}
            if number == len(groups) - 1:
                moved |= unsaved_docs
            entries = {d: snap.docs[d] for d in sorted(moved)}
            records = snap.records[row : row + n_rows]
            nbytes, files = write_segment(home, seg, records, entries, terms, merged)
            written += nbytes
            mapped = np.load(home / segment_files(seg)["vectors"], mmap_mode="r")
            part_vectors = VectorPart(merged.keys, mapped, seg, merged.ann)
            segments[seg] = LoadedSegment(seg, tuple(records), entries, terms, part_vectors)
            new_lexical.add_part(terms)
            new_dense.add_part(part_vectors)
            new_doc_seg.update(dict.fromkeys(moved, seg))
            deleted, has_ann = [], merged.ann is not None
        named.update(segment_files(seg)[k] for k in ("records", "terms", "vectors"))
        if has_ann:
            named.add(segment_files(seg)["ann"])
        rows = len(segments[seg].records)
        seg_entries.append({"id": seg, "rows": rows, "deleted": deleted, "ann": has_ann})
        row += n_rows
    manifest = {
        "gen": gen,  # first: readers compare the manifest's first bytes (``signature``)
        "version": FORMAT_VERSION,
        "embedder": dense.embedder,
        "dim": dense.dim,
        "analyzer": lexical.analyzer,
        "segments": seg_entries,
        "docs": new_doc_seg,
        "passages": len(snap.records),
        "documents": len(snap.docs),
    }
    written += write_manifest(home, manifest)
    sig = signature(home)
    delete_unnamed(home, named)
    committed = IndexSnapshot(snap.records, snap.docs, new_lexical, new_dense)
    return Committed(gen, sig, committed, new_doc_seg, segments, written=written)


def _single(lexical: LexicalIndex, part: TermPart) -> LexicalIndex:
    out = LexicalIndex(lexical.analyzer, lexical.k1, lexical.b)
    out.add_part(part)
    return out


def _single_dense(dense: DenseIndex, part: VectorPart) -> DenseIndex:
    out = DenseIndex(dense.embedder, dense.dim, dense.kind)
    out.add_part(part)
    return out
