"""Passage retrieval: embedders chosen by name, embedding cache, dense (FAISS) and lexical
(BM25) indexes, hybrid fusion, filters, and term IDF for highlighting.

Public API: ``SearchIndex``, ``SearchHit``, ``SearchFilters``, ``MODES`` (the search
modes), ``DEFAULT_EMBEDDER``, ``get_embedder``, ``IdfFn``, ``idf_from_term_lists``.
"""

from search_api.retrieval.embedders import DEFAULT_EMBEDDER, get_embedder
from search_api.retrieval.filters import SearchFilters
from search_api.retrieval.idf import IdfFn, idf_from_term_lists
from search_api.retrieval.index import MODES, SearchHit, SearchIndex

__all__ = [
    "DEFAULT_EMBEDDER",
    "MODES",
    "IdfFn",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "get_embedder",
    "idf_from_term_lists",
]
