"""Facts of a ``Document``: citations and legal basis, agencies, projects and budgets, targets.

Public API: ``extract(doc, laws) -> Extraction`` and ``extraction_to_json``; each kind of
fact on its own: ``extract_citations``, ``extract_agencies``, ``extract_projects``,
``extract_targets``; agency mentions in any text: ``find_mentions``; indicator groups:
``indicator_group``, ``group_label``.
"""

from ingest.extract.agencies import extract_agencies
from ingest.extract.agency_mentions import find_mentions
from ingest.extract.citations import extract_citations
from ingest.extract.extraction import extract, extraction_to_json
from ingest.extract.indicators import group_label, indicator_group
from ingest.extract.projects import extract_projects
from ingest.extract.targets import extract_targets

__all__ = [
    "extract",
    "extract_agencies",
    "extract_citations",
    "extract_projects",
    "extract_targets",
    "extraction_to_json",
    "find_mentions",
    "group_label",
    "indicator_group",
]
