"""Document questions the API and CLI ask the graph: the ingested documents (filtered by
province, year, type) and a node's neighbourhood for the graph explorer."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.queries.terms import (
    clean_row,
    plain_value,
    prefixed_name,
    sparql_iri,
    values_block,
)
from graph.store import GraphStore
from ontology.namespaces import PREFIXES, SPARQL_PREFIXES

# field -> property path; a field through another node (``via``) is read in two steps.
_DOCUMENT_FIELDS = (
    ("number", "eli:id_local"),
    ("title", "eli:title"),
    ("date", "eli:date_document"),
)
_DOCUMENT_FIELDS_VIA = (
    ("doc_type", "eli:type_document", "skos:prefLabel"),
    ("province", "cancu:province", "rdfs:label"),
)

_DOCUMENT_NODES = """
SELECT DISTINCT ?d ?docid ?file WHERE { ?d cancu:sourceFile ?file ; cancu:docId ?docid }"""

# The documents are resolved first and their fields read for them (bound with VALUES), a
# field through a type or province node in two steps: one query joining every field
# (OPTIONAL branches, property paths) built the whole store's titles, dates and types
# first, and a type's label stated by every graph met each document once per graph
# (5 s at ten times the shipped corpus). Constant branches per document (as for the
# mentions in citations.py) were ten times slower than VALUES here: seven per document.
_FIELD_BRANCHES = " UNION ".join(
    [
        *(f'{{ ?d {path} ?v BIND("{key}" AS ?k) }}' for key, path in _DOCUMENT_FIELDS),
        *(
            f'{{ ?d {path} ?v FILTER(isIRI(?v)) BIND("{key}" AS ?k) }}'
            for key, path, _ in _DOCUMENT_FIELDS_VIA
        ),
        '{ ?d a cancu:Plan BIND("is_plan" AS ?k) BIND(true AS ?v) }',
        # The title the document states in its own graph (the one holding its docId).
        '{ GRAPH ?own { ?d cancu:docId ?ownId ; eli:title ?v } BIND("own_title" AS ?k) }',
    ]
)
_NODES_PER_QUERY = 512


def _values_of(store: GraphStore, nodes: list[str], branches: str) -> list[dict[str, Any]]:
    """Distinct ``?d ?k ?v`` rows of ``branches`` for ``nodes`` (bound in batches)."""
    rows: list[dict[str, Any]] = []
    for at in range(0, len(nodes), _NODES_PER_QUERY):
        batch = values_block("d", nodes[at : at + _NODES_PER_QUERY])
        rows.extend(store.select(f"SELECT DISTINCT ?d ?k ?v WHERE {{ {batch} {branches} }}"))
    return rows


def _document_fields(store: GraphStore, nodes: list[str]) -> dict[str, dict[str, list[Any]]]:
    """node -> field -> every value the graph holds (``_DOCUMENT_FIELDS``, the labels of
    ``_DOCUMENT_FIELDS_VIA``, ``is_plan``, ``own_title``)."""
    values: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    via: dict[str, dict[str, set[str]]] = {
        key: defaultdict(set) for key, *_ in _DOCUMENT_FIELDS_VIA
    }
    for r in _values_of(store, nodes, _FIELD_BRANCHES):
        if r["k"] in via:
            via[r["k"]][r["v"]].add(r["d"])
        else:
            values[r["d"]][r["k"]].append(r["v"])
    for key, _, label in _DOCUMENT_FIELDS_VIA:
        middle = sorted(via[key])
        for r in _values_of(store, middle, f'{{ ?d {label} ?v BIND("{key}" AS ?k) }}'):
            for node in via[key][r["d"]]:
                values[node][key].append(r["v"])
    return values


def documents(
    store: GraphStore,
    province: str | None = None,
    year: str | int | None = None,
    doc_type: str | None = None,
) -> list[dict[str, Any]]:
    """Ingested documents (and attached plans), filtered by province, year and type label.

    The documents are resolved first (``cancu:sourceFile``), then their fields read
    (``_document_fields``). The title is the one the document states in its own graph;
    any other field with several values shows the first by sort order.
    """
    found: dict[str, dict[str, Any]] = {}
    for r in store.select(_DOCUMENT_NODES):
        found.setdefault(r["d"], {"uri": r["d"], "doc_ids": [], "files": []})
        found[r["d"]]["doc_ids"].append(r["docid"])
        found[r["d"]]["files"].append(r["file"])
    values = _document_fields(store, sorted(found))
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
