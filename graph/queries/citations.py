"""Citation questions the API and CLI ask the graph (who cites a number, what a document
cites, a legal document and its conflicts), as fast SPARQL on Oxigraph, answered as plain
dicts that keep their provenance (citing document, passage id, span, quote).

Why SPARQL rather than Python walks: the store may hold thousands of plans; Oxigraph
evaluates these joins natively, and each function stays a small readable query.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.queries.terms import (
    clean_row,
    plain_value,
    prefixed_name,
    sparql_iri,
    sparql_literal,
    values_block,
)
from graph.store import GraphStore
from ingest.lang.numbers import canonical_number, resolve_typed_number
from ontology import uris


def number_or_typed(number: str) -> str:
    """The canonical form of ``number``; a string that is not a document number (a law
    cited by name, a number of a shape the grammar does not know) is matched as typed,
    stripped, so that a lookup still finds what the graph stores verbatim."""
    return canonical_number(number) or number.strip()


def resolve_number(store: GraphStore, typed: str) -> list[str]:
    """The numbers (``eli:id_local`` of legal documents) the graph holds that a user's typed
    reference names: a number (damaged or not), its slug, its ELI path or URI, or a short
    form ("Nghị định 64"). Exact matches first; empty when the graph knows none."""
    rows = store.select(
        "SELECT DISTINCT ?n WHERE { ?x a eli:LegalResource ; eli:id_local ?n } ORDER BY ?n"
    )
    return resolve_typed_number(typed, [str(r["n"]) for r in rows])


# ------------------------------------------------------------------ citation records

_RECORD_SELECT = """
SELECT ?rec ?g ?docid ?citing ?cited ?inBasis ?sdate ?stype ?stitle ?snum WHERE {
  %s
  GRAPH ?g {
    ?rec a cancu:Citation ; cancu:citingDocument ?citing ; cancu:citedDocument ?cited .
    OPTIONAL { ?g cancu:docId ?docid }
    OPTIONAL { ?rec cancu:inBasis ?inBasis } OPTIONAL { ?rec cancu:statedDate ?sdate }
    OPTIONAL { ?rec cancu:statedType ?stype } OPTIONAL { ?rec cancu:statedTitle ?stitle }
    OPTIONAL { ?rec cancu:statedNumber ?snum }
  }
} ORDER BY ?citing ?cited ?rec
"""

# One branch per record, its graph and IRI written in: an OPTIONAL of the annotation
# pattern inside the record query made Oxigraph join every annotation of every graph
# first (80 to 90 ms per call on the shipped corpus); constants make each branch a few
# index lookups (1 to 4 ms), on any SPARQL 1.1 store.
_MENTION_BRANCH = """{
  GRAPH %s {
    ?ann oa:hasBody %s ; oa:hasTarget ?t . ?t oa:hasSource ?passage ; oa:hasSelector ?ps , ?qs .
    ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
    ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
    OPTIONAL { ?passage cancu:passageId ?pid }
  }
  BIND(%s AS ?rec)
}"""
_MENTION_BRANCHES_PER_QUERY = 64


def _mentions(store: GraphStore, bodies: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The passages (annotation, span, quote) that mention each (graph, body), in span
    order; the body's IRI is ``rec`` in each row."""
    rows: list[dict[str, Any]] = []
    for at in range(0, len(bodies), _MENTION_BRANCHES_PER_QUERY):
        batch = bodies[at : at + _MENTION_BRANCHES_PER_QUERY]
        branches = " UNION ".join(
            _MENTION_BRANCH % (sparql_iri(graph), sparql_iri(body), sparql_iri(body))
            for graph, body in batch
        )
        rows.extend(
            store.select(
                f"SELECT ?rec ?ann ?passage ?pid ?start ?end ?exact WHERE {{ {branches} }}"
            )
        )
    rows.sort(key=lambda r: (r["start"], r["end"], r["ann"]))
    return rows


def _records(store: GraphStore, where: str) -> list[dict[str, Any]]:
    """Citation records matching ``where`` with their mentions folded in."""
    out: dict[str, dict[str, Any]] = {}
    for r in store.select(_RECORD_SELECT % where):
        out.setdefault(
            r["rec"],
            {
                "record": r["rec"],
                "graph": r["g"],
                "doc_id": r.get("docid"),
                "citing": r["citing"],
                "cited": r["cited"],
                "in_basis": bool(r.get("inBasis", False)),
                "stated_number": r.get("snum"),
                "stated_date": plain_value(r.get("sdate")),
                "stated_type": r.get("stype"),
                "stated_title": r.get("stitle"),
                "mentions": [],
            },
        )
    for m in _mentions(store, [(r["graph"], r["record"]) for r in out.values()]):
        rec = out[m["rec"]]
        if m["ann"] not in {seen["annotation"] for seen in rec["mentions"]}:
            rec["mentions"].append(
                {
                    "annotation": m["ann"],
                    "passage": m["passage"],
                    "passage_id": m.get("pid"),
                    "start": m["start"],
                    "end": m["end"],
                    "quote": m["exact"],
                }
            )
    for rec in out.values():
        first = rec["mentions"][0] if rec["mentions"] else {}
        rec.update({k: first.get(k) for k in ("quote", "passage_id", "start", "end")})
    return list(out.values())


