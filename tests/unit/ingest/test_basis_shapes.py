"""The legal basis in every shape it is written (invented texts): which citations are basis."""

from __future__ import annotations

from ingest.extract.citations import extract_citations
from ingest.lang.law_names import LawNameTable
from ingest.model import Document, DocumentMeta

NO_LAWS = LawNameTable([])
HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH ĐIỆN BIÊN\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "Độc lập - Tự do - Hạnh phúc\n|\nSố: 90/KH-UBND\n|\nĐiện Biên, ngày 10 tháng 3 năm 2021\n"
)


def _basis(text: str) -> dict[str | None, bool]:
    doc = Document(id="t", source="t.txt", text=text, meta=DocumentMeta(province="Điện Biên"))
    return {c.number: c.in_basis for c in extract_citations(doc, NO_LAWS)}


def test_keywords_open_a_basis_clause_over_wrapped_lines() -> None:
    text = (
        "KẾ HOẠCH\nỨNG DỤNG CÔNG NGHỆ THÔNG TIN\n"
        "Căn cứ Nghị định số 11/2020/NĐ-CP ngày 20/01/2020 của Chính phủ;\n"
        "Thực hiện Quyết định số 22/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ về Chương\n"
        "trình, Quyết định số 33/QĐ-BTTTT ngày 15/3/2022 và Chỉ thị số 44/CT-TTg;\n"
        "Triển khai thực hiện Kế hoạch số 55/KH-BTTTT ngày 01/02/2021. Công văn số 66/BTTTT-THH ngày 02/02/2021.\n"
        "I. MỤC ĐÍCH\nThực hiện Quyết định số 77/QĐ-UBND ngày 05/5/2021, các sở triển khai.\n"
    )
    basis = _basis(text)
    assert all(basis[n] for n in ("11/2020/NĐ-CP", "22/QĐ-TTg", "33/QĐ-BTTTT", "44/CT-TTg"))
    assert basis["55/KH-BTTTT"] and basis["66/BTTTT-THH"]
    assert not basis["77/QĐ-UBND"]


def test_proposals_and_narrative_sentences_are_not_basis() -> None:
    text = (
        "KẾ HOẠCH\nCHUYỂN ĐỔI SỐ\n"
        "Thực hiện Quyết định số 12/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ; theo đề nghị của\n"
        "Sở Thông tin và Truyền thông tại Tờ trình số 13/TTr-STTTT ngày 22/4/2022, UBND tỉnh ban hành.\n"
        "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 14/TTr-SNV ngày 02/5/2022.\n"
    )
    basis = _basis(text)
    assert basis["12/QĐ-TTg"] and not basis["13/TTr-STTTT"] and not basis["14/TTr-SNV"]
    narrative = (
        "CHỈ THỊ\nVỀ CHUYỂN ĐỔI SỐ\nTriển khai thực hiện các Nghị quyết của Chính phủ; Ban Thường vụ\n"
        "Tỉnh ủy ban hành Nghị quyết số 15-NQ/TU ngày 10/11/2021 về chuyển đổi số.\n"
    )
    assert _basis(narrative) == {"15-NQ/TU": False}


def test_lists_under_a_basis_keyword_and_headed_lists_anywhere() -> None:
    text = (
        "QUYẾT ĐỊNH\nCăn cứ:\n- Nghị định số 21/2021/NĐ-CP ngày 01/01/2021;\n"
        "1. Thông tư số 22/2021/TT-BTTTT ngày 02/02/2021.\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành.\n"
        "PHẦN I. KẾT QUẢ\nNăm 2020 triển khai Quyết định số 23/QĐ-UBND ngày 03/3/2020.\n"
        "PHẦN II\nCƠ SỞ PHÁP LÝ\n+ Luật số 24/2018/QH14 ngày 12/6/2018;\n- Quyết định số 25/QĐ-TTg ngày 04/4/2021;\n"
        "III. NHIỆM VỤ\n- Triển khai Quyết định số 26/QĐ-UBND ngày 05/5/2021.\n"
    )
    basis = _basis(text)
    assert basis["21/2021/NĐ-CP"] and basis["22/2021/TT-BTTTT"]
    assert not basis["23/QĐ-UBND"] and not basis["26/QĐ-UBND"]
    assert basis["24/2018/QH14"] and basis["25/QĐ-TTg"]


def test_unheaded_list_directly_under_the_header() -> None:
    text = HEADER + (
        "- Quyết định số 31/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ; Thông tư số 32/2018/TT-BYT ngày\n"
        "28/12/2018 của Bộ Y tế;\n- Quyết định số 33/QĐ-BYT ngày 18/10/2019 của Bộ Y tế.\n"
        "I. MỤC ĐÍCH\n- Quán triệt Quyết định số 34/QĐ-UBND ngày 02/01/2021.\n"
    )
    basis = _basis(text)
    assert basis == {
        "31/QĐ-TTg": True,
        "32/2018/TT-BYT": True,
        "33/QĐ-BYT": True,
        "34/QĐ-UBND": False,
    }


def test_a_list_after_body_text_is_not_the_basis() -> None:
    text = HEADER + (
        "Năm 2020, tỉnh đã đạt nhiều kết quả quan trọng.\n- Quyết định số 41/QĐ-UBND ngày 03/6/2020 về cải cách;\n"
    )
    assert _basis(text) == {"41/QĐ-UBND": False}


def test_can_cu_opening_a_body_section_is_not_basis() -> None:
    text = HEADER + (
        "KẾ HOẠCH\nPHÁT TRIỂN CHÍNH QUYỀN SỐ NĂM 2022\nPhần\nI\nĐÁNH\nGIÁ KẾT QUẢ NĂM 2021\n"
        "Căn cứ Kế hoạch số 51/KH-UBND\nngày 25/12/2020 của Ủy ban nhân dân tỉnh, các sở đã triển khai.\n"
    )
    assert _basis(text) == {"51/KH-UBND": False}


def test_damaged_keyword_and_full_stop_endings() -> None:
    text = (
        "QUYẾT ĐỊNH\nCăn cứ Thông tư số 61/2011/TT-BTTTT ngày 04/10/2011 của Bộ Thông tin và Truyền thông.\n\n"
        "n cứ Quyết định số 62/2017/QĐ-TTg ngày 16/3/2017 của Thủ tướng Chính phủ.\n"
    )
    assert _basis(text) == {"61/2011/TT-BTTTT": True, "62/2017/QĐ-TTg": True}
