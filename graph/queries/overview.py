"""The overview's figures across all plans, each one SPARQL query answered as plain rows:
the most-cited legal documents split by how plans cite them (legal basis or mention),
citations by year of the citing plan and by year of the cited document, budget totals by
province, lead agency or year with the budget tables' stated totals checked against their
rows (``budget_totals``), and one indicator group across provinces.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any, Literal

from graph.errors import QueryError
from graph.queries.entities import targets
from graph.queries.terms import plain_value
from graph.store import GraphStore

__all__ = [
    "BUDGET_GROUPS",
    "budget_checks",
    "budget_totals",
    "citations_by_cited_year",
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


def citations_by_cited_year(store: GraphStore) -> dict[str, Any]:
    """Citations (one per citing plan and cited document) by the year of the cited
    document (its earliest stated date), legal basis and mention apart, with the median
    age in years of what plans of each year cite (``ages``): who still cites what, and
    how old. Each year lists the cited documents' ``numbers``; ``undated``: citations of
    documents with no known date."""
    rows = store.select("""
SELECT ?rec ?x ?citing ?inBasis (MIN(?d) AS ?cited) (MIN(?pd) AS ?planDate)
       (SAMPLE(?n) AS ?num) WHERE {
  ?rec a cancu:Citation ; cancu:citedDocument ?x ; cancu:citingDocument ?citing .
  OPTIONAL { ?rec cancu:inBasis ?inBasis }
  OPTIONAL { ?x eli:date_document ?d } OPTIONAL { ?citing eli:date_document ?pd }
  OPTIONAL { ?x eli:id_local ?n }
} GROUP BY ?rec ?x ?citing ?inBasis""")
    by_year: dict[int, dict[str, Any]] = {}
    ages: dict[int, list[int]] = defaultdict(list)
    undated = 0
    for r in rows:
        cited = r.get("cited")
        if cited is None:
            undated += 1
            continue
        row = by_year.setdefault(
            cited.year, {"citations": 0, "basis": 0, "docs": set(), "plans": set()}
        )
        row["citations"] += 1
        row["basis"] += 1 if r.get("inBasis") else 0
        row["docs"].add(str(r.get("num") or r["x"]))
        row["plans"].add(r["citing"])
        if r.get("planDate") is not None:
            ages[r["planDate"].year].append(r["planDate"].year - cited.year)
    items = [
        {
            "year": str(year),
            "citations": row["citations"],
            "basis": row["basis"],
            "mention": row["citations"] - row["basis"],
            "documents": len(row["docs"]),
            "numbers": sorted(row["docs"]),
            "plans": len(row["plans"]),
        }
        for year, row in sorted(by_year.items())
    ]
    return {
        "items": items,
        "undated": undated,
        "ages": [
            {"plan_year": str(y), "median_age": _median(a), "citations": len(a)}
            for y, a in sorted(ages.items())
        ],
    }


def _median(values: list[int]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def budget_checks(store: GraphStore) -> list[dict[str, Any]]:
    """Every budget table total checked at ingest: the row's label, the total it states,
    the sum of the rows it covers, whether they disagree, and the plan it is in."""
    rows = store.select("""
SELECT ?c ?label ?stated ?computed ?mismatch ?plan ?doc ?num ?prov WHERE {
  ?c a cancu:BudgetCheck ; rdfs:label ?label ; cancu:stated ?stated ; cancu:computed ?computed .
  OPTIONAL { ?c cancu:mismatch ?mismatch }
  OPTIONAL { ?c cancu:inDocument ?plan . OPTIONAL { ?plan cancu:docId ?doc }
             OPTIONAL { ?plan eli:id_local ?num } OPTIONAL { ?plan cancu:province/rdfs:label ?prov } }
} ORDER BY ?plan ?c""")
    return [
        {
            "label": plain_value(r["label"]),
            "stated": plain_value(r["stated"]),
            "computed": plain_value(r["computed"]),
            "mismatch": bool(r.get("mismatch")),
            "plan": r.get("plan"),
            "doc_id": r.get("doc"),
            "number": r.get("num"),
            "province": r.get("prov"),
        }
        for r in rows
    ]


BUDGET_GROUPS = ("province", "agency", "year")

# One row per project (and budget line for years) with the key it is grouped by; totals
# are summed in Python so that each row also knows the plans behind it.
_BUDGET_ROWS = {
    "province": """
