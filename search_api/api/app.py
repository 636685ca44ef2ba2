"""The cancu HTTP service: ``create_app(settings) -> FastAPI``.

Why an app factory with state on ``app.state`` (as rdflib-endpoint mounts its SPARQL
router into a factory-built app): tests, the CLI and uvicorn each build their own app
over their own home directory; nothing lives in module globals, so two apps in one
process never share a store, a job queue or a key.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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
    overview,
    search,
    sparql,
    suggest,
    web,
)
from search_api.settings import Settings
from search_api.workspace import Workspace

log = logging.getLogger(__name__)

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
    """Build the service over ``settings.home``: API routers, SPARQL endpoint, web page.
    Without ``settings``, they come from the environment (``Settings.from_env``)."""
    settings = settings or Settings.from_env()
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
    for module in (
        health,
        search,
        documents,
        jobs,
        legal,
        entities,
        graph,
        sparql,
        suggest,
        overview,
    ):
        app.include_router(module.router)
    web.mount(app)
    return app
