"""Validity questions: is a legal document in force, what replaced or amended it, and
which plans still cite it after it ended, from the status facts in the graph
(``graph.build.status``: ELI in-force terms, relations, ``prov:wasDerivedFrom`` sources).

Every answer keeps its sources: a fact the graph does not hold is ``None`` (unknown),
never guessed. ``in_force`` is read from the dates: ``not_in_force`` from the day
``eli:date_no_longer_in_force``, ``in_force`` while a source showed it in force
(``cancu:inForceCheckedOn``) or the stated ``eli:in_force``, else ``None``.
"""

from __future__ import annotations

from typing import Any

from graph.queries.citations import numbered_nodes
from graph.queries.terms import plain_value, values_block
from graph.store import GraphStore

RELATIONS = {
    "eli:repealed_by": "replaced_by",
    "eli:repeals": "replaces",
    "eli:amended_by": "amended_by",
    "eli:amends": "amends",
}
IN_FORCE_VALUES = {
    "http://data.europa.eu/eli/ontology#InForce-inForce": "in_force",
    "http://data.europa.eu/eli/ontology#InForce-notInForce": "not_in_force",
    "http://data.europa.eu/eli/ontology#InForce-partiallyInForce": "partially_in_force",
}


def _first(values: set[Any]) -> Any:
    return min(values, key=str) if values else None


