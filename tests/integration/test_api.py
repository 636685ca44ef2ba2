"""The HTTP API over a small real workspace (two fixture plans): every route, its result
shape and provenance, and every refusal as an RFC 9457 problem."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from api_fixtures import API_KEY, FIXTURES, home_copy
from fastapi.testclient import TestClient

from search_api.api.app import create_app
from search_api.settings import Settings

PROBLEM = "application/problem+json"
NUMBER = "64/2007/NĐ-CP"
HIT_KEYS = {"rank", "score", "doc_id", "source", "passage_id", "article_id", "section", "start", "end",
            "text", "kind", "province", "year", "doc_type", "title"}  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    home = home_copy(tmp_path_factory.mktemp("api") / "home")
    with TestClient(create_app(Settings(home=home, api_key=API_KEY))) as c:
        yield c


def problem(resp, status: int) -> dict:  # noqa: ANN001
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    body = resp.json()
    assert (
        body["status"] == status
        and body["title"]
        and body["detail"]
        and body["type"].startswith("https://")
    )
    return body


# ---------------------------------------------------------------- service


def test_health_and_stats(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health == {**health, "status": "ok", "documents": 2, "uploads": True}
    stats = client.get("/stats").json()
    assert stats["documents"] == 2 and stats["triples"] > 100 and stats["citations"] >= 5


def test_every_route_documents_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    missing = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            text = json.dumps(op.get("responses", {})) + json.dumps(op.get("parameters", []))
            if '"example' not in text:
                missing.append(f"{method.upper()} {path}")
    assert not missing, missing
    assert len(spec["paths"]) >= 20
    docs = client.get("/docs").text
    assert "/static/vendor/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert len(client.get("/static/vendor/swagger/swagger-ui-bundle.js").content) > 100_000


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    problem(client.get("/no/such/route"), 404)


def test_web_page_and_vendored_graph_library(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'lang="vi"' in page.text and "Tìm kiếm" in page.text
    assert "/static/vendor/vis-network.min.js" in page.text and "cdn" not in page.text.lower()
    js = client.get("/static/vendor/vis-network.min.js")
    assert (
        js.status_code == 200
        and "javascript" in js.headers["content-type"]
        and len(js.content) > 100_000
    )
    for name in ("app.js", "util.js", "explore.js", "style.css"):
        assert client.get(f"/static/{name}").status_code == 200


# ---------------------------------------------------------------- search and ask


def test_search_shape_and_provenance(client: TestClient) -> None:
    body = client.get("/search", params={"q": "trung tâm tích hợp dữ liệu", "k": 5}).json()
    assert body["query"] == "trung tâm tích hợp dữ liệu" and body["mode"] == "hybrid"
    assert body["results"], body
    for hit in body["results"]:
        assert HIT_KEYS <= set(hit)
        assert hit["doc_id"] in {"kh_tay_ninh_2019", "kh_ha_giang_2018"}
        assert 0 <= hit["start"] < hit["end"] and hit["passage_id"]
        passage = client.get(f"/passages/{hit['passage_id']}").json()
        assert passage["text"] == hit["text"] and passage["start"] == hit["start"]
    assert any("Trung tâm tích hợp dữ liệu" in h["text"] for h in body["results"])


@pytest.mark.parametrize("mode", ["dense", "bm25"])
def test_search_modes(client: TestClient, mode: str) -> None:
    body = client.get(
        "/search", params={"q": "an toàn thông tin mạng", "mode": mode, "k": 3}
    ).json()
    assert body["mode"] == mode and body["results"]
    assert body["results"][0]["doc_id"] == "kh_ha_giang_2018"


def test_search_filters_and_pagination(client: TestClient) -> None:
    q = {"q": "công nghệ thông tin", "k": 4}
    only_tn = client.get("/search", params={**q, "province": "Tây Ninh"}).json()["results"]
    assert only_tn and {h["province"] for h in only_tn} == {"Tây Ninh"}
    assert {
        h["year"] for h in client.get("/search", params={**q, "year_from": 2019}).json()["results"]
    } == {2019}
    basis = client.get("/search", params={**q, "section_kind": "basis"}).json()["results"]
    assert basis and {h["kind"] for h in basis} == {"basis"}
    one_doc = client.get("/search", params={**q, "doc_id": "kh_ha_giang_2018"}).json()["results"]
    assert {h["doc_id"] for h in one_doc} == {"kh_ha_giang_2018"}
    first = client.get("/search", params={**q, "k": 2}).json()["results"]
    second = client.get("/search", params={**q, "k": 2, "offset": 1}).json()["results"]
    assert first[1]["passage_id"] == second[0]["passage_id"]


def test_search_refusals(client: TestClient) -> None:
    problem(client.get("/search", params={"q": "x", "mode": "magic"}), 422)
    problem(client.get("/search", params={"q": "x", "k": 0}), 422)
    problem(client.get("/search"), 422)
    problem(client.get("/search", params={"q": "x", "year_from": 2020, "year_to": 2018}), 422)


def test_ask_answers_from_the_graph_with_evidence(client: TestClient) -> None:
    body = client.get("/ask", params={"q": f"Kế hoạch nào căn cứ Nghị định {NUMBER}?"}).json()
    assert body["kind"] == "graph"
    assert "112/KH-UBND" in body["answer"] and "87/KH-UBND" in body["answer"]
    ev = body["evidence"][0]
    assert NUMBER in ev["quote"] and ev["highlight"]["end"] > ev["highlight"]["start"]
    assert NUMBER in ev["quote"][ev["highlight"]["start"] : ev["highlight"]["end"]]


def test_ask_takes_the_search_filters(client: TestClient) -> None:
    """/ask accepts /search's filters: passages and graph answers stay in the province."""
    params = {"q": "Kinh phí thực hiện kế hoạch là bao nhiêu?", "province": "Hà Giang"}
    body = client.get("/ask", params=params).json()
    assert body["hits"] and all(h["province"] == "Hà Giang" for h in body["hits"])
    assert all(e["doc_id"] == "kh_ha_giang_2018" for e in body["evidence"])
    bm25 = client.get("/ask", params={**params, "mode": "bm25", "section_kind": "table_row"})
    assert bm25.status_code == 200
    assert all(h["kind"] == "table_row" for h in bm25.json()["hits"])


