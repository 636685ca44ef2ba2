"""Entity questions the API and CLI ask the graph: agencies, projects, budgets, targets and
agency responsibilities, as SPARQL on Oxigraph answered as plain dicts.
"""

from __future__ import annotations

from typing import Any, Literal

from graph.errors import QueryError
from graph.queries.terms import clean_row, plain_value, sparql_iri, sparql_literal
from graph.store import GraphStore
from ontology import uris

__all__ = [
    "agencies",
    "agency_responsibilities",
    "budgets",
    "projects",
    "targets",
]


def _label_matches(value: str | None, wanted: str | None) -> bool:
    """A row passes a label filter (province, level) that is unset or equal but for case."""
    return not wanted or (value or "").casefold() == wanted.casefold()


def agencies(
    store: GraphStore, province: str | None = None, level: str | None = None
) -> list[dict[str, Any]]:
    rows = store.select("""
SELECT ?a ?name ?level ?prov (GROUP_CONCAT(DISTINCT ?alt; SEPARATOR="|") AS ?alts) (COUNT(DISTINCT ?g) AS ?docs) WHERE {
  ?a a org:Organization ; skos:prefLabel ?name .
  OPTIONAL { ?a cancu:agencyLevel ?level } OPTIONAL { ?a cancu:province/rdfs:label ?prov }
  OPTIONAL { ?a skos:altLabel ?alt }
  OPTIONAL { GRAPH ?g { ?ann oa:hasBody ?a } }
} GROUP BY ?a ?name ?level ?prov ORDER BY ?name ?a""")
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if not _label_matches(r.get("prov"), province):
            continue
        if not _label_matches(r.get("level"), level):
            continue
        out.setdefault(
            r["a"],
            {
                "uri": r["a"],
                "name": r["name"],
                "level": r.get("level"),
                "province": r.get("prov"),
                "aliases": sorted(filter(None, (r.get("alts") or "").split("|"))),
                "documents": int(r["docs"]),
            },
        )
    return list(out.values())


def _agency_uris(store: GraphStore, agency: str) -> list[str]:
    """An agency given by URI, name or alias (case-insensitive)."""
    if agency.startswith(uris.BASE):
        return [agency]
    rows = store.select(f"""
SELECT DISTINCT ?a WHERE {{ ?a a org:Organization ; skos:prefLabel|skos:altLabel ?n .
  FILTER(LCASE(STR(?n)) = LCASE({sparql_literal(agency)})) }} ORDER BY ?a""")
    return [r["a"] for r in rows]


_PROJECT_SELECT = """
SELECT ?p ?name ?plan ?lead ?leadName ?budget ?period ?prov WHERE {
  ?p a cancu:Project ; rdfs:label ?name ; cancu:plan ?plan .
  OPTIONAL { ?p cancu:leadAgency ?lead . OPTIONAL { ?lead skos:prefLabel ?leadName } }
  OPTIONAL { ?p cancu:budgetVndMillion ?budget } OPTIONAL { ?p cancu:period ?period }
  OPTIONAL { ?plan cancu:province/rdfs:label ?prov }
  %s
} ORDER BY ?p"""


def projects(
    store: GraphStore, lead_agency: str | None = None, province: str | None = None
) -> list[dict[str, Any]]:
    where = ""
    if lead_agency:
        leads = _agency_uris(store, lead_agency)
        if not leads:
            return []
        # A required pattern: projects without a lead must not pass a lead filter.
        where = (
            "VALUES ?lead { "
            + " ".join(sparql_iri(u) for u in leads)
            + " } ?p cancu:leadAgency ?lead ."
        )
    out: dict[str, dict[str, Any]] = {}
    for r in store.select(_PROJECT_SELECT % where):
        if not _label_matches(r.get("prov"), province):
            continue
        out.setdefault(
            r["p"],
            clean_row(
                {
                    "uri": r["p"],
                    "name": r["name"],
                    "plan": r["plan"],
                    "lead_agency": r.get("lead"),
                    "lead_agency_name": r.get("leadName"),
                    "budget_vnd_million": r.get("budget"),
                    "period": r.get("period"),
                    "province": r.get("prov"),
                }
            ),
        )
    return list(out.values())