SELECT DISTINCT ?p ?b ?key ?plan WHERE {
  ?p a cancu:Project ; cancu:budgetVndMillion ?b ; cancu:plan ?plan .
  ?plan cancu:province/rdfs:label ?key }""",
    "agency": """
SELECT DISTINCT ?p ?b ?key ?plan ?name ?prov WHERE {
  ?p a cancu:Project ; cancu:budgetVndMillion ?b ; cancu:plan ?plan ; cancu:leadAgency ?key .
  OPTIONAL { ?key skos:prefLabel ?name } OPTIONAL { ?key cancu:province/rdfs:label ?prov } }""",
    "year": """
SELECT DISTINCT ?p ?line ?b ?key ?plan WHERE {
  ?p cancu:budgetLine ?line ; cancu:plan ?plan .
  ?line cancu:budgetYear ?key ; cancu:budgetVndMillion ?b }""",
}


def budget_totals(
    store: GraphStore, by: Literal["province", "agency", "year"] = "province"
) -> dict[str, Any]:
    """Project budgets (million VND) summed by plan province, lead agency or budget year
    (largest first, years in order), each row with the budget table totals of the plans
    behind it: ``checked`` (how many) and ``mismatches`` (those whose stated total
    disagrees with the sum of their rows). ``checks`` counts them over the whole corpus."""
    if by not in _BUDGET_ROWS:
        raise QueryError(f"budgets by {by!r}: use {', '.join(BUDGET_GROUPS)}")
    checks = budget_checks(store)
    checks_by_plan: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in checks:
        if c["plan"]:
            checks_by_plan[c["plan"]].append(c)
    groups: dict[str, dict[str, Any]] = {}
    for r in store.select(_BUDGET_ROWS[by]):
        g = groups.setdefault(
            str(r["key"]),
            {"total": Decimal(0), "projects": set(), "plans": set(), "row": r},
        )
        g["total"] += r["b"] if isinstance(r["b"], Decimal) else Decimal(str(r["b"]))
        g["projects"].add(r["p"])
        g["plans"].add(r["plan"])
    items = []
    for key, g in groups.items():
        behind = [c for plan in sorted(g["plans"]) for c in checks_by_plan.get(plan, [])]
        item: dict[str, Any] = {
            by: key,
            "total_vnd_million": plain_value(g["total"]),
            "projects": len(g["projects"]),
            "plans": len(g["plans"]),
            "checked": len(behind),
            "mismatches": [
                {k: c[k] for k in ("label", "stated", "computed", "doc_id", "number")}
                for c in behind
                if c["mismatch"]
            ],
        }
        if by == "agency":
            item.update(name=g["row"].get("name"), province=g["row"].get("prov"))
        items.append(item)
    items.sort(
        key=lambda i: (
            i[by] if by == "year" else (-i["total_vnd_million"], str(i.get("name") or i[by]))
        )
    )
    return {
        "by": by,
        "items": items,
        "checks": len(checks),
        "mismatched": sum(1 for c in checks if c["mismatch"]),
    }


def indicator_groups(store: GraphStore) -> list[dict[str, Any]]:
    """Indicator groups with how many provinces and targets they have, widest first; the
    label is one of its targets' (an indicator node carries only its key)."""
    # An indicator's notation is stated by every graph that uses it: joined as it is, each
    # target met it once per such graph (2.7 s at ten times the shipped corpus); the
    # distinct pairs first, and the counts (distinct) are the same.
    rows = store.select("""
SELECT ?group (COUNT(DISTINCT ?t) AS ?n) (COUNT(DISTINCT ?prov) AS ?p) (MIN(?l) AS ?label) WHERE {
  { SELECT DISTINCT ?i ?group WHERE { ?i skos:notation ?group } }
  ?t cancu:indicator ?i ; a cancu:Target ; cancu:plan ?plan ; rdfs:label ?l .
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
