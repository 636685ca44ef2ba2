"""Document-level citation extraction on short invented plans."""

from __future__ import annotations

from ingest.extract.basis import basis_ranges
from ingest.extract.citations import extract_citations
from ingest.lang.law_names import LawEntry, LawNameTable
from ingest.model import Document, DocumentMeta, Passage, Section

LAWS = LawNameTable(
    [
        LawEntry("67/2006/QH11", "Luật", "Công nghệ thông tin", "2006-06-29", "2006"),
        LawEntry("51/2005/QH11", "Luật", "Giao dịch điện tử", "2005-11-29", "2005"),
        LawEntry("20/2023/QH15", "Luật", "Giao dịch điện tử", "2023-06-22", "2023"),
        LawEntry("86/2015/QH13", "Luật", "An toàn thông tin mạng", "2015-11-19", "2015"),
        LawEntry("01/2002/QH11", "Luật", "Ngân sách nhà nước", "2002-12-16", "2002"),
        LawEntry("83/2015/QH13", "Luật", "Ngân sách nhà nước", "2015-06-25", "2015"),
    ]
)


def _doc(text: str, **meta: str) -> Document:
    return Document(id="t", source="t.txt", text=text, meta=DocumentMeta(**meta))


def _by_number(doc: Document) -> dict[str | None, object]:
    return {c.number: c for c in extract_citations(doc, LAWS)}


PLAN = """KẾ HOẠCH
Ứng dụng công nghệ thông tin tỉnh Lào Cai năm 2018

Căn cứ Luật Công nghệ thông tin ngày 29 tháng 6 năm 2006;
Căn cứ Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước;
Căn cứ Quyết định số 1819/QĐ-Ttg, ngày 26 tháng 10 năm 2015 của Thủ tướng Chính phủ phê duyệt Chương trình quốc gia về ứng dụng CNTT;
Căn cứ Kế hoạch số 15/KH-UBND ngày 02/3/2017 của UBND tỉnh về thực hiện Nghị quyết số 36a/NQ-CP ngày 14/10/2015 của Chính phủ về Chính phủ điện tử;
I. ĐÁNH GIÁ
Năm 2017 đã triển khai Quyết định 1819 và Nghị quyết 36a; cung cấp thông tin theo Nghị định số 43/2011/NĐ-CP ngày 13/06/2011 (quy định chung của Chính phủ).
Bộ Thông tin và Truyền thông (Thông tư 26/2009/TT-BTTTT ngày 31/07/2009, Thông tư 24/2011/TT-BTTTT ngày 20/09/2011).
- Ngày 05/9/2016, Ủy ban nhân dân tỉnh ban hành Quyết định số 972/QĐ- UBND thành lập Ban chỉ đạo.
Thực hiện Kế hoạch này, các sở xây dựng kế hoạch theo Nghị quyết số 36a/NQ-CP ngày 14/10/2016.
(Kèm theo Kế hoạch số 88/KH-UBND ngày 20/12/2017 của UBND tỉnh Lào Cai)
"""


def test_full_citation_fields() -> None:
    cites = _by_number(_doc(PLAN, province="Lào Cai"))
    c = cites["64/2007/NĐ-CP"]
    assert (c.doc_type, c.date, c.issuer, c.in_basis, c.resolved_by) == (
        "Nghị định",
        "2007-04-10",
        "Chính phủ",
        True,
        "number",
    )
    assert c.title == "về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước"
    assert c.uri.endswith("/eli/vn/cp/2007/nd/64")
    assert c.mentions[0].text == "Nghị định số 64/2007/NĐ-CP ngày 10/4/2007"


def test_typo_repaired_surface_kept_and_long_date() -> None:
    c = _by_number(_doc(PLAN))["1819/QĐ-TTg"]
    assert c.date == "2015-10-26" and c.issuer == "Thủ tướng Chính phủ"
    assert "QĐ-Ttg" in c.mentions[0].text
    assert c.title.startswith("phê duyệt Chương trình quốc gia")


def test_short_references_become_mentions() -> None:
    cites = _by_number(_doc(PLAN))
    assert len(cites["1819/QĐ-TTg"].mentions) == 2
    assert cites["1819/QĐ-TTg"].mentions[1].text == "Quyết định 1819"
    assert "36" not in cites and "1819" not in cites


def test_nested_citation_in_subject_is_extracted() -> None:
    cites = _by_number(_doc(PLAN, province="Lào Cai"))
    outer = cites["15/KH-UBND"]
    assert outer.issuer == "UBND tỉnh Lào Cai" and "Nghị quyết số 36a/NQ-CP" in outer.title
    inner = cites["36a/NQ-CP"]
    assert inner.doc_type == "Nghị quyết" and inner.in_basis
    assert outer.uri.endswith("/eli/vn/lao-cai/ubnd/2017/kh/15")


