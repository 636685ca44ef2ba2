"""Workspace as composition root: ingest through the pipeline, reads, atomic reindex."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import FIXTURES

from ingest.errors import DocumentProcessingError, UnreadableFileError
from ingest.pipeline import as_file_error, process_source
from ingest.read import read_paths
from search_api.retrieval.index import SearchIndex
from search_api.retrieval.lexical import TermPart
from search_api.workspace import Workspace

PLAN = FIXTURES / "plan_small.txt"


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PLAN, folder / PLAN.name)
    shutil.copy(FIXTURES / "decision_small.txt", folder / "decision_small.txt")
    return folder


def test_process_source_is_pure_and_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    sources, errors = read_paths([PLAN])
    assert not errors
    processed = process_source(sources[0])
    assert processed.document.id == sources[0].doc_id
    assert processed.extraction.document is processed.document
    assert processed.extraction_json["document"]["uri"]

    def crash(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("ingest.pipeline.extract", crash)
    with pytest.raises(DocumentProcessingError, match=r"plan_small\.txt: could not be processed"):
        process_source(sources[0])


def test_as_file_error_keeps_named_errors_and_names_the_file() -> None:
    unreadable = UnreadableFileError("a.pdf", "no text")
    assert as_file_error("a.pdf", unreadable) is unreadable
    assert str(as_file_error("a.txt", ValueError("bad"))) == (
        "a.txt: could not be processed (ValueError: bad)"
    )


def test_one_bad_file_does_not_stop_the_others(
    files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = process_source

    def fail_on_decision(source, laws=None):  # type: ignore[no-untyped-def]
        if "decision" in source.source:
            raise RuntimeError("boom")
        return real(source, laws)

    monkeypatch.setattr("search_api.workspace.process_source", fail_on_decision)
    with Workspace(files.parent / "home") as ws:
        report = ws.ingest([files], index=False)
        assert len(report.added) == 1 and len(report.errors) == 1
        assert (
            "decision_small.txt: could not be processed (RuntimeError: boom)" in (report.errors[0])
        )


def test_reads_document_and_term_idf(files: Path) -> None:
    with Workspace(files.parent / "home") as ws:
        assert ws.term_idf() is None
        report = ws.ingest([files])
        assert not report.errors and len(report.added) == 2
        doc_id = report.added[0]
        doc = ws.document(doc_id)
        assert doc is not None and doc.id == doc_id
        assert ws.document("no such document") is None
        idf = ws.term_idf()
        assert idf is not None and idf is ws.index.term_idf()
        ws.close()
        ws.close()  # idempotent


def test_reindex_failing_half_way_leaves_the_old_index_working(
    files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = files.parent / "home"
    with Workspace(home) as ws:
        ws.ingest([files])
        before = [h.passage_id for h in ws.search("công nghệ thông tin", k=5)]
        assert before

    def crash(*_args: object) -> list[str]:
        raise OSError("disk full")

    # The new segment's records are written, then writing its terms fails.
    monkeypatch.setattr(TermPart, "save", crash)
    with Workspace(home) as ws, pytest.raises(OSError, match="disk full"):
        ws.reindex()
    assert (home / "index" / "seg-2.records.json.gz").exists()  # never committed
    monkeypatch.undo()

    with Workspace(home) as ws:
        assert [h.passage_id for h in ws.search("công nghệ thông tin", k=5)] == before
        assert ws.reindex() == len(ws.index.records)
        assert [h.passage_id for h in ws.search("công nghệ thông tin", k=5)] == before
    names = sorted(p.name for p in (home / "index").iterdir() if p.name.startswith("seg-"))
    assert {n.split("-")[1].split(".")[0] for n in names} == {"3"}  # only the new segment
    assert [h.passage_id for h in SearchIndex(home / "index").search("công nghệ", k=5)]


def test_reindex_rebuilds_a_damaged_index(files: Path) -> None:
    home = files.parent / "home"
    with Workspace(home) as ws:
        ws.ingest([files])
    (home / "index" / "manifest.json").write_text("{not json", encoding="utf-8")
    with Workspace(home) as ws:
        assert ws.reindex() > 0
        assert ws.search("công nghệ thông tin", k=3)
