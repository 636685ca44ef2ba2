"""The cancu HTTP service: ``create_app(settings) -> FastAPI``.

Why an app factory with state on ``app.state`` (as rdflib-endpoint mounts its SPARQL
router into a factory-built app): tests, the CLI and uvicorn each build their own app
over their own home directory; nothing lives in module globals, so two apps in one
process never share a store, a job queue or a key.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from search_api.api.jobs import JobManager
from search_api.api.problems import install_problem_handlers
from search_api.api.routes import (
    documents,
    entities,
    graph,
    health,
    jobs,
    legal,
    search,
    sparql,
    web,
)
from search_api.workspace import Workspace

log = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(slots=True)
class Settings:
    """What one running service needs; every field can come from the environment.

    ``api_key`` None means uploads and deletions are switched off (403), so a service
    started without a key can never be written to by accident.
    """

    home: Path = field(default_factory=lambda: Path(os.environ.get("CANCU_HOME") or ".cancu"))
    api_key: str | None = field(default_factory=lambda: os.environ.get("CANCU_API_KEY") or None)
    max_upload_bytes: int = field(
        default_factory=lambda: _env_int("CANCU_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD)
    )
    sparql_timeout_s: float = field(
        default_factory=lambda: _env_float("CANCU_SPARQL_TIMEOUT_S", 10.0)
    )
    sparql_max_rows: int = field(default_factory=lambda: _env_int("CANCU_SPARQL_MAX_ROWS", 10000))
    embedder: str | None = field(default_factory=lambda: os.environ.get("CANCU_EMBEDDER") or None)
    max_page: int = 200  # the largest ``limit`` a list route accepts
    warm_up: bool = True  # load index, embedder and tokenizer before the first request


API_DESCRIPTION = """\
Kế hoạch ứng dụng CNTT của các tỉnh và văn bản pháp luật làm căn cứ, dưới dạng đồ thị tri thức
RDF và tìm kiếm ngữ nghĩa. Every fact carries its provenance: document id, passage id and the
character span of the quote. Errors are RFC 9457 `application/problem+json`.
"""


def prepare(workspace: Workspace, warm: bool) -> None:
    """Open the search index (on the ingest thread: see search_api/jobs.py) and, with
    ``warm``, load the embedder and the word segmenter once, before serving.

    Why warm up: they load lazily, and the first concurrent requests (the web page sends
    /search and /ask together) would otherwise race on underthesea's global model
    loading, and the first user would wait for all the loading.
    """
    _ = workspace.index
    if not warm or not workspace.docs.ids():
        return
    try:
        workspace.search("công nghệ thông tin", k=1)
        workspace.ask("Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?", k=1)
    except Exception:  # noqa: BLE001 - a failed warm-up must not stop the server
        log.exception("warm-up failed; the first requests will load lazily")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service over ``settings.home``: API routers, SPARQL endpoint, web page."""
    settings = settings or Settings()
    workspace = Workspace(Path(settings.home), embedder=settings.embedder)
    job_manager = JobManager(workspace)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(job_manager.call, prepare, workspace, settings.warm_up)
        yield
        job_manager.shutdown()
        # Release the RocksDB lock so the same home can be opened again in this process.
        if "graph" in vars(workspace):
            workspace.graph.close()
            del vars(workspace)["graph"]

    app = FastAPI(
        title="cancu",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by routes/web.py with Swagger UI from a package, not a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.workspace = workspace
    app.state.jobs = job_manager
    install_problem_handlers(app)
    for module in (health, search, documents, jobs, legal, entities, graph, sparql):
        app.include_router(module.router)
    web.mount(app)
    return app
