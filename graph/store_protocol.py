"""What an RDF engine must do for ``GraphStore``: the small protocol both backends implement.

Why a protocol under one facade: every caller (``graph.queries``, the workspace, the API,
QA) holds a ``GraphStore`` and never asks which engine is behind it; what differs between
the embedded Oxigraph store (``graph.embedded_store``) and a SPARQL 1.1 server
(``graph.remote_store``) is only these few operations. Document rules (one named graph
per document, blank nodes refused, the guard before any untrusted query, the prefixes of
the library's own queries, export formats) live once, in ``graph.store``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from graph.sparql import QueryResult


class StoreBackend(Protocol):
    """One engine holding the dataset: named graphs, SPARQL Update, SPARQL queries."""

    @property
    def location(self) -> str:
        """Where the data is, for messages: a directory, "memory" or a URL (no credentials)."""
        ...

    def update(self, sparql_update: str) -> None:
        """Apply one SPARQL Update as one transaction: all of it or nothing.

        ``InvalidGraphError`` (the engine's reason) when the engine refuses the text.
        """
        ...

    def drop_graph(self, graph_uri: str) -> bool:
        """Remove one named graph; False when there was none."""
        ...

    def run_trusted(
        self, sparql: str, *, form: str, timeout_s: float, max_rows: int
    ) -> QueryResult:
        """The library's own query text (no guard), over the union of the named graphs."""
        ...

    def run_untrusted(self, sparql: str, *, timeout_s: float, max_rows: int) -> QueryResult:
        """Text from outside: checked by ``graph.sparql_guard`` first, then evaluated with
        its time limit and row cap; what the limits cut is flagged, never hidden."""
        ...

    def quads(self, graph_uri: str | None = None) -> Iterator[Any]:
        """Every quad (``pyoxigraph.Quad``) of one named graph, or of the whole dataset."""
        ...

    def quad_count(self) -> int: ...

    def dump(self, rdf_format: Any, prefixes: dict[str, str] | None) -> bytes:
        """The whole dataset in a quad format (``pyoxigraph.RdfFormat`` TriG or N-Quads)."""
        ...

    def flush(self) -> None: ...

    def close(self) -> None:
        """Release what the engine holds (a lock, connections); unusable afterwards."""
        ...
