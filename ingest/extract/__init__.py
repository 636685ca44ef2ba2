"""Facts of a ``Document``: citations and legal basis, agencies, projects and budgets, targets.

Public API: ``extract(doc, laws) -> Extraction`` and ``extraction_to_json``.
"""

from ingest.extract.extraction import extract, extraction_to_json

__all__ = ["extract", "extraction_to_json"]
