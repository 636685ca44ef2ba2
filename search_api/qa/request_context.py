"""One question's view of a ``QAContext``: each search run once, graph reads timed.

Why: answering a question may ask for the same passages more than once (the lead-agency
answer searches the question, and when it finds no lead the passage answer searches it
again; a province filter relaxed asks a second time), and under load every search costs
a query embedding and a ranking. Within one question the index is one snapshot for all
practical purposes, so a repeated search is answered from memory. Graph reads are timed
as the ``graph`` stage of the request (``search_api.timing``, the ``Server-Timing``
header).
"""

from __future__ import annotations

from dataclasses import astuple
from typing import TYPE_CHECKING, Any, cast

from search_api.timing import stage

if TYPE_CHECKING:
    from graph.store import GraphStore
    from ingest.model import Document
    from search_api.qa.context import QAContext
    from search_api.retrieval.filters import SearchFilters
    from search_api.retrieval.idf import IdfFn
    from search_api.retrieval.index import SearchHit


class TimedGraph:
    """A graph store whose reads count as the request's ``graph`` stage."""

    def __init__(self, store: GraphStore) -> None:
        self._store = store

    def select(self, sparql: str, **limits: Any) -> list[dict[str, Any]]:
        with stage("graph"):
            return self._store.select(sparql, **limits)

    def query(self, sparql: str, **limits: Any) -> Any:
        with stage("graph"):
            return self._store.query(sparql, **limits)

    def document_ids(self) -> list[str]:
        with stage("graph"):
            return self._store.document_ids()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


SearchKey = tuple[str, int, str, "tuple[Any, ...] | None", int]


class QuestionContext:
    """``context`` for one question: searches memoised, graph reads timed (module doc)."""

    def __init__(self, context: QAContext) -> None:
        self._context = context
        self._graph: GraphStore | None = None
        self._searches: dict[SearchKey, list[SearchHit]] = {}
        self._idf: tuple[IdfFn | None] | None = None
        self.searches_run = 0

    @property
    def graph(self) -> GraphStore:
        if self._graph is None:
            # Duck-typed: the graph queries call select/query/document_ids only.
            self._graph = cast("GraphStore", TimedGraph(self._context.graph))
        return self._graph

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        filters: SearchFilters | None = None,
        offset: int = 0,
    ) -> list[SearchHit]:
        key: SearchKey = (query, k, mode, astuple(filters) if filters else None, offset)
        if key not in self._searches:
            self.searches_run += 1
            self._searches[key] = list(
                self._context.search(query, k=k, mode=mode, filters=filters, offset=offset)
            )
        return list(self._searches[key])

    def document(self, doc_id: str) -> Document | None:
        return self._context.document(doc_id)

    def term_idf(self) -> IdfFn | None:
        if self._idf is None:
            self._idf = (self._context.term_idf(),)
        return self._idf[0]
