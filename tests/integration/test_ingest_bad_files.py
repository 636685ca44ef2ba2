"""``cancu ingest`` over a folder mixing every class of bad file with good ones: one line
per bad file naming it and the reason, the good files stored, no traceback; ids that
slugify alike stay two documents."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from paths import ROOT

from search_api.cli.commands import main

os.environ.setdefault("HF_HUB_OFFLINE", "1")

PLAN = ROOT / "corpus" / "plans" / "002_38245e7efbbbc304.txt"

BAD = {
    "bom-then-garbage.md": (b"\xef\xbb\xbf# Ke hoach\n\xff\xfe\xc3(\n", "BOM"),
    "odd-utf16.md": (b"\xff\xfe" + "Kế hoạch".encode("utf-16-le") + b"A", "odd number"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "census.json": (b'{"laws":[{"official_number":5}]}', "'official_number' is int"),
    "shape.json": (b'[{"id":"L","articles":[{"id":"1","text":{"a":1}}]}]', "'text' is dict"),
    "empty.txt": (b"", "empty file"),
    "binary.txt": (bytes(range(256)) * 8, "binary content"),
}


def ingest(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--home", str(home), "ingest", *args, "--no-index"])
    return result.exit_code, result.output


def stored_ids(home: Path) -> list[str]:
    result = CliRunner().invoke(main, ["--home", str(home), "stats", "--json"])
    assert result.exit_code == 0, result.output
    catalogue = json.loads((home / "docs" / "_catalogue.json").read_text("utf-8"))
    return sorted(catalogue)


def test_each_bad_file_is_one_line_and_the_good_ones_are_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PLAN, folder / "good_one.txt")
    (folder / "good_two.txt").write_text(
        "KẾ HOẠCH\nỨng dụng công nghệ thông tin năm 2020 của tỉnh.\n", "utf-8"
    )
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    code, output = ingest(tmp_path / "h", "in")
    assert code == 0, output
    assert "Traceback" not in output
    skipped = [line for line in output.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == len(BAD), output
    for name, (_, reason) in BAD.items():
        [line] = [s for s in skipped if f"in/{name}:" in s]
        assert reason in line and str(tmp_path) not in line  # the path as the user gave it
    assert stored_ids(tmp_path / "h") == ["good_one", "good_two"]
    stored = json.loads((tmp_path / "h" / "docs" / "_catalogue.json").read_text("utf-8"))
    assert stored["good_one"]["source"] == "in/good_one.txt"


def test_ids_that_slugify_alike_are_two_documents(tmp_path: Path) -> None:
    home = tmp_path / "h"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(PLAN, tmp_path / "a" / "002_38245e7efbbbc304.txt")
    text = PLAN.read_text("utf-8").replace("2019", "2018", 1)
    (tmp_path / "b" / "002-38245e7efbbbc304.txt").write_text(text, "utf-8")
    assert ingest(home, str(tmp_path / "a"))[0] == 0
    assert ingest(home, str(tmp_path / "b"))[0] == 0
    assert stored_ids(home) == ["002-38245e7efbbbc304", "002_38245e7efbbbc304"]
    stats = CliRunner().invoke(main, ["--home", str(home), "stats", "--json"])
    assert json.loads(stats.output)["documents"] == 2
    removed = CliRunner().invoke(main, ["--home", str(home), "remove", "002_38245e7efbbbc304"])
    assert removed.exit_code == 0, removed.output
    assert stored_ids(home) == ["002-38245e7efbbbc304"]
    stats = CliRunner().invoke(main, ["--home", str(home), "stats", "--json"])
    assert json.loads(stats.output)["documents"] == 1
    doc = CliRunner().invoke(main, ["--home", str(home), "citations", "002-38245e7efbbbc304"])
    assert doc.exit_code == 0, doc.output


def test_exit_status_is_non_zero_when_every_file_fails(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, output = ingest(tmp_path / "h", str(tmp_path / "empty.txt"))
    assert code != 0 and "empty.txt: empty file" in output


def test_a_missing_path_is_reported_and_the_others_ingested(tmp_path: Path) -> None:
    shutil.copy(PLAN, tmp_path / "good.txt")
    code, output = ingest(tmp_path / "h", str(tmp_path / "missing.txt"), str(tmp_path / "good.txt"))
    assert code == 0 and "missing.txt: no such file" in output
    assert stored_ids(tmp_path / "h") == ["good"]
