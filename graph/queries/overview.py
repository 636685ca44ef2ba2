"""The overview's figures across all plans, each one SPARQL query answered as plain rows:
the most-cited legal documents split by how plans cite them (legal basis or mention),
citations by year of the citing plan, and one indicator group across provinces.
Budget totals are ``graph.queries.budgets``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graph.queries.entities import targets
from graph.queries.terms import plain_value
from graph.store import GraphStore

__all__ = [
    "citations_by_year",
    "indicator_across_provinces",
    "indicator_groups",
    "most_cited_by_use",
]


def most_cited_by_use(store: GraphStore, limit: int = 15) -> list[dict[str, Any]]:
    """Legal documents cited by most plans; ``basis``: plans citing it in their legal basis,
    ``mention``: plans that only mention it (a plan counts once, as basis if it is one)."""
    rows = store.select(f"""
SELECT ?x (COUNT(DISTINCT ?citing) AS ?n) (COUNT(DISTINCT ?basisCiting) AS ?b)
       (SAMPLE(?num) AS ?number) (SAMPLE(?t) AS ?title) WHERE {{
  ?rec a cancu:Citation ; cancu:citedDocument ?x ; cancu:citingDocument ?citing .
  # IF with the unbound ?none leaves ?basisCiting unbound for a mention.
  OPTIONAL {{ ?rec cancu:inBasis ?inBasis }}
  BIND(IF(COALESCE(?inBasis, false), ?citing, ?none) AS ?basisCiting)
  OPTIONAL {{ ?x eli:id_local ?num }} OPTIONAL {{ ?x eli:title ?t }}
}} GROUP BY ?x ORDER BY DESC(?n) DESC(?b) ?x LIMIT {int(limit)}""")
    return [
        {
            "uri": r["x"],
            "number": r.get("number"),
            "title": r.get("title"),
            "cited_by": int(r["n"]),
            "basis": int(r["b"]),
            "mention": int(r["n"]) - int(r["b"]),
        }
        for r in rows
    ]


def citations_by_year(store: GraphStore) -> list[dict[str, Any]]:
    """Citations (one per citing plan and cited document) by the year of the citing plan,
    split into legal basis and mention; plans without a date are left out."""
    rows = store.select("""
SELECT ?year (COUNT(DISTINCT ?rec) AS ?n) (COUNT(DISTINCT ?basisRec) AS ?b)
       (COUNT(DISTINCT ?citing) AS ?plans) WHERE {
  ?rec a cancu:Citation ; cancu:citingDocument ?citing .
  ?citing eli:date_document ?date .
  BIND(STR(YEAR(?date)) AS ?year)
  OPTIONAL { ?rec cancu:inBasis ?inBasis }
  BIND(IF(COALESCE(?inBasis, false), ?rec, ?none) AS ?basisRec)
} GROUP BY ?year ORDER BY ?year""")
    return [
        {
            "year": str(r["year"]),
            "citations": int(r["n"]),
            "basis": int(r["b"]),
            "mention": int(r["n"]) - int(r["b"]),
            "plans": int(r["plans"]),
        }
        for r in rows
    ]


def indicator_groups(store: GraphStore) -> list[dict[str, Any]]:
    """Indicator groups with how many provinces and targets they have, widest first; the
    label is one of its targets' (an indicator node carries only its key)."""
    rows = store.select("""
SELECT ?group (COUNT(DISTINCT ?t) AS ?n) (COUNT(DISTINCT ?prov) AS ?p) (MIN(?l) AS ?label) WHERE {
  ?t a cancu:Target ; cancu:indicator ?i ; cancu:plan ?plan ; rdfs:label ?l . ?i skos:notation ?group .
  OPTIONAL { ?plan cancu:province ?prov }
} GROUP BY ?group ORDER BY DESC(?p) DESC(?n) ?group""")
    return [
        {
            "group": r["group"],
            "label": plain_value(r.get("label")),
            "provinces": int(r["p"]),
            "targets": int(r["n"]),
        }
        for r in rows
    ]


def indicator_across_provinces(store: GraphStore, group: str | None = None) -> dict[str, Any]:
    """The targets of one indicator group (``group``, or the one most provinces share) by
    province and target year, with ``unit``: the unit most of its goals are stated in, so
    that a chart compares like with like (the rows keep every unit)."""
    groups = indicator_groups(store)
    chosen = group or (groups[0]["group"] if groups else None)
    items = (
        sorted(
            targets(store, indicator_group=chosen),
            key=lambda t: (t.get("province") or "", str(t.get("year_or_period") or "")),
        )
        if chosen
        else []
    )
    units = Counter(t.get("unit") for t in items if t.get("kind") == "goal" and t.get("unit"))
    return {
        "group": chosen,
        "unit": units.most_common(1)[0][0] if units else None,
        "groups": groups,
        "items": items,
    }
