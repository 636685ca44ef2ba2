"""Compose every extractor over one Document, and render the `cancu extract --json` shape."""

from __future__ import annotations

from typing import Any

from ingest.extract.agencies import extract_agencies
from ingest.extract.citations import extract_citations
from ingest.extract.projects import extract_projects
from ingest.extract.targets import extract_targets
from ingest.lang.law_names import LawNameTable
from ingest.model import Document, DocumentMeta, Extraction
from ingest.structure.spans import DocumentIndex
from ontology.uris import attached_plan_node_uri, own_document_uri


def extract(doc: Document, laws: LawNameTable | None = None) -> Extraction:
    """Citations, agencies, projects and targets of one document.

    Legal texts (law corpora, national code) are parts of the law, not plans: they are
    indexed and linked as articles, and no plan entities are looked for in them.
    """
    if doc.kind == "legal":
        return Extraction(document=doc)
    laws = laws if laws is not None else LawNameTable.default()
    index = DocumentIndex.of(doc)  # passages, sections and tables indexed once for all
    citations = extract_citations(doc, laws, index)
    agencies = extract_agencies(doc, index)
    projects, budget_checks = extract_projects(doc, agencies, index)
    targets = extract_targets(doc, index)
    warnings = [
        f"{doc.source}: total '{c.label}' states {c.stated:g} but its rows sum to {c.computed:g}"
        for c in budget_checks
        if c.mismatch
    ]
    return Extraction(
        document=doc,
        citations=citations,
        agencies=agencies,
        projects=projects,
        targets=targets,
        budget_checks=budget_checks,
        warnings=warnings,
    )


def meta_to_json(meta: DocumentMeta, doc_id: str) -> dict[str, Any]:
    data = meta.to_json()
    data["uri"] = own_document_uri(doc_id, meta.number, meta.province, meta.date)
    return data


def extraction_to_json(ex: Extraction) -> dict[str, Any]:
    """The documented `cancu extract --json` shape (extra keys are allowed by the contract)."""
    doc = ex.document
    document = meta_to_json(doc.meta, doc.id)
    plan = doc.attached_plan
    if plan is not None:
        document["attached_plan"] = plan.to_json() | {
            "uri": attached_plan_node_uri(
                doc.id, plan.number, plan.province or doc.meta.province, plan.date,
                document["uri"],
            )
        }  # fmt: skip
    else:
        document["attached_plan"] = None
    document["id"] = doc.id
    document["kind"] = doc.kind
    return {
        "source": doc.source,
        "document": document,
        "citations": [c.to_json() for c in ex.citations],
        "agencies": [a.to_json() for a in ex.agencies],
        "projects": [p.to_json() for p in ex.projects],
        "targets": [t.to_json() for t in ex.targets],
        "budget_checks": [
            {
                "table_id": c.table_id,
                "label": c.label,
                "stated": c.stated,
                "computed": c.computed,
                "mismatch": c.mismatch,
                "passage_id": c.passage_id,
            }
            for c in ex.budget_checks
        ],
        "warnings": ex.warnings,
    }
