"""A query with no word or number (punctuation, control characters, NUL) gets no hits and
no answer, in every search mode and in question answering."""

from __future__ import annotations

import shutil

import pytest
from paths import FIXTURES

from search_api.retrieval.index import MODES
from search_api.retrieval.tokenize import has_search_terms
from search_api.workspace import Workspace

NO_TERMS = ["?", "...!!!", "\x00", "\x00\x01\x1f", " \t\n ", "-- // ** )", "“”«»—…", ")"]
SOME_TERMS = ["b) Giai đoạn", "64/2007/NĐ-CP", "2020", "CNTT?"]


def test_has_search_terms() -> None:
    assert not any(has_search_terms(q) for q in NO_TERMS)
    assert all(has_search_terms(q) for q in SOME_TERMS)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("no-terms")
    shutil.copy(FIXTURES / "plan_small.txt", root / "plan_small.txt")
    ws = Workspace(root / "home")
    assert not ws.ingest([root / "plan_small.txt"]).errors
    return ws


@pytest.mark.parametrize("query", NO_TERMS)
def test_no_hits_and_no_answer_without_a_search_term(workspace: Workspace, query: str) -> None:
    for mode in MODES:
        assert workspace.search(query, k=5, mode=mode) == []
    answer = workspace.ask(query).to_json()
    assert answer["hits"] == [] and answer["evidence"] == []
    assert answer["answer"].startswith("Không tìm thấy")


def test_a_real_query_still_finds_passages(workspace: Workspace) -> None:
    assert workspace.search("kế hoạch", k=3)
    workspace.close()
