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


# One invented header per layout / shape class (real sites render documents this way).


def test_pipe_rows_without_type_line_or_province_line() -> None:
    text = (
        "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 31/2018/QĐ-UBND | Rạch Giá, ngày 4 tháng 5 năm 2018 |\n"
        "BAN HÀNH QUY CHẾ SỬ DỤNG THƯ ĐIỆN TỬ\n"
        "ỦY BAN NHÂN DÂN TỈNH\nCăn cứ Luật Công nghệ thông tin ngày 29/6/2006;\n"
    )
    meta, _ = parse_header(text)
    assert meta.doc_type == "Quyết định" and meta.number == "31/2018/QĐ-UBND"
    assert meta.date == "2018-05-04" and meta.province == "Kiên Giang"  # Rạch Giá
    assert meta.issuer == "UBND tỉnh Kiên Giang"
    assert meta.title == "BAN HÀNH QUY CHẾ SỬ DỤNG THƯ ĐIỆN TỬ"
    assert text[meta.spans["number"].start : meta.spans["number"].end] == "31/2018/QĐ-UBND"


def test_short_lines_with_lone_pipes_and_broken_words() -> None:
    text = (
        "ỦY\nBAN NHÂN DÂN\nTỈNH GIA LAI\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n|\nSố:\n88/KH-UBND\n|\nPleiku, ngày\n3 tháng 2 năm 2022\n|\n"
        "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ TRÊN ĐỊA\nBÀN TỈNH NĂM 2022\n"
        "Thực hiện Quyết định số 1/QĐ-TTg ngày 2/1/2020 của Thủ tướng Chính phủ;\n"
    )
    meta, _ = parse_header(text)
    assert (meta.doc_type, meta.number, meta.date) == ("Kế hoạch", "88/KH-UBND", "2022-02-03")
    assert meta.issuer == "UBND tỉnh Gia Lai" and meta.province == "Gia Lai"
    assert meta.title == "CHUYỂN ĐỔI SỐ TRÊN ĐỊA BÀN TỈNH NĂM 2022"  # body not included
    assert meta.spans["date"].text.replace("\n", " ") == "ngày 3 tháng 2 năm 2022"


def test_merged_cells_on_one_line() -> None:
    text = (
        "ỦY BAN NHÂN DÂN Số: 5/2020/QĐ-UBND | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM "
        "Bến Tre, ngày 07 tháng 06 năm 2020 |\nQUYẾT ĐỊNH\nBAN HÀNH QUY CHẾ X\n"
    )
    meta, _ = parse_header(text)
    assert (meta.number, meta.date, meta.province) == ("5/2020/QĐ-UBND", "2020-06-07", "Bến Tre")


def test_draft_with_blank_number_and_day_gives_none() -> None:
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH SƠN LA\nSố:\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n/KH-UBND\n\n"
        "Sơn La, ngày\n\ntháng 04 năm 2019\n\nDự thảo\n\nKẾ HOẠCH\nCHUYỂN ĐỔI SỐ\n"
    )
    meta, _ = parse_header(text)
    assert meta.number is None and meta.date is None
    assert meta.doc_type == "Kế hoạch" and meta.province == "Sơn La"


def test_ministry_circular_without_type_line() -> None:
    text = (
        "BỘ THÔNG TIN VÀ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 9/2019/TT-BTTTT | Hà Nội, ngày 1 tháng 2 năm 2019 |\n"
        "QUY ĐỊNH VỀ CHỮ KÝ SỐ\nCăn cứ Luật Giao dịch điện tử ngày 29/11/2005;\n"
        "Căn cứ Nghị định về tỉnh Lào Cai;\n"
    )
    meta, _ = parse_header(text)
    assert meta.doc_type == "Thông tư" and meta.number == "9/2019/TT-BTTTT"
    assert meta.issuer == "Bộ Thông tin và Truyền thông"  # truncated cell, one ministry
    assert meta.province is None  # a ministry has no province
    assert meta.title == "QUY ĐỊNH VỀ CHỮ KÝ SỐ"


def test_prime_minister_letter_subject_is_the_title() -> None:
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\n-------\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n\nSố: 77/TTg-KGVX\nV/v: giao nhiệm vụ năm 2016\n\n"
        "và các năm sau\n\nHà Nội, ngày 02 tháng 12 năm 2015\n\nKính gửi: Các bộ\n\n"
        "KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\n\nNguyễn Văn Bình\n"
    )
    meta, _ = parse_header(text)
    assert meta.doc_type == "Công văn" and meta.number == "77/TTg-KGVX"
    assert meta.issuer == "Thủ tướng Chính phủ" and meta.province is None
    assert meta.title == "giao nhiệm vụ năm 2016 và các năm sau"
    assert meta.signer == "Nguyễn Văn Bình"


def test_council_heading_over_a_ubnd_number() -> None:
    text = (
        "HỘI ĐỒNG NHÂN DÂN\nTỈNH BẮC KẠN\n\nSố: 12/QĐ-UBND\n\nBắc Kạn, ngày 5 tháng 3 năm 2015\n\n"
        "QUYẾT ĐỊNH\nVỀ VIỆC Y\n"
    )
    meta, _ = parse_header(text)
    assert meta.issuer == "UBND tỉnh Bắc Kạn"


def test_department_under_its_ubnd_heading_is_the_issuer() -> None:
    # Cells read row by row: the motto sits between the UBND line and the department line.
    text = (
        "UBND TỈNH ĐIỆN BIÊN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SỞ KẾ HOẠCH VÀ ĐẦU TƯ | Độc lập - Tự do - Hạnh phúc\n"
        "Số: 410/SKHĐT-TH | Điện Biên Phủ, ngày 9 tháng 6 năm 2020\n"
        "V/v góp ý dự thảo kế hoạch\n"
    )
    meta, _ = parse_header(text)
    assert meta.issuer == "Sở Kế hoạch và Đầu tư tỉnh Điện Biên"
    assert meta.province == "Điện Biên" and meta.doc_type == "Công văn"
    span = meta.spans["issuer"]
    assert text[span.start : span.end].startswith("SỞ KẾ HOẠCH VÀ ĐẦU TƯ")


def test_no_header_gives_null_fields() -> None:
    text = (
        "Thực hiện Nghị định số 61/2018/NĐ-CP ngày 23 tháng 4 năm 2018 của Chính phủ,\n"
        "Ủy ban nhân dân thành phố ban hành Kế hoạch triển khai như sau:\n1. Mục đích\n"
    )
    meta, _ = parse_header(text)
    assert meta.number is None and meta.date is None and meta.province is None
    assert meta.doc_type == "Kế hoạch"  # from the enacting formula
