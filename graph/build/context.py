"""The state of one extraction being turned into triples, and the helpers every part of
the builder shares: adding a triple, the owner of a span, passages, concepts, places,
organisations and Web Annotations.

``graph.build.document``, ``graph.build.citations`` and ``graph.build.entities`` are
functions over one ``BuilderContext``: the context knows nothing of them.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from ingest.model import Document, Extraction, Mention
from ingest.structure import PassageIndex
from ontology import uris
from ontology.namespaces import CANCU, OA, ORG, SCHEMA, bind_prefixes

QUOTE_CONTEXT = 32  # characters of prefix/suffix in a TextQuoteSelector


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


class BuilderContext:
    """Holds the graph and lookups while one extraction is turned into triples."""

    def __init__(self, ex: Extraction) -> None:
        self.ex = ex
        self.doc: Document = ex.document
        self.g = bind_prefixes(Graph())
        meta = self.doc.meta
        self.province = meta.province
        self.doc_uri = URIRef(
            uris.own_document_uri(self.doc.id, meta.number, meta.province, meta.date)
        )
        self.plan_uri: URIRef | None = None
        self.plan_start: int | None = None
        if self.doc.attached_plan is not None:
            plan = self.doc.attached_plan
            self.plan_uri = URIRef(
                uris.attached_plan_node_uri(
                    self.doc.id, plan.number, plan.province or meta.province, plan.date,
                    str(self.doc_uri),
                )
            )  # fmt: skip
            starts = [s.start for s in plan.spans.values()]
            self.plan_start = min(starts) if starts else None
        self.passages = {p.id: p for p in self.doc.passages}
        # Mentions without a passage id are placed by offset: bisection, not a scan each.
        self.passage_index = PassageIndex(self.doc.passages)
        self.agency_by_name: dict[str, URIRef] = {}
        for a in ex.agencies:
            uri = URIRef(a.uri or uris.agency_uri(a.name, a.province))
            for n in [a.name, *a.aliases]:
                self.agency_by_name.setdefault(n.casefold(), uri)

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
            if passage_id is not None and passage_id in self.passages
            else None
        )

    def passage_kind_at(self, m: Mention) -> str | None:
        """The kind ("basis", "body", ...) of the passage a mention lies in."""
        p = self.passages.get(m.passage_id or "") or self.passage_index.at(m.start)
        return p.kind if p else None

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
            p = self.passage_index.at(start)
            passage_id = p.id if p else None
        ann_uri = uris.mention_annotation_uri(str(body), self.doc.id, passage_id, start, end, field)
        ann = URIRef(ann_uri)
        source = self.passage_node(passage_id) or self.owner_at(start)
        target = URIRef(uris.annotation_target_uri(ann_uri))
        pos = URIRef(uris.position_selector_uri(ann_uri))
        quote = URIRef(uris.quote_selector_uri(ann_uri))
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