_DOC_INFO_PROPERTIES = (
    ("number", "eli:id_local"),
    ("title", "eli:title"),
    ("date", "eli:date_document"),
    ("doc_type", "eli:type_document/skos:prefLabel"),
    ("province", "cancu:province/rdfs:label"),
    ("doc_id", "cancu:docId"),
)


def _doc_info(store: GraphStore, nodes: list[str]) -> dict[str, dict[str, Any]]:
    """Number, title, date, type, province of documents (the first value by sort order).

    One UNION branch per property rather than a row of OPTIONALs: a document cited by
    many plans carries many stated titles and dates, and OPTIONALs joined in one row
    multiply them (seconds for one plan's citations); branches stay linear.
    """
    if not nodes:
        return {}
    values = " ".join(sparql_iri(n) for n in sorted(set(nodes)))
    branches = " UNION ".join(
        f'{{ ?d {path} ?v BIND("{key}" AS ?k) }}' for key, path in _DOC_INFO_PROPERTIES
    )
    rows = store.select(f"""
SELECT DISTINCT ?d ?k ?v WHERE {{
  VALUES ?d {{ {values} }}
  {branches}
}}""")
    found: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        found[r["d"]][r["k"]].append(plain_value(r["v"]))
    info: dict[str, dict[str, Any]] = {}
    for node, by_key in found.items():
        entry: dict[str, Any] = {"uri": node}
        for key, _ in _DOC_INFO_PROPERTIES:
            candidates = by_key.get(key)
            if candidates:
                entry[key] = min(candidates, key=str)
        info[node] = entry
    return info


def numbered_nodes(store: GraphStore, number: str) -> list[str]:
    """The graph nodes whose ``eli:id_local`` is ``number`` (canonical form, any case).

    Resolved in a query of its own: with the number's FILTER inside a citation query,
    Oxigraph joined every citation before filtering (about 90 ms for one number on the
    shipped corpus); resolved first and bound with ``values_block``, it is 1 ms."""
    rows = store.select(f"""
SELECT DISTINCT ?x WHERE {{
  ?x eli:id_local ?n . FILTER(LCASE(STR(?n)) = LCASE({sparql_literal(number_or_typed(number))}))
}} ORDER BY ?x""")
    return [r["x"] for r in rows]


def cited_by(store: GraphStore, number: str) -> list[dict[str, Any]]:
    """Every document citing ``number`` (any surface form), with basis flag, quote and span."""
    nodes = numbered_nodes(store, number)
    if not nodes:
        return []
    records = _records(store, values_block("cited", nodes))
    info = _doc_info(store, [r["citing"] for r in records])
    for r in records:
        r["citing_document"] = info.get(r["citing"], {})
    return records


def citations_of(store: GraphStore, doc_id_or_number: str) -> list[dict[str, Any]]:
    """What one document cites: by ingest id (its named graph) or by its number."""
    if doc_id_or_number in store.document_ids():
        where = f"BIND({sparql_iri(uris.named_graph_uri(doc_id_or_number))} AS ?g)"
    else:
        nodes = numbered_nodes(store, doc_id_or_number)
        if not nodes:
            return []
        where = values_block("citing", nodes)
    records = _records(store, where)
    info = _doc_info(store, [r["cited"] for r in records])
    for r in records:
        r["cited_document"] = info.get(r["cited"], {})
    return records


def most_cited(store: GraphStore, limit: int = 10) -> list[dict[str, Any]]:
    rows = store.select(f"""
SELECT ?x (COUNT(DISTINCT ?citing) AS ?n) (SAMPLE(?num) AS ?number) (SAMPLE(?t) AS ?title) WHERE {{
  ?rec a cancu:Citation ; cancu:citedDocument ?x ; cancu:citingDocument ?citing .
  OPTIONAL {{ ?x eli:id_local ?num }} OPTIONAL {{ ?x eli:title ?t }}
}} GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT {int(limit)}""")
    return [
        {"uri": r["x"], "number": r.get("number"), "title": r.get("title"), "cited_by": int(r["n"])}
        for r in rows
    ]


def _value_conflicts(records: list[dict[str, Any]], key: str) -> dict[str, list[str]]:
    """value -> citing documents; returned only when documents disagree."""
    by_value: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.get(key):
            by_value[str(r[key])].add(r["citing"])
    return {v: sorted(d) for v, d in sorted(by_value.items())} if len(by_value) > 1 else {}


