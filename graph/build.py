"""Turn one ``Extraction`` into the RDF graph of its document (its named graph).

Why this shape:
- every node gets a derived URI (no blank nodes), so building twice gives the same
  triples and dropping the document's named graph removes exactly its facts, while
  shared nodes (a cited decree, an agency) keep what other documents say about them;
- every extracted fact carries a Web Annotation (oa:TextPositionSelector +
  oa:TextQuoteSelector on its passage) and ``prov:wasDerivedFrom`` the passage, so any
  answer can cite its exact span;
- citations are reified as ``cancu:Citation`` records: the date, type and title a plan
  states for a cited document belong to that plan, and plans disagree.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ingest.model import Citation, Document, DocumentMeta, Extraction, Mention
from ontology import uris
from ontology.namespaces import CANCU, ELI, OA, ORG, SCHEMA, bind_prefixes

PLAN_TYPES = {"kế hoạch", "kế hoạch hành động", "chương trình", "đề án", "chương trình hành động"}
QUOTE_CONTEXT = 32  # characters of prefix/suffix in a TextQuoteSelector

_IN_FORCE = {
    "in_force": "InForce-inForce",
    "amended": "InForce-inForce",
    "partially_in_force": "InForce-partiallyInForce",
    "not_yet_in_force": "InForce-notInForce",
    "expired": "InForce-notInForce",
    "repealed": "InForce-notInForce",
    "not_in_force": "InForce-notInForce",
}


def iso_date(value: str | None) -> Literal | None:
    """An xsd:date literal for a full ISO date; partial or broken dates give None."""
    if not value:
        return None
    try:
        return Literal(dt.date.fromisoformat(value[:10]).isoformat(), datatype=XSD.date)
    except ValueError:
        return None


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


def guess_level(name: str, national: bool) -> str:
    """Agency level for issuers/agencies the agency extractor did not list (SHACL needs one)."""
    low = name.lower()
    if national or low.startswith(
        (
            "bộ ",
            "chính phủ",
            "thủ tướng",
            "quốc hội",
            "văn phòng chính phủ",
            "ban chấp hành trung ương",
        )
    ):
        return "trung ương"
    if "huyện" in low:
        return "huyện"
    if low.startswith(("ubnd xã", "ủy ban nhân dân xã", "xã ")):
        return "xã"
    return "tỉnh"


class _Builder:
    """Holds the graph and lookups while one extraction is turned into triples."""

    def __init__(self, ex: Extraction) -> None:
        self.ex = ex
        self.doc: Document = ex.document
        self.g = bind_prefixes(Graph())
        meta = self.doc.meta
        self.province = meta.province
        self.doc_uri = URIRef(self._meta_uri(meta, uris.document_uri(self.doc.id)))
        self.plan_uri: URIRef | None = None
        self.plan_start: int | None = None
        if self.doc.attached_plan is not None:
            plan = self.doc.attached_plan
            self.plan_uri = URIRef(self._meta_uri(plan, uris.attached_plan_uri(self.doc.id)))
            if self.plan_uri == self.doc_uri:
                self.plan_uri = URIRef(uris.attached_plan_uri(self.doc.id))
            starts = [s.start for s in plan.spans.values()]
            self.plan_start = min(starts) if starts else None
        self.passages = {p.id: p for p in self.doc.passages}
        self.agency_by_name: dict[str, URIRef] = {}
        self.agency_level: dict[URIRef, str] = {}
        for a in ex.agencies:
            uri = URIRef(a.uri or uris.agency_uri(a.name, a.province))
            self.agency_level[uri] = a.level
            for n in [a.name, *a.aliases]:
                self.agency_by_name.setdefault(n.casefold(), uri)

    # ------------------------------------------------------------------ helpers

    def _meta_uri(self, meta: DocumentMeta, fallback: str) -> str:
        if meta.number:
            year = meta.date[:4] if meta.date else None
            return uris.legal_uri(
                meta.number, province=meta.province or self.doc.meta.province, year=year
            )
        return fallback

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        """Add a triple unless the object is missing (None / empty): facts are never invented."""
        if o is None or o == "":
            return
        self.g.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))

    def owner_at(self, offset: int | None) -> URIRef:
        """The document a span belongs to: the attached plan after its header, else the file's document."""
        if (
            self.plan_uri is not None
            and self.plan_start is not None
            and offset is not None
            and offset >= self.plan_start
        ):
            return self.plan_uri
        return self.doc_uri

    def passage_node(self, passage_id: str | None) -> URIRef | None:
        return (
            URIRef(uris.passage_uri(self.doc.id, passage_id))
            if passage_id in self.passages
            else None
        )

    def concept(self, uri: str, label: str, scheme: str) -> URIRef:
        node = URIRef(uri)
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.prefLabel, Literal(label, lang="vi"))
        self.add(node, SKOS.inScheme, URIRef(uris.concept_scheme_uri(scheme)))
        return node

    def province_node(self, province: str | None) -> URIRef | None:
        if not province:
            return None
        node = URIRef(uris.province_uri(province))
        self.add(node, RDF.type, SCHEMA.AdministrativeArea)
        self.add(node, RDFS.label, Literal(province, lang="vi"))
        return node

    def org(self, name: str, *, province: str | None, level: str | None = None) -> URIRef:
        """An organisation node; reuses the agency extractor's node when the name matches."""
        known = self.agency_by_name.get(name.casefold())
        if known is not None:
            return known
        node = URIRef(uris.agency_uri(name, province))
        lvl = level or guess_level(name, national=province is None)
        self.add(node, RDF.type, ORG.Organization)
        self.add(node, SKOS.prefLabel, Literal(name, lang="vi"))
        self.add(
            node, ORG.classification, self.concept(uris.agency_level_uri(lvl), lvl, "agency-level")
        )
        self.add(node, CANCU.agencyLevel, lvl)
        self.add(node, CANCU.province, self.province_node(province))
        self.agency_by_name[name.casefold()] = node
        return node

    def annotate(
        self,
        body: URIRef,
        start: int,
        end: int,
        text: str | None,
        passage_id: str | None,
        *,
        field: str | None = None,
    ) -> URIRef:
        """A Web Annotation tying ``body`` to a span; the fact is prov:wasDerivedFrom the passage."""
        if passage_id not in self.passages:
            p = self.doc.passage_at(start)
            passage_id = p.id if p else None
        ann = URIRef(uris.mention_annotation_uri(str(body), self.doc.id, passage_id, start))
        source = self.passage_node(passage_id) or self.owner_at(start)
        target, pos, quote = URIRef(f"{ann}/target"), URIRef(f"{ann}/pos"), URIRef(f"{ann}/quote")
        exact = text or self.doc.text[start:end]
        self.add(ann, RDF.type, OA.Annotation)
        self.add(ann, OA.hasBody, body)
        self.add(ann, OA.hasTarget, target)
        self.add(ann, CANCU.field, field)
        self.add(target, RDF.type, OA.SpecificResource)
        self.add(target, OA.hasSource, source)
        self.add(target, OA.hasSelector, pos)
        self.add(target, OA.hasSelector, quote)
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, Literal(start))
        self.add(pos, OA.end, Literal(end))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, exact)
        self.add(quote, OA.prefix, self.doc.text[max(0, start - QUOTE_CONTEXT) : start])
        self.add(quote, OA.suffix, self.doc.text[end : end + QUOTE_CONTEXT])
        if source != self.owner_at(start):  # a passage: the fact is derived from it
            self.add(ann, PROV.wasDerivedFrom, source)
            if field is None:
                self.add(body, PROV.wasDerivedFrom, source)
        return ann

    def annotate_mentions(self, body: URIRef, mentions: list[Mention]) -> None:
        for m in mentions:
            self.annotate(body, m.start, m.end, m.text, m.passage_id)

    # ------------------------------------------------------------------ documents

    def document(self, node: URIRef, meta: DocumentMeta, *, is_plan: bool) -> None:
        doc = self.doc
        self.add(node, RDF.type, ELI.LegalResource)
        self.add(node, RDF.type, PROV.Entity)
        if is_plan:
            self.add(node, RDF.type, CANCU.Plan)
        if doc.kind == "legal":
            self.add(node, RDF.type, SCHEMA.Legislation)
        self.add(node, ELI.id_local, meta.number)
        if meta.doc_type:
            self.add(
                node,
                ELI.type_document,
                self.concept(uris.doc_type_uri(meta.doc_type), meta.doc_type, "doctype"),
            )
        self.add(node, ELI.date_document, iso_date(meta.date))
        if meta.title:
            self.add(node, ELI.title, Literal(meta.title, lang="vi"))
        if meta.issuer:
            national = meta.province is None and doc.kind == "legal"
            self.add(
                node,
                ELI.passed_by,
                self.org(meta.issuer, province=None if national else meta.province),
            )
        self.add(node, CANCU.signer, meta.signer)
        self.add(node, CANCU.period, meta.period)
        place = self.province_node(meta.province)
        self.add(node, CANCU.province, place)
        self.add(node, ELI.jurisdiction, place)
        self.add(node, CANCU.sourceFile, doc.source)
        self.add(node, CANCU.docId, doc.id)
        for name, span in sorted(meta.spans.items()):
            self.annotate(node, span.start, span.end, span.text, None, field=name)

    def documents(self) -> None:
        doc = self.doc
        own_plan = doc.kind == "plan" and (
            doc.meta.doc_type is None or doc.meta.doc_type.lower() in PLAN_TYPES
        )
        self.document(self.doc_uri, doc.meta, is_plan=own_plan and self.plan_uri is None)
        self.add(self.doc_uri, CANCU.contentHash, doc.content_hash)
        if self.plan_uri is not None and doc.attached_plan is not None:
            self.document(self.plan_uri, doc.attached_plan, is_plan=True)
            self.add(self.doc_uri, CANCU.approves, self.plan_uri)
        if doc.kind == "legal":
            status = str(doc.extra.get("status") or "")
            self.add(self.doc_uri, CANCU.status, status)
            if status in _IN_FORCE:
                self.add(self.doc_uri, ELI.in_force, ELI[_IN_FORCE[status]])
            self.add(
                self.doc_uri,
                ELI.first_date_entry_in_force,
                iso_date(doc.extra.get("effective_date")),
            )
            self.add(
                self.doc_uri, ELI.date_no_longer_in_force, iso_date(doc.extra.get("expiry_date"))
            )

    def passages_and_articles(self) -> None:
        for p in self.doc.passages:
            node = URIRef(uris.passage_uri(self.doc.id, p.id))
            owner = self.owner_at(p.start)
            self.add(node, RDF.type, CANCU.Passage)
            self.add(node, CANCU.passageId, p.id)
            self.add(node, CANCU.text, p.text)
            self.add(node, CANCU.start, Literal(p.start))
            self.add(node, CANCU.end, Literal(p.end))
            self.add(node, CANCU.passageKind, p.kind)
            self.add(node, CANCU.section, p.section)
            self.add(node, CANCU.articleId, p.article_id)
            self.add(node, DCTERMS.isPartOf, owner)
            if p.article_id and self.doc.kind == "legal":
                art = URIRef(uris.article_uri(str(owner), p.article_id))
                self.add(art, RDF.type, ELI.LegalResourceSubdivision)
                self.add(art, CANCU.articleId, p.article_id)
                self.add(art, RDFS.label, Literal(p.section or p.article_id, lang="vi"))
                self.add(art, ELI.is_part_of, owner)
                self.add(owner, ELI.has_part, art)
                self.add(art, PROV.wasDerivedFrom, node)

    # ------------------------------------------------------------------ citations

    def cited_node(self, c: Citation) -> URIRef:
        if c.uri:
            return URIRef(c.uri)
        if c.number:
            return URIRef(
                uris.legal_uri(
                    c.number, province=self.province, year=c.date[:4] if c.date else None
                )
            )
        return URIRef(uris.law_name_uri(c.title or c.doc_type or "unknown"))

    def citation(self, c: Citation) -> None:
        cited = self.cited_node(c)
        parts = uris.parse_number(c.number) if c.number else None
        national = parts.is_national if parts else c.number is None
        self.add(cited, RDF.type, ELI.LegalResource)
        self.add(cited, ELI.id_local, c.number)
        if c.doc_type:
            self.add(
                cited,
                ELI.type_document,
                self.concept(uris.doc_type_uri(c.doc_type), c.doc_type, "doctype"),
            )
        self.add(cited, ELI.date_document, iso_date(c.date))
        if c.title:
            self.add(cited, ELI.title, Literal(c.title, lang="vi"))
        if c.issuer:
            self.add(
                cited,
                ELI.passed_by,
                self.org(c.issuer, province=None if national else self.province),
            )
        by_owner: dict[URIRef, list[Mention]] = {}
        for m in c.mentions:
            by_owner.setdefault(self.owner_at(m.start), []).append(m)
        if not by_owner:
            by_owner[self.doc_uri] = []
        first_owner = next(iter(by_owner))
        for owner, mentions in by_owner.items():
            record = URIRef(uris.citation_record_uri(str(owner), str(cited)))
            self.add(owner, ELI.cites, cited)
            in_basis_here = c.in_basis and (
                owner == first_owner or any(self._kind_at(m) == "basis" for m in mentions)
            )
            if in_basis_here:
                self.add(owner, ELI.based_on, cited)
            self.add(record, RDF.type, CANCU.Citation)
            self.add(record, CANCU.citingDocument, owner)
            self.add(record, CANCU.citedDocument, cited)
            self.add(record, CANCU.inBasis, Literal(bool(in_basis_here)))
            self.add(record, CANCU.statedNumber, c.number)
            self.add(record, CANCU.statedDate, iso_date(c.date))
            self.add(record, CANCU.statedType, c.doc_type)
            self.add(record, CANCU.statedTitle, c.title)
            self.add(record, CANCU.statedIssuer, c.issuer)
            self.add(record, CANCU.resolvedBy, c.resolved_by)
            self.annotate_mentions(record, mentions)
        for conflict in c.conflicts:
            self.conflict(c, cited, conflict)

    def _kind_at(self, m: Mention) -> str | None:
        p = self.passages.get(m.passage_id or "") or self.doc.passage_at(m.start)
        return p.kind if p else None

    def conflict(self, c: Citation, cited: URIRef, item: dict[str, Any]) -> None:
        field = str(item.get("field") or "value")
        value = str(item.get("value") or "")
        mention = item.get("mention")
        if isinstance(mention, dict):
            mention = Mention(
                int(mention["start"]),
                int(mention["end"]),
                str(mention.get("text") or ""),
                mention.get("passage_id"),
            )
        owner = self.owner_at(mention.start) if isinstance(mention, Mention) else self.doc_uri
        record = URIRef(uris.citation_record_uri(str(owner), str(cited)))
        node = URIRef(uris.conflict_uri(str(record), field, value))
        kind = {
            "date": CANCU.DateConflict,
            "doc_type": CANCU.TypeConflict,
            "type": CANCU.TypeConflict,
        }
        self.add(node, RDF.type, kind.get(field, CANCU.Conflict))
        self.add(node, CANCU.conflictOf, record)
        self.add(node, CANCU.citedDocument, cited)
        self.add(node, CANCU.inDocument, owner)
        self.add(node, CANCU.field, field)
        self.add(node, CANCU.conflictingValue, value)
        if isinstance(mention, Mention):
            self.annotate(node, mention.start, mention.end, mention.text, mention.passage_id)

    # ------------------------------------------------------------------ entities

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


def extraction_to_graph(ex: Extraction) -> Graph:
    """All triples about one ingested document, ready for its own named graph."""
    b = _Builder(ex)
    b.documents()
    b.passages_and_articles()
    for c in ex.citations:
        b.citation(c)
    b.agencies()
    b.projects()
    b.targets()
    b.budget_checks()
    return b.g


def document_node(ex: Extraction) -> str:
    """The URI ``extraction_to_graph`` gives the ingested document itself."""
    return str(_Builder(ex).doc_uri)
