"""Validity questions answered from invented status facts in an in-memory graph, each
fact with its source as evidence, and "unknown" said plainly."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from graph_fixtures import plan_extraction

from graph.build import extraction_to_graph
from graph.build.status import status_table_to_graph
from graph.store import GraphStore
from ingest.lang.legal_status import LegalStatus, StatusTable
from ingest.model import Document
from search_api.qa import answer
from search_api.qa.parse import parse_question

SRC = "https://example.test/status/36a"


@dataclass
class FakeContext:
    graph: GraphStore
    documents: dict[str, Document] = field(default_factory=dict)

    def search(self, query: str, k: int = 10, mode: str = "hybrid", **_: Any) -> list[Any]:
        return []

    def document(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def term_idf(self) -> None:
        return None


def _context(with_status: bool = True) -> FakeContext:
    extraction = plan_extraction()  # a plan of 2017-01-10 citing 36a/NQ-CP
    store = GraphStore()
    store.replace_document("kh-tq", extraction_to_graph(extraction), "h")
    if with_status:
        table = StatusTable(
            (
                LegalStatus(
                    "36a/NQ-CP",
                    year="2015",
                    in_force="2015-10-14",
                    not_in_force="2016-12-01",
                    replaced_by=("88/2016/NQ-CP",),
                    sources=(SRC,),
                ),
                LegalStatus(
                    "88/2016/NQ-CP",
                    in_force="2016-12-01",
                    in_force_as_of="2020-01-01",
                    sources=("corpus/national/invented.md",),
                ),
            )
        )
        store.replace_document("status-table", status_table_to_graph(table), "s")
    return FakeContext(store, {"kh-tq": extraction.document})


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Nghị định 64/2007/NĐ-CP còn hiệu lực không?", "legal_status"),
        ("văn bản nào thay thế Quyết định 1819/QĐ-TTg?", "legal_status"),
        ("Nghị quyết 36a/NQ-CP có hiệu lực từ khi nào?", "legal_status"),
        ("kế hoạch nào căn cứ văn bản đã hết hiệu lực?", "cited_after_end"),
        ("ke hoach nao can cu van ban da het hieu luc", "cited_after_end"),
        ("Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?", "cited_by"),
        ("Nghị định 64/2007/NĐ-CP là gì?", "legal_document"),
    ],
)
def test_intents(question: str, intent: str) -> None:
    assert parse_question(question).intent == intent


def test_ended_document_with_replacement_and_source() -> None:
    ans = answer("Nghị quyết 36a/NQ-CP còn hiệu lực không?", _context())
    assert ans.kind == "graph"
    assert "không còn hiệu lực từ ngày 01/12/2016" in ans.answer
    assert "88/2016/NQ-CP" in ans.answer and "20/KH-UBND" in ans.answer
    sources = {e.source for e in ans.evidence if e.fact == "status"}
    assert sources == {SRC}  # the relation is a fact of 36a's row, from its source
    [cited] = [e for e in ans.evidence if e.fact == "citation"]
    assert cited.doc_id == "kh-tq" and "36a/NQ-CP" in cited.highlight["text"]


def test_what_replaced_it() -> None:
    ans = answer("văn bản nào thay thế Nghị quyết 36a/NQ-CP?", _context())
    assert "được thay thế bởi 88/2016/NQ-CP" in ans.answer


def test_in_force_as_a_source_showed_it() -> None:
    ans = answer("Nghị quyết 88/2016/NQ-CP còn hiệu lực không?", _context())
    assert "có hiệu lực từ ngày 01/12/2016" in ans.answer and "01/01/2020" in ans.answer
    assert "thay thế 36a/NQ-CP" in ans.answer
    assert [e.source for e in ans.evidence] == ["corpus/national/invented.md"]


def test_unknown_said_plainly() -> None:
    ans = answer("Nghị quyết 36a/NQ-CP còn hiệu lực không?", _context(with_status=False))
    assert ans.kind == "graph" and ans.answer.startswith("Chưa rõ")
    ans = answer("Nghị định 99/2001/NĐ-CP còn hiệu lực không?", _context())
    assert ans.answer.startswith("Chưa rõ") and not ans.evidence


def test_plans_citing_ended_documents() -> None:
    ans = answer("kế hoạch nào căn cứ văn bản đã hết hiệu lực?", _context())
    assert ans.kind == "graph" and ans.intent["intent"] == "cited_after_end"
    assert "20/KH-UBND" in ans.answer and "36a/NQ-CP" in ans.answer
    assert "88/2016/NQ-CP" in ans.answer
    assert {e.fact for e in ans.evidence} == {"status", "citation"}
    ans = answer("kế hoạch nào căn cứ văn bản đã hết hiệu lực?", _context(with_status=False))
    assert ans.answer.startswith("Không có kế hoạch nào") and "chưa rõ" in ans.answer
