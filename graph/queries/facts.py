"""Facts question answering reads with their spans: document headers, the mentions of a
project or target, and the lead agencies stated inside a span of one document.

Why here: every fact carries a Web Annotation (passage, ``oa:TextPositionSelector``
start/end, ``oa:TextQuoteSelector`` quote) in the named graph of the document it was read
from, so an answer can cite the exact span from the graph alone, without the stored
extraction JSON.
"""

from __future__ import annotations

from typing import Any

from graph.queries.terms import plain_value, sparql_iri
from graph.store import GraphStore
from ontology import uris

__all__ = ["document_headers", "fact_mentions", "lead_facts"]

HEADER_FIELDS = ("number", "date", "signer")


def _graph_iri(doc_id: str) -> str:
    return sparql_iri(uris.named_graph_uri(doc_id))


def document_headers(store: GraphStore, doc_id: str | None = None) -> list[dict[str, Any]]:
    """Header facts of ingested documents and their attached plans, ordered by doc id.

    One dict per document node: ``uri``, ``doc_id``, ``attached_plan`` (the plan a decision
    approves), ``number``, ``doc_type``, ``date``, ``province``, ``issuer``, ``signer``,
    ``period`` and ``spans`` ({"number": (start, end), ...}, the header spans read).
    """
    scope = f"BIND({_graph_iri(doc_id)} AS ?g)" if doc_id else ""
    rows = store.select(f"""
SELECT ?g ?docid ?d ?plan ?num ?type ?date ?prov ?issuer ?signer ?period WHERE {{
  {scope}
  GRAPH ?g {{
    ?g cancu:docId ?docid . ?d cancu:docId ?docid ; cancu:sourceFile ?file .
    BIND(EXISTS {{ ?x cancu:approves ?d }} AS ?plan)
    OPTIONAL {{ ?d eli:id_local ?num }} OPTIONAL {{ ?d eli:type_document/skos:prefLabel ?type }}
    OPTIONAL {{ ?d eli:date_document ?date }} OPTIONAL {{ ?d cancu:province/rdfs:label ?prov }}
    OPTIONAL {{ ?d eli:passed_by/skos:prefLabel ?issuer }} OPTIONAL {{ ?d cancu:signer ?signer }}
    OPTIONAL {{ ?d cancu:period ?period }}
  }}
}} ORDER BY ?docid ?plan ?d ?num ?type ?date ?prov ?issuer ?signer ?period""")
    found: dict[str, dict[str, Any]] = {}
    for r in rows:
        entry = found.setdefault(
            r["d"],
            {
                "uri": r["d"],
                "doc_id": r["docid"],
                "attached_plan": bool(r.get("plan")),
                "spans": {},
            },
        )
        for key, var in (
            ("number", "num"),
            ("doc_type", "type"),
            ("date", "date"),
            ("province", "prov"),
            ("issuer", "issuer"),
            ("signer", "signer"),
            ("period", "period"),
        ):
            if entry.get(key) is None:
                entry[key] = plain_value(r.get(var))
    spans = store.select(f"""
SELECT ?d ?field ?start ?end WHERE {{
  {scope}
  GRAPH ?g {{
    ?g cancu:docId ?docid . ?d cancu:docId ?docid .
    ?ann oa:hasBody ?d ; cancu:field ?field ; oa:hasTarget/oa:hasSelector ?ps .
    ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  }}
}} ORDER BY ?d ?field ?start""")
    for r in spans:
        header = found.get(r["d"])
        if header is not None:
            header["spans"].setdefault(str(r["field"]), (int(r["start"]), int(r["end"])))
    return list(found.values())


def fact_mentions(store: GraphStore, fact_uris: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The spans where each fact (project, target ...) is stated: fact URI -> mentions
    (``doc_id``, ``passage_id``, ``start``, ``end``, ``quote``) in text order."""
    if not fact_uris:
        return {}
    values = " ".join(sparql_iri(u) for u in sorted(set(fact_uris)))
    rows = store.select(f"""
SELECT ?body ?docid ?pid ?start ?end ?exact WHERE {{
  VALUES ?body {{ {values} }}
  GRAPH ?g {{
    ?g cancu:docId ?docid .
    ?ann oa:hasBody ?body ; oa:hasTarget ?t . FILTER NOT EXISTS {{ ?ann cancu:field ?f }}
    ?t oa:hasSelector ?ps . ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
    OPTIONAL {{ ?t oa:hasSelector ?qs . ?qs oa:exact ?exact }}
    OPTIONAL {{ ?t oa:hasSource ?p . ?p cancu:passageId ?pid }}
  }}
}} ORDER BY ?body ?docid ?start ?end""")
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        mentions = out.setdefault(r["body"], [])
        mention = {
            "doc_id": r["docid"],
            "passage_id": r.get("pid"),
            "start": int(r["start"]),
            "end": int(r["end"]),
            "quote": r.get("exact"),
        }
        if mention not in mentions:
            mentions.append(mention)
    return out


def lead_facts(store: GraphStore, doc_id: str, start: int, end: int) -> list[dict[str, Any]]:
    """Lead agencies a document states inside ``[start, end)``: "lead" responsibilities
    (``fact`` "responsibility", ``uri`` the agency) and projects with a lead agency
    (``fact`` "project", ``uri`` the project, its first mention in the span), each with
    the ``name`` of the agency and the ``start``/``end`` of the statement. Responsibilities
    come first, by the agency's first mention in the document, then projects in text order."""
    rows = store.select(f"""
SELECT ?kind ?body ?a ?name ?start ?end ?first WHERE {{
  GRAPH {_graph_iri(doc_id)} {{
    ?ann oa:hasBody ?body ; oa:hasTarget/oa:hasSelector ?ps .
    ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
    FILTER(?start < {int(end)} && {int(start)} < ?end)
    {{ ?body a cancu:Responsibility ; cancu:role "lead" ; cancu:agency ?a . BIND(0 AS ?kind) }}
    UNION {{ ?body a cancu:Project ; cancu:leadAgency ?a . BIND(1 AS ?kind) }}
    ?a skos:prefLabel ?name .
  }}
  OPTIONAL {{
    SELECT ?a (MIN(?ms) AS ?first) WHERE {{
      GRAPH {_graph_iri(doc_id)} {{
        ?a a org:Organization . ?m oa:hasBody ?a ; oa:hasTarget/oa:hasSelector/oa:start ?ms .
      }}
    }} GROUP BY ?a
  }}
}} ORDER BY ?kind (IF(?kind = 0, ?first, ?start)) ?a ?start ?end ?body""")
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, ...]] = set()
    for r in rows:
        is_project = int(r["kind"]) == 1
        # a project counts once (its first mention); a responsibility once per statement
        key = (r["body"],) if is_project else (r["body"], str(r["start"]), str(r["end"]))
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "name": r["name"],
                "uri": r["body"] if is_project else r["a"],
                "start": int(r["start"]),
                "end": int(r["end"]),
                "fact": "project" if is_project else "responsibility",
            }
        )
    return out
