"""Background ingest jobs: an upload returns at once (202) and is ingested in a thread.

Why one worker thread: ``Workspace.ingest`` writes the document store, the graph and the
index; running two at once would interleave index saves. Jobs therefore queue behind
each other, and removals (``call``) run on the same thread. The search index is also
opened on that thread (see ``create_app``): its embedding cache is a SQLite connection,
which may only be used by the thread that opened it. Readers (search, SPARQL) are not
blocked: Oxigraph reads from snapshots and searches read one immutable index snapshot.

Because one upload can hold the thread for minutes, every job says where it stands in the
queue (``queue_position``: jobs that run before it), and a removal is a job too, so a
DELETE can answer at once instead of waiting behind the uploads. The thread's first task
is ``Workspace.reconcile``, which repairs a home left out of step by a killed process.
Uploaded files are deleted once nothing stored comes from them (a failed upload, a
removed document), so ``uploads/`` does not grow with every failed attempt.
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

from search_api.api.memory import release_free_memory
from search_api.retrieval.embedders import limit_embedding_threads
from search_api.workspace import Workspace

log = logging.getLogger(__name__)

T = TypeVar("T")
JobStatus = Literal["queued", "running", "done", "failed"]
JobKind = Literal["ingest", "remove"]
MAX_JOBS_KEPT = 500
INGEST_EMBEDDING_THREADS = 1


@dataclass(slots=True)
class Job:
    """One upload's ingest, as ``GET /jobs/{id}`` reports it."""

    id: str
    files: list[str]
    kind: JobKind = "ingest"
    doc_id: str | None = None  # the document a removal removes
    status: JobStatus = "queued"
    stage: str | None = None  # "read" | "extract" | "index"
    done: int = 0
    total: int = 0
    report: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None

    @property
    def is_finished(self) -> bool:
        return self.status in ("done", "failed")

    def to_json(self, queue_position: int | None = None) -> dict[str, Any]:
        """``queue_position``: jobs that run before this one (0: running or next), None
        once finished."""
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "queue_position": queue_position,
            "doc_id": self.doc_id,
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

    def __init__(self, workspace: Workspace, *, reconcile: bool = True) -> None:
        self.workspace = workspace
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        # One core for embedding uploads: the others stay free for the queries served
        # meanwhile (an upload's two-core passes made every search wait behind it).
        self._pool = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix="cancu-ingest",
            initializer=limit_embedding_threads,
            initargs=(INGEST_EMBEDDING_THREADS,),
        )
        if reconcile:
            self._pool.submit(self._reconcile)

    def _reconcile(self) -> None:
        try:
            self.workspace.reconcile()
        except Exception:  # noqa: BLE001 - a failed repair must not stop the server
            log.exception("could not check that %s is in step", self.workspace.home)

    def _add(self, job: Job) -> None:
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                self._jobs.popitem(last=False)

    def submit(self, paths: list[Path]) -> Job:
        job = Job(id=uuid.uuid4().hex, files=[p.name for p in paths])
        self._add(job)
        self._pool.submit(self._run, job, paths)
        return job

    def submit_removal(self, doc_id: str) -> Job:
        """Queue the removal of a document (after the jobs already queued)."""
        job = Job(id=uuid.uuid4().hex, files=[], kind="remove", doc_id=doc_id)
        self._add(job)
        self._pool.submit(self._remove, job, doc_id)
        return job

    def queue_position(self, job: Job) -> int | None:
        """Jobs that run before ``job`` (the running one included); None once finished."""
        if job.is_finished:
            return None
        if job.status == "running":
            return 0
        with self._lock:
            return sum(
                1
                for other in self._jobs.values()
                if other.created <= job.created and other is not job and not other.is_finished
            )

    def describe(self, job: Job) -> dict[str, Any]:
        """The job as ``GET /jobs/{id}`` shows it, with its place in the queue."""
        return job.to_json(self.queue_position(job))

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
            self._delete_unstored(paths)
            job.finished = time.time()
            release_free_memory()  # parsing and embedding freed much; give it back

    def _stored_sources(self) -> set[Path]:
        return {Path(d["source"]).resolve() for d in self.workspace.docs.list() if d.get("source")}

    def _delete_unstored(self, paths: builtins.list[Path]) -> None:
        """Delete uploaded files no stored document comes from (failed, or removed)."""
        try:
            stored = self._stored_sources()
            for path in paths:
                if path.resolve() not in stored:
                    path.unlink(missing_ok=True)
        except OSError:
            log.warning("could not clean up uploaded files %s", paths, exc_info=True)

    def _remove(self, job: Job, doc_id: str) -> None:
        job.status, job.started = "running", time.time()
        try:
            stored = self.workspace.docs.get(doc_id)
            source = Path(stored.document.source) if stored is not None else None
            if self.workspace.remove(doc_id):
                job.report = {"removed": doc_id}
                job.status = "done"
                uploads = (self.workspace.home / "uploads").resolve()
                if source is not None and source.resolve().parent == uploads:
                    self._delete_unstored([source])
            else:
                job.errors.append(f"no document '{doc_id}'")
                job.status = "failed"
        except Exception as err:  # noqa: BLE001 - the job reports it; the server stays up
            log.exception("removal job %s failed", job.id)
            job.errors.append(f"{type(err).__name__}: {err}")
            job.status = "failed"
        finally:
            job.finished = time.time()
            release_free_memory()

    def wait(self, job_id: str, timeout_s: float = 60.0) -> Job | None:
        """Block until the job has finished (for tests and scripts)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            job = self.get(job_id)
            if job is None or job.is_finished:
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
