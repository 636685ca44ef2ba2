"""JobManager: queue positions, removals as jobs, uploaded files cleaned up."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from search_api.api.jobs import JobManager
from search_api.workspace import IngestReport


class FakeDocs:
    def __init__(self) -> None:
        self.stored: dict[str, str] = {}  # doc id -> source

    def list(self) -> list[dict[str, Any]]:
        return [{"id": i, "source": s} for i, s in self.stored.items()]

    def get(self, doc_id: str) -> Any:
        if doc_id not in self.stored:
            return None
        return type("Stored", (), {"document": type("Doc", (), {"source": self.stored[doc_id]})})


class FakeWorkspace:
    """Ingest stores each file whose name does not start with "bad"; waits for ``gate``."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.docs = FakeDocs()
        self.gate = threading.Event()
        self.reconciled = False

    def reconcile(self) -> None:
        self.reconciled = True

    def ingest(self, paths: list[Path], progress: Any = None) -> IngestReport:
        self.gate.wait(30)
        report = IngestReport()
        for p in paths:
            if p.name.startswith("bad"):
                report.errors.append(f"{p.name}: unreadable")
            else:
                self.docs.stored[p.stem] = str(p)
                report.added.append(p.stem)
        return report

    def remove(self, doc_id: str) -> bool:
        return self.docs.stored.pop(doc_id, None) is not None


def upload(home: Path, name: str) -> Path:
    path = home / "uploads" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")
    return path


def test_queue_positions_and_a_removal_queued_behind_an_upload(tmp_path: Path) -> None:
    ws = FakeWorkspace(tmp_path)
    jobs = JobManager(ws)  # type: ignore[arg-type]
    try:
        first = jobs.submit([upload(tmp_path, "a.txt")])
        second = jobs.submit([upload(tmp_path, "b.txt")])
        removal = jobs.submit_removal("a")
        assert jobs.wait(first.id, timeout_s=0.3).status == "running"  # type: ignore[union-attr]
        assert jobs.describe(first)["queue_position"] == 0
        assert jobs.describe(second)["queue_position"] == 1
        described = jobs.describe(removal)
        assert described["queue_position"] == 2 and described["kind"] == "remove"
        assert described["doc_id"] == "a" and described["status"] == "queued"
        ws.gate.set()
        done = jobs.wait(removal.id, timeout_s=10)
        assert done is not None and done.status == "done" and done.report == {"removed": "a"}
        assert jobs.describe(done)["queue_position"] is None
        assert ws.reconciled  # the first task of the thread
        # The removed document's upload is gone; the stored one stays.
        assert not (tmp_path / "uploads" / "a.txt").exists()
        assert (tmp_path / "uploads" / "b.txt").exists()
        missing = jobs.wait(jobs.submit_removal("nope").id, timeout_s=10)
        assert missing is not None and missing.status == "failed"
    finally:
        ws.gate.set()
        jobs.shutdown()


def test_files_of_failed_uploads_do_not_pile_up(tmp_path: Path) -> None:
    ws = FakeWorkspace(tmp_path)
    ws.gate.set()
    jobs = JobManager(ws)  # type: ignore[arg-type]
    try:
        for i in range(3):
            job = jobs.wait(jobs.submit([upload(tmp_path, f"bad{i}.pdf")]).id, timeout_s=10)
            assert job is not None and job.status == "failed"
        mixed = jobs.submit([upload(tmp_path, "bad.txt"), upload(tmp_path, "good.txt")])
        assert jobs.wait(mixed.id, timeout_s=10).status == "done"  # type: ignore[union-attr]
        assert sorted(p.name for p in (tmp_path / "uploads").iterdir()) == ["good.txt"]
    finally:
        jobs.shutdown()
