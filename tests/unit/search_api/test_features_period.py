"""The period a question names (``doc_boost.named_years``, feature ``named_period``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import make_doc

from search_api.retrieval.doc_boost import DocumentTable, named_years
from search_api.retrieval.features import FEATURES, candidate_features
from search_api.retrieval.hybrid import Candidates
from search_api.retrieval.index import SearchIndex


def test_years_ranges_but_not_dates_or_document_numbers() -> None:
    assert named_years("Kế hoạch nuôi ong giai đoạn 2031 - 2035") == set(range(2031, 2036))
    assert named_years("chỉ tiêu năm 2032 và 2040-2041") == {2032, 2040, 2041}
    assert named_years("ngày 14/10/2031 theo Nghị định 12/2031/NĐ-CP") == set()


def record(doc_id: str, title: str) -> dict[str, Any]:
    return {"doc_id": doc_id, "title": title, "province": None}


def test_a_one_year_plan_is_named_more_precisely_than_a_five_year_one() -> None:
    table = DocumentTable.from_records(
        [
            record("one", "Kế hoạch nuôi ong năm 2032"),
            record("five", "Kế hoạch nuôi ong giai đoạn 2031 - 2035"),
            record("other", "Kế hoạch trồng nấm năm 2029"),
            record("law", "Luật Nuôi ong 2032"),  # a law's year is its version, not a period
        ]
    )
    got = table.named_periods("Chỉ tiêu năm 2032 về số đàn ong là bao nhiêu?")
    assert got.tolist() == pytest.approx([1.0, 0.2, 0.0, 0.0])
    assert not table.named_periods("Chỉ tiêu số đàn ong là bao nhiêu?").any()
    # A period asked for names the plan for that period, not a one-year plan inside it.
    got = table.named_periods("Giai đoạn 2031-2035 có bao nhiêu đàn ong?")
    assert got.tolist() == pytest.approx([0.2, 1.0, 0.0, 0.0])


def test_a_period_the_record_carries_counts_as_the_title_does() -> None:
    rec = record("plan", "Kế hoạch hành động nuôi ong") | {"period": "2031-2032"}
    table = DocumentTable.from_records([rec])
    assert table.named_periods("năm 2032").tolist() == [0.5]


def test_candidates_carry_their_documents_period_feature(tmp_path: Any) -> None:
    index = SearchIndex(tmp_path)
    index.add_documents(
        [
            make_doc("a", ["Số đàn ong tăng mười phần trăm."], title="Kế hoạch nuôi ong năm 2032"),
            make_doc("b", ["Số đàn ong tăng năm phần trăm."], title="Kế hoạch nuôi ong năm 2033"),
        ]
    )
    snap = index.snapshot()
    n = len(snap.records)
    rows = np.arange(n, dtype=np.int64)
    zeros = np.zeros(n, np.float32)
    cands = Candidates(rows, zeros + 0.5, zeros, rows + 1, np.zeros(n, np.int64))
    x = candidate_features(snap, "số đàn ong năm 2033", cands)
    period = {
        snap.records[r]["doc_id"]: x[i, FEATURES.index("named_period")] for i, r in enumerate(rows)
    }
    assert period == {"a": 0.0, "b": 1.0}