# ---------------------------------------------------------------- documents


def test_documents_list_filters_and_pages(client: TestClient) -> None:
    every = client.get("/documents").json()
    assert every["total"] == 2 and {d["id"] for d in every["items"]} == {
        "kh_tay_ninh_2019",
        "kh_ha_giang_2018",
    }
    assert (
        client.get("/documents", params={"province": "tây ninh"}).json()["items"][0]["number"]
        == "112/KH-UBND"
    )
    assert (
        client.get("/documents", params={"year": 2018}).json()["items"][0]["id"]
        == "kh_ha_giang_2018"
    )
    assert client.get("/documents", params={"doc_type": "Kế hoạch"}).json()["total"] == 2
    assert client.get("/documents", params={"doc_type": "Luật"}).json()["total"] == 0
    page = client.get("/documents", params={"limit": 1, "offset": 1}).json()
    assert (
        page["total"] == 2
        and len(page["items"]) == 1
        and page["items"][0]["id"] == every["items"][1]["id"]
    )
    problem(client.get("/documents", params={"limit": 1000}), 422)


def test_document_json(client: TestClient) -> None:
    doc = client.get("/documents/kh_tay_ninh_2019").json()
    assert doc["document"]["number"] == "112/KH-UBND" and doc["document"]["province"] == "Tây Ninh"
    basis = {c["number"]: c for c in doc["citations"] if c["in_basis"]}
    assert {NUMBER, "36a/NQ-CP"} <= set(basis)
    mention = basis[NUMBER]["mentions"][0]
    source = (FIXTURES / "kh_tay_ninh_2019.txt").read_text("utf-8")
    assert mention["text"] in source and mention["passage_id"]
    assert any(a["name"] == "Sở Thông tin và Truyền thông" for a in doc["agencies"])
    assert any(p["budget_vnd_million"] == 3000 for p in doc["projects"])
    assert doc["targets"] and doc["passage_count"] > 3


