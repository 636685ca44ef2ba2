"""Fusion of dense and BM25 rankings, and hybrid search on a hand-made corpus."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import make_doc

from search_api.errors import InvalidIndexOptionError, InvalidSearchError
from search_api.retrieval.hybrid import candidates_from_scores, fuse, minmax
from search_api.retrieval.index import SearchIndex
from search_api.retrieval.tokenize import clean_query


def fused(
    dense: np.ndarray,
    bm25: np.ndarray,
    method: str = "convex",
    allowed: np.ndarray | None = None,
    depth: int = 100,
) -> tuple[np.ndarray, np.ndarray]:
    return fuse(candidates_from_scores(dense, bm25, depth, allowed), method=method)


def test_rrf_rewards_agreement_between_rankings() -> None:
    # dense ranks 0, 1, 2, 3; BM25 ranks 2, 1, 3 (0 scores nothing): with depth 3, rows
    # 1 and 2 are in both top lists, 0 and 3 in one each.
    dense = np.array([0.9, 0.8, 0.7, 0.1], dtype=np.float32)
    bm25 = np.array([0.0, 2.0, 3.0, 1.0], dtype=np.float32)
    rows, scores = fused(dense, bm25, method="rrf", depth=3)
    by_row = dict(zip(rows.tolist(), scores.tolist(), strict=True))
    assert rows[0] in (1, 2)
    assert by_row[1] > by_row[0] and by_row[2] > by_row[3]


def test_candidates_carry_both_scores_and_ranks() -> None:
    dense = np.array([0.9, 0.8, 0.7, 0.1], dtype=np.float32)
    bm25 = np.array([0.0, 2.0, 3.0, 1.0], dtype=np.float32)
    cands = candidates_from_scores(dense, bm25, depth=2)
    assert cands.rows.tolist() == [0, 1, 2]  # dense top 2 = {0, 1}, BM25 top 2 = {2, 1}
    assert cands.dense_rank.tolist() == [1, 2, 0] and cands.bm25_rank.tolist() == [0, 2, 1]
    assert cands.bm25.tolist() == [0.0, 2.0, 3.0] and cands.bm25_signal
    no_terms = candidates_from_scores(dense, np.zeros(4, dtype=np.float32), depth=2)
    assert not no_terms.bm25_signal and no_terms.rows.tolist() == [0, 1]


def test_convex_fusion_keeps_a_decisive_lexical_margin() -> None:
    dense = np.array([0.80, 0.82, 0.81, 0.79], dtype=np.float32)  # flat: little signal
    bm25 = np.array([12.0, 0.5, 0.4, 0.0], dtype=np.float32)  # one decisive match
    rows, _ = fused(dense, bm25, method="convex")
    assert rows[0] == 0
    rows_rrf, _ = fused(dense, bm25, method="rrf")
    assert set(rows_rrf.tolist()) == {0, 1, 2, 3}


def test_fusion_without_lexical_signal_follows_dense_and_respects_the_mask() -> None:
    dense = np.array([0.1, 0.9, 0.5], dtype=np.float32)
    bm25 = np.zeros(3, dtype=np.float32)
    rows, scores = fused(dense, bm25)
    assert rows.tolist() == [1, 2, 0] and scores[0] == pytest.approx(0.5)
    rows, _ = fused(dense, bm25, allowed=np.array([True, False, True]))
    assert rows.tolist() == [2, 0]
    with pytest.raises(InvalidIndexOptionError):
        fused(dense, bm25, method="max")
    assert minmax(np.array([3.0, 3.0])).tolist() == [0.0, 0.0]


def test_clean_query_strips_exam_wrappers_only() -> None:
    assert clean_query("Viên chức được ký hợp đồng, đúng hay sai?") == "Viên chức được ký hợp đồng"
    assert (
        clean_query("Ai cấp phép?\nA. Bộ Công an\nB. UBND tỉnh")
        == "Ai cấp phép?\nBộ Công an\nUBND tỉnh"
    )
    assert clean_query("Nhận định sai về điều kiện kết hôn") == "Nhận định sai về điều kiện kết hôn"
    assert clean_query("đúng hay sai?") == "đúng hay sai?"


LEXICAL_ONLY = "Triển khai theo Quyết định 1819/QĐ-TTg và Công văn 2634/BTTTT-THH của Bộ."
SEMANTIC_ONLY = "Trang bị phần mềm phòng chống mã độc cho toàn bộ máy trạm của cán bộ."
FILLER = [
    "Tổ chức hội nghị tổng kết công tác năm và khen thưởng các tập thể.",
    "Tuyên truyền chính sách pháp luật về đất đai tới người dân ở khu vực nông thôn.",
    "Đầu tư xây dựng trường học, trạm y tế và đường giao thông liên xã.",
    "Phát triển du lịch sinh thái gắn với bảo tồn văn hóa dân tộc.",
]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("hybrid"))
    index.add_documents([make_doc("d1", [LEXICAL_ONLY, SEMANTIC_ONLY, *FILLER])])
    return index


def test_answer_found_only_lexically(small_index: SearchIndex) -> None:
    query = "văn bản 2634/BTTTT-THH"
    assert small_index.search(query, k=1, mode="bm25")[0].text == LEXICAL_ONLY
    assert small_index.search(query, k=1, mode="hybrid")[0].text == LEXICAL_ONLY


def test_answer_found_only_semantically(small_index: SearchIndex) -> None:
    query = "ngăn ngừa virus xâm nhập"
    bm25 = small_index.search(query, k=6, mode="bm25")
    assert SEMANTIC_ONLY not in [h.text for h in bm25]  # no shared term
    assert small_index.search(query, k=1, mode="dense")[0].text == SEMANTIC_ONLY
    hybrid = small_index.search(query, k=1, mode="hybrid")
    assert hybrid[0].text == SEMANTIC_ONLY
    assert hybrid[0].dense_score is not None and hybrid[0].bm25_score == 0.0


def test_unknown_mode_is_refused(small_index: SearchIndex) -> None:
    with pytest.raises(InvalidSearchError, match="hybrid"):
        small_index.search("x", mode="sparse")


def test_negative_k_or_offset_is_refused(small_index: SearchIndex) -> None:
    with pytest.raises(InvalidSearchError, match="must not be negative"):
        small_index.search("x", k=-1)
    with pytest.raises(InvalidSearchError, match="must not be negative"):
        small_index.search("x", offset=-2)
    assert small_index.search("x", k=0) == []


def test_rrf_fusion_is_available_as_an_option(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path, fusion="rrf")
    index.add_documents([make_doc("d1", [LEXICAL_ONLY, SEMANTIC_ONLY, *FILLER])])
    hits = index.search("Quyết định 1819/QĐ-TTg", k=3)
    assert hits[0].text == LEXICAL_ONLY
