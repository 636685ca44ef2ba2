"""Passages: kinds, offsets, stable ids; the whole seed corpus end to end."""

from __future__ import annotations

from pathlib import Path

from paths import FIXTURES, ROOT

from ingest.read import SourceText, read_path
from ingest.structure.document import build_document

FIXTURES = FIXTURES
PLANS = sorted((ROOT / "corpus" / "plans").glob("*.txt"))


def _doc():
    return build_document(read_path(FIXTURES / "plan_small.txt")[0])


def test_passage_kinds_offsets_and_sizes() -> None:
    doc = _doc()
    kinds = [p.kind for p in doc.passages]
    assert kinds[0] == "header" and "basis" in kinds and "targets" in kinds and "tasks" in kinds
    for p in doc.passages:
        assert 0 <= p.start < p.end <= len(doc.text)
        if p.kind != "table_row":
            assert doc.text[p.start : p.end] == p.text
            assert len(p.text.split()) <= 300
    rows = [p for p in doc.passages if p.kind == "table_row"]
    assert len(rows) == 3
    assert rows[0].text.endswith("Kinh phí: 1.200 (đơn vị: triệu đồng)")
    assert "Tên dự án: Nâng cấp Cổng thông tin điện tử tỉnh" in rows[0].text
    assert doc.text[rows[0].start : rows[0].end].strip().startswith("1")
    assert rows[0].table_id == doc.tables[0].id and rows[0].row_index == 1
    basis = next(p for p in doc.passages if p.kind == "basis")
    assert basis.text.startswith("Căn cứ Luật Công nghệ thông tin")
    assert doc.passage_at(rows[1].start + 3) is rows[1]


def test_ids_stable_and_unique(tmp_path: Path) -> None:
    first = [p.id for p in _doc().passages]
    assert first == [p.id for p in _doc().passages]
    assert len(set(first)) == len(first)
    dup = "1. Mục tiêu\n" + ("Nội dung lặp lại của kế hoạch. " * 12 + "\n") + "2. Mục tiêu\n"
    dup += "Nội dung lặp lại của kế hoạch. " * 12 + "\n"
    path = tmp_path / "dup.txt"
    path.write_text(dup, encoding="utf-8")
    ids = [p.id for p in build_document(read_path(path)[0]).passages]
    assert len(ids) == len(set(ids))


def test_legal_document_articles() -> None:
    long_text = "Khoản một. " + "Quy định chi tiết về nội dung. " * 120
    src = SourceText(
        "Luật Mẫu", "x#Luật Mẫu", "", "legal", "h",
        [("1", "", "Phạm vi\n\nLuật này quy định."), ("2", "", long_text)], {"doc_type": "Luật"},
    )  # fmt: skip
    doc = build_document(src)
    assert doc.kind == "legal" and doc.meta.doc_type == "Luật"
    assert [s.label for s in doc.sections] == ["1", "2"]
    arts = [p.article_id for p in doc.passages]
    assert arts[0] == "1" and arts.count("2") >= 2
    assert all(doc.text[p.start : p.end] == p.text and p.kind == "article" for p in doc.passages)
    assert doc.text.startswith("Điều 1.\nPhạm vi")


def test_every_seed_plan() -> None:
    assert len(PLANS) == 5
    for path in PLANS:
        doc = build_document(read_path(path)[0])
        meta = doc.meta
        draft = "…/02/2019" in doc.text  # the one seed whose own number and date are blank
        assert draft or (meta.number and meta.date), path.name
        assert meta.doc_type and meta.province and meta.issuer, path.name
        assert len(doc.sections) > 20 and len(doc.passages) > 20, path.name
        for p in doc.passages:
            if p.kind != "table_row":
                assert doc.text[p.start : p.end] == p.text, (path.name, p.id)
        assert len({p.id for p in doc.passages}) == len(doc.passages)