def test_document_json_ld_and_turtle(client: TestClient) -> None:
    resp = client.get("/documents/kh_tay_ninh_2019", headers={"Accept": "application/ld+json"})
    assert resp.headers["content-type"].startswith("application/ld+json")
    g = rdflib.Graph().parse(data=resp.content, format="json-ld")
    numbers = {
        str(o)
        for o in g.objects(None, rdflib.URIRef("http://data.europa.eu/eli/ontology#id_local"))
    }
    assert "112/KH-UBND" in numbers and NUMBER in numbers
    ttl = client.get("/documents/kh_tay_ninh_2019", headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    assert len(rdflib.Graph().parse(data=ttl.text, format="turtle")) == len(g)


def test_document_passages_and_passage(client: TestClient) -> None:
    page = client.get("/documents/kh_ha_giang_2018/passages", params={"limit": 3}).json()
    assert page["total"] > 3 and len(page["items"]) == 3
    starts = [p["start"] for p in page["items"]]
    assert starts == sorted(starts)
    basis = client.get("/documents/kh_ha_giang_2018/passages", params={"kind": "basis"}).json()[
        "items"
    ]
    assert basis and all(p["kind"] == "basis" for p in basis)
    one = client.get(f"/passages/{basis[0]['id']}").json()
    assert one["document"]["id"] == "kh_ha_giang_2018" and one["text"] == basis[0]["text"]


def test_document_not_found(client: TestClient) -> None:
    problem(client.get("/documents/nope"), 404)
    problem(client.get("/documents/nope/passages"), 404)
    problem(client.get("/passages/0000000000000000"), 404)


# ---------------------------------------------------------------- legal documents


@pytest.mark.parametrize(
    "spelling",
    ["64/2007/NĐ-CP", "64%2F2007%2FN%C4%90-CP", "64/2007/ND-CP", "64-2007-nd-cp", "cp/2007/nd/64"],
)
def test_legal_document_spellings(client: TestClient, spelling: str) -> None:
    body = client.get(f"/legal/{spelling}").json()
    assert body["number"] == NUMBER
    assert body["uris"] == ["https://cancu.vn/eli/vn/cp/2007/nd/64"]
    assert "2007-04-10" in body["dates"] and len(body["cited_by"]) == 2


def test_legal_cited_by_with_quotes(client: TestClient) -> None:
    body = client.get("/legal/64%2F2007%2FN%C4%90-CP/cited-by").json()
    assert body["number"] == NUMBER and body["total"] == 2
    for row in body["items"]:
        assert row["in_basis"] is True and NUMBER in row["quote"] and row["passage_id"]
        assert row["doc_id"] in {"kh_tay_ninh_2019", "kh_ha_giang_2018"}
    assert (
        client.get("/legal/64-2007-nd-cp/cited-by", params={"limit": 1}).json()["items"][0]
        == body["items"][0]
    )


def test_legal_date_conflict_is_reported(client: TestClient) -> None:
    body = client.get("/legal/36a/NQ-CP").json()
    assert set(body["date_conflicts"]) == {"2015-10-14", "2016-10-14"}
    conflicts = client.get("/conflicts").json()["items"]
    assert any(c["number"] == "36a/NQ-CP" and c["field"] == "date" for c in conflicts)


def test_legal_unknown_number(client: TestClient) -> None:
    body = problem(client.get("/legal/99/2099/NĐ-CP"), 404)
    assert "99/2099/NĐ-CP" in body["detail"]
    problem(client.get("/legal/99-2099-nd-cp/cited-by"), 404)


def test_most_cited(client: TestClient) -> None:
    top = client.get("/most-cited", params={"limit": 2}).json()
    assert len(top) == 2 and top[0]["cited_by"] == 2


# ---------------------------------------------------------------- entities


def test_agencies(client: TestClient) -> None:
    tn = client.get("/agencies", params={"province": "Tây Ninh", "limit": 200}).json()
    names = {a["name"] for a in tn["items"]}
    assert "Sở Thông tin và Truyền thông" in names and all(
        a["province"] == "Tây Ninh" for a in tn["items"]
    )
    central = client.get("/agencies", params={"level": "trung ương"}).json()["items"]
    assert central and all(a["province"] is None for a in central)
    roles = client.get("/agencies/responsibilities", params={"agency": "Sở Tài chính"}).json()
    assert roles["uris"] and roles["responsibilities"]


def test_projects_and_budgets(client: TestClient) -> None:
    tn = client.get("/projects", params={"province": "Tây Ninh"}).json()["items"]
    assert {p["budget_vnd_million"] for p in tn} >= {3000, 1500}
    led = client.get("/projects", params={"lead_agency": "Văn phòng UBND tỉnh"}).json()["items"]
    # "Văn phòng UBND tỉnh" is an alias of "Văn phòng Ủy ban nhân dân tỉnh"; projects without a lead must not match.
    assert len(led) == 2 and all(
        (p["lead_agency_name"] or "").startswith("Văn phòng") for p in led
    ), led
    by_province = {
        r["province"]: r["total_vnd_million"] for r in client.get("/budgets").json()["items"]
    }
    assert by_province["Tây Ninh"] == 4500 and by_province["Hà Giang"] == 2000
    for by in ("year", "source"):
        assert client.get("/budgets", params={"by": by}).json()["by"] == by
    problem(client.get("/budgets", params={"by": "color"}), 422)


def test_targets(client: TestClient) -> None:
    every = client.get("/targets").json()["items"]
    assert every and all(t["plan"] for t in every)
    group = every[0]["indicator_group"]
    same = client.get("/targets", params={"indicator_group": group}).json()["items"]
    assert same and {t["indicator_group"] for t in same} == {group}
    hg = client.get("/targets", params={"province": "Hà Giang"}).json()["items"]
    assert hg and {t["province"] for t in hg} == {"Hà Giang"}


# ---------------------------------------------------------------- graph


def test_graph_neighbours(client: TestClient) -> None:
    uri = "https://cancu.vn/eli/vn/cp/2007/nd/64"
    body = client.get("/graph/neighbours", params={"uri": uri}).json()
    assert body["center"] == uri
    ids = {n["id"] for n in body["nodes"]}
    assert uri in ids and len(ids) > 2
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])
    problem(client.get("/graph/neighbours", params={"uri": "not an iri"}), 422)


