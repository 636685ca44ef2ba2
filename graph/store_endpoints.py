"""Where a SPARQL 1.1 server takes queries, updates and Graph Store Protocol requests.

Kept apart from ``graph.remote_store`` (which needs httpx and pyoxigraph) so settings can
be turned into endpoints cheaply. The password is never part of a ``repr`` or a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit, urlunsplit


def redact(url: str) -> str:
    """``url`` without user and password, for messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@dataclass(frozen=True, slots=True)
class StoreEndpoints:
    """Where a SPARQL server takes queries, updates and Graph Store Protocol requests."""

    name: str  # shown in messages: the URL the user gave, without credentials
    query: str
    update: str
    gsp: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    union_param: bool = False  # send Oxigraph's ``union-default-graph`` with each query

    @classmethod
    def for_url(
        cls,
        url: str,
        *,
        query: str | None = None,
        update: str | None = None,
        gsp: str | None = None,
        user: str | None = None,
        password: str | None = None,
    ) -> StoreEndpoints:
        """An Oxigraph server from its base URL alone (``/query``, ``/update``, ``/store``),
        or any server from its explicit query and update (and optional GSP) endpoints.

        A user and password written into a URL are taken out of it (kept only as the
        credentials, where none are given), so no endpoint shown anywhere carries them.
        """
        for given in (url, query, update, gsp):
            parts = urlsplit(given) if given else None
            if parts is not None and parts.username is not None and user is None:
                user, password = unquote(parts.username), unquote(parts.password or "")
        if query is None and update is None and gsp is None:
            base = redact(url).rstrip("/")
            query, update, gsp = f"{base}/query", f"{base}/update", f"{base}/store"
            return cls(redact(url), query, update, gsp, user, password, union_param=True)
        if query is None or update is None:
            raise ValueError("a SPARQL server needs both its query and its update endpoint")
        shown_gsp = redact(gsp) if gsp else None
        return cls(redact(url), redact(query), redact(update), shown_gsp, user, password)
