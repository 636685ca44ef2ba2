"""Agency, responsibility, project, target and budget-check triples of one document.

Every fact is annotated with its spans and owned by the plan (the attached plan after its
header, else the document) it was read from.
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from graph.build.context import BuilderContext
from graph.build.literals import decimal_literal
from ingest.model import Mention
from ontology import uris
from ontology.namespaces import CANCU, ORG


def add_agencies(ctx: BuilderContext) -> None:
    """The agencies the extractor found, with aliases, level, province and roles."""
    for a in ctx.ex.agencies:
        node = URIRef(a.uri or uris.agency_uri(a.name, a.province))
        ctx.add(node, RDF.type, ORG.Organization)
        ctx.add(node, SKOS.prefLabel, Literal(a.name, lang="vi"))
        for alias in sorted(set(a.aliases) - {a.name}):
            ctx.add(node, SKOS.altLabel, Literal(alias, lang="vi"))
        ctx.add(
            node,
            ORG.classification,
            ctx.concept(uris.agency_level_uri(a.level), a.level, "agency-level"),
        )
        if a.collective:
            # A group of bodies ("all district People's Committees of province X").
            ctx.add(node, RDF.type, CANCU.CollectiveBody)
            ctx.add(
                node,
                ORG.classification,
                ctx.concept(uris.collective_body_uri(a.collective), a.name, "collective-body"),
            )
        ctx.add(node, CANCU.agencyLevel, a.level)
        ctx.add(node, CANCU.agencyKind, a.kind)
        ctx.add(node, CANCU.province, ctx.province_node(a.province))
        if a.parent_uri:
            ctx.add(node, ORG.subOrganizationOf, URIRef(a.parent_uri))
        ctx.annotate_mentions(node, a.mentions)
        for role in a.roles:
            add_responsibility(ctx, node, role)


def add_responsibility(ctx: BuilderContext, agency: URIRef, role: dict[str, Any]) -> None:
    """What one agency is tasked with in one passage (lead, partner, report ...)."""
    kind, task = str(role.get("role") or ""), str(role.get("task") or "")
    pid = role.get("passage_id")
    node = URIRef(uris.responsibility_uri(str(agency), ctx.doc.id, f"{kind}|{task}|{pid}"))
    passage = ctx.passages.get(pid or "")
    ctx.add(node, RDF.type, CANCU.Responsibility)
    ctx.add(node, CANCU.agency, agency)
    ctx.add(node, CANCU.role, kind)
    ctx.add(node, CANCU.task, task)
    ctx.add(node, CANCU.inDocument, ctx.owner_at(passage.start if passage else None))
    ctx.add(node, PROV.wasDerivedFrom, ctx.passage_node(pid))
    if role.get("start") is not None and role.get("end") is not None:
        # Where the role is stated: "who leads this task" answers quote this span.
        ctx.annotate(node, int(role["start"]), int(role["end"]), None, pid)


def agency_ref(ctx: BuilderContext, name: str) -> URIRef:
    """The node of an agency a project names (in the document's province)."""
    return ctx.org(name, province=ctx.province)


def unique_node(uri: str, seen: set[str]) -> URIRef:
    """Two facts with the same key in one document stay two nodes (suffix by order)."""
    candidate, n = uri, 1
    while candidate in seen:
        n += 1
        candidate = uris.repeated_fact_uri(uri, n)
    seen.add(candidate)
    return URIRef(candidate)


def fact_owner(ctx: BuilderContext, mentions: list[Mention]) -> URIRef:
    """The plan a project or target belongs to: where its first mention lies."""
    if ctx.plan_uri is not None:
        return (
            ctx.owner_at(mentions[0].start)
            if mentions and ctx.plan_start is not None
            else ctx.plan_uri
        )
    return ctx.doc_uri


def add_projects(ctx: BuilderContext) -> None:
    """Projects with lead and partner agencies, budget and its lines by year and source."""
    seen: set[str] = set()
    for p in ctx.ex.projects:
        node = unique_node(p.uri or uris.project_uri(ctx.doc.id, p.name), seen)
        ctx.add(node, RDF.type, CANCU.Project)
        ctx.add(node, RDFS.label, Literal(p.name, lang="vi"))
        ctx.add(node, CANCU.plan, fact_owner(ctx, p.mentions))
        if p.lead_agency:
            ctx.add(node, CANCU.leadAgency, agency_ref(ctx, p.lead_agency))
        for partner in p.partners:
            ctx.add(node, CANCU.partnerAgency, agency_ref(ctx, partner))
        ctx.add(node, CANCU.budgetVndMillion, decimal_literal(p.budget_vnd_million))
        ctx.add(node, CANCU.period, p.period)
        ctx.add(node, DCTERMS.description, p.objective)
        ctx.add(node, CANCU.sourceKind, p.source_kind)
        for dim, prop, values in (
            ("year", CANCU.budgetYear, p.budget_by_year),
            ("source", CANCU.budgetSource, p.budget_by_source),
        ):
            for key, amount in sorted(values.items()):
                line = URIRef(uris.budget_line_uri(str(node), dim, key))
                ctx.add(node, CANCU.budgetLine, line)
                ctx.add(line, RDF.type, CANCU.BudgetLine)
                ctx.add(line, prop, key)
                ctx.add(line, CANCU.budgetVndMillion, decimal_literal(amount))
        ctx.annotate_mentions(node, p.mentions)


def add_targets(ctx: BuilderContext) -> None:
    """Targets with their indicator concept, value, unit and period."""
    seen: set[str] = set()
    for t in ctx.ex.targets:
        key = f"{t.kind}-{t.indicator}-{t.year_or_period or ''}-{t.value}"
        node = unique_node(t.uri or uris.target_uri(ctx.doc.id, key), seen)
        indicator = URIRef(uris.indicator_uri(t.indicator_group or t.indicator))
        ctx.add(indicator, RDF.type, CANCU.Indicator)
        ctx.add(indicator, RDF.type, SKOS.Concept)
        ctx.add(indicator, SKOS.inScheme, URIRef(uris.concept_scheme_uri("indicator")))
        if t.indicator_group:
            ctx.add(indicator, SKOS.notation, t.indicator_group)
        else:
            ctx.add(indicator, RDFS.label, Literal(t.indicator, lang="vi"))
        ctx.add(node, RDF.type, CANCU.Target)
        ctx.add(node, RDFS.label, Literal(t.indicator, lang="vi"))
        ctx.add(node, CANCU.indicator, indicator)
        ctx.add(node, CANCU.plan, fact_owner(ctx, t.mentions))
        value = (
            decimal_literal(t.value)
            if not isinstance(t.value, str)
            else (decimal_literal(t.value) or t.value)
        )
        ctx.add(node, CANCU.value, value)
        ctx.add(node, CANCU.unit, t.unit)
        ctx.add(node, CANCU.period, t.year_or_period)
        ctx.add(node, CANCU.targetKind, t.kind)
        ctx.annotate_mentions(node, t.mentions)


def add_budget_checks(ctx: BuilderContext) -> None:
    """Stated vs computed totals of budget tables, and whether they disagree."""
    for b in ctx.ex.budget_checks:
        node = URIRef(uris.budget_check_uri(ctx.doc.id, b.table_id, b.label))
        passage = ctx.passages.get(b.passage_id or "")
        ctx.add(node, RDF.type, CANCU.BudgetCheck)
        ctx.add(node, RDFS.label, Literal(b.label, lang="vi"))
        ctx.add(node, CANCU.stated, decimal_literal(b.stated))
        ctx.add(node, CANCU.computed, decimal_literal(b.computed))
        ctx.add(node, CANCU.mismatch, Literal(b.mismatch))
        ctx.add(node, CANCU.inDocument, ctx.owner_at(passage.start if passage else None))
        ctx.add(node, PROV.wasDerivedFrom, ctx.passage_node(b.passage_id))
