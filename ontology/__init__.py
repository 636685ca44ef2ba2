"""The cancu vocabulary: deterministic URIs (``ontology.uris``), namespaces and prefixes
(``ontology.namespaces``) and the Turtle files as graphs (``ontology.files``).

Modules are imported by name (``from ontology import uris``); this package re-exports nothing.
"""

__all__: list[str] = []
