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

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from ingest.model import Document, DocumentMeta, Extraction, Mention
from ontology import uris
from ontology.namespaces import CANCU, ELI, OA, ORG, SCHEMA, bind_prefixes

from graph.build.citations import CitationTriples, iso_date
from graph.build.entities import EntityTriples
from graph.build.entities import decimal_literal as decimal_literal  # re-exported

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


class _Builder(CitationTriples, EntityTriples):
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
        ann = URIRef(
            uris.mention_annotation_uri(str(body), self.doc.id, passage_id, start, end, field)
        )
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
        self.legal_resource(node, meta.number, meta.doc_type, meta.date, meta.title)
        self.add(node, RDF.type, PROV.Entity)
        if is_plan:
            self.add(node, RDF.type, CANCU.Plan)
        if doc.kind == "legal":
            self.add(node, RDF.type, SCHEMA.Legislation)
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
