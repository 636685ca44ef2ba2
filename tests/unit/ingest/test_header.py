"""Header metadata on invented snippets with the quirks the seeds show."""

from __future__ import annotations

from paths import FIXTURES

from ingest.structure.header import parse_header

FIXTURES = FIXTURES


def test_full_header_ignores_received_stamp() -> None:
    meta, attached = parse_header((FIXTURES / "plan_small.txt").read_text(encoding="utf-8"))
    assert attached is None
    assert meta.doc_type == "Kế hoạch"
    assert meta.number == "45/KH-UBND"  # not the stamp's "512"
    assert meta.date == "2018-02-05"  # not the stamp's 09/2/18
    assert meta.issuer == "UBND tỉnh An Giang" and meta.province == "An Giang"
    assert (
        meta.title
        == "Ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước tỉnh An Giang năm 2018"
    )
    assert meta.period == "2018"
    assert meta.signer == "Trần Văn Bình"
    text = (FIXTURES / "plan_small.txt").read_text(encoding="utf-8")
    for span in meta.spans.values():
        assert text[span.start : span.end] == span.text


def test_draft_blanks_give_none() -> None:
    text = (
        "\tUBND TỈNH BẮC NINH\n\tSố: ......./KH-UBND\n\tBắc Ninh, ngày …/02/2019\n\n"
        "KẾ HOẠCH\nChuyển đổi số tỉnh Bắc Ninh giai đoạn 2019 - 2025\n\nCăn cứ Luật;\n"
    )
    meta, _ = parse_header(text)
    assert meta.number is None and meta.date is None
    assert meta.issuer == "UBND tỉnh Bắc Ninh" and meta.period == "2019-2025"


def test_decision_with_attached_plan_starting_mid_title() -> None:
    text = (FIXTURES / "decision_small.txt").read_text(encoding="utf-8")
    meta, plan = parse_header(text)
    assert meta.doc_type == "Quyết định" and meta.number is None and meta.date is None
    assert meta.issuer == "UBND tỉnh Long An" and meta.signer == "Lê Thị Hoa"
    assert plan is not None and plan.doc_type == "Kế hoạch"
    assert plan.title == "Ứng dụng công nghệ thông tin tỉnh Long An năm 2020"
    assert plan.period == "2020" and plan.signer is None


def test_decision_number_from_annex_line() -> None:
    text = (
        " QUYẾT ĐỊNH\nBAN HÀNH KẾ HOẠCH CHUYỂN ĐỔI SỐ TỈNH CÀ MAU NĂM 2021\n\n"
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH CÀ MAU\nCăn cứ Luật;\nQUYẾT ĐỊNH:\n"
        "Điều 1. Ban hành Kế hoạch kèm theo.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nPhạm Văn An\n\n"
        "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ TỈNH CÀ MAU NĂM 2021\n"
        "(Ban hành kèm theo Quyết định số 77/QĐ- UBND ngày 15 tháng 01 năm 2021 của Chủ tịch UBND tỉnh)\n"
        "I. MỤC TIÊU\n"
    )
    meta, plan = parse_header(text)
    assert (meta.number, meta.date) == ("77/QĐ-UBND", "2021-01-15")
    assert meta.title == "BAN HÀNH KẾ HOẠCH CHUYỂN ĐỔI SỐ TỈNH CÀ MAU NĂM 2021"
    assert meta.issuer == "UBND tỉnh Cà Mau" and meta.signer == "Phạm Văn An"
    assert plan is not None and plan.number is None and plan.period == "2021"


def test_number_only_in_appendix_and_issuer_from_body() -> None:
    text = (
        " KẾ HOẠCH HÀNH ĐỘNG\nThực hiện Nghị quyết số 36a/NQ-CP\n\n"
        "Ủy ban nhân dân tỉnh Phú Yên xây dựng Kế hoạch hành động với nội dung sau:\n"
        "I. MỤC ĐÍCH\n1. Mục đích\nXây dựng chính quyền điện tử.\na) Giai đoạn 2016 - 2017\nb) Giai đoạn 2018 - 2020\n"
        "CHỦ TỊCH\nNguyễn Văn Tư\n\nPHỤ LỤC\n(Kèm theo Kế hoạch số 1234/KH-UBND ngày 02/3/2016 của UBND tỉnh Phú Yên)\n"
    )
    meta, _ = parse_header(text)
    assert meta.title == "KẾ HOẠCH HÀNH ĐỘNG Thực hiện Nghị quyết số 36a/NQ-CP"
    assert (meta.number, meta.date) == ("1234/KH-UBND", "2016-03-02")
    assert meta.issuer == "UBND tỉnh Phú Yên" and meta.period == "2016-2020"
    assert meta.signer == "Nguyễn Văn Tư"


def test_unknown_fields_stay_none() -> None:
    meta, attached = parse_header("Một đoạn văn bất kỳ không có tiêu đề.\n")
    assert attached is None
    assert (meta.doc_type, meta.number, meta.date, meta.issuer, meta.signer) == (None,) * 5
