"""Questions about several plans get one hit per plan first (``diversify``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from conftest import make_doc

from search_api.retrieval.diversify import asks_for_several_documents, one_per_document
from search_api.retrieval.index import SearchIndex

BIG = [
    "Tỉnh có kế hoạch chuyển đổi số cơ quan nhà nước: số hóa hồ sơ, dịch vụ công.",
    "Tỉnh có kế hoạch chuyển đổi số doanh nghiệp nhỏ và vừa.",
    "Tỉnh có kế hoạch chuyển đổi số trường học và học bạ số.",
    "Tỉnh có kế hoạch chuyển đổi số bệnh viện và hồ sơ sức khỏe điện tử.",
]
SMALL = "Nhiệm vụ chuyển đổi số được triển khai."
FILLER = "Tổ chức hội nghị tổng kết công tác năm và khen thưởng các tập thể."


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    index = SearchIndex(tmp_path_factory.mktemp("diversify"))
    index.add_documents(
        [
            make_doc("kh-a", BIG, province="Bắc Giang"),
            make_doc("kh-b", [SMALL, FILLER], province="Hải Dương"),
            make_doc("kh-c", [SMALL.replace("được", "sẽ được"), FILLER], province="Tây Ninh"),
        ]
    )
    return index


def test_cue_phrases_ask_for_several_plans() -> None:
    for q in (
        "Những tỉnh nào có kế hoạch chuyển đổi số?",
        "Tỉnh nào đặt chỉ tiêu 100% dịch vụ công mức 4?",
        "Các kế hoạch năm 2019 giao việc gì cho Sở Y tế?",
        "Bao nhiêu địa phương đã ban hành kế hoạch?",
        "Thành phố nào giao Sở Thông tin và Truyền thông chủ trì?",
        "Các thành phố trực thuộc trung ương đặt chỉ tiêu gì?",
    ):
        assert asks_for_several_documents(q), q
    for q in (
        "Đơn vị nào chịu trách nhiệm triển khai ISO điện tử?",
        "Kế hoạch được thông qua bằng quyết định nào?",
        "Chỉ tiêu năm 2017 của tỉnh Hải Dương là bao nhiêu?",
    ):
        assert not asks_for_several_documents(q), q


def test_one_passage_per_document_first_then_the_rest() -> None:
    records = [{"doc_id": d} for d in ("a", "a", "b", "a", "c")]
    rows, scores = one_per_document(
        np.array([0, 1, 3, 2, 4]), np.array([0.9, 0.8, 0.7, 0.6, 0.5], np.float32), records
    )
    assert rows.tolist() == [0, 2, 4, 1, 3]  # a, b, c, then a's other passages
    assert np.all(np.diff(scores) <= 0)


def test_a_question_about_several_plans_gets_one_hit_per_plan(plans: SearchIndex) -> None:
    query = "Những tỉnh nào có kế hoạch chuyển đổi số?"
    hits = plans.search(query, k=5)
    assert {h.doc_id for h in hits[:3]} == {"kh-a", "kh-b", "kh-c"}
    assert len(hits) == 5  # the other passages follow: nothing is lost
    kept = plans.hybrid
    plans.hybrid = replace(kept, diversify=False)
    try:
        plain = plans.search(query, k=3)
    finally:
        plans.hybrid = kept
    assert [h.doc_id for h in plain].count("kh-a") >= 2  # without it, one plan crowds in
