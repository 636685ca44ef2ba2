"""Generations of an index home: immutable segment files committed by one manifest.

``manifest.json`` is the commit point: it names the segments of the current generation
(with each segment's deleted rows) and which segment holds each document's entry. A save
writes new segment files beside the current ones, replaces the manifest atomically
(``os.replace``), then deletes every file the manifest no longer names; a crash at any
point leaves the last committed generation intact, and files never committed are deleted
by the next save. Writers of several processes are serialised by ``write_lock`` (an
``flock`` on ``write.lock``); readers take no lock and notice a new commit by the
manifest's ``signature``.

Format 1 (every generation rewritten whole: ``passages-<gen>.json.gz``,
``lexical-<gen>.json.gz``, ``dense-<gen>.*``) is still read (``read_legacy``); the next
save writes format 2 and deletes those files.
"""

from __future__ import annotations

import fcntl
import gzip
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from search_api.errors import IndexMismatchError

MANIFEST = "manifest.json"
LOCK = "write.lock"
FORMAT_VERSION = 2
_GENERATION_FILE = re.compile(r"^(?:passages|lexical|dense)-(\d+)\.")
_SEGMENT_FILE = re.compile(r"^seg-(\d+)\.")
KEEP = {MANIFEST, LOCK, "embeddings.sqlite", "embeddings.sqlite-wal", "embeddings.sqlite-shm"}

Signature = tuple[int, int, int, bytes] | None


def read_manifest(home: Path) -> dict[str, Any] | None:
    """The committed manifest; None when nothing was ever committed."""
    path = home / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        int(manifest["gen"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexMismatchError(
            f"the index manifest {path} cannot be read ({exc}); rebuild it (cancu reindex)"
        ) from exc
    return dict(manifest)


def signature(home: Path) -> Signature:
    """What changes whenever a manifest is committed: its inode, time and size, and its
    first bytes, which hold the generation number (an inode freed by one commit may be
    reused within one clock tick); cheap enough to check before every search."""
    try:
        with open(home / MANIFEST, "rb") as fh:
            st = os.fstat(fh.fileno())
            head = fh.read(32)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size, head)


def write_manifest(home: Path, manifest: dict[str, Any]) -> int:
    """Commit: replace the manifest in one atomic step; return the bytes written."""
    tmp = home / f".{MANIFEST}.tmp"
    data = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, home / MANIFEST)
    return len(data)


@contextmanager
def write_lock(home: Path) -> Iterator[None]:
    """Hold the home's writer lock (other processes' saves wait; readers never do)."""
    with open(home / LOCK, "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def last_segment(home: Path) -> int:
    """The highest segment number in ``home``, committed or not (0 when none), read from
    file names so that a new segment never overwrites a file."""
    found = [int(m.group(1)) for f in home.iterdir() if (m := _SEGMENT_FILE.match(f.name))]
    return max(found, default=0)


def last_generation(home: Path) -> int:
    """The highest format-1 generation number in ``home`` (0 when none)."""
    gens = [int(m.group(1)) for f in home.iterdir() if (m := _GENERATION_FILE.match(f.name))]
    return max(gens, default=0)


def delete_unnamed(home: Path, named: set[str]) -> None:
    """Delete the index files the committed manifest does not name (older or never
    committed segments, format-1 generations); the embedding cache and lock stay."""
    for f in home.iterdir():
        if f.name in named or f.name in KEEP or not f.is_file():
            continue
        if _SEGMENT_FILE.match(f.name) or _GENERATION_FILE.match(f.name) or f.name.startswith("."):
            f.unlink(missing_ok=True)


# -- format 1, read only ----------------------------------------------------------------


def read_legacy(home: Path, gen: int) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(passages payload, lexical payload, dense meta) of a format-1 generation; the
    vectors are in ``legacy_vectors``."""
    with gzip.open(home / f"passages-{gen}.json.gz", "rt", encoding="utf-8") as fh:
        passages = dict(json.load(fh))
    with gzip.open(home / f"lexical-{gen}.json.gz", "rt", encoding="utf-8") as fh:
        lexical = dict(json.load(fh))
    meta_path = home / f"dense-{gen}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    return passages, lexical, meta


def legacy_vectors(home: Path, gen: int) -> np.ndarray:
    return np.load(home / f"dense-{gen}.npy").astype(np.float32, copy=False)
