"""The reflowed view: one class of layout per test, and the offset invariant."""

from __future__ import annotations

import random
import re
import unicodedata

from ingest.structure.reflow import reflow


def _back(text: str, start: int, end: int) -> str:
    view = reflow(text)
    a, b = view.to_source(start, end)
    return text[a:b]


def test_pipe_row_per_line_becomes_one_cell_per_line() -> None:
    view = reflow(
        "ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 5/KH-UBND | Lạng Sơn, ngày 2 tháng 3 năm 2020 |\n"
    )
    assert view.text.splitlines()[:4] == [
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 5/KH-UBND",
        "Lạng Sơn, ngày 2 tháng 3 năm 2020",
    ]


def test_lone_pipe_lines_and_short_lines() -> None:
    text = "ỦY\nBAN NHÂN DÂN\nTỈNH YÊN BÁI\n|\nSố:\n7/QĐ-UBND\n|\nYên Bái, ngày\n4 tháng 5 năm 2021\n|\n"
    lines = reflow(text).text.splitlines()
    assert "ỦY BAN NHÂN DÂN" in lines
    assert "Số: 7/QĐ-UBND" in lines
    assert "Yên Bái, ngày 4 tháng 5 năm 2021" in lines
    assert "|" not in reflow(text).text


def test_place_name_broken_across_lines_is_joined() -> None:
    assert "Phan Thiết, ngày" in reflow("Phan\nThiết, ngày 1 tháng 2 năm 2020").text
    assert "Hà Nội" in reflow("Hà\nNội, ngày 1 tháng 2 năm 2020").text
    # Two capitals lines that are not one name stay two lines.
    assert reflow("KẾ HOẠCH\nPHÁT TRIỂN").text == "KẾ HOẠCH\nPHÁT TRIỂN"


def test_merged_header_cells_are_split() -> None:
    text = "ỦY BAN NHÂN DÂN Số: 9/2019/QĐ-UBND | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Trà Vinh, ngày 7 tháng 6 năm 2019 |"
    lines = reflow(text).text.splitlines()
    assert lines == [
        "ỦY BAN NHÂN DÂN",
        "Số: 9/2019/QĐ-UBND",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Trà Vinh, ngày 7 tháng 6 năm 2019",
    ]


def test_glued_words_eth_dashes_and_number_spaces() -> None:
    view = reflow(
        "ngày05/3/2018 năm 2016của Nghị định 12/2020/NÐ–CP, số36-NQ/TW, 77 /BTTTT-VP, 10/TTr- STTTT, 52- NQ/TW"
    )
    assert "ngày 05/3/2018" in view.text and "2016 của" in view.text
    assert "12/2020/NĐ-CP" in view.text and "số 36-NQ/TW" in view.text
    assert "77/BTTTT-VP" in view.text and "10/TTr-STTTT" in view.text and "52-NQ/TW" in view.text
    # Phrases with spaces on both sides of the dash are not numbers.
    assert "Độc lập - Tự do" in reflow("Độc lập – Tự do").text


def test_ocr_lost_letters_and_doubled_words() -> None:
    view = reflow("n cứ Quyết định số 3/QĐ-UBND ngày ngày 2/3/2017;")
    assert view.text.startswith("Căn cứ Quyết định") and "ngày ngày" not in view.text


def test_letters_map_back_to_the_same_stored_letters() -> None:
    text = "Số: 3478 /BTTTT-VP\nBà Rịa - Vũng\nTàu, ngày05 tháng 6 năm 2020"
    view = reflow(text)
    m = re.search(r"3478/BTTTT-VP", view.text)
    assert m and _back(text, m.start(), m.end()) == "3478 /BTTTT-VP"
    m = re.search(r"Vũng Tàu", view.text)
    assert m and _back(text, m.start(), m.end()) == "Vũng\nTàu"


_PIECES = (
    "ỦY BAN NHÂN DÂN", "TỈNH ĐIỆN BIÊN", "|", " | ", "\n", "\n\n", "Số:", " 12/QĐ-UBND",
    "Hà\nNội", "ngày", "05/3/2018", "2016của", "NÐ–CP", " -", "- ", "Chính\nphủ", "n cứ ",
    "về việc", "  ", "\u00a0", "Vũng\nTàu", "KẾ HOẠCH", "e\u0301", "—", "ngày ngày", "|\n",
)  # fmt: skip


def test_offset_invariant_on_invented_texts() -> None:
    """For every view character the map points at the stored character it came from:
    letters and digits are the same ones (Ð read as Đ, composed accents composed); the
    map never goes backwards and ends at the stored length."""
    rng = random.Random(20240601)
    for _ in range(400):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 14)))
        view = reflow(text)
        assert len(view.starts) == len(view.text) + 1
        assert view.starts[-1] == len(text)
        assert all(a <= b for a, b in zip(view.starts, view.starts[1:], strict=False))
        for i, ch in enumerate(view.text):
            if ch.isalnum():
                stored = text[view.starts[i] :]
                assert stored, (text, i)
                first = stored[0].replace("\u00d0", "Đ")
                composed = unicodedata.normalize("NFC", stored[:2])[0].replace("\u00d0", "Đ")
                assert ch in (first, composed) or (ch in "Că" and stored.startswith("n")), (
                    text,
                    view.text,
                    i,
                )
        # Every alphanumeric span of the view maps back to the same alphanumerics.
        for m in re.finditer(r"\w+", view.text):
            back = _back(text, m.start(), m.end())
            got = re.sub(r"\W", "", unicodedata.normalize("NFC", back)).replace("Ð", "Đ")
            assert got.endswith(m.group(0).removeprefix("Că")) or m.group(0).startswith("Că"), (
                text,
                m.group(0),
                back,
            )
