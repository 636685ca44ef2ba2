"""Workspace.reconcile: a home left out of step by an interrupted ingest or removal is
brought back in step with the document store, and costs nothing when in step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import FIXTURES

from search_api.workspace import Workspace


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("plan_small.txt", "decision_small.txt"):
        shutil.copy(FIXTURES / name, folder / name)
    with Workspace(tmp_path / "home") as ws:
        report = ws.ingest([folder])
        assert not report.errors and len(report.added) == 2
    return tmp_path / "home"


def in_step(ws: Workspace) -> tuple[list[str], list[str], list[str]]:
    return (
        ws.docs.ids(),
        sorted(ws.graph.document_ids()),
        sorted(ws.index.document_ids()),
    )


def test_interrupted_ingest_and_removal_are_repaired_from_the_store(home: Path) -> None:
    with Workspace(home) as ws:
        kept, dropped = ws.docs.ids()
        # Killed after the store write, before the index save: stored, not searchable.
        ws.index.remove_document(kept)
        ws.index.save()
        # Killed after the graph write of a changed file: the graph is ahead of the store.
        ws.graph.remove_document(kept)
        # Killed half-way through a removal: gone from the store only.
        ws.docs.remove(dropped)
        assert ws.docs.ids() == [kept]
        assert kept not in {h.doc_id for h in ws.search("kế hoạch", k=50, mode="bm25")}

    with Workspace(home) as ws:  # a restart
        report = ws.reconcile()
        assert report.indexed == [kept] and report.graphs_rebuilt == [kept]
        assert report.graphs_removed == [dropped] and report.unindexed == [dropped]
        assert not report.errors
        ids, graph_ids, index_ids = in_step(ws)
        assert ids == graph_ids == index_ids == [kept]
        hits = ws.search("kế hoạch", k=50, mode="bm25")
        assert hits and {h.doc_id for h in hits} == {kept}
        assert ws.reconcile().in_step  # nothing left to do

    with Workspace(home) as ws:  # the repair was committed
        assert in_step(ws) == ([kept], [kept], [kept])


def test_reconcile_in_step_changes_nothing(home: Path) -> None:
    with Workspace(home) as ws:
        generation = ws.index.stats()["generation"]
        report = ws.reconcile()
        assert report.in_step and report.to_json()["indexed"] == []
        assert ws.index.stats()["generation"] == generation  # no save
