"""One question's context: a search asked twice runs once; graph reads are timed."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from paths import FIXTURES

from search_api.qa import answer  # noqa: E402
from search_api.qa.request_context import QuestionContext  # noqa: E402
from search_api.retrieval.filters import SearchFilters  # noqa: E402
from search_api.timing import recording  # noqa: E402
from search_api.workspace import Workspace  # noqa: E402


class CountingWorkspace:
    """A real workspace that counts the searches it runs (by their arguments)."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.searches: list[tuple[Any, ...]] = []

    @property
    def graph(self) -> Any:
        return self.ws.graph

    def search(self, query: str, k: int = 10, mode: str = "hybrid",
               filters: SearchFilters | None = None, offset: int = 0) -> Sequence[Any]:  # fmt: skip
        self.searches.append((query, k, mode, repr(filters), offset))
        return self.ws.search(query, k=k, mode=mode, filters=filters, offset=offset)

    def document(self, doc_id: str) -> Any:
        return self.ws.document(doc_id)

    def term_idf(self) -> Any:
        return self.ws.term_idf()


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = Workspace(tmp_path_factory.mktemp("qa_ctx_home"))
    report = workspace.ingest([FIXTURES / "qa_plans"])
    assert not report.errors, report.errors
    return workspace


def test_the_same_search_twice_runs_once(ws: Workspace) -> None:
    counting = CountingWorkspace(ws)
    context = QuestionContext(counting)
    first = context.search(
        "cổng thông tin điện tử", k=5, filters=SearchFilters(province="Tây Ninh")
    )
    again = context.search(
        "cổng thông tin điện tử", k=5, filters=SearchFilters(province="Tây Ninh")
    )
    assert [h.passage_id for h in first] == [h.passage_id for h in again] and first
    assert len(counting.searches) == 1
    context.search("cổng thông tin điện tử", k=3)  # other arguments: a search of its own
    context.search("cổng thông tin điện tử", k=5, filters=SearchFilters(province="Bắc Kạn"))
    assert len(counting.searches) == 3


@pytest.mark.parametrize(
    "question",
    [
        "Sở nào chủ trì xây dựng Cổng thông tin điện tử tỉnh phiên bản mới?",
        "Cơ quan nào chủ trì nuôi trồng thủy sản nước lạnh?",
        "Kế hoạch nào căn cứ Nghị định 999/2030/NĐ-CP?",
        "Tây Ninh năm 2019 căn cứ những văn bản nào?",
    ],
)
def test_an_answer_never_repeats_a_search(ws: Workspace, question: str) -> None:
    counting = CountingWorkspace(ws)
    answer(question, counting, k=5)
    assert len(counting.searches) == len(set(counting.searches)), counting.searches


def test_graph_reads_and_the_answer_are_timed(ws: Workspace) -> None:
    with recording() as timings:
        ans = ws.ask("Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?")
    assert ans.kind == "graph"
    assert timings["graph"] > 0 and timings["answer"] >= timings["graph"]
