"""BM25 top rows of a large index from impact-ordered candidates: scores stay exact (bit
for bit those of scoring every row), the rows equal the exact top list when the budget
covers every posting, deletions and several segments are respected, and small or
filtered indexes keep scoring every row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import make_doc

from search_api.retrieval import impact
from search_api.retrieval import index as index_module
from search_api.retrieval.impact import best_impacts, keep_impacts
from search_api.retrieval.index import SearchIndex
from search_api.retrieval.lexical import LexicalIndex
from search_api.retrieval.topk import best_rows

COMMON = ["kế", "hoạch", "năm", "tỉnh", "phát", "triển", "số"]


def passage(rng: np.random.Generator, i: int) -> list[str]:
    """Common words (many postings, low weight) plus a few rarer ones."""
    words = list(rng.choice(COMMON, size=int(rng.integers(3, 12))))
    words += [f"hiếm{int(x)}" for x in rng.integers(0, 60, size=int(rng.integers(0, 4)))]
    return words + [f"mã{i}"]  # one term only this passage holds


def segmented_index(
    rng: np.random.Generator, sizes: tuple[int, ...] = (300, 200, 250)
) -> LexicalIndex:
    """Several parts (segments), some rows deleted in the first two."""
    lexical = LexicalIndex()
    start = 0
    for size in sizes:
        ids = [f"p{start + i}" for i in range(size)]
        lexical.add(ids, [passage(rng, start + i) for i in range(size)])
        start += size
    lexical.remove({f"p{i}" for i in range(0, 500, 7)})
    return lexical


QUERIES = [
    ["kế", "hoạch", "tỉnh", "hiếm3"],
    ["phát", "triển", "số", "số", "hiếm11", "hiếm40"],
    ["năm", "tỉnh"],
    ["mã123", "kế", "hoạch"],
    ["không_có"],
]


@pytest.fixture
def impacts_from_10_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(impact, "IMPACT_MIN_ROWS", 10)


def test_scores_of_equal_scoring_every_row_bit_for_bit() -> None:
    lexical = segmented_index(np.random.default_rng(1))
    rows = np.random.default_rng(2).permutation(len(lexical))[:200]
    for query in QUERIES:
        assert np.array_equal(lexical.scores_of(query, rows), lexical.scores(query)[rows])


@pytest.mark.usefixtures("impacts_from_10_rows")
def test_top_equals_exact_top_when_the_budget_covers_every_posting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(impact, "IMPACT_BUDGET", 10**6)
    monkeypatch.setattr(impact, "RESCORED", 10**6)
    lexical = segmented_index(np.random.default_rng(3))
    for query in QUERIES:
        every = lexical.scores(query)
        for depth in (1, 10, 50):
            rows, scores = lexical.top(query, depth)
            expected = best_rows(every, depth)
            assert rows.tolist() == expected.tolist()
            assert np.array_equal(scores, every[expected])


@pytest.mark.usefixtures("impacts_from_10_rows")
def test_small_budget_keeps_exact_scores_and_finds_the_planted_passage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(impact, "IMPACT_BUDGET", 40)
    monkeypatch.setattr(impact, "RESCORED", 20)
    lexical = segmented_index(np.random.default_rng(4))
    query = ["mã123", "kế", "hoạch", "tỉnh"]
    every = lexical.scores(query)
    rows, scores = lexical.top(query, 10)
    assert np.array_equal(scores, every[rows])  # approximate rows, never scores
    assert rows[0] == int(np.argmax(every))  # the passage holding the rare term wins
    assert lexical.ids[int(rows[0])] == "p123"


@pytest.mark.usefixtures("impacts_from_10_rows")
def test_deleted_passages_never_come_back() -> None:
    lexical = segmented_index(np.random.default_rng(5))
    deleted = {f"p{i}" for i in range(0, 500, 7)}
    rows, scores = lexical.top(["mã14", "mã21", "mã22"], 10)  # 14 and 21 are deleted
    found = {lexical.ids[int(r)] for r, s in zip(rows, scores, strict=True) if s > 0}
    assert found == {"p22"}
    assert not found & deleted


@pytest.mark.usefixtures("impacts_from_10_rows")
def test_no_query_term_gives_zero_rows_in_row_order_like_best_rows() -> None:
    lexical = segmented_index(np.random.default_rng(6))
    rows, scores = lexical.top(["không_có"], 5)
    assert rows.tolist() == [0, 1, 2, 3, 4]
    assert not scores.any()


def test_small_or_filtered_indexes_score_every_row(monkeypatch: pytest.MonkeyPatch) -> None:
    lexical = segmented_index(np.random.default_rng(7))
    query = QUERIES[0]
    every = lexical.scores(query)
    rows, _ = lexical.top(query, 20)  # 750 rows minus deletions: below the threshold
    assert rows.tolist() == best_rows(every, 20).tolist()
    assert not lexical.prepare()["impacts"]  # nothing was ordered by impact
    monkeypatch.setattr(impact, "IMPACT_MIN_ROWS", 10)
    allowed = np.zeros(len(lexical), dtype=bool)
    allowed[::3] = True
    rows, _ = lexical.top(query, 20, allowed)
    assert rows.tolist() == best_rows(every, 20, allowed).tolist()


def test_best_impacts_keeps_the_best_postings_ties_in_row_order() -> None:
    rows = np.array([2, 5, 7, 9, 11], dtype=np.int64)
    values = np.array([0.5, 0.9, 0.5, 0.1, 0.5], dtype=np.float32)
    kept = best_impacts(rows, values, size=3)
    assert kept.rows.tolist() == [5, 2, 7]
    assert kept.count_at_least(0.5) == 3 and kept.count_at_least(0.6) == 1
    assert not kept.complete and best_impacts(rows, values, size=5).complete


def test_impact_cache_stays_within_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(impact, "IMPACT_CACHE_POSTINGS", 5)
    cache: dict[str, impact.Impacts | None] = {}
    kept = [0]
    three = best_impacts(np.arange(3), np.ones(3, dtype=np.float32))
    for term in ("a", "b", "c"):
        keep_impacts(cache, kept, term, three)
    assert list(cache) == ["c"] and kept == [3]  # the oldest made room


def test_search_index_large_path_ranks_bm25_as_scoring_every_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    docs = [
        make_doc(
            f"plan-{n}",
            [f"Kế hoạch {n % 7} phát triển số tỉnh mục {i} mãsố{n}" for i in range(4)],
            province="Tuyên Quang",
            date="2020-01-01",
        )
        for n in range(30)
    ]
    index = SearchIndex(tmp_path)
    index.add_documents(docs[:15])
    index.add_documents(docs[15:])  # two segments
    index.remove_document("plan-3")
    query = "kế hoạch phát triển số mãsố3 mãsố4"
    small = [(h.doc_id, h.passage_id, h.score) for h in index.search(query, k=8, mode="bm25")]
    monkeypatch.setattr(index_module, "ANN_MIN_ROWS", 1)  # the large index's path
    monkeypatch.setattr(impact, "IMPACT_MIN_ROWS", 1)
    monkeypatch.setattr(impact, "IMPACT_BUDGET", 10**6)
    large = [(h.doc_id, h.passage_id, h.score) for h in index.search(query, k=8, mode="bm25")]
    assert large == small
    assert index.snapshot().lexical.prepare()["impacts"]  # the candidates came from impacts
    assert all(doc != "plan-3" for doc, _, _ in large)
