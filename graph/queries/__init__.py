"""Questions the API, CLI and QA ask the graph, as SPARQL answered with plain dicts that
keep their provenance (citing document, passage id, span, quote).

Public API: numbers (``resolve_number``), citations (``cited_by``, ``citations_of``,
``most_cited``, ``legal_document``, ``conflicts``), documents (``documents``,
``neighbours``) and entities (``agencies``, ``projects``, ``budgets``, ``targets``,
``agency_responsibilities``), and the facts' stated spans for answers with evidence
(``document_headers``, ``fact_mentions``, ``lead_facts``), and validity
(``legal_status``, ``plans_citing_after_end``); the overview's figures
(``most_cited_by_use``, ``citations_by_year``, ``citations_by_cited_year``,
``budget_totals``, ``budget_checks``, ``indicator_across_provinces``,
``indicator_groups``), an agency's page (``agency_profile``, ``agency_uri_of_key``) and
find-by-name (``suggest``).
"""

from graph.queries.agency import agency_profile, agency_uri_of_key
from graph.queries.citations import (
    citations_of,
    cited_by,
    conflicts,
    legal_document,
    most_cited,
    resolve_number,
)
from graph.queries.documents import documents, neighbours
from graph.queries.entities import agencies, agency_responsibilities, budgets, projects, targets
from graph.queries.facts import document_headers, fact_mentions, lead_facts
from graph.queries.overview import (
    budget_checks,
    budget_totals,
    citations_by_cited_year,
    citations_by_year,
    indicator_across_provinces,
    indicator_groups,
    most_cited_by_use,
)
from graph.queries.status import legal_status, plans_citing_after_end
from graph.queries.suggest import suggest

__all__ = [
    "agencies",
    "agency_profile",
    "agency_responsibilities",
    "agency_uri_of_key",
    "budget_checks",
    "budget_totals",
    "budgets",
    "citations_by_cited_year",
    "citations_by_year",
    "citations_of",
    "cited_by",
    "conflicts",
    "document_headers",
    "documents",
    "fact_mentions",
    "indicator_across_provinces",
    "indicator_groups",
    "lead_facts",
    "legal_document",
    "legal_status",
    "most_cited",
    "most_cited_by_use",
    "neighbours",
    "plans_citing_after_end",
    "projects",
    "resolve_number",
    "suggest",
    "targets",
]
