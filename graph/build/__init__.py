"""Extraction -> triples of the document's named graph (ELI, ORG, PROV, Web Annotation).

Public API: ``extraction_to_graph``.
"""

from graph.build.document import extraction_to_graph

__all__ = ["extraction_to_graph"]
