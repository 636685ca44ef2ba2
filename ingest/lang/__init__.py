"""Vietnamese administrative language: pure functions and data tables, no document model.

Public API, one module per job (import the names from the module):
``numbers`` (document numbers in text and typed by users, ``canonical_number``,
``resolve_typed_number``), ``dates`` (the date grammar, ``parse_date``), ``doc_types``
(type phrases), ``issuers`` (issuer phrases and codes), ``folding`` (``fold_text``,
``fold_key``), ``provinces``, ``law_names`` (``LawNameTable``), ``agency_gazetteer``.
"""

__all__ = [
    "agency_gazetteer",
    "dates",
    "doc_types",
    "folding",
    "issuers",
    "law_names",
    "numbers",
    "provinces",
]
