"""Agency, responsibility, project, target and budget-check triples of one document.

Mixed into ``graph.build.document._Builder``; every fact is annotated with its spans and owned by
the plan (the attached plan after its header, else the document) it was read from.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph.build.citations import BuilderContext
from ingest.model import Mention
from ontology import uris
from ontology.namespaces import CANCU, ORG

if TYPE_CHECKING:
    pass


def decimal_literal(value: float | int | str | None) -> Literal | None:
    """Budgets and values as xsd:decimal (floats would print as 1.2E3 and compare badly)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    return Literal(format(number, "f"), datatype=XSD.decimal)


class EntityTriples(BuilderContext):
    """Agency/project/target/budget triples; relies on the helpers of ``graph.build.document._Builder``."""

    def agencies(self) -> None:
        for a in self.ex.agencies:
            node = URIRef(a.uri or uris.agency_uri(a.name, a.province))
            self.add(node, RDF.type, ORG.Organization)
            self.add(node, SKOS.prefLabel, Literal(a.name, lang="vi"))
            for alias in sorted(set(a.aliases) - {a.name}):
                self.add(node, SKOS.altLabel, Literal(alias, lang="vi"))
            self.add(
                node,
                ORG.classification,
                self.concept(uris.agency_level_uri(a.level), a.level, "agency-level"),
            )
            self.add(node, CANCU.agencyLevel, a.level)
            self.add(node, CANCU.agencyKind, a.kind)
            self.add(node, CANCU.province, self.province_node(a.province))
            if a.parent_uri:
                self.add(node, ORG.subOrganizationOf, URIRef(a.parent_uri))
            self.annotate_mentions(node, a.mentions)
            for role in a.roles:
                self.responsibility(node, role)

    def responsibility(self, agency: URIRef, role: dict[str, Any]) -> None:
        kind, task = str(role.get("role") or ""), str(role.get("task") or "")
        pid = role.get("passage_id")
        node = URIRef(uris.responsibility_uri(str(agency), self.doc.id, f"{kind}|{task}|{pid}"))
        passage = self.passages.get(pid or "")
        self.add(node, RDF.type, CANCU.Responsibility)
        self.add(node, CANCU.agency, agency)
        self.add(node, CANCU.role, kind)
        self.add(node, CANCU.task, task)
        self.add(node, CANCU.inDocument, self.owner_at(passage.start if passage else None))
        self.add(node, PROV.wasDerivedFrom, self.passage_node(pid))

    def agency_ref(self, name: str) -> URIRef:
        return self.org(name, province=self.province)

    def unique(self, uri: str, seen: set[str]) -> URIRef:
        """Two facts with the same key in one document stay two nodes (suffix by order)."""
        candidate, n = uri, 1
        while candidate in seen:
            n += 1
            candidate = f"{uri}-{n}"
        seen.add(candidate)
        return URIRef(candidate)

    def fact_owner(self, mentions: list[Mention]) -> URIRef:
        if self.plan_uri is not None:
            return (
                self.owner_at(mentions[0].start)
                if mentions and self.plan_start is not None
                else self.plan_uri
            )
        return self.doc_uri

    def projects(self) -> None:
        seen: set[str] = set()
        for p in self.ex.projects:
            node = self.unique(p.uri or uris.project_uri(self.doc.id, p.name), seen)
            self.add(node, RDF.type, CANCU.Project)
            self.add(node, RDFS.label, Literal(p.name, lang="vi"))
            self.add(node, CANCU.plan, self.fact_owner(p.mentions))
            if p.lead_agency:
                self.add(node, CANCU.leadAgency, self.agency_ref(p.lead_agency))
            for partner in p.partners:
                self.add(node, CANCU.partnerAgency, self.agency_ref(partner))
            self.add(node, CANCU.budgetVndMillion, decimal_literal(p.budget_vnd_million))
            self.add(node, CANCU.period, p.period)
            self.add(node, DCTERMS.description, p.objective)
            self.add(node, CANCU.sourceKind, p.source_kind)
            for dim, prop, values in (
                ("year", CANCU.budgetYear, p.budget_by_year),
                ("source", CANCU.budgetSource, p.budget_by_source),
            ):
                for key, amount in sorted(values.items()):
                    line = URIRef(uris.budget_line_uri(str(node), dim, key))
                    self.add(node, CANCU.budgetLine, line)
                    self.add(line, RDF.type, CANCU.BudgetLine)
                    self.add(line, prop, key)
                    self.add(line, CANCU.budgetVndMillion, decimal_literal(amount))
            self.annotate_mentions(node, p.mentions)

    def targets(self) -> None:
        seen: set[str] = set()
        for t in self.ex.targets:
            key = f"{t.kind}-{t.indicator}-{t.year_or_period or ''}-{t.value}"
            node = self.unique(t.uri or uris.target_uri(self.doc.id, key), seen)
            indicator = URIRef(uris.indicator_uri(t.indicator_group or t.indicator))
            self.add(indicator, RDF.type, CANCU.Indicator)
            self.add(indicator, RDF.type, SKOS.Concept)
            self.add(indicator, SKOS.inScheme, URIRef(uris.concept_scheme_uri("indicator")))
            if t.indicator_group:
                self.add(indicator, SKOS.notation, t.indicator_group)
            else:
                self.add(indicator, RDFS.label, Literal(t.indicator, lang="vi"))
            self.add(node, RDF.type, CANCU.Target)
            self.add(node, RDFS.label, Literal(t.indicator, lang="vi"))
            self.add(node, CANCU.indicator, indicator)
            self.add(node, CANCU.plan, self.fact_owner(t.mentions))
            value = (
                decimal_literal(t.value)
                if not isinstance(t.value, str)
                else (decimal_literal(t.value) or t.value)
            )
            self.add(node, CANCU.value, value)
            self.add(node, CANCU.unit, t.unit)
            self.add(node, CANCU.period, t.year_or_period)
            self.add(node, CANCU.targetKind, t.kind)
            self.annotate_mentions(node, t.mentions)

    def budget_checks(self) -> None:
        for b in self.ex.budget_checks:
            node = URIRef(uris.budget_check_uri(self.doc.id, b.table_id, b.label))
            passage = self.passages.get(b.passage_id or "")
            self.add(node, RDF.type, CANCU.BudgetCheck)
            self.add(node, RDFS.label, Literal(b.label, lang="vi"))
            self.add(node, CANCU.stated, decimal_literal(b.stated))
            self.add(node, CANCU.computed, decimal_literal(b.computed))
            self.add(node, CANCU.mismatch, Literal(b.mismatch))
            self.add(node, CANCU.inDocument, self.owner_at(passage.start if passage else None))
            self.add(node, PROV.wasDerivedFrom, self.passage_node(b.passage_id))
