"""Citations written in every word order and with old or unusual symbols (invented texts)."""

from __future__ import annotations

from ingest.extract.citations import extract_citations
from ingest.lang.law_names import LawNameTable
from ingest.model import Citation, Document, DocumentMeta

NO_LAWS = LawNameTable([])


def _cites(text: str, province: str | None = None) -> dict[str | None, Citation]:
    doc = Document(id="t", source="t.txt", text=text, meta=DocumentMeta(province=province))
    return {c.number: c for c in extract_citations(doc, NO_LAWS)}


def test_date_and_issuer_before_the_number() -> None:
    text = (
        "Mở đầu.\nNgày 12 tháng 5 năm 2008, Chính phủ ban hành Nghị định số 71/2008/NĐ-CP về chợ."
    )
    c = _cites(text)["71/2008/NĐ-CP"]
    assert (c.date, c.issuer) == ("2008-05-12", "Chính phủ")


def test_date_before_number_over_a_line_break() -> None:
    text = "Để quản lý tốt, ngày 09/3/2014, Bộ Nội vụ đã ban hành Thông tư\nsố 11/2014/TT-BNV quy định chế độ."
    c = _cites(text)["11/2014/TT-BNV"]
    assert (c.date, c.issuer, c.doc_type) == ("2014-03-09", "Bộ Nội vụ", "Thông tư")


def test_issuer_between_type_and_number() -> None:
    text = (
        "Căn cứ Nghị quyết của Ban Chấp hành Đảng bộ tỉnh số 09-NQ/TU ngày 02/6/2016 về cải cách;"
    )
    c = _cites(text, province="Yên Bái")["09-NQ/TU"]
    assert (c.doc_type, c.date, c.in_basis) == ("Nghị quyết", "2016-06-02", True)
    assert c.issuer is not None and c.issuer.startswith("Ban Chấp hành Đảng bộ tỉnh")


def test_issuer_before_date() -> None:
    text = "Căn cứ Nghị định số 15/2012/NĐ-CP của Chính phủ ngày 09 tháng 3 năm 2012 về đo lường;"
    c = _cites(text)["15/2012/NĐ-CP"]
    assert (c.date, c.issuer) == ("2012-03-09", "Chính phủ")


def test_one_issuer_for_a_group() -> None:
    text = (
        "Căn cứ các văn bản của Bộ Thông tin và Truyền thông: Công văn số 1178/BTTTT-THH "
        "ngày 21/4/2015; Công văn số 2132/BTTTT-KHCN ngày 12/7/2016;"
    )
    cites = _cites(text)
    for number in ("1178/BTTTT-THH", "2132/BTTTT-KHCN"):
        assert cites[number].issuer == "Bộ Thông tin và Truyền thông" and cites[number].in_basis


def test_citation_in_brackets_after_what_it_approves() -> None:
    text = "Thực hiện Đề án phát triển nhân lực (Quyết định 1755/QĐ-TTg ngày 22/9/2010), tỉnh ban hành."
    c = _cites(text)["1755/QĐ-TTg"]
    assert (c.doc_type, c.date, c.in_basis) == ("Quyết định", "2010-09-22", True)


def test_dates_with_dots_and_wrapped_after_comma() -> None:
    text = (
        "Căn cứ Quyết định số 48/2012/QĐ-UBND ngày 15.3.2012 của UBND tỉnh;\n"
        "Căn cứ Nghị quyết số 17/NQ-CP,\nngày 07 tháng\n3 năm 2019 của Chính phủ;\n"
        "Căn cứ Nghị quyết số 43-NQ/TW 28/11/2014 của Bộ Chính trị;\n"
        "Căn cứ Luật Đất đai ngày ngày 29/11/2013;"
    )
    cites = _cites(text, province="Phú Thọ")
    assert cites["48/2012/QĐ-UBND"].date == "2012-03-15"
    assert cites["17/NQ-CP"].date == "2019-03-07"
    assert cites["43-NQ/TW"].date == "2014-11-28"