def budgets(
    store: GraphStore, by: Literal["province", "year", "source"] = "province"
) -> list[dict[str, Any]]:
    """Total budgets (million VND) by plan province, by year or by source of funds."""
    if by == "province":
        q = """SELECT ?key (SUM(?b) AS ?total) (COUNT(DISTINCT ?p) AS ?n) WHERE {
  SELECT DISTINCT ?p ?b ?key WHERE { ?p a cancu:Project ; cancu:budgetVndMillion ?b ; cancu:plan/cancu:province/rdfs:label ?key } }
GROUP BY ?key ORDER BY DESC(?total)"""
    elif by in ("year", "source"):
        prop = "cancu:budgetYear" if by == "year" else "cancu:budgetSource"
        q = f"""SELECT ?key (SUM(?b) AS ?total) (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  SELECT DISTINCT ?p ?line ?b ?key WHERE {{ ?p cancu:budgetLine ?line . ?line {prop} ?key ; cancu:budgetVndMillion ?b }} }}
GROUP BY ?key ORDER BY ?key"""
    else:
        raise QueryError(f"budgets by {by!r}: use province, year or source")
    return [
        {by: r["key"], "total_vnd_million": plain_value(r["total"]), "projects": int(r["n"])}
        for r in store.select(q)
    ]


def targets(
    store: GraphStore, indicator_group: str | None = None, province: str | None = None
) -> list[dict[str, Any]]:
    where = (
        f"FILTER(?i = {sparql_iri(uris.indicator_uri(indicator_group))})" if indicator_group else ""
    )
    rows = store.select(f"""
SELECT ?t ?label ?i ?group ?value ?unit ?period ?kind ?plan ?prov WHERE {{
  ?t a cancu:Target ; rdfs:label ?label ; cancu:indicator ?i ; cancu:plan ?plan ; cancu:targetKind ?kind .
  OPTIONAL {{ ?i skos:notation ?group }} OPTIONAL {{ ?t cancu:value ?value }} OPTIONAL {{ ?t cancu:unit ?unit }}
  OPTIONAL {{ ?t cancu:period ?period }} OPTIONAL {{ ?plan cancu:province/rdfs:label ?prov }}
  {where}
}} ORDER BY ?i ?plan ?t""")
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if not _label_matches(r.get("prov"), province):
            continue
        out.setdefault(
            r["t"],
            clean_row(
                {
                    "uri": r["t"],
                    "indicator": r["label"],
                    "indicator_uri": r["i"],
                    "indicator_group": r.get("group"),
                    "value": r.get("value"),
                    "unit": r.get("unit"),
                    "year_or_period": r.get("period"),
                    "kind": r["kind"],
                    "plan": r["plan"],
                    "province": r.get("prov"),
                }
            ),
        )
    return list(out.values())


def agency_responsibilities(store: GraphStore, agency: str) -> dict[str, Any]:
    """What an agency (URI, name or alias) is tasked with: roles with passages, projects it leads or joins."""
    nodes = _agency_uris(store, agency)
    if not nodes:
        return {"agency": agency, "uris": [], "responsibilities": [], "projects": []}
    values = " ".join(sparql_iri(u) for u in nodes)
    resp = store.select(f"""
SELECT ?r ?role ?task ?doc ?passage ?pid WHERE {{ VALUES ?a {{ {values} }}
  ?r a cancu:Responsibility ; cancu:agency ?a ; cancu:role ?role .
  OPTIONAL {{ ?r cancu:task ?task }} OPTIONAL {{ ?r cancu:inDocument ?doc }}
  OPTIONAL {{ ?r prov:wasDerivedFrom ?passage . OPTIONAL {{ ?passage cancu:passageId ?pid }} }}
}} ORDER BY ?doc ?role ?r""")
    proj = store.select(f"""
SELECT DISTINCT ?p ?name ?role ?plan WHERE {{ VALUES ?a {{ {values} }}
  {{ ?p cancu:leadAgency ?a . BIND("lead" AS ?role) }} UNION {{ ?p cancu:partnerAgency ?a . BIND("partner" AS ?role) }}
  ?p rdfs:label ?name ; cancu:plan ?plan .
}} ORDER BY ?p ?role""")
    return {
        "agency": agency,
        "uris": nodes,
        "responsibilities": [
            {
                "uri": r["r"],
                "role": r["role"],
                "task": r.get("task"),
                "document": r.get("doc"),
                "passage": r.get("passage"),
                "passage_id": r.get("pid"),
            }
            for r in resp
        ],
        "projects": [
            {"uri": r["p"], "name": r["name"], "role": r["role"], "plan": r["plan"]} for r in proj
        ],
    }
