"""The web page: ``/`` (index.html), ``/static/*`` (search_api/web/), the graph library
at ``/static/vendor/vis-network.min.js`` (from the installed ``pyvis`` package, which
ships vis-network inside its wheel) and the OpenAPI page ``/docs`` with Swagger UI from
the installed ``swagger-ui-bundle-v2`` package: nothing is loaded from a CDN at run time,
so the page and the API docs work on machines without internet access.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from search_api.api.problems import Problem

WEB_DIR = Path(__file__).resolve().parent.parent / "static"


@cache
def vis_network_path() -> Path | None:
    """The newest vis-network bundled with pyvis (``pyvis/lib/vis-9.x/``), if installed."""
    try:
        import pyvis
    except ImportError:
        return None
    lib = Path(pyvis.__file__).resolve().parent / "lib"
    found = sorted(
        lib.glob("vis-*/vis-network.min.js"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.name[4:].split(".")],
    )
    return found[-1] if found else None


@cache
def swagger_ui_dir() -> Path | None:
    """Swagger UI 5 (OpenAPI 3.1) bundled by ``swagger-ui-bundle-v2``, if installed."""
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    path = Path(swagger_ui_bundle.swagger_ui_path)
    return path if (path / "swagger-ui-bundle.js").exists() else None


def mount(app: FastAPI) -> None:
    """Add the page routes; ``create_app`` builds FastAPI with ``docs_url=None``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8")

    @router.get("/static/vendor/vis-network.min.js")
    def vis_network() -> Response:
        path = vis_network_path()
        if path is None:
            raise Problem(
                404,
                "Not found",
                "the graph library is missing: pip install pyvis",
                slug="not-found",
            )
        return FileResponse(
            path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
        )

    swagger = swagger_ui_dir()

    @router.get("/docs")
    def docs() -> HTMLResponse:
        if swagger is None:  # still usable: FastAPI's default page (assets from its CDN)
            return get_swagger_ui_html(
                openapi_url=app.openapi_url or "/openapi.json", title="cancu API"
            )
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="cancu API",
            swagger_js_url="/static/vendor/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    app.include_router(router)
    if swagger is not None:
        app.mount("/static/vendor/swagger", StaticFiles(directory=swagger), name="swagger")
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
