"""Passage terms from forked workers are the serial ones, in the same order."""

from __future__ import annotations

import sys

import pytest

from search_api.retrieval.parallel_terms import PARALLEL_MIN_TEXTS, passage_terms
from search_api.retrieval.tokenize import terms

SENTENCES = [
    "Sở Thông tin và Truyền thông chủ trì triển khai dịch vụ công trực tuyến mức độ {n}.",
    "Căn cứ Nghị định số 64/2007/NĐ-CP, kinh phí {n} triệu đồng cho trung tâm dữ liệu.",
    "Ủy ban nhân dân tỉnh giao Văn phòng xây dựng hệ thống quản lý văn bản năm 20{n}.",
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked")
def test_forked_workers_give_the_serial_terms_in_order() -> None:
    texts = [SENTENCES[n % 3].format(n=n) for n in range(PARALLEL_MIN_TEXTS + 37)]
    parallel = passage_terms(texts, workers=2)
    assert parallel == [terms(t) for t in texts]
    assert "64/2007/nđ-cp" in parallel[1] and "dịch_vụ" in parallel[0]


def test_few_texts_stay_in_this_process() -> None:
    assert passage_terms(["Kế hoạch ứng dụng công nghệ thông tin"], workers=2) == [
        terms("Kế hoạch ứng dụng công nghệ thông tin")
    ]