def test_conflicting_date_is_recorded_first_full_wins() -> None:
    c = _by_number(_doc(PLAN))["36a/NQ-CP"]
    assert c.date == "2015-10-14"
    assert [(x["field"], x["value"]) for x in c.conflicts] == [("date", "2016-10-14")]
    assert c.conflicts[0]["mention"]["text"].endswith("14/10/2016")


def test_shared_issuer_in_parentheses_and_date_before() -> None:
    cites = _by_number(_doc(PLAN, province="Lào Cai"))
    assert cites["26/2009/TT-BTTTT"].issuer == "Bộ Thông tin và Truyền thông"
    assert cites["24/2011/TT-BTTTT"].date == "2011-09-20"
    assert cites["43/2011/NĐ-CP"].title is None and not cites["43/2011/NĐ-CP"].in_basis
    c = cites["972/QĐ-UBND"]
    assert c.date == "2016-09-05" and c.mentions[0].text == "Quyết định số 972/QĐ- UBND"


def test_own_number_is_not_a_citation() -> None:
    assert "88/KH-UBND" not in _by_number(_doc(PLAN))
    assert "15/KH-UBND" not in _by_number(_doc(PLAN, number="15/KH-UBND"))
    header = "Số: 20/KH-UBND\tLào Cai, ngày 01 tháng 3 năm 2016\nKẾ HOẠCH\nCăn cứ Nghị quyết số 26/NQ-CP ngày 15/4/2015;"
    assert list(_by_number(_doc(header))) == ["26/NQ-CP"]


def test_laws_by_name_and_date() -> None:
    text = (
        "Căn cứ Luật Giao dịch điện tử ngày 29/11/2005;\n"
        "Căn cứ Luật An toàn thông tin mạng năm 2015;\n"
        "Căn cứ Luật đầu tư công số 49/2014/QH13 của Quốc hội;\n"
        "I. MỤC TIÊU\nCung cấp thông tin theo Điều 28 của Luật Công nghệ thông tin; giao dịch theo Luật Giao dịch điện tử.\n"
        "Dự toán theo Luật ngân sách nhà nước và Luật Thư viện ngày 21/11/2019.\n"
    )
    cites = extract_citations(_doc(text), LAWS)
    by = {c.number or c.title: c for c in cites}
    gd = by["51/2005/QH11"]
    assert (
        gd.resolved_by == "law-name"
        and gd.date == "2005-11-29"
        and gd.in_basis
        and len(gd.mentions) == 2
    )
    assert by["86/2015/QH13"].date is None and by["86/2015/QH13"].in_basis
    law = by["49/2014/QH13"]
    assert (law.doc_type, law.issuer, law.title) == ("Luật", "Quốc hội", "Luật đầu tư công")
    assert by["67/2006/QH11"].in_basis is False
    budget = by["Luật ngân sách nhà nước"]  # two versions, no date: not guessed
    assert budget.number is None and budget.uri.endswith("/qh/name/ngan-sach-nha-nuoc")
    assert by["Luật Thư viện"].number is None and by["Luật Thư viện"].date == "2019-11-21"


def test_law_version_from_citing_date() -> None:
    text = "Căn cứ Luật Giao dịch điện tử;"
    assert _by_number(_doc(text, date="2016-03-01")).keys() == {"51/2005/QH11"}
    assert _by_number(_doc(text)).keys() == {None}


def test_symbol_wins_over_prose_and_official_letters() -> None:
    text = "Căn cứ Nghị định 36a/NQ-CP ngày 14/10/2015; Văn bản 2779/VPCP-KGVX của Văn phòng Chính phủ; Chỉ thị số 58-CT/TW ngày 17/10/2000 của Bộ Chính trị."
    cites = _by_number(_doc(text))
    assert cites["36a/NQ-CP"].doc_type == "Nghị quyết"
    assert cites["36a/NQ-CP"].conflicts[0]["value"] == "Nghị định"
    assert (cites["2779/VPCP-KGVX"].doc_type, cites["2779/VPCP-KGVX"].issuer) == (
        "Công văn",
        "Văn phòng Chính phủ",
    )
    assert cites["58-CT/TW"].issuer == "Bộ Chính trị"


def test_basis_list_without_prefix_under_heading() -> None:
    text = (
        "KẾ HOẠCH\nI. CĂN CỨ LẬP KẾ HOẠCH\n"
        "Nghị quyết số 26/NQ-CP ngày 15/4/2015 của Chính phủ;\n"
        "1. Quyết định số 40/2015/QĐ-TTg ngày 14/9/2015 của Thủ tướng Chính phủ.\n"
        "II. KẾT QUẢ NĂM 2016\nBan hành Kế hoạch số 396a/KH-UBND ngày 08/3/2016; thực hiện Nghị quyết 26.\n"
    )
    cites = _by_number(_doc(text))
    assert cites["26/NQ-CP"].in_basis and cites["40/2015/QĐ-TTg"].in_basis
    assert not cites["396a/KH-UBND"].in_basis
    assert len(cites["26/NQ-CP"].mentions) == 2


