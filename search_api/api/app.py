"""The cancu HTTP service: ``create_app(settings) -> FastAPI``.

Why an app factory with state on ``app.state`` (as rdflib-endpoint mounts its SPARQL
router into a factory-built app): tests, the CLI and uvicorn each build their own app
over their own home directory; nothing lives in module globals, so two apps in one
process never share a store, a job queue or a key.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.sparql_worker import run_blas_single_threaded
from search_api.api.jobs import JobManager
from search_api.api.memory import limit_malloc_arenas
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
from search_api.timing import recording
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


REQUEST_THREADS = 16


def limit_worker_threads(n: int) -> None:
    """At most ``n`` sync routes run at once (anyio's default is 40).

    Why fewer: on a few cores, 40 requests running Python at once only take turns at the
    GIL (a query stepping through its results waits for it at every row) and each thread
    keeps its own memory arena; requests beyond ``n`` wait their turn instead, and the
    server's thread count stays flat under any load.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = n


STAGE_ORDER = ("embed", "bm25", "dense", "fuse", "graph", "answer")


def server_timing(timings: dict[str, float], total_ms: float) -> str:
    """The ``Server-Timing`` value: each stage run (known stages first), then ``total``.
    Stages may nest (``answer`` holds the searches and graph queries of /ask)."""
    names = [n for n in STAGE_ORDER if n in timings] + sorted(set(timings) - set(STAGE_ORDER))
    parts = [f"{name};dur={timings[name]:.1f}" for name in names]
    return ", ".join([*parts, f"total;dur={total_ms:.1f}"])


class ServerTimingMiddleware:
    """Record each request's stages (``search_api.timing``) and report them in a
    ``Server-Timing`` header, so anyone can see where a slow answer spent its time."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        with recording() as timings:

            async def timed_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    total_ms = (time.perf_counter() - started) * 1000.0
                    headers = MutableHeaders(scope=message)
                    headers.append("Server-Timing", server_timing(dict(timings), total_ms))
                await send(message)

            await self.app(scope, receive, timed_send)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service over ``settings.home``: API routers, SPARQL endpoint, web page.
    Without ``settings``, they come from the environment (``Settings.from_env``)."""
    settings = settings or Settings.from_env()
    workspace = Workspace.from_settings(settings)
    job_manager = JobManager(workspace)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        limit_worker_threads(REQUEST_THREADS)
        run_blas_single_threaded()  # idle BLAS workers spin: ~50 ms of a core per search
        limit_malloc_arenas()  # before the request and job threads allocate
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
    app.add_middleware(ServerTimingMiddleware)  # outermost: its total covers the rest
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
