"""Question answering on a real workspace built from two small invented plans."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from paths import FIXTURES

from search_api.qa import Answer, answer  # noqa: E402
from search_api.workspace import Workspace  # noqa: E402

FIXTURES = FIXTURES / "qa_plans"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("qa_home"))
    report = workspace.ingest([FIXTURES])
    assert not report.errors, report.errors
    assert len(report.documents) == 2
    return workspace


def _check_evidence(ws: Workspace, ans: Answer) -> None:
    """Every evidence quote is the document text at its span; highlights point inside it."""
    assert ans.evidence, ans.to_json()
    for ev in ans.evidence:
        doc = ws.docs.get(ev.doc_id).document
        assert doc.text[ev.start : ev.end] == ev.quote
        if ev.highlight:
            hl = ev.highlight
            assert ev.quote[hl["start"] : hl["end"]] == doc.text[hl["doc_start"] : hl["doc_end"]]
            assert ev.start <= hl["doc_start"] < hl["doc_end"] <= ev.end


def test_which_plans_cite_a_decree(ws: Workspace) -> None:
    ans = ws.ask("Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?")
    assert ans.kind == "graph" and ans.intent["intent"] == "cited_by"
    assert "88/KH-UBND" in ans.answer and "210/KH-UBND" in ans.answer
    assert {e.doc_id for e in ans.evidence} == {"kh_tay_ninh_2019", "kh_bac_kan_2020"}
    assert all("64/2007/NĐ-CP" in e.highlight["text"] for e in ans.evidence)
    _check_evidence(ws, ans)


def test_short_reference_and_province_scope(ws: Workspace) -> None:
    ans = ws.ask("Những văn bản nào của Tây Ninh trích dẫn NĐ 64?")
    assert ans.kind == "graph"
    assert "88/KH-UBND" in ans.answer and "210/KH-UBND" not in ans.answer
    ans = ws.ask("Văn bản nào căn cứ Quyết định 1819?")
    assert {e.doc_id for e in ans.evidence} == {"kh_tay_ninh_2019"}


def test_what_a_province_cites(ws: Workspace) -> None:
    ans = ws.ask("Tây Ninh năm 2019 căn cứ những văn bản nào?")
    assert ans.intent["intent"] == "citations_of" and ans.kind == "graph"
    for number in ("64/2007/NĐ-CP", "36a/NQ-CP", "1819/QĐ-TTg"):
        assert number in ans.answer
    assert "17/NQ-CP" not in ans.answer
    _check_evidence(ws, ans)


def test_factoid_answer_is_the_highlighted_sentence(ws: Workspace) -> None:
    ans = ws.ask(
        "Hạn chót để Văn phòng UBND tỉnh Tây Ninh hoàn thành kết nối trục liên thông văn bản quốc gia là khi nào?"
    )
    assert ans.kind == "passages"
    assert "30 tháng 6 năm 2019" in ans.answer
    assert "mã định danh" not in ans.answer  # the next sentence of the same line
    top = ans.evidence[0]
    assert top.highlight["text"] == ans.answer
    assert ans.hits and ans.hits[0]["passage_id"] == top.passage_id
    _check_evidence(ws, ans)


def test_which_agency_leads_a_task(ws: Workspace) -> None:
    ans = ws.ask("Sở nào chủ trì xây dựng Cổng thông tin điện tử tỉnh phiên bản mới?")
    assert ans.intent["intent"] == "lead_agency"
    assert ans.answer.startswith("Sở Thông tin và Truyền thông")
    _check_evidence(ws, ans)


def test_unknown_question_still_returns_passages(ws: Workspace) -> None:
    ans = ws.ask("Kế hoạch nào căn cứ Nghị định 999/2030/NĐ-CP?")
    assert ans.kind == "passages" and ans.hits
    _check_evidence(ws, ans)


def test_to_json_shape(ws: Workspace) -> None:
    data = answer("Tây Ninh năm 2019 căn cứ những văn bản nào?", ws, k=3).to_json()
    assert set(data) == {"question", "kind", "answer", "evidence", "hits", "intent"}
    ev = data["evidence"][0]
    assert {"doc_id", "passage_id", "start", "end", "quote", "highlight", "source"} <= set(ev)
    assert data["intent"]["provinces"] == ["Tây Ninh"] and data["intent"]["year_from"] == 2019
    assert len(data["hits"]) <= 3