def test_colon_after_so_lower_case_types_and_van_ban() -> None:
    text = (
        "Xét đề nghị của Sở Nội vụ tại Tờ trình số: 77/TTr-SNV ngày 03/4/2019;\n"
        "theo quyết định số 120/QĐ-UBND ngày 05/01/2019 và văn bản số 245/UBND-KT ngày 08/02/2019."
    )
    cites = _cites(text, province="Lai Châu")
    assert cites["77/TTr-SNV"].doc_type == "Tờ trình"
    assert cites["77/TTr-SNV"].issuer == "Sở Nội vụ tỉnh Lai Châu"
    assert cites["120/QĐ-UBND"].doc_type == "Quyết định"
    assert cites["245/UBND-KT"].doc_type == "Công văn"


def test_old_and_unusual_symbols() -> None:
    text = (
        "Căn cứ Quyết định số 15/2001/QĐ.UB ngày 02/3/2001 của UBND tỉnh;\n"
        "Căn cứ Quyết định số 321/QĐ/BYT-TCCB ngày 05/02/1999 của Bộ Y tế;\n"
        "Căn cứ Công văn số 1020/BTTTT-THH-ATTT ngày 01/4/2020; Công văn số 880/BTTTT-PTTH&TTĐT ngày 10/3/2021;\n"
        "Căn cứ Nghị quyết số 12–NQ/TU ngày 02/10/2021 và Chỉ thị số 05 - CT/TW ngày 15/5/2016;\n"
        "Căn cứ Nghị định số 61/2018/NÐ-CP ngày 23/4/2018;"
    )
    cites = _cites(text, province="Bắc Kạn")
    for number in (
        "15/2001/QĐ.UB",
        "321/QĐ/BYT-TCCB",
        "1020/BTTTT-THH-ATTT",
        "880/BTTTT-PTTH&TTĐT",
        "12-NQ/TU",
        "05-CT/TW",
        "61/2018/NĐ-CP",
    ):
        assert number in cites and cites[number].in_basis, number
    assert cites["321/QĐ/BYT-TCCB"].doc_type == "Quyết định"


def test_party_document_type_from_the_words_before_its_symbol() -> None:
    text = "Thực hiện Chương trình hành động số 07-CT/TU ngày 05/8/2021 của Tỉnh ủy và Chỉ thị số 15-CT/TU."
    cites = _cites(text, province="Gia Lai")
    assert cites["07-CT/TU"].doc_type == "Chương trình"
    assert cites["15-CT/TU"].doc_type == "Chỉ thị"


def test_symbol_with_dropped_d_from_a_pdf_text_layer() -> None:
    text = "Căn c Ngh nh s 32/2009/N -CP ngày 02 tháng 4 năm 2009 c a Chính ph ;"
    assert _cites(text)["32/2009/NĐ-CP"].doc_type == "Nghị định"


def test_citation_cut_by_the_end_of_the_text() -> None:
    text = (
        "Căn cứ Quyết định số 1600/QĐ-UBND ngày 04/8/2020 của UBND tỉnh;\n"
        "I. KẾT QUẢ\nTriển khai Quyết định số 1600/QĐ-U"
    )
    cites = _cites(text, province="Sơn La")
    assert list(cites) == ["1600/QĐ-UBND"] and len(cites["1600/QĐ-UBND"].mentions) == 2
    assert list(_cites("Triển khai Quyết định số 2210/QĐ-U")) == []


def test_own_number_and_self_references_are_not_citations() -> None:
    text = (
        "ỦY BAN NHÂN DÂN Số: 31/2020/QĐ-UBND | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "BỘ NỘI VỤ\nSố:\n412/QĐ-BNV\n"
        "Căn cứ Nghị định số 34/2017/NĐ-CP ngày 03/4/2017 của Chính phủ;\n"
        "QUY CHẾ\n(Ban hành kèm theo Quyết định số 31/2020/QĐ-UBND ngày 02/6/2020)\n"
    )
    assert list(_cites(text)) == ["34/2017/NĐ-CP"]
