"""Document store: damaged files are named errors, not JSON tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_doc

from search_api.docstore import DocStore
from search_api.errors import DocStoreError


def test_a_damaged_catalogue_is_a_named_error(tmp_path: Path) -> None:
    (tmp_path / "_catalogue.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(DocStoreError, match="catalogue"):
        DocStore(tmp_path)


def test_a_damaged_document_file_is_a_named_error(tmp_path: Path) -> None:
    store = DocStore(tmp_path)
    doc = make_doc("d1", ["Một đoạn văn."])
    store.put(doc, {"document": {}})
    stored = store.get("d1")
    assert stored is not None and stored.document.id == "d1"
    next(p for p in tmp_path.glob("*.json") if p.name != "_catalogue.json").write_text("[]")
    with pytest.raises(DocStoreError, match="'d1'"):
        store.get("d1")


def test_parsed_documents_are_reused_until_their_file_changes(tmp_path: Path) -> None:
    store = DocStore(tmp_path)
    store.put(make_doc("d1", ["Đoạn thứ nhất."]), {"document": {}})
    first = store.get("d1")
    assert first is not None and store.get("d1") is first  # parsed once
    store.put(make_doc("d1", ["Đoạn đã sửa.", "Đoạn thêm."]), {"document": {}})
    again = store.get("d1")
    assert again is not None and again is not first
    assert [p.text for p in again.document.passages] == ["Đoạn đã sửa.", "Đoạn thêm."]
    # Another process rewriting the file is seen too (the file's identity changed).
    other = DocStore(tmp_path)
    other.put(make_doc("d1", ["Bản của tiến trình khác."]), {"document": {}})
    seen = store.get("d1")
    assert seen is not None and seen.document.passages[0].text == "Bản của tiến trình khác."
    store.remove("d1")
    assert store.get("d1") is None


def test_a_reader_sees_what_another_process_wrote(tmp_path: Path) -> None:
    """API workers each hold a store over the same home while one writer ingests: the
    catalogue a worker read at start must not hide documents committed since."""
    worker, writer = DocStore(tmp_path), DocStore(tmp_path)
    assert worker.ids() == [] and worker.get("d1") is None
    writer.put(make_doc("d1", ["Đoạn mới."]), {"document": {}})
    assert worker.ids() == ["d1"] and [d["id"] for d in worker.list()] == ["d1"]
    stored = worker.get("d1")
    assert stored is not None and worker.content_hash("d1") is not None
    assert worker.passage(stored.document.passages[0].id) is not None
    writer.remove("d1")
    assert worker.get("d1") is None and worker.ids() == []


def test_a_writer_keeps_what_another_writer_added(tmp_path: Path) -> None:
    first, second = DocStore(tmp_path), DocStore(tmp_path)
    first.put(make_doc("a", ["Một."]), {"document": {}})
    second.put(make_doc("b", ["Hai."]), {"document": {}})
    assert DocStore(tmp_path).ids() == ["a", "b"]
