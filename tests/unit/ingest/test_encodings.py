"""Legacy Vietnamese encodings (TCVN3, VNI, Windows-1258) are detected and converted to
NFC, the encoding is recorded, and valid UTF-8 is never taken for one of them.

The expected bytes are written here word by word from the standards' character charts,
independently of the reader's tables, so a wrong table entry fails.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from paths import ROOT

from ingest.errors import UnreadableFileError
from ingest.read import read_path
from ingest.read.legacy import encode_cp1258, encode_tcvn3, encode_vni
from ingest.read.plain_text import read_txt

# An invented sentence, and its words in each encoding.
WORDS = (
    "Kế hoạch chuyển đổi số của tỉnh giai đoạn 2021 ứng dụng công nghệ thông tin "
    "trong cơ quan nhà nước"
).split()
TCVN3 = [
    b"K\xd5", b"ho\xb9ch", b"chuy\xd3n", b"\xae\xe6i", b"s\xe8", b"c\xf1a", b"t\xd8nh",
    b"giai", b"\xaeo\xb9n", b"2021", b"\xf8ng", b"d\xf4ng", b"c\xabng", b"ngh\xd6",
    b"th\xabng", b"tin", b"trong", b"c\xac", b"quan", b"nh\xb5", b"n\xad\xedc",
]  # fmt: skip
VNI = [
    b"Ke\xe1", b"hoa\xefch", b"chuye\xe5n", b"\xf1o\xe5i", b"so\xe1", b"cu\xfba", b"t\xe6nh",
    b"giai", b"\xf1oa\xefn", b"2021", b"\xf6\xf9ng", b"du\xefng", b"co\xe2ng", b"nghe\xe4",
    b"tho\xe2ng", b"tin", b"trong", b"c\xf4", b"quan", b"nha\xf8", b"n\xf6\xf4\xf9c",
]  # fmt: skip
CP1258 = [  # tones as combining marks: grave CC, acute EC, tilde DE, hook D2, dot F2
    b"K\xea\xec", b"hoa\xf2ch", b"chuy\xea\xd2n", b"\xf0\xf4\xd2i", b"s\xf4\xec",
    b"cu\xd2a", b"ti\xd2nh", b"giai", b"\xf0oa\xf2n", b"2021", b"\xfd\xecng", b"du\xf2ng",
    b"c\xf4ng", b"ngh\xea\xf2", b"th\xf4ng", b"tin", b"trong", b"c\xf5", b"quan",
    b"nha\xcc", b"n\xfd\xf5\xecc",
]  # fmt: skip
SENTENCE = " ".join(WORDS) + ".\n"


@pytest.mark.parametrize(
    ("encoding", "words", "encode"),
    [("tcvn3", TCVN3, encode_tcvn3), ("vni", VNI, encode_vni), ("cp1258", CP1258, encode_cp1258)],
)
def test_legacy_file_is_converted_to_nfc(
    tmp_path: Path, encoding: str, words: list[bytes], encode: object
) -> None:
    data = b" ".join(words) + b".\n"
    path = tmp_path / f"plan-{encoding}.txt"
    path.write_bytes(data)
    [src] = read_txt(path)
    assert src.raw_text == SENTENCE
    assert unicodedata.is_normalized("NFC", src.raw_text)
    assert src.encoding == encoding
    assert encode(SENTENCE) == data  # type: ignore[operator]  # the fixture encoders agree


def test_tcvn3_capital_lines_get_their_capitals_back(tmp_path: Path) -> None:
    """TCVN3 has no codes for toned capitals: a heading in the capital font is lower-case
    codes between ASCII capitals."""
    path = tmp_path / "heading.md"
    path.write_bytes(b"K\xd5 HO\xb9CH\nChuy\xd3n \xae\xe6i s\xe8 c\xf1a t\xd8nh.\n")
    [src] = read_path(path)
    assert src.raw_text == "KẾ HOẠCH\nChuyển đổi số của tỉnh.\n"
    assert src.encoding == "tcvn3"


def test_unknown_legacy_encoding_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "koi8.txt"
    path.write_bytes("План развития цифровой экономики области".encode("koi8-r"))
    with pytest.raises(UnreadableFileError, match="unknown legacy encoding") as raised:
        read_path(path)
    assert "continuation byte" not in str(raised.value)


@pytest.mark.parametrize(
    "path", sorted((ROOT / "corpus").rglob("*.txt")) + sorted((ROOT / "corpus").rglob("*.md"))
)
def test_utf8_corpus_reads_identically(path: Path) -> None:
    if path.name.upper().startswith(("LICENSE", "README")):
        pytest.skip("not a document")
    data = path.read_bytes()
    docs = read_path(path)
    assert {d.encoding for d in docs} <= {"utf-8", "utf-8-sig"}
    if path.suffix == ".txt":
        assert docs[0].raw_text == data.decode("utf-8-sig")
