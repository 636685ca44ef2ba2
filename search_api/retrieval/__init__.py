"""Passage retrieval: embedders chosen by name, embedding cache, dense (FAISS) and lexical
(BM25) indexes, hybrid fusion and filters.

Public API: ``SearchIndex``, ``SearchHit``, ``SearchFilters``, ``MODES``, ``get_embedder``.
"""

from search_api.retrieval.embedders import get_embedder
from search_api.retrieval.filters import SearchFilters
from search_api.retrieval.index import MODES, SearchHit, SearchIndex

__all__ = ["MODES", "SearchFilters", "SearchHit", "SearchIndex", "get_embedder"]
