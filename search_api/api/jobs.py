"""Background ingest jobs: an upload returns at once (202) and is ingested in a thread.

Why one worker thread: ``Workspace.ingest`` writes the document store, the graph and the
index; running two at once would interleave index saves. Jobs therefore queue behind
each other, and removals (``call``) run on the same thread. The search index is also
opened on that thread (see ``create_app``): its embedding cache is a SQLite connection,
which may only be used by the thread that opened it. Readers (search, SPARQL) are not
blocked: Oxigraph reads from snapshots and the index swaps its arrays when a batch is
added.
"""

from __future__ import annotations

import builtins
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from search_api.workspace import Workspace

log = logging.getLogger(__name__)

T = TypeVar("T")
JobStatus = Literal["queued", "running", "done", "failed"]
MAX_JOBS_KEPT = 500


@dataclass(slots=True)
class Job:
    """One upload's ingest, as ``GET /jobs/{id}`` reports it."""

    id: str
    files: list[str]
    status: JobStatus = "queued"
    stage: str | None = None  # "read" | "extract" | "index"
    done: int = 0
    total: int = 0
    report: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "files": self.files,
            "progress": {
                "stage": self.stage,
                "done": self.done,
                "total": self.total,
                "files": len(self.files),
            },
            "report": self.report,
            "errors": self.errors,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
        }


class JobManager:
    """Queue of ingest jobs over one workspace, with progress kept per job."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cancu-ingest")

    def submit(self, paths: list[Path]) -> Job:
        job = Job(id=uuid.uuid4().hex, files=[p.name for p in paths])
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, paths)
        return job

    def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` on the ingest thread, after queued jobs, and return its result."""
        return self._pool.submit(fn, *args).result()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def list(self) -> builtins.list[Job]:
        with self._lock:
            return list(reversed(self._jobs.values()))

    def _run(self, job: Job, paths: builtins.list[Path]) -> None:
        def progress(stage: str, done: int, total: int) -> None:
            # "extract" counts documents read from the files (one file may hold several).
            job.stage, job.done, job.total = stage, done, total

        job.status, job.started = "running", time.time()
        try:
            report = self.workspace.ingest(paths, progress=progress)
            job.report = report.to_json()
            job.errors = list(report.errors)
            job.status = "failed" if report.errors and not report.documents else "done"
        except Exception as err:  # noqa: BLE001 - the job reports it; the server stays up
            log.exception("ingest job %s failed", job.id)
            job.errors.append(f"{type(err).__name__}: {err}")
            job.status = "failed"
        finally:
            job.finished = time.time()

    def wait(self, job_id: str, timeout_s: float = 60.0) -> Job | None:
        """Block until the job has finished (for tests and scripts)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            job = self.get(job_id)
            if job is None or job.status in ("done", "failed"):
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