@pytest.mark.parametrize(("fmt", "rdf_format", "media"), [
    ("turtle", "turtle", "text/turtle"), ("trig", "trig", "application/trig"),
    ("nquads", "nquads", "application/n-quads"), ("jsonld", "json-ld", "application/ld+json"),
])  # fmt: skip
def test_export(client: TestClient, fmt: str, rdf_format: str, media: str) -> None:
    resp = client.get("/export", params={"format": fmt})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith(media)
    graph = rdflib.Dataset() if fmt in ("trig", "nquads") else rdflib.Graph()
    graph.parse(data=resp.content, format=rdf_format)
    assert (
        len(graph) > 100 if fmt not in ("trig", "nquads") else sum(1 for _ in graph.quads()) > 100
    )


def test_export_bad_format(client: TestClient) -> None:
    problem(client.get("/export", params={"format": "rdfa"}), 422)


# ---------------------------------------------------------------- uploads and jobs


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    home = home_copy(tmp_path_factory.mktemp("api-write") / "home")
    with TestClient(create_app(Settings(home=home, api_key=API_KEY, max_upload_bytes=10_000))) as c:
        yield c


def new_plan() -> bytes:
    text = (FIXTURES / "kh_tay_ninh_2019.txt").read_text("utf-8")
    return (
        text.replace("112/KH-UBND", "113/KH-UBND")
        .replace("hội nghị truyền hình", "camera giám sát giao thông")
        .encode()
    )


