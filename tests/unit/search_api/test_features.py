"""Ranking features of hybrid candidates (``features``) on an invented law corpus."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_doc

from search_api.retrieval.features import (
    FEATURES,
    candidate_features,
    field_terms,
    rank_discount,
)
from search_api.retrieval.hybrid import Candidates
from search_api.retrieval.index import SearchIndex

BEE = [
    "Điều 1. Đăng ký đàn ong\nNgười nuôi ong đăng ký đàn với Ủy ban nhân dân xã.",
    "Điều 2. Khoảng cách đặt thùng ong\nThùng ong đặt cách nhà dân ít nhất năm mươi mét.",
]
MUSHROOM = [
    "Điều 1. Đăng ký cơ sở trồng nấm\nCơ sở trồng nấm đăng ký với Ủy ban nhân dân huyện.",
    "Điều 2. Nhà trồng nấm\nNhà trồng nấm phải thoáng khí và sạch sẽ.",
]


@pytest.fixture(scope="module")
def laws(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("features"))
    index.add_documents(
        [
            make_doc("Luật Nuôi ong", BEE, kind="legal", doc_type=None),
            make_doc("Luật Trồng nấm", MUSHROOM, kind="legal", doc_type=None),
        ]
    )
    return index


def all_candidates(index: SearchIndex) -> Candidates:
    n = len(index.records)
    rows = np.arange(n, dtype=np.int64)
    dense = np.linspace(0.9, 0.5, n).astype(np.float32)
    return Candidates(rows, dense, np.zeros(n, np.float32), rows + 1, np.zeros(n, np.int64))


def column(x: np.ndarray, name: str) -> list[float]:
    return x[:, FEATURES.index(name)].tolist()


def test_heading_title_and_named_law_are_fields_of_their_own(laws: SearchIndex) -> None:
    snap = laws.snapshot()
    query = "Theo Luật Nuôi ong, khoảng cách đặt thùng ong là bao nhiêu?"
    x = candidate_features(snap, query, all_candidates(laws))
    assert x.shape == (4, len(FEATURES))
    docs = [r["doc_id"] for r in snap.records]
    heading = column(x, "heading_cover")
    # The article whose heading the question repeats matches its heading best.
    best = int(np.argmax(heading))
    assert snap.records[best]["heading"].startswith("Điều 2. Khoảng cách")
    named = column(x, "named_doc")
    assert [d for d, v in zip(docs, named, strict=True) if v] == ["Luật Nuôi ong"] * 2
    title = column(x, "title_cover")
    assert all((t > 0.9) == (d == "Luật Nuôi ong") for d, t in zip(docs, title, strict=True))
    # No BM25 signal: its features stay zero; dense features are per-question scaled.
    assert column(x, "bm25_norm") == [0.0] * 4 and column(x, "bm25_rank") == [0.0] * 4
    assert max(column(x, "dense_norm")) == 1.0 and max(column(x, "dense_gap")) == 0.0
    # Shares of IDF mass: every question term is in the matching heading's article or not.
    assert all(0.0 <= v <= 1.0 for v in column(x, "heading_query") + heading)


def test_a_question_naming_no_law_gets_no_named_document(laws: SearchIndex) -> None:
    x = candidate_features(laws.snapshot(), "nhà trồng nấm thế nào", all_candidates(laws))
    assert column(x, "named_doc") == [0.0] * 4
    none = np.zeros(0, np.int64)
    empty = Candidates(none, np.zeros(0, np.float32), np.zeros(0, np.float32), none, none)
    assert candidate_features(laws.snapshot(), "x", empty).shape == (0, len(FEATURES))


def test_field_terms_drop_the_label_and_ranks_are_discounted() -> None:
    assert field_terms("Điều 32. Đối tượng bị áp dụng") == {"đối", "tượng", "bị", "áp", "dụng"}
    assert field_terms("b) Kế hoạch năm 2020") == {"kế", "hoạch", "năm", "2020"}

    assert rank_discount(np.array([1, 3, 0])).tolist() == pytest.approx([1.0, 0.5, 0.0])


def test_features_are_cached_per_snapshot(laws: SearchIndex) -> None:
    snap = laws.snapshot()
    candidate_features(snap, "đăng ký đàn ong", all_candidates(laws))
    assert len(snap.derived["row_fields"]) == 4 and "document_table" in snap.derived


def test_a_question_about_a_plan_marks_the_plans_rows_not_the_laws(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    index = SearchIndex(tmp_path_factory.mktemp("plan_asked"))
    index.add_documents(
        [
            make_doc("Luật Nuôi ong", BEE, kind="legal", doc_type=None),
            make_doc("kh-ong", ["Tỉnh hỗ trợ người nuôi ong đăng ký đàn."], province="Bắc Giang"),
        ]
    )
    snap = index.snapshot()
    cands = all_candidates(index)
    kinds = [r["doc_kind"] for r in snap.records]
    for query in ("Trong kế hoạch này, ai đăng ký đàn ong?", "Tỉnh hỗ trợ đăng ký đàn ong ra sao?"):
        marked = column(candidate_features(snap, query, cands), "plan_asked")
        assert marked == [1.0 if k == "plan" else 0.0 for k in kinds], query
    # No cue word (a plan's own words elsewhere in it do not count): nothing is marked.
    for query in ("Ai đăng ký đàn ong?", "Người nuôi ong hỗ trợ gì?"):
        assert not any(column(candidate_features(snap, query, cands), "plan_asked")), query
