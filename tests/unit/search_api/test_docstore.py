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
