"""Where a request's time goes (``Server-Timing``), and serving under concurrent load:
bounded threads, liveness answered while every worker is busy."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from api_fixtures import API_KEY, home_copy
from fastapi.testclient import TestClient

from search_api.api.app import REQUEST_THREADS, create_app, server_timing
from search_api.settings import Settings

SPARQL = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    home = home_copy(tmp_path_factory.mktemp("timing") / "home")
    with TestClient(create_app(Settings(home=home, api_key=API_KEY))) as c:
        yield c


def stages(header: str) -> dict[str, float]:
    """``Server-Timing`` as {stage: ms}; every entry is ``name;dur=number``."""
    out = {}
    for part in header.split(", "):
        match = re.fullmatch(r"([a-z0-9]+);dur=(\d+(?:\.\d+)?)", part)
        assert match, header
        out[match[1]] = float(match[2])
    return out


def test_search_reports_each_retrieval_stage(client: TestClient) -> None:
    resp = client.get("/search", params={"q": "trung tâm dữ liệu tỉnh", "mode": "hybrid"})
    assert resp.status_code == 200
    timing = stages(resp.headers["Server-Timing"])
    assert {"embed", "bm25", "dense", "fuse", "total"} <= set(timing)
    assert timing["total"] >= timing["bm25"]
    bm25 = stages(
        client.get("/search", params={"q": "dữ liệu", "mode": "bm25"}).headers["Server-Timing"]
    )
    assert "bm25" in bm25 and "embed" not in bm25


def test_ask_reports_graph_and_answer(client: TestClient) -> None:
    resp = client.get("/ask", params={"q": "Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?"})
    assert resp.status_code == 200 and resp.json()["kind"] == "graph"
    timing = stages(resp.headers["Server-Timing"])
    assert {"graph", "answer", "total"} <= set(timing)
    assert timing["total"] >= timing["answer"] >= timing["graph"] > 0


@pytest.mark.parametrize(
    ("path", "params"), [("/sparql", {"query": SPARQL}), ("/documents", {}), ("/health", {})]
)
def test_every_response_says_its_total(client: TestClient, path: str, params: dict) -> None:
    resp = client.get(path, params=params)
    assert resp.status_code == 200
    assert "total" in stages(resp.headers["Server-Timing"])


def test_problems_are_timed_too(client: TestClient) -> None:
    resp = client.get("/search", params={"q": "x", "k": 1000})
    assert resp.status_code == 422 and "total" in stages(resp.headers["Server-Timing"])


def test_the_header_lists_known_stages_first() -> None:
    header = server_timing({"zeta": 1.0, "graph": 2.0, "embed": 3.04}, 9.0)
    assert header == "embed;dur=3.0, graph;dur=2.0, zeta;dur=1.0, total;dur=9.0"


def test_concurrent_requests_keep_threads_bounded(client: TestClient) -> None:
    questions = [f"kế hoạch ứng dụng công nghệ thông tin {i}" for i in range(60)]
    errors: list[str] = []

    def one(q: str) -> None:
        for path in ("/search", "/ask"):
            resp = client.get(path, params={"q": q})
            if resp.status_code != 200:
                errors.append(f"{path} {resp.status_code}")

    callers = [threading.Thread(target=one, args=(q,)) for q in questions]
    for t in callers:
        t.start()
    for t in callers:
        t.join(timeout=300)
    assert not errors
    names = [t.name for t in threading.enumerate()]
    assert sum(n.startswith("AnyIO worker") for n in names) <= REQUEST_THREADS
    assert sum(n.startswith("cancu-query-embed") for n in names) <= 2 * 2  # per core, x2 slack
