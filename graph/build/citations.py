"""Citation triples of one document: the cited documents and reified ``cancu:Citation``
records (what each citing plan states about them), plus recorded in-document conflicts.

Mixed into ``graph.build.document._Builder``; citations are reified because the date, type and
title a plan states for a cited document belong to that plan, and plans disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ingest.model import Citation, Mention
from ontology import uris
from ontology.namespaces import CANCU, ELI

if TYPE_CHECKING:
    from ingest.model import Document, Extraction, Passage


def iso_date(value: str | None) -> Literal | None:
    """An xsd:date literal for a full ISO date; partial or broken dates give None."""
    if not value:
        return None
    try:
        return Literal(dt.date.fromisoformat(value[:10]).isoformat(), datatype=XSD.date)
    except ValueError:
        return None


class BuilderContext:
    """The state and helpers that ``graph.build.document._Builder`` gives the triple mixins."""

    if TYPE_CHECKING:  # provided by graph.build.document._Builder, which mixes this class in
        ex: Extraction
        doc: Document
        province: str | None
        doc_uri: URIRef
        plan_uri: URIRef | None
        plan_start: int | None
        passages: dict[str, Passage]

        def add(self, s: URIRef, p: URIRef, o: Any) -> None: ...
        def owner_at(self, offset: int | None) -> URIRef: ...
        def passage_node(self, passage_id: str | None) -> URIRef | None: ...
        def concept(self, uri: str, label: str, scheme: str) -> URIRef: ...
        def province_node(self, province: str | None) -> URIRef | None: ...
        def org(self, name: str, *, province: str | None, level: str | None = None) -> URIRef: ...
        def annotate(
            self,
            body: URIRef,
            start: int,
            end: int,
            text: str | None,
            passage_id: str | None,
            *,
            field: str | None = None,
        ) -> URIRef: ...
        def annotate_mentions(self, body: URIRef, mentions: list[Mention]) -> None: ...


class CitationTriples(BuilderContext):
    """Citation and conflict triples; relies on the helpers of ``graph.build.document._Builder``."""

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

    def legal_resource(
        self,
        node: URIRef,
        number: str | None,
        doc_type: str | None,
        date: str | None,
        title: str | None,
    ) -> None:
        """The ELI core of any legal resource, ingested or only cited."""
        self.add(node, RDF.type, ELI.LegalResource)
        self.add(node, ELI.id_local, number)
        if doc_type:
            self.add(
                node,
                ELI.type_document,
                self.concept(uris.doc_type_uri(doc_type), doc_type, "doctype"),
            )
        self.add(node, ELI.date_document, iso_date(date))
        if title:
            self.add(node, ELI.title, Literal(title, lang="vi"))

    def citation(self, c: Citation) -> None:
        cited = self.cited_node(c)
        parts = uris.parse_number(c.number) if c.number else None
        national = parts.is_national if parts else c.number is None
        self.legal_resource(cited, c.number, c.doc_type, c.date, c.title)
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
