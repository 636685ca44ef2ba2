"""Segments of an index home: one immutable set of files per batch of passages.

A segment ``seg-<n>`` holds the passage records of one batch and the entries of the
documents committed with it (``seg-<n>.records.json.gz``), their terms
(``seg-<n>.terms.npz``, a ``lexical.TermPart``), their vectors (``seg-<n>.vectors.npy``,
opened memory-mapped) and, for a large segment, its approximate index
(``seg-<n>.ann.faiss``). Segments are written once and never changed: a deleted passage is
a row number in the manifest until a merge rewrites its segment without it.

Merging (``merge_plan``) keeps segment sizes decreasing by at least ``MERGE_RATIO`` from
the first segment to the last, like a binary counter: adding a document usually writes
one small segment, and each passage is rewritten O(log n) times over the life of the
index. A segment with more than ``MAX_DELETED_SHARE`` of its rows deleted is rewritten.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from search_api.retrieval.dense import VectorPart, faiss_module
from search_api.retrieval.lexical import TermPart

MERGE_RATIO = 4
MAX_DELETED_SHARE = 0.3


def segment_files(seg: int) -> dict[str, str]:
    stem = f"seg-{seg}"
    return {
        "records": f"{stem}.records.json.gz",
        "terms": f"{stem}.terms.npz",
        "vectors": f"{stem}.vectors.npy",
        "ann": f"{stem}.ann.faiss",
    }


@dataclass(frozen=True, slots=True)
class LoadedSegment:
    """A segment as read from disk (shared by every generation that names it)."""

    seg: int
    records: tuple[dict[str, Any], ...]
    docs: Mapping[str, dict[str, Any]]
    terms: TermPart
    vectors: VectorPart


def _replace_into(path: Path, write: Any) -> int:
    """Write through a temp file, then rename; return the bytes written."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)
    return path.stat().st_size


def write_segment(
    home: Path,
    seg: int,
    records: Sequence[dict[str, Any]],
    docs: Mapping[str, dict[str, Any]],
    terms: TermPart,
    vectors: VectorPart,
) -> tuple[int, list[str]]:
    """Write segment ``seg``'s files; return (bytes written, file names)."""
    names = segment_files(seg)
    written = 0

    def write_records(tmp: Path) -> None:
        with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=4) as fh:
            json.dump({"records": list(records), "docs": dict(docs)}, fh, ensure_ascii=False)

    def write_vectors(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.save(fh, np.ascontiguousarray(vectors.vectors, dtype=np.float32))

    written += _replace_into(home / names["records"], write_records)
    written += _replace_into(home / names["terms"], terms.save)
    written += _replace_into(home / names["vectors"], write_vectors)
    files = [names["records"], names["terms"], names["vectors"]]
    if vectors.ann is not None:
        faiss = faiss_module()
        written += _replace_into(
            home / names["ann"], lambda tmp: faiss.write_index(vectors.ann, str(tmp))
        )
        files.append(names["ann"])
    return written, files


def read_segment(home: Path, seg: int, has_ann: bool) -> LoadedSegment:
    """Open segment ``seg``: records and terms in memory, vectors memory-mapped."""
    names = segment_files(seg)
    with gzip.open(home / names["records"], "rt", encoding="utf-8") as fh:
        payload = json.load(fh)
    records = tuple(payload["records"])
    keys = [r["key"] for r in records]
    terms = TermPart.load(home / names["terms"], keys, seg)
    vectors = np.load(home / names["vectors"], mmap_mode="r")
    ann = None
    if has_ann:
        faiss = faiss_module()
        ann = faiss.read_index(str(home / names["ann"]), faiss.IO_FLAG_MMAP)
    return LoadedSegment(seg, records, payload["docs"], terms, VectorPart(keys, vectors, seg, ann))


def merge_plan(sizes: Sequence[int], rewrite: Sequence[bool]) -> list[tuple[int, int, bool]]:
    """Group consecutive segments: (first, end, whether the group is written anew).

    ``sizes`` are live rows; ``rewrite`` marks segments that must be written anyway (not
    saved yet, or too many deletions). Groups keep sizes decreasing by ``MERGE_RATIO``.
    """
    groups: list[list[int]] = []  # [first, end, size, rewrite]
    for i, (size, again) in enumerate(zip(sizes, rewrite, strict=True)):
        groups.append([i, i + 1, max(size, 1), int(again)])
        while len(groups) >= 2 and groups[-2][2] <= MERGE_RATIO * groups[-1][2]:
            last = groups.pop()
            groups[-1][1], groups[-1][2] = last[1], groups[-1][2] + last[2]
            groups[-1][3] = 1
    return [(first, end, bool(again)) for first, end, _, again in groups]


def too_many_deleted(rows: int, deleted: int) -> bool:
    return rows > 0 and deleted > MAX_DELETED_SHARE * rows
