"""extraction_to_graph: the triples of one document, deterministic, with provenance."""

from __future__ import annotations

from graph_fixtures import law_extraction, plan_extraction
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from graph.build import extraction_to_graph
from ingest.model import DocumentMeta, Span
from ontology import uris
from ontology.namespaces import CANCU, ELI, OA, ORG, PROV

PLAN = URIRef(uris.legal_uri("20/KH-UBND", province="Tuyên Quang", year="2017"))
DECREE = URIRef(uris.legal_uri("36a/NQ-CP"))


def test_plan_document_and_citation_triples() -> None:
    g = extraction_to_graph(plan_extraction())
    assert (PLAN, RDF.type, CANCU.Plan) in g
    assert (PLAN, ELI.id_local, Literal("20/KH-UBND")) in g
    assert (PLAN, ELI.date_document, Literal("2017-01-10", datatype=XSD.date)) in g
    assert (PLAN, CANCU.sourceFile, Literal("kh-tq.txt")) in g
    assert (PLAN, ELI.cites, DECREE) in g and (PLAN, ELI.based_on, DECREE) in g
    assert (DECREE, ELI.id_local, Literal("36a/NQ-CP")) in g
    issuer = g.value(DECREE, ELI.passed_by)
    assert (
        issuer == URIRef(uris.agency_uri("Chính phủ", None))
        and (issuer, RDF.type, ORG.Organization) in g
    )
    record = URIRef(uris.citation_record_uri(str(PLAN), str(DECREE)))
    assert (record, CANCU.inBasis, Literal(True)) in g
    ann = g.value(predicate=OA.hasBody, object=record)
    target = g.value(ann, OA.hasTarget)
    assert g.value(target, OA.hasSource) == URIRef(uris.passage_uri("kh-tq", "p-basis"))
    selectors = set(g.objects(target, OA.hasSelector))
    starts = [g.value(s, OA.start) for s in selectors if g.value(s, OA.start) is not None]
    exacts = [g.value(s, OA.exact) for s in selectors if g.value(s, OA.exact) is not None]
    text = plan_extraction().document.text
    assert exacts == [Literal("Nghị quyết số 36a/NQ-CP")]
    assert text[int(starts[0]) :].startswith("Nghị quyết số 36a/NQ-CP")
    assert (ann, PROV.wasDerivedFrom, URIRef(uris.passage_uri("kh-tq", "p-basis"))) in g


def test_entities_and_passages() -> None:
    g = extraction_to_graph(plan_extraction())
    passage = URIRef(uris.passage_uri("kh-tq", "p-body"))
    assert (passage, DCTERMS.isPartOf, PLAN) in g and (
        passage,
        CANCU.passageKind,
        Literal("tasks"),
    ) in g
    project = URIRef(uris.project_uri("kh-tq", "Trung tâm tích hợp dữ liệu tỉnh"))
    agency = URIRef(uris.agency_uri("Sở Thông tin và Truyền thông", "Tuyên Quang"))
    assert (project, CANCU.leadAgency, agency) in g
    assert (project, CANCU.budgetVndMillion, Literal("1500.0", datatype=XSD.decimal)) in g
    assert len(list(g.objects(project, CANCU.budgetLine))) == 2
    target = next(g.subjects(RDF.type, CANCU.Target))
    assert g.value(target, CANCU.indicator) == URIRef(uris.indicator_uri("dvc-muc-3-4"))
    assert g.value(target, CANCU.targetKind) == Literal("goal")


def test_deterministic_and_no_blank_nodes() -> None:
    g1, g2 = extraction_to_graph(plan_extraction()), extraction_to_graph(plan_extraction())
    assert isomorphic(g1, g2) and len(g1) == len(g2)
    assert set(g1) == set(g2)  # no blank nodes: the very same triples
    assert not any(t.__class__.__name__ == "BNode" for triple in g1 for t in triple)


def test_attached_plan_is_a_second_node() -> None:
    ex = plan_extraction()
    doc = ex.document
    doc.meta.doc_type, doc.meta.number = "Quyết định", "15/QĐ-UBND"
    body = doc.passages[2]
    doc.attached_plan = DocumentMeta(
        doc_type="Kế hoạch",
        title="Kế hoạch ứng dụng CNTT",
        province="Tuyên Quang",
        spans={"title": Span(body.start, body.start + 5, doc.text[body.start : body.start + 5])},
    )
    g = extraction_to_graph(ex)
    decision = URIRef(uris.legal_uri("15/QĐ-UBND", province="Tuyên Quang", year="2017"))
    plan = URIRef(uris.attached_plan_uri("kh-tq"))
    assert (decision, CANCU.approves, plan) in g and (plan, RDF.type, CANCU.Plan) in g
    assert (decision, RDF.type, CANCU.Plan) not in g
    assert (URIRef(uris.passage_uri("kh-tq", "p-body")), DCTERMS.isPartOf, plan) in g
    assert (decision, ELI.cites, DECREE) in g  # the basis mention precedes the plan


def test_legal_document_articles_and_in_force() -> None:
    g = extraction_to_graph(law_extraction())
    law = URIRef(uris.legal_uri("67/2006/QH11"))
    parts = set(g.objects(law, ELI.has_part))
    assert len(parts) == 2
    for art in parts:
        assert (art, ELI.is_part_of, law) in g and g.value(art, CANCU.articleId) is not None
    assert (law, ELI.in_force, ELI["InForce-inForce"]) in g
    assert (law, ELI.first_date_entry_in_force, Literal("2007-01-01", datatype=XSD.date)) in g


def test_collective_body_is_a_classified_organisation() -> None:
    from rdflib.namespace import SKOS

    from ingest.model import Agency

    ex = plan_extraction()
    ex.agencies.append(
        Agency(
            name="Ủy ban nhân dân cấp huyện",
            level="huyện",
            province="Bắc Giang",
            aliases=["UBND các huyện, thành phố"],
            uri=uris.agency_uri("Ủy ban nhân dân cấp huyện", "Bắc Giang"),
            kind="Tập thể",
            collective="district-committees",
        )
    )
    g = extraction_to_graph(ex)
    node = URIRef(uris.agency_uri("Ủy ban nhân dân cấp huyện", "Bắc Giang"))
    concept = URIRef(uris.collective_body_uri("district-committees"))
    assert (node, RDF.type, CANCU.CollectiveBody) in g
    assert (node, ORG.classification, concept) in g
    assert (node, SKOS.altLabel, Literal("UBND các huyện, thành phố", lang="vi")) in g
