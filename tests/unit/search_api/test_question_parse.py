"""Question parsing and sentence highlighting: pure functions, no workspace."""

from __future__ import annotations

import pytest

from ingest.lang.numbers import find_doc_refs, ref_matches
from search_api.qa.highlight import best_sentence, idf_from_texts, split_sentences
from search_api.qa.parse import find_provinces, find_years, parse_question


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Kế hoạch nào căn cứ Nghị định 64/2007/NĐ-CP?", "cited_by"),
        ("Văn bản nào trích dẫn NĐ 64?", "cited_by"),
        ("Những tỉnh nào thực hiện Quyết định 1819?", "cited_by"),
        ("Tây Ninh năm 2019 căn cứ những văn bản nào?", "citations_of"),
        ("tay ninh nam 2019 can cu nhung van ban nao?", "citations_of"),
        ("Kế hoạch 88/KH-UBND căn cứ những văn bản nào?", "citations_of"),
        ("Sở nào chủ trì xây dựng cổng thông tin điện tử?", "lead_agency"),
        ("Đơn vị nào chịu trách nhiệm chính triển khai ISO điện tử?", "lead_agency"),
        ("Nghị định 64/2007 là gì?", "legal_document"),
        ("Nhiệm vụ của Sở Tài chính tỉnh Tây Ninh là gì?", "agency_tasks"),
        ("Các dự án của Sở TT&TT tỉnh Hải Dương có kinh phí bao nhiêu?", "projects"),
        ("Những chỉ tiêu về dịch vụ công trực tuyến của Bắc Kạn?", "targets"),
        (
            "Hạn chót để Văn phòng UBND tỉnh Bắc Giang hoàn tất liên kết văn bản là khi nào?",
            "factoid",
        ),
    ],
)
def test_intent(question: str, intent: str) -> None:
    assert parse_question(question).intent == intent


def test_full_and_short_document_references() -> None:
    refs = find_doc_refs("Nghị định 64/2007/NĐ-CP, NĐ 64, Quyết định số 1819 và Nghị quyết 36a")
    assert [(r.number, r.seq, r.type_code) for r in refs] == [
        ("64/2007/NĐ-CP", "64", "NĐ"),
        (None, "64", "NĐ"),
        (None, "1819", "QĐ"),
        (None, "36a", "NQ"),
    ]
    assert refs[0].surface == "Nghị định 64/2007/NĐ-CP"


def test_short_reference_matches_canonical_numbers() -> None:
    nd64 = find_doc_refs("NĐ 64")[0]
    assert ref_matches(nd64, "64/2007/NĐ-CP")
    assert not ref_matches(nd64, "64/QĐ-TTg")
    assert not ref_matches(nd64, "640/2007/NĐ-CP")
    with_year = find_doc_refs("Nghị định 64/2007")[0]
    assert with_year.year == "2007" and not ref_matches(with_year, "64/2008/NĐ-CP")
    assert ref_matches(find_doc_refs("Quyết định 1819")[0], "1819/QĐ-TTg")
    assert ref_matches(find_doc_refs("Nghị quyết 36a")[0], "36a/NQ-CP")


def test_plan_years_are_not_document_numbers() -> None:
    assert find_doc_refs("Kế hoạch năm 2017 của tỉnh") == []
    assert find_doc_refs("Kế hoạch 2017") == []
    assert find_doc_refs("hoạt động 24/7") == []


def test_provinces_accent_insensitive_only_without_accents() -> None:
    assert find_provinces("Tây Ninh năm 2019") == ["Tây Ninh"]
    assert find_provinces("tỉnh tay ninh") == ["Tây Ninh"]
    assert find_provinces("Khánh Hoà và Hòa Bình") == ["Khánh Hòa", "Hòa Bình"]
    # "Hà ... năm" must not read as "Hà Nam" when accents are written
    assert find_provinces("Thành phố Hà Nội năm 2019") == ["Hà Nội"]
    assert "Hà Nam" not in find_provinces("kế hoạch của Hà năm 2019")


def test_years_skip_numbers_and_read_ranges() -> None:
    q = "Nghị định 64/2007/NĐ-CP năm 2019"
    refs = find_doc_refs(q)
    assert find_years(q, [(r.start, r.end) for r in refs]) == (2019, 2019)
    assert find_years("giai đoạn 2016 - 2020") == (2016, 2020)
    assert find_years("trước năm 2020") == (None, 2019)
    assert find_years("không có năm") == (None, None)


def test_agencies_and_topic() -> None:
    parsed = parse_question(
        "Hạn chót để Văn phòng UBND tỉnh Bắc Giang hoàn tất liên kết là khi nào?"
    )
    assert [a.name for a in parsed.agencies] == ["Văn phòng Ủy ban nhân dân tỉnh"]
    assert parsed.provinces == ["Bắc Giang"]
    assert "Văn phòng" not in parsed.topic and "khi nào" not in parsed.topic
    assert "hoàn tất liên kết" in parsed.topic


def test_split_sentences_keeps_offsets_and_labels() -> None:
    text = "I. MỤC ĐÍCH\n\na) Hoàn thành kết nối trước ngày 01/01/2016. Triển khai tại TP. Hồ Chí Minh; Sở X chủ trì.\nb)\nCung cấp 100% dịch vụ."
    spans = split_sentences(text)
    got = [text[s:e] for s, e in spans]
    assert got == [
        "I. MỤC ĐÍCH",
        "a) Hoàn thành kết nối trước ngày 01/01/2016.",
        "Triển khai tại TP. Hồ Chí Minh;",
        "Sở X chủ trì.",
        "b)\nCung cấp 100% dịch vụ.",
    ]


def test_best_sentence_prefers_rare_overlap_and_dates() -> None:
    text = (
        "Các sở, ban, ngành triển khai kế hoạch. "
        "Văn phòng UBND tỉnh hoàn thành kết nối trục liên thông văn bản quốc gia trước ngày 30 tháng 6 năm 2019. "
        "Các sở phối hợp cập nhật danh mục mã định danh."
    )
    idf = idf_from_texts([text, "Các sở, ban, ngành triển khai kế hoạch.", "Các sở phối hợp."])
    hl = best_sentence("Hạn chót kết nối trục liên thông văn bản là khi nào?", text, idf)
    assert hl is not None and hl.text.startswith("Văn phòng UBND tỉnh hoàn thành")
    assert text[hl.start : hl.end] == hl.text
