"""Questions the API, CLI and QA ask the graph, as SPARQL answered with plain dicts that
keep their provenance (citing document, passage id, span, quote).

Public API: citations (``cited_by``, ``citations_of``, ``most_cited``, ``legal_document``,
``conflicts``, ``documents``, ``neighbours``) and entities (``agencies``, ``projects``,
``budgets``, ``targets``, ``agency_responsibilities``).
"""

from graph.queries.citations import (
    canonical_number,
    citations_of,
    cited_by,
    conflicts,
    documents,
    legal_document,
    most_cited,
    neighbours,
)
from graph.queries.entities import agencies, agency_responsibilities, budgets, projects, targets

__all__ = [
    "agencies",
    "agency_responsibilities",
    "budgets",
    "canonical_number",
    "citations_of",
    "cited_by",
    "conflicts",
    "documents",
    "legal_document",
    "most_cited",
    "neighbours",
    "projects",
    "targets",
]
