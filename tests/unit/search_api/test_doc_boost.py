"""Document-aware ranking features (``doc_boost``) on invented laws and plans."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import make_doc

from search_api.retrieval.doc_boost import (
    DocumentTable,
    add_features,
    law_identity,
    query_provinces,
)
from search_api.retrieval.index import SearchIndex
from search_api.retrieval.records import document_records


def record(doc_id: str, title: str, province: str | None = None) -> dict[str, Any]:
    return {"doc_id": doc_id, "title": title, "province": province}


TABLE = DocumentTable.from_records(
    [
        record("bee", "Luật Nuôi ong"),
        record("bee", "Luật Nuôi ong"),
        record("bee2099", "Luật Nuôi ong 2099"),
        record("mush", "Bộ luật Trồng nấm"),
        record("decree", "Nghị định 64/2007/NĐ-CP về ứng dụng công nghệ thông tin"),
        record("plan", "Kế hoạch ứng dụng công nghệ thông tin", province="Bắc Giang"),
        record("const", "Hiến pháp 2013"),
    ]
)


def named(query: str) -> set[str]:
    return {TABLE.identities[i].doc_id for i in np.flatnonzero(TABLE.named_documents(query))}


def test_law_titles_give_kind_name_and_year() -> None:
    assert law_identity("Luật Nuôi ong 2099") == ("Luật", "nuoi ong", "2099")
    assert law_identity("Bộ luật Trồng nấm") == ("Bộ luật", "trong nam", None)
    assert law_identity("Kế hoạch ứng dụng công nghệ thông tin") == (None, None, None)


def test_a_question_names_laws_by_name_year_number_and_short_form() -> None:
    assert named("Theo Luật nuôi ong, đàn ong phải đăng ký, đúng hay sai?") == {"bee", "bee2099"}
    # A year excludes the versions of other years; an undated title stays a candidate.
    assert named("Theo Luật Nuôi ong 2098 thì sao?") == {"bee"}
    assert named("Bộ luật trồng nấm quy định gì?") == {"mush"}
    assert named("Nghị định 64/2007/NĐ-CP quy định gì?") == {"decree"}
    assert named("NĐ 64 quy định gì?") == {"decree"}
    assert named("Hiến pháp quy định quyền gì?") == {"const"}
    # A law the index does not hold, and no law at all: nothing is boosted.
    assert named("Theo Luật Trồng cây cảnh, ...") == set()
    assert named("Đàn ong phải đăng ký ở đâu?") == set()


def test_a_question_names_provinces_without_a_cue_word() -> None:
    assert query_provinces("Kế hoạch của Bắc Giang đặt chỉ tiêu gì?") == {"Bắc Giang"}
    assert query_provinces("BA RIA - VUNG TAU và hà nội") == {"Bà Rịa - Vũng Tàu", "Hà Nội"}
    rows = TABLE.row_feature("chỉ tiêu của bac giang", "province")
    assert rows.tolist() == [0, 0, 0, 0, 0, 1, 0]


def test_features_add_to_scores_and_resort() -> None:
    rows, scores = add_features(
        np.array([0, 1, 2]), np.array([0.9, 0.8, 0.1], np.float32), [(np.array([0, 1, 0]), 0.2)]
    )
    assert rows.tolist() == [1, 0, 2]
    assert scores.tolist() == pytest.approx([1.0, 0.9, 0.1])


BEE = "Thời hạn đăng ký là ba mươi ngày kể từ ngày thành lập cơ sở."
MUSHROOM = "Thời hạn đăng ký là ba mươi ngày kể từ ngày khởi công cơ sở."
BEE_ONLY = "Người nuôi ong phải đặt thùng ong cách nhà dân ít nhất năm mươi mét."
FILLER = [
    "Cơ quan quản lý nhà nước kiểm tra định kỳ hằng năm.",
    "Tổ chức, cá nhân vi phạm thì bị xử lý theo quy định.",
]


def law_index(home: Path, boost: float) -> SearchIndex:
    index = SearchIndex(home, law_boost=boost)
    index.add_documents(
        [
            make_doc("Luật Nuôi ong", [BEE, BEE_ONLY, *FILLER], kind="legal", doc_type=None),
            make_doc("Luật Trồng nấm", [MUSHROOM, *FILLER], kind="legal", doc_type=None),
        ]
    )
    return index


@pytest.fixture(scope="module")
def boosted(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return law_index(tmp_path_factory.mktemp("boosted"), 0.3)


def test_the_named_law_ranks_first_when_the_text_matches_equally(boosted: SearchIndex) -> None:
    for law, text in (("Trồng nấm", MUSHROOM), ("Nuôi ong", BEE)):
        hits = boosted.search(f"Theo Luật {law}, thời hạn đăng ký là ba mươi ngày?", k=3)
        assert hits[0].text == text and hits[0].doc_id == f"Luật {law}"


def test_a_wrong_resolution_keeps_the_answer_in_the_top_k(boosted: SearchIndex) -> None:
    query = "Theo Luật Trồng nấm, thùng ong phải cách nhà dân bao nhiêu mét?"
    assert BEE_ONLY in [h.text for h in boosted.search(query, k=3)]


def test_the_boost_is_off_by_default(tmp_path: Path) -> None:
    index = law_index(tmp_path, 0.0)
    assert index.hybrid.law_boost == 0.0 and index.hybrid.province_boost == 0.0
    query = "Theo Luật Trồng nấm, thời hạn đăng ký là ba mươi ngày?"
    assert {h.doc_id for h in index.search(query, k=2)} == {"Luật Nuôi ong", "Luật Trồng nấm"}


def test_a_plan_is_named_by_its_own_number_or_the_decision_approving_it() -> None:
    # Its title names neither number: the index records carry them (``passage_record``).
    doc = make_doc("p20", ["Nuôi ong mật ở 20 xã."], title="Kế hoạch phát triển nuôi ong")
    doc.meta.number = "605/QĐ-UBND"
    doc.attached_plan = replace(doc.meta, number="20/KH-UBND", period="2031-2035")
    other = make_doc("p21", ["Trồng nấm ở 5 xã."], title="Kế hoạch trồng nấm")
    records = [r for d in (doc, other) for r in document_records(d)]
    assert records[0]["numbers"] == ["605/QĐ-UBND", "20/KH-UBND"]
    assert records[0]["period"] == "2031-2035" and records[1]["numbers"] == []
    table = DocumentTable.from_records(records)

    def plans_named(query: str) -> list[str]:
        hits = np.flatnonzero(table.named_documents(query))
        return [table.identities[i].doc_id for i in hits]

    assert plans_named("Theo Kế hoạch 20/KH-UBND, bao nhiêu xã nuôi ong?") == ["p20"]
    assert plans_named("Quyết định 605/QĐ-UBND giao việc cho ai?") == ["p20"]
    assert plans_named("Kế hoạch 21/KH-UBND giao việc cho ai?") == []
    # The period the plan carries counts for a question naming a year in it.
    assert table.named_periods("năm 2032").tolist() == pytest.approx([0.2, 0.0])
