"""Validity through the API: a document's basis status, a legal document's status and
timeline, on the fixture plans with an invented status table ingested beside them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_fixtures import PLANS
from fastapi.testclient import TestClient

from search_api.api.app import create_app
from search_api.settings import Settings
from search_api.workspace import Workspace

SRC = "https://example.test/status/64"
TABLE = f"""number,year,type,issuer,title,issued,in_force,not_in_force,in_force_as_of,replaces,replaced_by,amends,amended_by,guides,guided_by,source,note
64/2007/NĐ-CP,,Nghị định,Chính phủ,invented,2007-04-10,2007-05-18,2018-06-01,,,99/2018/NĐ-CP,,,,,{SRC},invented facts
99/2018/NĐ-CP,,Nghị định,Chính phủ,invented,2018-05-01,2018-06-01,,2020-01-01,,,,,,,{SRC},
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("status")
    table = root / "legal_status.csv"
    table.write_text(TABLE, encoding="utf-8")
    ws = Workspace(root / "home")
    report = ws.ingest([*PLANS, table], index=False)
    assert not report.errors and report.status_tables == [str(table)], report.to_json()
    ws.ingest([table], index=False)  # re-ingest replaces the table's graph
    ws.close()
    with TestClient(create_app(Settings(home=root / "home"))) as c:
        yield c


def _doc_id(client: TestClient, province: str) -> str:
    items = client.get("/documents").json()["items"]
    return next(d["id"] for d in items if d.get("province") == province)


def test_document_basis_status(client: TestClient) -> None:
    doc = client.get(f"/documents/{_doc_id(client, 'Tây Ninh')}").json()
    status = doc["basis_status"]
    assert status["date"] == "2019-01-15" and status["date_source"] == "document"
    [item] = [b for b in status["basis"] if b["number"] == "64/2007/NĐ-CP"]
    assert item["status"] == "not_in_force" and item["since"] == "2018-06-01"
    assert item["replaced_by"] == ["99/2018/NĐ-CP"] and item["source"] == [SRC]
    earlier = client.get(f"/documents/{_doc_id(client, 'Hà Giang')}").json()["basis_status"]
    [item] = [b for b in earlier["basis"] if b["number"] == "64/2007/NĐ-CP"]
    assert item["status"] == "in_force"


def test_legal_status_timeline_and_late_citations(client: TestClient) -> None:
    status = client.get("/legal/64-2007-nd-cp").json()["status"]
    assert status["in_force"] == "not_in_force" and status["until"] == "2018-06-01"
    assert status["sources"] == [SRC]
    assert [r["number"] for r in status["replaced_by"]] == ["99/2018/NĐ-CP"]
    events = [(e["date"], e["event"]) for e in status["timeline"]]
    assert ("2007-04-10", "issued") in events and ("2018-06-01", "not_in_force") in events
    cited = {e["date"]: e["after_end"] for e in status["timeline"] if e["event"] == "cited"}
    assert cited == {"2018-03-20": False, "2019-01-15": True}
    [late] = status["cited_after_end"]
    assert late["plan_date"] == "2019-01-15" and late["replaced_by"] == ["99/2018/NĐ-CP"]
    replacement = client.get("/legal/99/2018/NĐ-CP").json()["status"]
    assert replacement["in_force"] == "in_force" and replacement["checked_on"] == "2020-01-01"


def test_ask_status(client: TestClient) -> None:
    ans = client.get("/ask", params={"q": "Nghị định 64/2007/NĐ-CP còn hiệu lực không?"}).json()
    assert ans["kind"] == "graph" and "01/06/2018" in ans["answer"]
    assert SRC in {e["source"] for e in ans["evidence"]}


def test_web_page_loads_the_status_script(client: TestClient) -> None:
    page = client.get("/").text
    assert "/static/status.js" in page
    assert "statusBlock" in client.get("/static/status.js").text