def legal_status(store: GraphStore, number: str) -> dict[str, Any] | None:
    """The validity of ``number`` (None when the graph has no document of that number):
    ``in_force`` (in_force | not_in_force | partially_in_force | None: unknown), ``since``,
    ``until``, ``checked_on``, ``issued``, the relations as numbers with their own dates,
    ``sources``, a ``timeline`` (issue, entry into force, amendments, replacement, end,
    plans citing it, oldest first) and ``cited_after_end``."""
    nodes = numbered_nodes(store, number)
    if not nodes:
        return None
    rows = store.select(f"""
SELECT ?p ?o WHERE {{
  {values_block("x", nodes)}
  ?x ?p ?o .
  FILTER(?p IN (eli:in_force, eli:first_date_entry_in_force, eli:date_no_longer_in_force,
                cancu:inForceCheckedOn, prov:wasDerivedFrom))
}}""")
    facts: dict[str, set[Any]] = {}
    for r in rows:
        key = str(r["p"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        facts.setdefault(key, set()).add(plain_value(r["o"]))
    issued = store.select(f"""
SELECT DISTINCT ?d WHERE {{ {values_block("x", nodes)} GRAPH ?g {{ ?x prov:wasDerivedFrom ?s ; eli:date_document ?d }} }}""")
    until = _first(facts.get("date_no_longer_in_force", set()))
    checked_on = max(facts.get("inForceCheckedOn", set()), default=None, key=str)
    stated = {IN_FORCE_VALUES.get(str(v)) for v in facts.get("in_force", set())} - {None}
    if until:
        state: str | None = "not_in_force"
    elif checked_on or len(stated) == 1:
        state = "in_force" if checked_on else _first(stated)
    else:
        state = None
    record: dict[str, Any] = {
        "number": number,
        "uris": nodes,
        "in_force": state,
        "since": until if until else _first(facts.get("first_date_entry_in_force", set())),
        "in_force_from": _first(facts.get("first_date_entry_in_force", set())),
        "until": until,
        "checked_on": checked_on,
        "issued": _first({plain_value(r["d"]) for r in issued}),
        "sources": sorted({str(s) for s in facts.get("wasDerivedFrom", set())}),
        **_relations(store, nodes),
    }
    record["cited_after_end"] = plans_citing_after_end(store, number) if until else []
    record["timeline"] = _timeline(record, _citing_plans(store, nodes))
    return record


def _relations(store: GraphStore, nodes: list[str]) -> dict[str, list[dict[str, Any]]]:
    rows = store.select(f"""
SELECT DISTINCT ?p ?y ?n ?d ?from ?src WHERE {{
  {values_block("x", nodes)}
  ?x ?p ?y . FILTER(?p IN (eli:repealed_by, eli:repeals, eli:amended_by, eli:amends))
  OPTIONAL {{ ?y eli:id_local ?n }}
  OPTIONAL {{ ?y eli:date_document ?d }}
  OPTIONAL {{ ?y eli:first_date_entry_in_force ?from }}
  OPTIONAL {{ ?x prov:wasDerivedFrom ?src }}
}}""")
    out: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in RELATIONS.values()}
    for r in rows:
        name = RELATIONS["eli:" + str(r["p"]).rsplit("#", 1)[-1]]
        uri = str(r["y"])
        item = out[name].setdefault(
            uri, {"uri": uri, "number": None, "issued": None, "in_force_from": None, "sources": []}
        )
        for key, var in (("number", "n"), ("issued", "d"), ("in_force_from", "from")):
            value = plain_value(r.get(var)) if r.get(var) is not None else None
            if value is not None and (item[key] is None or str(value) < str(item[key])):
                item[key] = value
        if r.get("src") is not None and str(r["src"]) not in item["sources"]:
            item["sources"] = sorted([*item["sources"], str(r["src"])])
    return {name: sorted(items.values(), key=lambda i: i["uri"]) for name, items in out.items()}


_PLAN_SELECT = """
SELECT DISTINCT ?x ?cited ?plan ?docid ?pnum ?pdate ?inBasis ?end WHERE {
  %s
  GRAPH ?g {
    ?rec a cancu:Citation ; cancu:citingDocument ?plan ; cancu:citedDocument ?x .
    ?g cancu:docId ?docid .
    OPTIONAL { ?rec cancu:inBasis ?inBasis }
    OPTIONAL { ?plan eli:date_document ?pdate }
    OPTIONAL { ?plan eli:id_local ?pnum }
  }
  OPTIONAL { ?x eli:id_local ?cited }
  %s
} ORDER BY ?x ?pdate ?plan"""


def _plan_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        key = (str(r["x"]), str(r["plan"]))
        item = merged.setdefault(
            key,
            {
                "cited": str(r["x"]),
                "cited_number": plain_value(r.get("cited")),
                "plan": str(r["plan"]),
                "doc_id": r.get("docid"),
                "plan_number": r.get("pnum"),
                "plan_date": plain_value(r.get("pdate")),
                "in_basis": False,
            },
        )
        item["in_basis"] = item["in_basis"] or bool(r.get("inBasis"))
        if r.get("end") is not None:
            item["ended_on"] = plain_value(r["end"])
    return list(merged.values())


def _citing_plans(store: GraphStore, nodes: list[str]) -> list[dict[str, Any]]:
    return _plan_rows(store.select(_PLAN_SELECT % (values_block("x", nodes), "")))


def plans_citing_after_end(store: GraphStore, number: str | None = None) -> list[dict[str, Any]]:
    """Plans citing a document on or after the day it stopped being in force (the plan's
    date >= ``eli:date_no_longer_in_force``): every such pair, or those of ``number``;
    each with the replacements the graph knows and the sources of the end date."""
    where = ""
    if number is not None:
        nodes = numbered_nodes(store, number)
        if not nodes:
            return []
        where = values_block("x", nodes)
    ended = """?x eli:date_no_longer_in_force ?end .
  FILTER(BOUND(?pdate) && xsd:date(?pdate) >= ?end)"""
    items = _plan_rows(store.select(_PLAN_SELECT % (where, ended)))
    if not items:
        return items
    cited = sorted({i["cited"] for i in items})
    extra = store.select(f"""
SELECT DISTINCT ?x ?rep ?rn ?src WHERE {{
  {values_block("x", cited)}
  {{ ?x eli:repealed_by ?rep OPTIONAL {{ ?rep eli:id_local ?rn }} }}
  UNION {{ ?x prov:wasDerivedFrom ?src }}
}}""")
    replaced: dict[str, set[str]] = {}
    sources: dict[str, set[str]] = {}
    for r in extra:
        if r.get("rep") is not None:
            replaced.setdefault(str(r["x"]), set()).add(str(r.get("rn") or r["rep"]))
        if r.get("src") is not None:
            sources.setdefault(str(r["x"]), set()).add(str(r["src"]))
    for item in items:
        item["replaced_by"] = sorted(replaced.get(item["cited"], set()))
        item["sources"] = sorted(sources.get(item["cited"], set()))
    return items


def _timeline(record: dict[str, Any], plans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dated events, oldest first; undated ones (a relation without a known day) last."""
    sources = record["sources"]
    events: list[dict[str, Any]] = []

    def add(day: Any, event: str, **more: Any) -> None:
        events.append({"date": day, "event": event, **more})

    if record["issued"]:
        add(record["issued"], "issued", sources=sources)
    if record["in_force_from"]:
        add(record["in_force_from"], "in_force", sources=sources)
    for relation in ("amended_by", "amends"):
        for item in record[relation]:
            day = item["in_force_from"] or item["issued"]
            add(day, relation, number=item["number"], sources=item["sources"])
    for item in record["replaced_by"]:
        add(
            record["until"] or item["in_force_from"],
            "replaced_by",
            number=item["number"],
            sources=item["sources"],
        )
    if record["until"]:
        add(record["until"], "not_in_force", sources=sources)
    if record["checked_on"]:
        add(record["checked_on"], "checked_in_force", sources=sources)
    end = record["until"]
    for plan in plans:
        after = bool(end and plan["plan_date"] and str(plan["plan_date"]) >= str(end))
        add(
            plan["plan_date"],
            "cited",
            number=plan["plan_number"],
            doc_id=plan["doc_id"],
            plan=plan["plan"],
            in_basis=plan["in_basis"],
            after_end=after,
        )
    return sorted(events, key=lambda e: (e["date"] is None, str(e["date"] or "")))
