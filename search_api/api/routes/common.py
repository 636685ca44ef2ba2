"""What every router needs: the app's workspace and settings, the API key check and
pagination. Read from ``request.app.state`` so routers hold no state of their own."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from graph.store import GraphStore
from search_api.api.problems import Problem
from search_api.workspace import Workspace


# Async on purpose: they do no I/O, and a sync dependency would wait for a worker thread
# (under load, most of a request's time).
async def workspace(request: Request) -> Workspace:
    return request.app.state.workspace


async def store(request: Request) -> GraphStore:
    return request.app.state.workspace.graph


WorkspaceDep = Annotated[Workspace, Depends(workspace)]
StoreDep = Annotated[GraphStore, Depends(store)]


def require_api_key(request: Request) -> None:
    """Writes need ``X-API-Key`` equal to ``CANCU_API_KEY``; with no key set they are off."""
    expected = request.app.state.settings.api_key
    if not expected:
        raise Problem(
            403,
            "Forbidden",
            "uploads and deletions are disabled on this server: start it with CANCU_API_KEY set",
            slug="writes-disabled",
        )
    given = request.headers.get("x-api-key")
    if not given:
        raise Problem(
            401,
            "Unauthorized",
            "missing X-API-Key header",
            slug="unauthorized",
            headers={"WWW-Authenticate": 'APIKey header="X-API-Key"'},
        )
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Problem(403, "Forbidden", "wrong API key", slug="forbidden")


ApiKey = Depends(require_api_key)


class Page:
    """``limit``/``offset`` query parameters and the envelope every list route returns."""

    def __init__(
        self,
        request: Request,
        limit: Annotated[int, Query(ge=1, description="Items per page (max 200).")] = 50,
        offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
    ) -> None:
        cap = request.app.state.settings.max_page
        if limit > cap:
            raise Problem(
                422, "Invalid parameters", f"limit must be at most {cap}", slug="invalid-parameters"
            )
        self.limit = limit
        self.offset = offset

    def of(self, items: list[Any]) -> dict[str, Any]:
        return {
            "total": len(items),
            "offset": self.offset,
            "limit": self.limit,
            "items": items[self.offset : self.offset + self.limit],
        }


PageDep = Annotated[Page, Depends(Page)]


def example_response(
    example: Any, media_type: str = "application/json", description: str = "OK"
) -> dict[str, Any]:
    """An OpenAPI response entry with one example (every route documents one)."""
    return {"description": description, "content": {media_type: {"example": example}}}
