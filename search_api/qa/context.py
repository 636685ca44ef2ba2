"""What question answering needs from a workspace, and nothing more.

Why a protocol: QA reads facts from the graph, passages from search and document text
to cut quotes; taking this narrow interface (``Workspace`` satisfies it) keeps QA free of
the workspace, its stores and its caches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from graph.store import GraphStore
    from ingest.model import Document
    from search_api.retrieval.filters import SearchFilters
    from search_api.retrieval.idf import IdfFn
    from search_api.retrieval.index import SearchHit


class QAContext(Protocol):
    """The graph, passage search, stored documents and the index's term IDF."""

    @property
    def graph(self) -> GraphStore: ...

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters | None = None,
        offset: int = 0,
    ) -> list[SearchHit]: ...

    def document(self, doc_id: str) -> Document | None: ...

    def term_idf(self) -> IdfFn | None: ...
