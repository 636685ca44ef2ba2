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

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graph.build.citations import add_citation, add_legal_resource
from graph.build.context import BuilderContext
from graph.build.entities import add_agencies, add_budget_checks, add_projects, add_targets
from graph.build.literals import iso_date
from ingest.model import DocumentMeta, Extraction
from ontology import uris
from ontology.namespaces import CANCU, ELI, SCHEMA

PLAN_TYPES = {"kế hoạch", "kế hoạch hành động", "chương trình", "đề án", "chương trình hành động"}

_IN_FORCE = {
    "in_force": "InForce-inForce",
    "amended": "InForce-inForce",
    "partially_in_force": "InForce-partiallyInForce",
    "not_yet_in_force": "InForce-notInForce",
    "expired": "InForce-notInForce",
    "repealed": "InForce-notInForce",
    "not_in_force": "InForce-notInForce",
}


def add_document(ctx: BuilderContext, node: URIRef, meta: DocumentMeta, *, is_plan: bool) -> None:
    """An ingested document (or its attached plan): ELI core, issuer, place, header spans."""
    doc = ctx.doc
    add_legal_resource(ctx, node, meta.number, meta.doc_type, meta.date, meta.title)
    ctx.add(node, RDF.type, PROV.Entity)
    if is_plan:
        ctx.add(node, RDF.type, CANCU.Plan)
    if doc.kind == "legal":
        ctx.add(node, RDF.type, SCHEMA.Legislation)
    if meta.issuer:
        national = meta.province is None and doc.kind == "legal"
        ctx.add(
            node,
            ELI.passed_by,
            ctx.org(meta.issuer, province=None if national else meta.province),
        )
    ctx.add(node, CANCU.signer, meta.signer)
    ctx.add(node, CANCU.period, meta.period)
    place = ctx.province_node(meta.province)
    ctx.add(node, CANCU.province, place)
    ctx.add(node, ELI.jurisdiction, place)
    ctx.add(node, CANCU.sourceFile, doc.source)
    ctx.add(node, CANCU.docId, doc.id)
    for name, span in sorted(meta.spans.items()):
        ctx.annotate(node, span.start, span.end, span.text, None, field=name)


def add_documents(ctx: BuilderContext) -> None:
    """The file's document, its attached plan, and a legal document's force status."""
    doc = ctx.doc
    own_plan = doc.kind == "plan" and (
        doc.meta.doc_type is None or doc.meta.doc_type.lower() in PLAN_TYPES
    )
    add_document(ctx, ctx.doc_uri, doc.meta, is_plan=own_plan and ctx.plan_uri is None)
    ctx.add(ctx.doc_uri, CANCU.contentHash, doc.content_hash)
    if ctx.plan_uri is not None and doc.attached_plan is not None:
        add_document(ctx, ctx.plan_uri, doc.attached_plan, is_plan=True)
        ctx.add(ctx.doc_uri, CANCU.approves, ctx.plan_uri)
    if doc.kind == "legal":
        status = str(doc.extra.get("status") or "")
        ctx.add(ctx.doc_uri, CANCU.status, status)
        if status in _IN_FORCE:
            ctx.add(ctx.doc_uri, ELI.in_force, ELI[_IN_FORCE[status]])
        ctx.add(
            ctx.doc_uri,
            ELI.first_date_entry_in_force,
            iso_date(doc.extra.get("effective_date")),
        )
        ctx.add(ctx.doc_uri, ELI.date_no_longer_in_force, iso_date(doc.extra.get("expiry_date")))


def add_passages_and_articles(ctx: BuilderContext) -> None:
    """Every passage with its text and span; the articles (Điều) of legal documents."""
    for p in ctx.doc.passages:
        node = URIRef(uris.passage_uri(ctx.doc.id, p.id))
        owner = ctx.owner_at(p.start)
        ctx.add(node, RDF.type, CANCU.Passage)
        ctx.add(node, CANCU.passageId, p.id)
        ctx.add(node, CANCU.text, p.text)
        ctx.add(node, CANCU.start, Literal(p.start))
        ctx.add(node, CANCU.end, Literal(p.end))
        ctx.add(node, CANCU.passageKind, p.kind)
        ctx.add(node, CANCU.section, p.section)
        ctx.add(node, CANCU.articleId, p.article_id)
        ctx.add(node, DCTERMS.isPartOf, owner)
        if p.article_id and ctx.doc.kind == "legal":
            art = URIRef(uris.article_uri(str(owner), p.article_id))
            ctx.add(art, RDF.type, ELI.LegalResourceSubdivision)
            ctx.add(art, CANCU.articleId, p.article_id)
            ctx.add(art, RDFS.label, Literal(p.section or p.article_id, lang="vi"))
            ctx.add(art, ELI.is_part_of, owner)
            ctx.add(owner, ELI.has_part, art)
            ctx.add(art, PROV.wasDerivedFrom, node)


def extraction_to_graph(ex: Extraction) -> Graph:
    """All triples about one ingested document, ready for its own named graph."""
    ctx = BuilderContext(ex)
    add_documents(ctx)
    add_passages_and_articles(ctx)
    for c in ex.citations:
        add_citation(ctx, c)
    add_agencies(ctx)
    add_projects(ctx)
    add_targets(ctx)
    add_budget_checks(ctx)
    return ctx.g