def legal_document(store: GraphStore, number: str) -> dict[str, Any] | None:
    """Metadata of a (cited or ingested) legal document, its articles, and disagreements."""
    nodes = numbered_nodes(store, number)
    if not nodes:
        return None
    rows = store.select(f"""
SELECT DISTINCT ?x ?p ?o ?olabel WHERE {{
  {values_block("x", nodes)}
  ?x ?p ?o . OPTIONAL {{ ?o skos:prefLabel|rdfs:label ?olabel }}
}} ORDER BY ?x ?p ?o""")
    if not rows:
        return None
    nodes = sorted({r["x"] for r in rows})
    fields: dict[str, set[Any]] = defaultdict(set)
    names = {
        "eli:id_local": "number",
        "eli:title": "titles",
        "eli:date_document": "dates",
        "eli:type_document": "doc_types",
        "eli:passed_by": "issuers",
        "eli:in_force": "in_force",
        "cancu:status": "status",
        "eli:first_date_entry_in_force": "in_force_from",
        "eli:date_no_longer_in_force": "in_force_until",
        "cancu:docId": "doc_ids",
    }
    for r in rows:
        name = names.get(prefixed_name(r["p"]))
        if name:
            fields[name].add(plain_value(r.get("olabel") or r["o"]))
    records = cited_by(store, number)
    articles = store.select(f"""
SELECT ?a ?id ?label ?text WHERE {{
  VALUES ?x {{ {" ".join(sparql_iri(n) for n in nodes)} }}
  ?x eli:has_part ?a . ?a cancu:articleId ?id . OPTIONAL {{ ?a rdfs:label ?label }}
  OPTIONAL {{ ?a prov:wasDerivedFrom ?p . ?p cancu:text ?text }}
}} ORDER BY ?id""")
    return {
        "uris": nodes,
        **{k: sorted(v, key=str) for k, v in fields.items()},
        "cited_by": sorted({r["citing"] for r in records}),
        "citations": records,
        "articles": [
            clean_row(
                {
                    "uri": a["a"],
                    "article_id": a["id"],
                    "label": a.get("label"),
                    "text": a.get("text"),
                }
            )
            for a in articles
        ],
        "date_conflicts": _value_conflicts(records, "stated_date"),
        "type_conflicts": _value_conflicts(records, "stated_type"),
        "recorded_conflicts": recorded_conflicts(store, nodes),
    }


def conflicts(store: GraphStore) -> list[dict[str, Any]]:
    """Cited documents whose date/type differ across citing documents, and in-document conflicts."""
    rows = store.select("""
SELECT ?x ?num ?field ?value ?citing WHERE {
  { ?rec a cancu:Citation ; cancu:citedDocument ?x ; cancu:citingDocument ?citing ; cancu:statedDate ?value . BIND("date" AS ?field) }
  UNION
  { ?rec a cancu:Citation ; cancu:citedDocument ?x ; cancu:citingDocument ?citing ; cancu:statedType ?value . BIND("doc_type" AS ?field) }
  OPTIONAL { ?x eli:id_local ?num }
}""")
    grouped: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    numbers: dict[str, str] = {}
    for r in rows:
        grouped[(r["x"], r["field"])][str(plain_value(r["value"]))].add(r["citing"])
        if r.get("num"):
            numbers[r["x"]] = r["num"]
    out = [
        {
            "kind": "across-documents",
            "cited": x,
            "number": numbers.get(x),
            "field": f,
            "values": {v: sorted(d) for v, d in sorted(vals.items())},
        }
        for (x, f), vals in sorted(grouped.items())
        if len(vals) > 1
    ]
    return out + recorded_conflicts(store)


def recorded_conflicts(store: GraphStore, cited: list[str] | None = None) -> list[dict[str, Any]]:
    """Conflicts a document states about what it cites (all, or those about ``cited``):
    a legal page asks for its own only, never for every conflict of the graph."""
    if cited is not None and not cited:
        return []
    restrict = values_block("x", cited) if cited is not None else ""
    rows = store.select(f"""
SELECT ?c ?g ?x ?num ?field ?value ?doc WHERE {{
  {restrict}
  GRAPH ?g {{ ?c cancu:conflictOf ?rec ; cancu:citedDocument ?x ; cancu:field ?field ;
              cancu:conflictingValue ?value ; cancu:inDocument ?doc . }}
  OPTIONAL {{ ?x eli:id_local ?num }}
}} ORDER BY ?x ?c""")
    first: dict[str, dict[str, Any]] = {}
    for m in _mentions(store, sorted({(r["g"], r["c"]) for r in rows})):
        first.setdefault(m["rec"], m)  # the first mention in span order, as a quote
    out: list[dict[str, Any]] = []
    for r in rows:
        mention = first.get(r["c"], {})
        out.append(
            {
                "kind": "within-document",
                "uri": r["c"],
                "cited": r["x"],
                "number": r.get("num"),
                "field": r["field"],
                "value": r["value"],
                "document": r["doc"],
                "quote": mention.get("exact"),
                "start": mention.get("start"),
            }
        )
    return out
