"""Document questions the API and CLI ask the graph: the ingested documents (filtered by
province, year, type) and a node's neighbourhood for the graph explorer."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.queries.terms import clean_row, plain_value, prefixed_name, sparql_iri
from graph.store import GraphStore
from ontology.namespaces import PREFIXES, SPARQL_PREFIXES

_DOCUMENT_FIELDS = (
    ("number", "eli:id_local"),
    ("title", "eli:title"),
    ("date", "eli:date_document"),
    ("doc_type", "eli:type_document/skos:prefLabel"),
    ("province", "cancu:province/rdfs:label"),
)


def documents(
    store: GraphStore,
    province: str | None = None,
    year: str | int | None = None,
    doc_type: str | None = None,
) -> list[dict[str, Any]]:
    """Ingested documents (and attached plans), filtered by province, year and type label.

    One UNION branch per field rather than a row of OPTIONALs: a document other plans
    cite carries the titles and dates each of them states, and OPTIONALs joined in one
    row multiply them (seconds on the shipped corpus); branches stay linear. The title
    is the one the document states in its own graph; any other field with several
    values shows the first by sort order.
    """
    branches = " UNION ".join(
        f'{{ ?d {path} ?v BIND("{key}" AS ?k) }}' for key, path in _DOCUMENT_FIELDS
    )
    rows = store.select(f"""
SELECT DISTINCT ?d ?docid ?file ?k ?v WHERE {{
  ?d cancu:sourceFile ?file ; cancu:docId ?docid .
  OPTIONAL {{
    {branches}
    UNION {{ ?d a cancu:Plan BIND("is_plan" AS ?k) BIND(true AS ?v) }}
    UNION {{ GRAPH ?own {{ ?d cancu:docId ?docid ; eli:title ?v }} BIND("own_title" AS ?k) }}
  }}
}}""")
    found: dict[str, dict[str, Any]] = {}
    values: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        found.setdefault(r["d"], {"uri": r["d"], "doc_ids": [], "files": []})
        found[r["d"]]["doc_ids"].append(r["docid"])
        found[r["d"]]["files"].append(r["file"])
        if r.get("k"):
            values[r["d"]][r["k"]].append(r["v"])
    wanted = {
        "province": province.lower() if province else None,
        "doc_type": doc_type.lower() if doc_type else None,
    }
    out: list[dict[str, Any]] = []
    for node in sorted(found, key=lambda n: (min(found[n]["doc_ids"]), n)):
        fields = {key: min(vals, key=str) for key, vals in values[node].items()}
        if any(
            want is not None and want not in {str(v).lower() for v in values[node].get(key, [])}
            for key, want in wanted.items()
        ):
            continue
        if year and not any(str(v)[:4] == str(year) for v in values[node].get("date", [])):
            continue
        row = {
            "uri": node,
            "doc_id": min(found[node]["doc_ids"]),
            "number": fields.get("number"),
            "title": fields.get("own_title", fields.get("title")),
            "date": fields.get("date"),
            "doc_type": fields.get("doc_type"),
            "province": fields.get("province"),
            "source": min(found[node]["files"]),
            "is_plan": bool(fields.get("is_plan", False)),
        }
        out.append(clean_row(row))
    return out


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
