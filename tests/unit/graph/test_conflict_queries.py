"""A plan that states one cited document two ways (two dates) records a conflict; the
legal page and ``conflicts`` return it with the quote and span of the second mention."""

from __future__ import annotations

from graph.build import extraction_to_graph
from graph.queries.citations import conflicts, legal_document, recorded_conflicts
from graph.store import GraphStore
from ingest.pipeline import process_source
from ingest.read import SourceText

PLAN = """ỦY BAN NHÂN DÂN TỈNH HÀ GIANG
Số: 12/KH-UBND
Hà Giang, ngày 20 tháng 3 năm 2018

KẾ HOẠCH
Ứng dụng công nghệ thông tin năm 2018

Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước;

I. MỤC TIÊU
Triển khai Nghị định số 64/2007/NĐ-CP ngày 12/5/2007 của Chính phủ tại các sở, ngành.
"""
SECOND_MENTION = "Nghị định số 64/2007/NĐ-CP ngày 12/5/2007"


def store_with_conflict() -> GraphStore:
    source = SourceText(doc_id="kh-hg", source="kh-hg.txt", kind="plan", raw_text=PLAN,
                        content_hash="h")  # fmt: skip
    processed = process_source(source)
    store = GraphStore()
    store.replace_document("kh-hg", extraction_to_graph(processed.extraction), "h")
    return store


def test_a_date_stated_twice_is_a_recorded_conflict_with_its_quote() -> None:
    store = store_with_conflict()
    [found] = [c for c in conflicts(store) if c["kind"] == "within-document"]
    assert found["field"] == "date" and found["number"] == "64/2007/NĐ-CP"
    assert str(found["value"]) == "2007-05-12"
    assert found["quote"] == SECOND_MENTION and found["start"] == PLAN.index(SECOND_MENTION)
    page = legal_document(store, "64/2007/NĐ-CP")
    assert page is not None and page["recorded_conflicts"] == [found]
    assert recorded_conflicts(store, []) == []
