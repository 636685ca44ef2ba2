"""Small hand-made Vietnamese extractions for the graph tests (no ingest code needed)."""

from __future__ import annotations

from graph.build import extraction_to_graph
from graph.store import GraphStore
from ingest.model import (
    Agency,
    BudgetCheck,
    Citation,
    Document,
    DocumentMeta,
    Extraction,
    Mention,
    Passage,
    Project,
    Span,
    Target,
)


def _mention(text: str, needle: str, passage_id: str) -> Mention:
    start = text.index(needle)
    return Mention(start, start + len(needle), needle, passage_id)


def plan_extraction(
    doc_id: str = "kh-tq",
    province: str = "Tuyên Quang",
    number: str = "20/KH-UBND",
    decree_date: str = "2015-10-14",
) -> Extraction:
    """A plan that cites Nghị quyết 36a/NQ-CP (date as given) in its legal basis."""
    d = decree_date.split("-")
    basis = f"Căn cứ Nghị quyết số 36a/NQ-CP ngày {d[2]}/{d[1]}/{d[0]} của Chính phủ về Chính phủ điện tử;"
    header = f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}\nSố: {number}\nKẾ HOẠCH Ứng dụng công nghệ thông tin năm 2017\n"
    body = (
        "Sở Thông tin và Truyền thông chủ trì xây dựng Trung tâm tích hợp dữ liệu tỉnh, kinh phí 1.500 triệu đồng. "
        "Mục tiêu: 100% cơ quan nhà nước cung cấp dịch vụ công trực tuyến mức độ 3."
    )
    text = header + basis + "\n" + body
    b0 = len(header)
    passages = [
        Passage("p-head", doc_id, header, 0, len(header), "header"),
        Passage("p-basis", doc_id, basis, b0, b0 + len(basis), "basis", section="Căn cứ"),
        Passage("p-body", doc_id, body, b0 + len(basis) + 1, len(text), "tasks", section="III > 1"),
    ]
    meta = DocumentMeta(
        doc_type="Kế hoạch",
        number=number,
        date="2017-01-10",
        issuer=f"UBND tỉnh {province}",
        province=province,
        period="2017",
        title="Ứng dụng công nghệ thông tin năm 2017",
        spans={"number": Span(text.index(number), text.index(number) + len(number), number)},
    )
    doc = Document(
        id=doc_id,
        source=f"{doc_id}.txt",
        text=text,
        meta=meta,
        passages=passages,
        content_hash=f"h-{doc_id}",
    )
    cit = Citation(
        number="36a/NQ-CP",
        doc_type="Nghị quyết",
        date=decree_date,
        issuer="Chính phủ",
        title="về Chính phủ điện tử",
        in_basis=True,
        mentions=[_mention(text, "Nghị quyết số 36a/NQ-CP", "p-basis")],
        resolved_by="number",
    )
    sở = Agency(
        name="Sở Thông tin và Truyền thông",
        level="tỉnh",
        province=province,
        aliases=["Sở TT&TT"],
        kind="Sở",
        mentions=[_mention(text, "Sở Thông tin và Truyền thông", "p-body")],
        roles=[
            {
                "role": "lead",
                "task": "xây dựng Trung tâm tích hợp dữ liệu tỉnh",
                "passage_id": "p-body",
            }
        ],
    )
    project = Project(
        name="Trung tâm tích hợp dữ liệu tỉnh",
        lead_agency="Sở Thông tin và Truyền thông",
        budget_vnd_million=1500.0,
        budget_by_year={"2017": 1500.0},
        budget_by_source={"ngân sách tỉnh": 1500.0},
        period="2017",
        mentions=[_mention(text, "Trung tâm tích hợp dữ liệu tỉnh", "p-body")],
    )
    target = Target(
        indicator="Cơ quan nhà nước cung cấp dịch vụ công trực tuyến mức độ 3",
        value=100.0,
        unit="%",
        year_or_period="2017",
        kind="goal",
        indicator_group="dvc-muc-3-4",
        mentions=[_mention(text, "100% cơ quan nhà nước", "p-body")],
    )
    check = BudgetCheck(
        table_id="t1", label="Tổng cộng", stated=1500.0, computed=1500.0, passage_id="p-body"
    )
    return Extraction(
        document=doc,
        citations=[cit],
        agencies=[sở],
        projects=[project],
        targets=[target],
        budget_checks=[check],
    )


def law_extraction() -> Extraction:
    """A legal text (kind="legal") with two articles and an in-force status."""
    a1 = "Điều 1. Phạm vi điều chỉnh\nLuật này quy định về hoạt động ứng dụng và phát triển công nghệ thông tin."
    a2 = "Điều 2. Đối tượng áp dụng\nLuật này áp dụng đối với tổ chức, cá nhân."
    text = a1 + "\n" + a2
    passages = [
        Passage("a1", "luat-cntt", a1, 0, len(a1), "article", section="Điều 1", article_id="1"),
        Passage(
            "a2",
            "luat-cntt",
            a2,
            len(a1) + 1,
            len(text),
            "article",
            section="Điều 2",
            article_id="2",
        ),
    ]
    meta = DocumentMeta(
        doc_type="Luật",
        number="67/2006/QH11",
        date="2006-06-29",
        issuer="Quốc hội",
        title="Luật Công nghệ thông tin",
    )
    doc = Document(
        id="luat-cntt",
        source="law.json#67/2006/QH11",
        text=text,
        kind="legal",
        meta=meta,
        passages=passages,
        content_hash="h-law",
        extra={"status": "in_force", "effective_date": "2007-01-01"},
    )
    return Extraction(document=doc)


def two_plans_and_a_law_store() -> GraphStore:
    """A store holding two plans that cite the same resolution differently, and a law."""
    store = GraphStore()
    for ex in (
        plan_extraction("kh-tq", "Tuyên Quang", "20/KH-UBND", "2015-10-14"),
        plan_extraction("kh-bg", "Bắc Giang", "3701/KH-UBND", "2015-10-15"),
        law_extraction(),
    ):
        store.replace_document(ex.document.id, extraction_to_graph(ex), ex.document.content_hash)
    return store
