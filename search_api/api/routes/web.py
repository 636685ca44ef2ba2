"""The web page: ``/`` (index.html), ``/static/*`` (search_api/api/static/), the graph
library at ``/static/vendor/vis-network.min.js`` (from the installed ``pyvis`` package,
which ships vis-network inside its wheel), the chart library at
``/static/vendor/plotly.min.js`` and the OpenAPI page ``/docs`` with Swagger UI from the
installed ``swagger-ui-bundle-v2`` package: nothing is loaded from a CDN at run time, so
the page and the API docs work on machines without internet access.

The chart library is plotly.js's basic bundle (bar, scatter, pie: 1.2 MB, what the
overview draws), which ``make install`` puts in ``search_api/api/vendor/node_modules/``
with ``npm ci`` where npm is on PATH; without it, the full plotly.js (4.8 MB) shipped
inside the ``plotly`` wheel is served, so a plain ``pip install`` still draws the
charts. Either is sent gzip-compressed to clients that accept it, with an ETag.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from search_api.api.problems import Problem
from search_api.errors import MissingDependencyError

WEB_DIR = Path(__file__).resolve().parent.parent / "static"
VENDOR_DIR = Path(__file__).resolve().parent.parent / "vendor"
# Where `npm ci --prefix search_api/api/vendor` puts plotly.js-basic-dist-min.
BASIC_PLOTLY = Path("node_modules", "plotly.js-basic-dist-min", "plotly-basic.min.js")


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
def plotly_path() -> Path | None:
    """plotly.js as the installed ``plotly`` package ships it (``package_data/``), found
    without importing plotly."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).resolve().parent / "package_data" / "plotly.min.js"
    return path if path.exists() else None


def basic_plotly_path(vendor_dir: Path = VENDOR_DIR) -> Path | None:
    """plotly.js's basic bundle as ``npm ci`` installed it under ``vendor_dir``, if it did."""
    path = vendor_dir / BASIC_PLOTLY
    return path if path.is_file() else None


@dataclass(frozen=True)
class ScriptBundle:
    """A script read once: plain and gzip bytes and an ETag (its content hash), so it
    crosses the network once, compressed, and is revalidated cheaply."""

    path: Path
    plain: bytes
    packed: bytes
    etag: str


def chart_library(candidates: Iterable[Path | None]) -> ScriptBundle:
    """The first chart library found among ``candidates`` (smallest first), read.

    Raises MissingDependencyError (one line saying how to install either) when none is."""
    for path in candidates:
        if path is not None and path.is_file():
            data = path.read_bytes()
            tag = hashlib.sha256(data).hexdigest()[:32]
            return ScriptBundle(path, data, gzip.compress(data, compresslevel=6), tag)
    raise MissingDependencyError(
        "the chart library (plotly.js) is missing: run `npm ci --prefix search_api/api/vendor`"
        " or pip install plotly"
    )


@cache
def plotly_bundle() -> ScriptBundle:
    """The chart library served at /static/vendor/plotly.min.js: the basic bundle when
    npm installed it, else the full one from the ``plotly`` wheel."""
    return chart_library([basic_plotly_path(), plotly_path()])


def vendor_missing(what: str, package: str) -> Problem:
    return Problem(404, "Not found", f"{what} is missing: pip install {package}", slug="not-found")


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
            raise vendor_missing("the graph library", "pyvis")
        return FileResponse(
            path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"}
        )

    @router.get("/static/vendor/plotly.min.js")
    def plotly_js(request: Request) -> Response:
        bundle = plotly_bundle()
        tag = bundle.etag
        headers = {
            "Cache-Control": "public, max-age=86400",
            "ETag": f'"{tag}"',
            "Vary": "Accept-Encoding",
        }
        if request.headers.get("if-none-match") == f'"{tag}"':
            return Response(status_code=304, headers=headers)
        if "gzip" in request.headers.get("accept-encoding", ""):
            headers["Content-Encoding"] = "gzip"
            return Response(bundle.packed, media_type="text/javascript", headers=headers)
        return Response(bundle.plain, media_type="text/javascript", headers=headers)

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