def test_upload_refusals(writer: TestClient, tmp_path: Path) -> None:
    files = {"file": ("kh_moi.txt", new_plan(), "text/plain")}
    assert "401" not in problem(writer.post("/documents", files=files), 401)["type"]
    problem(writer.post("/documents", files=files, headers={"X-API-Key": "wrong"}), 403)
    key = {"X-API-Key": API_KEY}
    big = {"file": ("big.txt", b"a" * 50_000, "text/plain")}
    assert "10000" in problem(writer.post("/documents", files=big, headers=key), 413)["detail"]
    huge = {"file": ("huge.txt", b"a" * 200_000, "text/plain")}
    problem(writer.post("/documents", files=huge, headers=key), 413)
    problem(
        writer.post(
            "/documents", files={"file": ("x.exe", b"MZ", "application/octet-stream")}, headers=key
        ),
        422,
    )
    problem(
        writer.post(
            "/documents",
            data={"note": "no file"},
            files={"x": ("", b"", "text/plain")},
            headers=key,
        ),
        422,
    )
    problem(
        writer.post("/documents", content=b"raw", headers={**key, "Content-Type": "text/plain"}),
        415,
    )
    assert not (Path(writer.app.state.workspace.home) / "uploads" / "big.txt").exists()
    problem(writer.get("/jobs/unknown"), 404)


def test_uploads_off_without_a_configured_key(tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    with TestClient(create_app(Settings(home=home, api_key=None))) as c:
        body = problem(
            c.post(
                "/documents",
                files={"file": ("a.txt", b"x", "text/plain")},
                headers={"X-API-Key": "any"},
            ),
            403,
        )
        assert "CANCU_API_KEY" in body["detail"]
        problem(c.delete("/documents/a", headers={"X-API-Key": "any"}), 403)
        assert c.get("/health").json()["uploads"] is False


def test_upload_ingests_in_the_background_then_delete(writer: TestClient) -> None:
    key = {"X-API-Key": API_KEY}
    resp = writer.post(
        "/documents", files={"file": ("kh_moi.txt", new_plan(), "text/plain")}, headers=key
    )
    assert resp.status_code == 202, resp.text
    job = resp.json()
    assert resp.headers["location"] == f"/jobs/{job['id']}" and job["status"] in (
        "queued",
        "running",
        "done",
    )
    writer.app.state.jobs.wait(job["id"], timeout_s=120)
    done = writer.get(f"/jobs/{job['id']}").json()
    assert done["status"] == "done", done
    assert done["report"]["added"] == ["kh_moi"] and done["progress"]["total"] > 0
    assert any(j["id"] == job["id"] for j in writer.get("/jobs").json())
    assert writer.get("/documents/kh_moi").json()["document"]["number"] == "113/KH-UBND"
    hits = writer.get(
        "/search", params={"q": "camera giám sát giao thông", "doc_id": "kh_moi"}
    ).json()["results"]
    assert hits and hits[0]["doc_id"] == "kh_moi"
    assert writer.get("/legal/64-2007-nd-cp").json()["cited_by"].__len__() == 3

    problem(writer.delete("/documents/kh_moi"), 401)
    assert writer.delete("/documents/kh_moi", headers=key).json() == {"removed": "kh_moi"}
    problem(writer.get("/documents/kh_moi"), 404)
    problem(writer.delete("/documents/kh_moi", headers=key), 404)
    assert len(writer.get("/legal/64-2007-nd-cp").json()["cited_by"]) == 2


def test_upload_of_an_unreadable_file_reports_the_error(writer: TestClient) -> None:
    key = {"X-API-Key": API_KEY}
    resp = writer.post(
        "/documents",
        files={"file": ("broken.pdf", b"%PDF-1.4 not really", "application/pdf")},
        headers=key,
    )
    assert resp.status_code == 202
    job = writer.app.state.jobs.wait(resp.json()["id"], timeout_s=60)
    body = writer.get(f"/jobs/{job.id}").json()
    assert body["status"] == "failed" and body["errors"] and "broken.pdf" in body["errors"][0]
