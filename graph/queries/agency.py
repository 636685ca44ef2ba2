"""One agency's page as plain dicts: its names, the plans that assign it tasks or
projects (with how many of each role), the projects it leads or joins with their
budgets, its tasks with the passage that states each, and its budget totals."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from graph.queries.terms import plain_value, sparql_iri
from graph.store import GraphStore
from ontology import uris

__all__ = ["agency_profile", "agency_uri_of_key"]

AGENCY_ROOT = f"{uris.BASE}/org/"


def agency_uri_of_key(key: str) -> str:
    """The agency URI behind a page key (``tuyen-quang/so-tai-chinh``: the URI's path
    after ``/org/``), the form a web address carries."""
    return AGENCY_ROOT + key.strip("/")


def _plan_row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "uri": r["plan"],
        "doc_id": r.get("doc"),
        "number": r.get("num"),
        "title": r.get("title"),
        "date": plain_value(r.get("date")),
        "province": r.get("planProv"),
    }


_PLAN_FIELDS = """
  OPTIONAL { ?plan cancu:docId ?doc } OPTIONAL { ?plan eli:id_local ?num }
  OPTIONAL { ?plan eli:title ?title } OPTIONAL { ?plan eli:date_document ?date }
  OPTIONAL { ?plan cancu:province/rdfs:label ?planProv }"""


def agency_profile(store: GraphStore, uri: str) -> dict[str, Any] | None:
    """The agency ``uri`` (None when the graph has no such agency): ``name``, ``level``,
    ``province``, ``aliases``; ``plans`` (each with ``lead``/``partner`` task counts and
    ``projects``), ``projects`` (role, budget, period, plan), ``responsibilities`` (role,
    task, document, passage) and ``budget`` (``lead_total_vnd_million``, ``by_year``)."""
    a = sparql_iri(uri)
    head = store.select(f"""
SELECT ?name ?level ?prov (GROUP_CONCAT(DISTINCT ?alt; SEPARATOR="|") AS ?alts) WHERE {{
  {a} a org:Organization ; skos:prefLabel ?name .
  OPTIONAL {{ {a} cancu:agencyLevel ?level }} OPTIONAL {{ {a} cancu:province/rdfs:label ?prov }}
  OPTIONAL {{ {a} skos:altLabel ?alt }}
}} GROUP BY ?name ?level ?prov""")
    if not head:
        return None
    tasks = store.select(f"""
SELECT DISTINCT ?r ?role ?task ?plan ?pid ?doc ?num ?title ?date ?planProv WHERE {{
  ?r a cancu:Responsibility ; cancu:agency {a} ; cancu:role ?role .
  OPTIONAL {{ ?r cancu:task ?task }}
  OPTIONAL {{ ?r prov:wasDerivedFrom ?passage . ?passage cancu:passageId ?pid }}
  OPTIONAL {{ ?r cancu:inDocument ?plan . {_PLAN_FIELDS} }}
}} ORDER BY ?plan ?role ?r""")
    projects = store.select(f"""
SELECT DISTINCT ?p ?name ?role ?budget ?period ?plan ?doc ?num ?title ?date ?planProv WHERE {{
  {{ ?p cancu:leadAgency {a} . BIND("lead" AS ?role) }}
  UNION {{ ?p cancu:partnerAgency {a} . BIND("partner" AS ?role) }}
  ?p a cancu:Project ; rdfs:label ?name ; cancu:plan ?plan .
  OPTIONAL {{ ?p cancu:budgetVndMillion ?budget }} OPTIONAL {{ ?p cancu:period ?period }}
  {_PLAN_FIELDS}
}} ORDER BY DESC(?budget) ?p ?role""")
    years = store.select(f"""
SELECT ?year (SUM(?b) AS ?total) (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  SELECT DISTINCT ?p ?line ?b ?year WHERE {{
    ?p cancu:leadAgency {a} ; cancu:budgetLine ?line .
    ?line cancu:budgetYear ?year ; cancu:budgetVndMillion ?b }} }}
GROUP BY ?year ORDER BY ?year""")
    plans: dict[str, dict[str, Any]] = {}
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in tasks:
        if r.get("plan"):
            plans.setdefault(r["plan"], _plan_row(r))
            counts[r["plan"]][str(r["role"])] += 1
    lead_total = Decimal(0)
    for r in projects:
        plans.setdefault(r["plan"], _plan_row(r))
        counts[r["plan"]]["projects"] += 1
        if r["role"] == "lead" and r.get("budget") is not None:
            lead_total += Decimal(str(r["budget"]))
    first = head[0]
    return {
        "uri": uri,
        "name": first["name"],
        "level": first.get("level"),
        "province": first.get("prov"),
        "aliases": sorted(filter(None, str(first.get("alts") or "").split("|"))),
        "plans": [
            {
                **plan,
                "lead": counts[key]["lead"],
                "partner": counts[key]["partner"],
                "projects": counts[key]["projects"],
            }
            for key, plan in sorted(plans.items(), key=lambda kv: str(kv[1]["date"] or ""))
        ],
        "projects": [
            {
                "uri": r["p"],
                "name": r["name"],
                "role": r["role"],
                "budget_vnd_million": plain_value(r.get("budget")),
                "period": r.get("period"),
                "plan": r["plan"],
                "doc_id": r.get("doc"),
                "plan_number": r.get("num"),
            }
            for r in projects
        ],
        "responsibilities": [
            {
                "role": r["role"],
                "task": r.get("task"),
                "plan": r.get("plan"),
                "doc_id": r.get("doc"),
                "passage_id": r.get("pid"),
            }
            for r in tasks
        ],
        "budget": {
            "lead_total_vnd_million": plain_value(lead_total),
            "lead_projects": sum(1 for r in projects if r["role"] == "lead"),
            "by_year": [
                {
                    "year": r["year"],
                    "total_vnd_million": plain_value(r["total"]),
                    "projects": int(r["n"]),
                }
                for r in years
            ],
        },
    }
