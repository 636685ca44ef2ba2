"""Shipped vectors: the passages of ``corpus/`` embedded once, not on every machine.

Embedding the shipped corpus is nearly all of a first ``make run``, yet its texts are the
same for every user. ``corpus/.vectors/<embedder>.npz`` (built by
``bench/build_seed_vectors.py``; a hidden folder, so ingesting ``corpus/`` never reads it)
holds float16 vectors keyed like the embedding cache (sha1 of the embedded text), the
embedder's name, and a fingerprint: a few probe texts with their float32 vectors. The
cache takes a missing vector from the file only when the file names the same embedder and
the live model embeds the probes to the same vectors (cosine >= ``PROBE_MIN_COSINE``), so
another model, or another version of the same one, never gets foreign vectors; texts the
file lacks (other documents, a changed segmentation) are embedded as usual.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from search_api.retrieval.embedders import l2_normalise

log = logging.getLogger(__name__)

SEED_DIR = Path(__file__).resolve().parents[2] / "corpus" / ".vectors"
"""Where the repository keeps its shipped vectors (absent in a non-editable install)."""

PROBE_MIN_COSINE = 0.999
"""The least cosine between a probe's stored and live vector for the file to be used."""

PROBE_TEXTS = (
    "Kế hoạch phát triển hạ tầng số của tỉnh giai đoạn 2021-2025.",
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ngành liên quan.",
    "Điều 3. Kinh phí thực hiện từ nguồn ngân sách nhà nước và nguồn hợp pháp khác.",
    "A short English sentence about public services online.",
)
"""Invented texts whose vectors fingerprint the model that built a file."""

EmbedFn = Callable[[list[str]], np.ndarray]


class SeedVectors:
    """One shipped vectors file, read on first use and checked against the live model once."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._rows: dict[str, int] | None = None
        self._vectors: np.ndarray | None = None
        self._embedder = ""
        self._probe_texts: list[str] = []
        self._probe_vectors: np.ndarray | None = None
        # None: not yet checked; then whether the live model matches the fingerprint.
        self._matches: bool | None = None

    def _load(self) -> None:
        if self._rows is not None:
            return
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys = [k.decode("ascii") for k in data["keys"].tolist()]
                self._vectors = np.asarray(data["vectors"])
                self._embedder = str(data["embedder"])
                self._probe_texts = [str(t) for t in data["probe_texts"]]
                self._probe_vectors = np.asarray(data["probe_vectors"], dtype=np.float32)
        except (OSError, KeyError, ValueError) as exc:
            log.warning("ignoring shipped vectors %s: %s", self.path, exc)
            keys, self._matches = [], False
        self._rows = {key: row for row, key in enumerate(keys)}

    @property
    def embedder(self) -> str:
        """The name of the embedder that built the file ("" when it cannot be read)."""
        self._load()
        return self._embedder

    def __len__(self) -> int:
        self._load()
        return len(self._rows or {})

    def vectors_for(self, embedder: str, keys: Iterable[str], fn: EmbedFn) -> dict[str, np.ndarray]:
        """The file's float32, unit-length vectors among ``keys``: none unless the file
        was built by ``embedder`` and ``fn`` (that embedder's passage function) matches
        the fingerprint. The model runs (on the probes only) when the file has a key."""
        self._load()
        if embedder != self._embedder or not self._rows or self._matches is False:
            return {}
        rows = {key: self._rows[key] for key in keys if key in self._rows}
        if not rows or not self._model_matches(fn):
            return {}
        assert self._vectors is not None
        picked = l2_normalise(self._vectors[list(rows.values())].astype(np.float32))
        return {key: picked[i] for i, key in enumerate(rows)}

    def _model_matches(self, fn: EmbedFn) -> bool:
        if self._matches is None:
            assert self._probe_vectors is not None
            self._matches = probes_match(self._probe_texts, self._probe_vectors, fn)
            if not self._matches:
                log.warning(
                    "ignoring shipped vectors %s: the %r model differs from the one that "
                    "built them",
                    self.path,
                    self._embedder,
                )
        return self._matches


def probes_match(texts: Sequence[str], stored: np.ndarray, fn: EmbedFn) -> bool:
    """Whether ``fn`` embeds ``texts`` to ``stored`` (every cosine >= PROBE_MIN_COSINE)."""
    if not texts or len(texts) != len(stored):
        return False
    live = l2_normalise(np.asarray(fn(list(texts)), dtype=np.float32))
    if live.shape != stored.shape:
        return False
    cosines = np.sum(live * l2_normalise(stored), axis=1)
    return bool(np.all(cosines >= PROBE_MIN_COSINE))


def shipped_seeds(folder: Path | None = None) -> list[SeedVectors]:
    """The shipped vectors files in ``folder`` (default: ``$CANCU_SEED_VECTORS``, else
    ``SEED_DIR``; none when it does not exist, or when the variable is "off": a benchmark
    of embedding speed, or a rebuild of the files); nothing is read until a cache asks."""
    if folder is None:
        setting = os.environ.get("CANCU_SEED_VECTORS", "")
        if setting.lower() == "off":
            return []
        folder = Path(setting) if setting else SEED_DIR
    if not folder.is_dir():
        return []
    return [SeedVectors(p) for p in sorted(folder.glob("*.npz"))]


def write_seed_file(
    path: Path,
    embedder: str,
    vectors: dict[str, np.ndarray],
    fn: EmbedFn,
    probe_texts: Sequence[str] = PROBE_TEXTS,
) -> int:
    """Write ``vectors`` (cache key -> vector) as a shipped file for ``embedder``, its
    fingerprint taken by running ``fn`` on the probes; return the bytes written."""
    keys = sorted(vectors)
    dim = len(next(iter(vectors.values()))) if vectors else 0
    matrix = np.zeros((len(keys), dim), dtype=np.float16)
    for row, key in enumerate(keys):
        matrix[row] = l2_normalise(vectors[key]).astype(np.float16)
    probes = l2_normalise(np.asarray(fn(list(probe_texts)), dtype=np.float32))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        np.savez_compressed(
            out,
            keys=np.array(keys, dtype="S40" if keys else "S1"),
            vectors=matrix,
            embedder=np.array(embedder),
            probe_texts=np.array(list(probe_texts)),
            probe_vectors=probes,
        )
    return path.stat().st_size
