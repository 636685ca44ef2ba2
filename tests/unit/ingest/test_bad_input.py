"""Every class of bad input is one ``UnreadableFileError`` naming the file and the reason,
and only that file is skipped: the good files of the same call are read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ingest.errors import DocumentTooLargeError, UnreadableFileError
from ingest.read import read_path, read_paths
from ingest.read.plain_text import read_txt

GOOD = "KẾ HOẠCH\nỨng dụng công nghệ thông tin năm 2020 của tỉnh Bắc Kạn.\n"

BAD_FILES: list[tuple[str, bytes, str]] = [
    ("bom-then-garbage.md", b"\xef\xbb\xbf# Ke hoach\n\xff\xfe\xc3(\n", "BOM, but byte 14"),
    ("odd-utf16.md", b"\xff\xfe" + "Kế hoạch".encode("utf-16-le") + b"A", "odd number"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("census-number.json", b'{"laws":[{"official_number":5}]}', "'official_number' is int"),
    ("census-list.json", b'{"laws":[{"official_number":["5/2020/QH14"]}]}', "is list"),
    ("articles-text.json", b'[{"id":"L","articles":[{"id":"1","text":{"a":1}}]}]', "'text'"),
    ("articles-str.json", b'[{"id":"L","articles":"none"}]', "not a list"),
    ("law-id.json", b'[{"id":{"x":1}}]', "'id' is dict"),
    ("shape.json", b'{"foo": 1}', "unknown JSON shape"),
    ("empty.txt", b"", "empty file"),
    ("blank.md", b" \n\t\n", "empty file"),
    ("binary.txt", bytes(range(256)) * 8, "binary content"),
    (
        "latin1-noise.txt",
        "Ça coûte très cher à Zürich, où l'été".encode("latin-1"),
        "unknown legacy",
    ),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_FILES)
def test_bad_file_is_named_and_the_good_one_is_read(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    with pytest.raises(UnreadableFileError, match=reason) as raised:
        read_path(tmp_path / name)
    assert raised.value.path == str(tmp_path / name)
    texts, errors = read_paths([tmp_path])
    assert [t.doc_id for t in texts] == ["good"]
    assert [(Path(e.path).name, reason in e.reason) for e in errors] == [(name, True)]


def test_a_crash_inside_a_reader_is_this_files_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any exception a parser raises (a class not foreseen) still names the file."""
    import ingest.read.registry as registry

    def broken(path: Path, *, max_bytes: int = 0) -> list[object]:
        raise AttributeError("'int' object has no attribute 'strip'")

    monkeypatch.setitem(registry.READERS, ".md", broken)  # type: ignore[arg-type]
    (tmp_path / "a.md").write_text(GOOD, "utf-8")
    (tmp_path / "b.txt").write_text(GOOD, "utf-8")
    texts, errors = read_paths([tmp_path])
    assert [t.doc_id for t in texts] == ["b"]
    assert "AttributeError" in errors[0].reason and errors[0].path.endswith("a.md")


def test_missing_and_looping_paths_are_reported_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    texts, errors = read_paths([tmp_path / "missing.txt", loop, tmp_path / "good.txt"])
    assert [t.doc_id for t in texts] == ["good"]
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert "no such file" in reasons["missing.txt"]
    assert "symbolic link" in reasons["loop.txt"]


def test_links_inside_a_folder_are_reported_and_folder_loops_walked_once(
    tmp_path: Path,
) -> None:
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path)  # a folder loop
    texts, errors = read_paths([tmp_path])
    assert [t.doc_id for t in texts] == ["good"]
    assert [Path(e.path).name for e in errors] == ["dangling.txt"]


def test_an_unreadable_subfolder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "good.txt").write_text(GOOD, "utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden-plan.txt").write_text(GOOD, "utf-8")
    real_scandir = os.scandir

    def scandir(path: Path) -> object:  # root reads anything: simulate the refusal
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr("ingest.read.registry.os.scandir", scandir)
    texts, errors = read_paths([tmp_path])
    assert [t.doc_id for t in texts] == ["good"]
    assert [(e.path, e.reason) for e in errors] == [
        (str(locked), "cannot read folder: Permission denied")
    ]


def test_oversize_document_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(GOOD * 100, "utf-8")
    with pytest.raises(DocumentTooLargeError, match="over the limit of 1000 bytes") as raised:
        read_txt(big, max_bytes=1000)
    assert raised.value.limit == 1000 and raised.value.size == big.stat().st_size
    texts, errors = read_paths([tmp_path], max_bytes=1000)
    assert texts == [] and isinstance(errors[0], DocumentTooLargeError)
    assert read_paths([tmp_path])[0][0].doc_id == "big"  # the default limit is 10 MB


def test_sources_name_files_as_given_or_relative_to_an_upload_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uploads = tmp_path / "srv" / "home" / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "plan.txt").write_text(GOOD, "utf-8")
    (uploads / "bad.json").write_text("{", "utf-8")
    texts, errors = read_paths([uploads / "plan.txt", uploads / "bad.json"], base=uploads)
    assert texts[0].source == "plan.txt"
    assert errors[0].path == "bad.json" and str(errors[0]).startswith("bad.json: invalid JSON")
    monkeypatch.chdir(tmp_path)
    texts, _ = read_paths([Path("srv/home/uploads")])
    assert texts[0].source == "srv/home/uploads/plan.txt"


def test_census_with_a_legal_number_keeps_its_source_relative(tmp_path: Path) -> None:
    census = {"laws": [{"official_number": "86/2015/QH13", "type": "law", "title": "Luật"}]}
    (tmp_path / "census.json").write_text(json.dumps(census), "utf-8")
    texts, errors = read_paths([tmp_path / "census.json"], base=tmp_path)
    assert errors == [] and texts[0].source == "census.json#86/2015/QH13"
