"""Readers: encodings, formats, law corpora, national code, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from paths import ROOT

from ingest.errors import UnreadableFileError
from ingest.read import read_path, read_paths
from ingest.read.national import census_documents, parse_national_text

TEXT = "KẾ HOẠCH\nỨng dụng công nghệ thông tin năm 2020\nCăn cứ Luật Công nghệ thông tin;\n"

NATIONAL = """| **Số hiệu** | 99/2099/QH99

## VĂN BẢN
# Công nghệ thông tin

Chương I

NHỮNG QUY ĐỊNH CHUNG

Điều 3.3.LQ.1. Phạm vi điều chỉnh

(Điều 1 Luật số 67/2006/QH11 Công nghệ thông tin ngày 29/06/2006 của Quốc hội, có hiệu lực thi hành kể từ ngày 01/01/2007 )

Luật này quy định về hoạt động ứng dụng công nghệ thông tin.

Điều 3.3.LQ.2. Đối tượng áp dụng

(Điều 2 Luật số 67/2006/QH11, có hiệu lực thi hành kể từ ngày 01/01/2007)

Luật này áp dụng đối với tổ chức, cá nhân.

Điều 3.3.NĐ.1.1. Phạm vi điều chỉnh

(Điều 1 Nghị định số 64 /2007/NĐ-CP Ứng dụng công nghệ thông tin ngày 10/04/2007 của Chính phủ, có hiệu lực thi hành kể từ ngày 18/05/2007 )

Nghị định này quy định về ứng dụng công nghệ thông tin.

## Danh sách điều khoản
Điều 3.3.LQ.9. Không được đọc
"""


def _pdf_bytes(text: str) -> bytes:
    """A minimal one-page PDF with ``text`` in Helvetica (ASCII only)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_txt_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(TEXT.encode(encoding))
    [src] = read_path(path)
    assert src.raw_text == TEXT
    assert src.doc_id == "ke-hoach" and src.kind == "plan" and src.articles is None
    assert len(src.content_hash) == 40


def test_content_hash_changes_with_bytes(tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT + "x", encoding="utf-8")
    assert read_path(a)[0].content_hash != read_path(b)[0].content_hash


def test_docx_paragraphs_and_flattened_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    table = document.add_table(rows=2, cols=3)
    for i, text in enumerate(["STT", "Tên dự án", "Kinh phí"]):
        table.rows[0].cells[i].text = text
    for i, text in enumerate(["1", "Cổng thông tin\nđiện tử", "500"]):
        table.rows[1].cells[i].text = text
    document.add_paragraph("Nơi nhận:")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    [src] = read_path(path)
    text = src.raw_text
    assert text.index("KẾ HOẠCH") < text.index("\tSTT") < text.index("Nơi nhận")
    assert "\tSTT\n\tTên dự án\n\tKinh phí\n\n\t1\n\tCổng thông tin\nđiện tử\n\t500" in text


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    path.write_bytes(_pdf_bytes("Ke hoach so 12/KH-UBND"))
    [src] = read_path(path)
    assert "12/KH-UBND" in src.raw_text


def test_json_law_corpus_ids_verbatim(tmp_path: Path) -> None:
    laws = [{"id": "Luật Thử nghiệm", "articles": [{"id": "1", "text": "Phạm vi\n\nNội dung."}]}]
    path = tmp_path / "law.json"
    path.write_text(json.dumps(laws, ensure_ascii=False), encoding="utf-8")
    [src] = read_path(path)
    assert src.doc_id == "Luật Thử nghiệm" and src.kind == "legal"
    assert src.articles == [("1", "", "Phạm vi\n\nNội dung.")]


def test_markdown_plan_and_national_code(tmp_path: Path) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(TEXT, encoding="utf-8")
    assert read_path(plan)[0].kind == "plan"
    code = tmp_path / "code.md"
    code.write_text(NATIONAL, encoding="utf-8")
    docs = {d.doc_id: d for d in read_path(code)}
    assert set(docs) == {"67/2006/QH11", "64/2007/NĐ-CP"}  # metadata table ignored
    law = docs["67/2006/QH11"]
    assert [a[0] for a in law.articles or []] == ["Điều 1", "Điều 2"]
    assert "3.3.LQ.1" in law.articles[0][1]
    assert law.meta["date"] == "2006-06-29" and law.meta["effective"] == "2007-01-01"
    assert law.meta["issuer"] == "Quốc hội" and law.meta["doc_type"] == "Luật"
    assert docs["64/2007/NĐ-CP"].meta["title"] == "Ứng dụng công nghệ thông tin"


def test_national_parse_speed_and_census() -> None:
    root = ROOT / "corpus" / "national"
    text = (root / "cong-nghe-thong-tin.md").read_text(encoding="utf-8")
    docs = parse_national_text(text, "x")
    assert len(docs) > 30 and sum(len(d.articles or []) for d in docs) > 900
    census = census_documents(root / "census.json")
    assert len(census) == 93 and all(c.articles == [] for c in census)
    it_law = next(c for c in census if c.doc_id == "67/2006/QH11")
    assert it_law.meta["status"] == "in_force"


def test_bad_files_collected_while_others_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "corrupt.docx").write_bytes(b"PK\x03\x04 not a zip")
    (tmp_path / "notes.xyz").write_text("x", encoding="utf-8")
    (tmp_path / "shape.json").write_text('{"a": 1}', encoding="utf-8")
    (tmp_path / "LICENSE-x").write_text("licence", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    texts, errors = read_paths([tmp_path])
    assert [t.doc_id for t in texts] == ["good"]
    bad = {Path(e.path).name: e.reason for e in errors}
    assert set(bad) == {"empty.txt", "binary.txt", "corrupt.docx", "notes.xyz", "shape.json"}
    assert "empty" in bad["empty.txt"] and "binary" in bad["binary.txt"]
    assert "unsupported" in bad["notes.xyz"]
    assert all(str(tmp_path) in str(e) for e in errors)


def test_read_path_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="no such file"):
        read_path(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken-bom.md", b"\xff\xfe\x00\xd8", "undecodable text"),
        ("broken-bom.json", b"\xef\xbb\xbf\xff\xfe", "undecodable text"),
        ("articles.json", json.dumps([{"id": 1, "articles": 5}]).encode(), "not a list"),
        ("census.json", json.dumps({"laws": [1, 2]}).encode(), "no 'laws' list"),
    ],
)
def test_bad_files_are_unreadable_file_errors(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(UnreadableFileError, match=reason):
        read_path(tmp_path / name)