def test_opening_thuc_hien_is_basis_but_later_thuc_hien_is_not() -> None:
    text = (
        "KẾ HOẠCH HÀNH ĐỘNG\nThực hiện Nghị quyết số 36a/NQ-CP, ngày 14/10/2015\ncủa Chính phủ về Chính phủ điện tử\n\n"
        "I. NHIỆM VỤ\n- Căn cứ Kế hoạch số 1159/KH-UB, các sở triển khai.\n"
    )
    cites = _by_number(_doc(text))
    c = cites["36a/NQ-CP"]
    assert (c.in_basis, c.issuer, c.title) == (True, "Chính phủ", "về Chính phủ điện tử")
    assert not cites["1159/KH-UB"].in_basis


def test_basis_ranges_for_decision_with_attached_plan() -> None:
    text = (
        "QUYẾT ĐỊNH\nCăn cứ Luật X;\nXét đề nghị của Sở tại Tờ trình số 03/TTr-SBCVT ngày 27/02/2008,\n"
        "QUYẾT ĐỊNH:\nĐiều 1. Ban hành Kế hoạch.\nCăn cứ Kế hoạch này.\nKẾ HOẠCH\n1. Căn cứ lập kế hoạch\n- a\n2. Mục tiêu\n"
    )
    spans = [text[s:e].strip() for s, e in basis_ranges(text)]
    assert spans[0] == "Căn cứ Luật X;"
    assert spans[1].startswith("1. Căn cứ lập kế hoạch") and "Mục tiêu" not in spans[1]
    assert len(spans) == 2


def test_sections_and_passages_are_used_when_present() -> None:
    text = "Mở đầu.\nTheo Quyết định số 12/2013/QĐ-UBND ngày 20/7/2013 của UBND tỉnh.\n"
    start = text.index("Theo")
    doc = _doc(text)
    doc.sections = [Section("s1", "part", "I", "Căn cứ", start, len(text), 1, role="basis")]
    doc.passages = [Passage("p1", "t", text[start:], start, len(text), "basis")]
    (c,) = extract_citations(doc, LAWS)
    assert c.in_basis and c.mentions[0].passage_id == "p1"


def test_raw_text_with_nbsp_and_combining_marks() -> None:
    raw = "Căn cứ Nghi\u0323 đi\u0323nh\u00a0số\u00a064/2007/NĐ-CP ngày\u00a010/4/2007 của Chi\u0301nh phủ;"
    (c,) = extract_citations(_doc(raw), LAWS)
    assert (c.number, c.doc_type, c.date, c.issuer) == (
        "64/2007/NĐ-CP",
        "Nghị định",
        "2007-04-10",
        "Chính phủ",
    )
    m = c.mentions[0]
    assert raw[m.start : m.end] == m.text and m.text.startswith("Nghi\u0323")


def test_drafts_and_stamps_are_not_citations() -> None:
    text = "Số\t189\nĐến\tNgày: 13/1/16\n(Ban hành kèm theo Quyết định số        /QĐ-UBND ngày …/02/2019)\nĐạt 1010/1884 hồ sơ."
    assert extract_citations(_doc(text), LAWS) == []


def test_provincial_uris_use_named_or_document_province() -> None:
    text = (
        "Căn cứ Quyết định số 49/2012/QĐ-UBND ngày 26/02/2012 của Ủy ban nhân dân tỉnh về việc X;\n"
        "Căn cứ Nghị quyết số 42-NQ/TU ngày 28/8/2008 của Ban Thường vụ Tỉnh uỷ về việc Y;\n"
        "Căn cứ Quyết định số 17/2014/QĐ-UBND ngày 21/10/2014 của UBND tỉnh Hà Giang về Z;\n"
    )
    cites = _by_number(_doc(text, province="Tây Ninh"))
    assert cites["49/2012/QĐ-UBND"].uri.endswith("/eli/vn/tay-ninh/ubnd/2012/qd/49")
    assert cites["42-NQ/TU"].issuer == "Ban Thường vụ Tỉnh ủy Tây Ninh"
    assert cites["42-NQ/TU"].uri.endswith("/eli/vn/tay-ninh/tu/2008/nq/42")
    assert cites["17/2014/QĐ-UBND"].uri.endswith("/eli/vn/ha-giang/ubnd/2014/qd/17")
