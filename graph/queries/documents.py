"""Document questions the API and CLI ask the graph: the ingested documents (filtered by
province, year, type) and a node's neighbourhood for the graph explorer."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.queries.terms import clean_row, plain_value, prefixed_name, sparql_iri, sparql_literal
from graph.store import GraphStore
from ontology.namespaces import PREFIXES, SPARQL_PREFIXES


def documents(
    store: GraphStore,
    province: str | None = None,
    year: str | int | None = None,
    doc_type: str | None = None,
) -> list[dict[str, Any]]:
    """Ingested documents (and attached plans), filtered by province, year and type label."""
    filters = []
    if province:
        filters.append(f"FILTER(LCASE(STR(?prov)) = LCASE({sparql_literal(province)}))")
    if year:
        filters.append(f"FILTER(SUBSTR(STR(?date), 1, 4) = {sparql_literal(str(year))})")
    if doc_type:
        filters.append(f"FILTER(LCASE(STR(?type)) = LCASE({sparql_literal(doc_type)}))")
    rows = store.select(f"""
SELECT ?d ?docid ?num ?title ?date ?type ?prov ?file ?plan WHERE {{
  ?d cancu:sourceFile ?file ; cancu:docId ?docid .
  OPTIONAL {{ ?d eli:id_local ?num }} OPTIONAL {{ ?d eli:title ?title }} OPTIONAL {{ ?d eli:date_document ?date }}
  OPTIONAL {{ ?d eli:type_document/skos:prefLabel ?type }} OPTIONAL {{ ?d cancu:province/rdfs:label ?prov }}
  BIND(EXISTS {{ ?d a cancu:Plan }} AS ?plan)
  {" ".join(filters)}
}} ORDER BY ?docid ?d""")
    out: dict[str, dict[str, Any]] = {}  # the union repeats triples stated in several graphs
    for r in rows:
        out.setdefault(
            r["d"],
            clean_row(
                {
                    "uri": r["d"],
                    "doc_id": r["docid"],
                    "number": r.get("num"),
                    "title": r.get("title"),
                    "date": r.get("date"),
                    "doc_type": r.get("type"),
                    "province": r.get("prov"),
                    "source": r["file"],
                    "is_plan": r.get("plan", False),
                }
            ),
        )
    return list(out.values())


def neighbours(store: GraphStore, uri: str, limit: int = 50) -> dict[str, Any]:
    """A node's literal attributes and its linked nodes (both directions), for a graph explorer."""
    node = sparql_iri(uri)
    label_q = "OPTIONAL { ?o rdfs:label|skos:prefLabel|eli:id_local ?olabel }"
    res = store.query(
        SPARQL_PREFIXES
        + f"SELECT ?p ?o ?olabel WHERE {{ {node} ?p ?o . {label_q} }} ORDER BY ?p ?o"
    )
    out_rows = [
        {**row, "_iri": b["o"]["type"] == "uri"}
        for row, b in zip(res.rows, res.bindings, strict=True)
    ]
    in_rows = store.select(f"""SELECT ?s ?p ?olabel WHERE {{ ?s ?p {node} .
  OPTIONAL {{ ?s rdfs:label|skos:prefLabel|eli:id_local ?olabel }} }} ORDER BY ?p ?s LIMIT {int(limit) * 4}""")
    types = store.select(f"SELECT DISTINCT ?s ?t WHERE {{ VALUES ?s {{ {node} }} ?s a ?t }}")
    attributes: dict[str, list[Any]] = defaultdict(list)
    nodes: dict[str, dict[str, Any]] = {
        uri: {"id": uri, "label": None, "types": sorted(prefixed_name(t["t"]) for t in types)}
    }
    edges: list[dict[str, str]] = []
    seen_edges: set[tuple[str, str, str]] = set()

    def link(source: str, pred: str, target: str, other: str, label: Any) -> None:
        key = (source, pred, target)
        if key in seen_edges or len(edges) >= limit:
            return
        seen_edges.add(key)
        nodes.setdefault(other, {"id": other, "label": label, "types": []})
        edges.append(
            {"source": source, "target": target, "predicate": pred, "label": prefixed_name(pred)}
        )

    for r in out_rows:
        obj = r["o"]
        if r["_iri"] and r["p"] != PREFIXES["rdf"] + "type":
            link(uri, r["p"], obj, obj, r.get("olabel"))
        elif (
            r["p"] != PREFIXES["rdf"] + "type"
            and plain_value(obj) not in attributes[prefixed_name(r["p"])]
        ):
            attributes[prefixed_name(r["p"])].append(plain_value(obj))
    for r in in_rows:
        link(r["s"], r["p"], uri, r["s"], r.get("olabel"))
    for key in ("rdfs:label", "skos:prefLabel", "eli:title", "eli:id_local"):
        if attributes.get(key):
            nodes[uri]["label"] = attributes[key][0]
            break
    return {
        "center": uri,
        "nodes": list(nodes.values()),
        "edges": edges,
        "attributes": dict(attributes),
        "truncated": len(edges) >= limit,
    }
