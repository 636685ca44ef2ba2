"""Citation triples of one document: the cited documents and reified ``cancu:Citation``
records (what each citing plan states about them), plus recorded in-document conflicts.

Citations are reified because the date, type and title a plan states for a cited document
belong to that plan, and plans disagree.
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graph.build.context import BuilderContext
from graph.build.literals import iso_date
from ingest.model import Citation, Mention
from ontology import uris
from ontology.namespaces import CANCU, ELI

_CONFLICT_CLASSES = {
    "date": CANCU.DateConflict,
    "doc_type": CANCU.TypeConflict,
    "type": CANCU.TypeConflict,
}


def cited_node(ctx: BuilderContext, c: Citation) -> URIRef:
    """The cited document: its resolved URI, else by number, else by name."""
    if c.uri:
        return URIRef(c.uri)
    if c.number:
        return URIRef(uris.numbered_document_uri(c.number, ctx.province, c.date))
    return URIRef(uris.law_name_uri(c.title or c.doc_type or "unknown"))


def add_legal_resource(
    ctx: BuilderContext,
    node: URIRef,
    number: str | None,
    doc_type: str | None,
    date: str | None,
    title: str | None,
) -> None:
    """The ELI core of any legal resource, ingested or only cited."""
    ctx.add(node, RDF.type, ELI.LegalResource)
    ctx.add(node, ELI.id_local, number)
    if doc_type:
        ctx.add(
            node,
            ELI.type_document,
            ctx.concept(uris.doc_type_uri(doc_type), doc_type, "doctype"),
        )
    ctx.add(node, ELI.date_document, iso_date(date))
    if title:
        ctx.add(node, ELI.title, Literal(title, lang="vi"))


def add_citation(ctx: BuilderContext, c: Citation) -> None:
    """The cited document, one citation record per citing owner, and its conflicts."""
    cited = cited_node(ctx, c)
    parts = uris.parse_number(c.number) if c.number else None
    national = parts.is_national if parts else c.number is None
    add_legal_resource(ctx, cited, c.number, c.doc_type, c.date, c.title)
    if c.issuer:
        ctx.add(
            cited,
            ELI.passed_by,
            ctx.org(c.issuer, province=None if national else ctx.province),
        )
    by_owner: dict[URIRef, list[Mention]] = {}
    for m in c.mentions:
        by_owner.setdefault(ctx.owner_at(m.start), []).append(m)
    if not by_owner:
        by_owner[ctx.doc_uri] = []
    first_owner = next(iter(by_owner))
    for owner, mentions in by_owner.items():
        record = URIRef(uris.citation_record_uri(str(owner), str(cited)))
        ctx.add(owner, ELI.cites, cited)
        in_basis_here = c.in_basis and (
            owner == first_owner or any(ctx.passage_kind_at(m) == "basis" for m in mentions)
        )
        if in_basis_here:
            ctx.add(owner, ELI.based_on, cited)
        ctx.add(record, RDF.type, CANCU.Citation)
        ctx.add(record, CANCU.citingDocument, owner)
        ctx.add(record, CANCU.citedDocument, cited)
        ctx.add(record, CANCU.inBasis, Literal(bool(in_basis_here)))
        ctx.add(record, CANCU.statedNumber, c.number)
        ctx.add(record, CANCU.statedDate, iso_date(c.date))
        ctx.add(record, CANCU.statedType, c.doc_type)
        ctx.add(record, CANCU.statedTitle, c.title)
        ctx.add(record, CANCU.statedIssuer, c.issuer)
        ctx.add(record, CANCU.resolvedBy, c.resolved_by)
        ctx.annotate_mentions(record, mentions)
    for conflict in c.conflicts:
        add_conflict(ctx, cited, conflict)


def add_conflict(ctx: BuilderContext, cited: URIRef, item: dict[str, Any]) -> None:
    """A value one document states in two ways for ``cited`` (a date, a type)."""
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
    owner = ctx.owner_at(mention.start) if isinstance(mention, Mention) else ctx.doc_uri
    record = URIRef(uris.citation_record_uri(str(owner), str(cited)))
    node = URIRef(uris.conflict_uri(str(record), field, value))
    ctx.add(node, RDF.type, _CONFLICT_CLASSES.get(field, CANCU.Conflict))
    ctx.add(node, CANCU.conflictOf, record)
    ctx.add(node, CANCU.citedDocument, cited)
    ctx.add(node, CANCU.inDocument, owner)
    ctx.add(node, CANCU.field, field)
    ctx.add(node, CANCU.conflictingValue, value)
    if isinstance(mention, Mention):
        ctx.annotate(node, mention.start, mention.end, mention.text, mention.passage_id)
