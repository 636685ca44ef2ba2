"""Writes: ``POST /documents`` (multipart upload -> 202 + job), ``GET /jobs/{id}``,
``DELETE /documents/{id}``. All need the API key.

Every job reports its ``queue_position`` (jobs that run before it): uploads share one
ingest thread. A DELETE is a job as well: it answers 200 when the removal is done within
``DELETE_WAIT_S``, else 202 with the job, instead of holding the client behind an upload.

Why the body is parsed by hand: FastAPI would read a whole multipart body before any
dependency runs; checking the key and the declared size first means an unauthorised or
oversize upload is refused before it is read, and the streamed copy is capped as well
(for clients that send no Content-Length).
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import UploadFile

from graph.errors import DocumentNotFoundError
from search_api.api.problems import Problem, problems
from search_api.api.routes.common import ApiKey, example_response

router = APIRouter(tags=["upload"])

ALLOWED_SUFFIXES = {".txt", ".docx", ".pdf", ".md", ".json"}
CHUNK = 1 << 16
DELETE_WAIT_S = 2.0

JOB_EXAMPLE = {
    "id": "3f6c1d2e9a8b4c7d8e9f0a1b2c3d4e5f",
    "kind": "ingest",
    "status": "running",
    "queue_position": 0,
    "doc_id": None,
    "files": ["kh_tay_ninh_2019.txt"],
    "progress": {"stage": "index", "done": 12, "total": 40, "files": 1},
    "report": None,
    "errors": [],
    "created": 1732450000.0,
    "started": 1732450000.1,
    "finished": None,
}


def _safe_name(filename: str) -> str:
    """A file name that cannot leave uploads/ and keeps its stem (the document id)."""
    name = unicodedata.normalize("NFC", Path(filename.replace("\\", "/")).name)
    name = re.sub(r"[^\w.\-]+", "_", name).strip("._") or "upload"
    return name[:160]


async def _save(upload: UploadFile, target: Path, budget: int) -> int:
    """Stream one upload to ``target`` (atomically); return bytes written or raise 413."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    written = 0
    try:
        with os.fdopen(fd, "wb") as fh:
            while chunk := await upload.read(CHUNK):
                written += len(chunk)
                if written > budget:
                    raise Problem(
                        413,
                        "Content too large",
                        f"upload larger than the limit of {budget} bytes",
                        slug="content-too-large",
                    )
                fh.write(chunk)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return written


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                    "required": ["file"],
                },
                "example": {"file": ["kh_tay_ninh_2019.txt"]},
            }
        },
    },
    "parameters": [
        {
            "name": "X-API-Key",
            "in": "header",
            "required": True,
            "schema": {"type": "string"},
            "example": "s3cret",
            "description": "Must equal CANCU_API_KEY.",
        }
    ],
}


@router.post(
    "/documents",
    summary="Upload documents (background ingest)",
    status_code=202,
    dependencies=[ApiKey],
    openapi_extra=UPLOAD_BODY,
    responses={
        202: example_response(
            {**JOB_EXAMPLE, "status": "queued"},
            description="Accepted: ingest runs in the background",
        ),
        **problems(401, 403, 413, 422),
    },
)
async def upload(request: Request) -> JSONResponse:
    """Save txt/docx/pdf/md/json files under home/uploads/ and ingest them in the background."""
    settings = request.app.state.settings
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise Problem(
            413,
            "Content too large",
            f"upload of {declared} bytes is over the limit of {limit} bytes",
            slug="content-too-large",
        )
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Problem(
            415,
            "Unsupported media type",
            "send the files as multipart/form-data (field 'file')",
            slug="unsupported-media-type",
        )
    uploads_dir = request.app.state.workspace.home / "uploads"
    saved: list[Path] = []
    async with request.form(max_files=100) as form:
        files = [(k, v) for k, v in form.multi_items() if isinstance(v, UploadFile)]
        if not files:
            raise Problem(
                422,
                "Invalid parameters",
                "no file in the form: send it as field 'file'",
                slug="invalid-parameters",
            )
        budget = limit
        for _, upload_file in files:
            name = _safe_name(upload_file.filename or "upload")
            if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
                raise Problem(
                    422,
                    "Unreadable file",
                    f"{name}: unsupported type (accepted: {', '.join(sorted(ALLOWED_SUFFIXES))})",
                    slug="unreadable-file",
                )
            budget -= await _save(upload_file, uploads_dir / name, budget)
            saved.append(uploads_dir / name)
    jobs = request.app.state.jobs
    job = jobs.submit(saved)
    return JSONResponse(
        jobs.describe(job), status_code=202, headers={"Location": f"/jobs/{job.id}"}
    )


@router.get("/jobs", summary="Recent jobs", responses={200: example_response([JOB_EXAMPLE])})
def list_jobs(request: Request) -> list[dict[str, Any]]:
    """Ingest jobs of this server process, newest first."""
    jobs = request.app.state.jobs
    return [jobs.describe(j) for j in jobs.list()]


@router.get(
    "/jobs/{job_id}",
    summary="Job status and progress",
    responses={
        200: example_response(
            {
                **JOB_EXAMPLE,
                "status": "done",
                "report": {
                    "added": ["kh_tay_ninh_2019"],
                    "updated": [],
                    "unchanged": [],
                    "removed": [],
                    "errors": [],
                    "documents": ["kh_tay_ninh_2019"],
                },
            }
        ),
        **problems(404),
    },
)
def get_job(request: Request, job_id: str) -> dict[str, Any]:
    """Status (queued, running, done, failed), progress by stage, the ingest report and errors."""
    jobs = request.app.state.jobs
    job = jobs.get(job_id)
    if job is None:
        raise DocumentNotFoundError(f"no job '{job_id}'")
    return dict(jobs.describe(job))


@router.delete(
    "/documents/{doc_id:path}",
    summary="Remove a document",
    dependencies=[ApiKey],
    openapi_extra={"parameters": UPLOAD_BODY["parameters"]},
    responses={
        200: example_response({"removed": "kh_tay_ninh_2019"}),
        202: example_response(
            {
                **JOB_EXAMPLE,
                "kind": "remove",
                "status": "queued",
                "queue_position": 1,
                "doc_id": "kh_tay_ninh_2019",
                "files": [],
            },  # fmt: skip
            description="Queued behind running uploads: follow the job",
        ),
        **problems(401, 403, 404),
    },
)
def delete_document(request: Request, doc_id: str) -> Any:
    """Remove a document's facts, passages and vectors: 200 when done at once, else 202
    with the removal job (queued behind uploads; follow ``Location``)."""
    jobs = request.app.state.jobs
    job = jobs.wait(jobs.submit_removal(doc_id).id, timeout_s=DELETE_WAIT_S)
    if job.status == "done":
        return {"removed": doc_id}
    if job.status == "failed" and job.errors == [f"no document '{doc_id}'"]:
        raise DocumentNotFoundError(f"no document '{doc_id}'")
    if job.status == "failed":
        raise RuntimeError(f"removing {doc_id!r} failed: {'; '.join(job.errors)}")
    return JSONResponse(
        jobs.describe(job), status_code=202, headers={"Location": f"/jobs/{job.id}"}
    )
