"""Legacy Vietnamese 8-bit encodings of older government files: TCVN3 (ABC), VNI and
Windows-1258, detected by how Vietnamese the decoded words look and converted to NFC.

Only bytes that are not UTF-8 come here, so valid UTF-8 never reaches the detector. Each
candidate decoding is scored by the share of its non-ASCII words that are well-formed
Vietnamese syllables (consonant onset, a vowel nucleus with at most one tone, a legal
coda); a decoding wins only when most of its words are syllables, else the encoding is
unknown. The tables below are written from the standards' character charts.
"""

from __future__ import annotations

import codecs
import unicodedata

__all__ = [
    "LEGACY_ENCODINGS",
    "decode_legacy",
    "encode_cp1258",
    "encode_tcvn3",
    "encode_vni",
    "is_syllable",
    "syllable_share",
]

# TCVN 5712:1993 (TCVN3, "ABC" fonts such as .VnTime): one byte per letter. Toned capitals
# have no code of their own (the capital fonts draw the lower-case codes as capitals).
_TCVN3_LETTERS = (
    "\xa1Ă \xa2Â \xa3Ê \xa4Ô \xa5Ơ \xa6Ư \xa7Đ \xa8ă \xa9â \xaaê \xabô \xacơ \xadư \xaeđ "
    "\xb5à \xb6ả \xb7ã \xb8á \xb9ạ \xbbằ \xbcẳ \xbdẵ \xbeắ \xc6ặ "
    "\xc7ầ \xc8ẩ \xc9ẫ \xcaấ \xcbậ \xccè \xceẻ \xcfẽ \xd0é \xd1ẹ "
    "\xd2ề \xd3ể \xd4ễ \xd5ế \xd6ệ \xd7ì \xd8ỉ \xdcĩ \xddí \xdeị "
    "\xdfò \xe1ỏ \xe2õ \xe3ó \xe4ọ \xe5ồ \xe6ổ \xe7ỗ \xe8ố \xe9ộ "
    "\xeaờ \xebở \xecỡ \xedớ \xeeợ \xefù \xf1ủ \xf2ũ \xf3ú \xf4ụ "
    "\xf5ừ \xf6ử \xf7ữ \xf8ứ \xf9ự \xfaỳ \xfbỷ \xfcỹ \xfdý \xfeỵ"
)
TCVN3_TABLE: dict[int, str] = {ord(pair[0]): pair[1] for pair in _TCVN3_LETTERS.split()}

# VNI-Windows: an ASCII base letter followed by mark bytes (shown here as their Latin-1
# glyphs, lower-case marks after lower-case letters, upper-case after capitals).
_VNI_SEQUENCES = (
    "aù=á aø=à aû=ả aõ=ã aï=ạ aâ=â aá=ấ aà=ầ aå=ẩ aã=ẫ aä=ậ aê=ă aé=ắ aè=ằ aú=ẳ aü=ẵ aë=ặ "
    "eù=é eø=è eû=ẻ eõ=ẽ eï=ẹ eâ=ê eá=ế eà=ề eå=ể eã=ễ eä=ệ "
    "où=ó oø=ò oû=ỏ oõ=õ oï=ọ oâ=ô oá=ố oà=ồ oå=ổ oã=ỗ oä=ộ "
    "ôù=ớ ôø=ờ ôû=ở ôõ=ỡ ôï=ợ ô=ơ uù=ú uø=ù uû=ủ uõ=ũ uï=ụ "
    "öù=ứ öø=ừ öû=ử öõ=ữ öï=ự ö=ư yù=ý yø=ỳ yû=ỷ yõ=ỹ î=ỵ "
    "í=í ì=ì æ=ỉ ó=ĩ ò=ị ñ=đ "
    "AÙ=Á AØ=À AÛ=Ả AÕ=Ã AÏ=Ạ AÂ=Â AÁ=Ấ AÀ=Ầ AÅ=Ẩ AÃ=Ẫ AÄ=Ậ AÊ=Ă AÉ=Ắ AÈ=Ằ AÚ=Ẳ AÜ=Ẵ AË=Ặ "
    "EÙ=É EØ=È EÛ=Ẻ EÕ=Ẽ EÏ=Ẹ EÂ=Ê EÁ=Ế EÀ=Ề EÅ=Ể EÃ=Ễ EÄ=Ệ "
    "OÙ=Ó OØ=Ò OÛ=Ỏ OÕ=Õ OÏ=Ọ OÂ=Ô OÁ=Ố OÀ=Ồ OÅ=Ổ OÃ=Ỗ OÄ=Ộ "
    "ÔÙ=Ớ ÔØ=Ờ ÔÛ=Ở ÔÕ=Ỡ ÔÏ=Ợ Ô=Ơ UÙ=Ú UØ=Ù UÛ=Ủ UÕ=Ũ UÏ=Ụ "
    "ÖÙ=Ứ ÖØ=Ừ ÖÛ=Ử ÖÕ=Ữ ÖÏ=Ự Ö=Ư YÙ=Ý YØ=Ỳ YÛ=Ỷ YÕ=Ỹ Î=Ỵ "
    "Í=Í Ì=Ì Æ=Ỉ Ó=Ĩ Ò=Ị Ñ=Đ"
)
VNI_TABLE: dict[str, str] = {
    key: value for key, _, value in (item.partition("=") for item in _VNI_SEQUENCES.split())
}

LEGACY_ENCODINGS = ("cp1258", "tcvn3", "vni")
"""Names recorded in ``SourceText.encoding`` for converted files."""

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_VOWELS = set("aăâeêioôơuưy")
_CODAS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
_ONSET_LETTERS = set("bcdđghklmnpqrstvx")
MAX_SYLLABLE_LETTERS = 8  # "nghiêng": longer non-ASCII words are not one syllable
MIN_HEADING_LETTERS = 3  # a line of capitals: the TCVN3 capital font
MIN_SYLLABLE_SHARE = 0.7  # a decoding wins only when most of its words are syllables


def _decode_tcvn3(data: bytes) -> str:
    # Bytes outside the table are Windows-1252 (the fonts' host code page).
    text = "".join(
        TCVN3_TABLE.get(b) or data[i : i + 1].decode("cp1252", "replace")
        for i, b in enumerate(data)
    )
    return "".join(_restore_capitals(line) for line in text.splitlines(keepends=True))


def _decode_vni(data: bytes) -> str:
    text = data.decode("cp1252", errors="replace")
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in VNI_TABLE:
            out.append(VNI_TABLE[pair])
            i += 2
        else:
            out.append(VNI_TABLE.get(text[i], text[i]) if ord(text[i]) > 127 else text[i])
            i += 1
    return "".join(out)


def _decode_cp1258(data: bytes) -> str:
    return codecs.decode(data, "cp1258", errors="replace")


_DECODERS = {"cp1258": _decode_cp1258, "tcvn3": _decode_tcvn3, "vni": _decode_vni}


def _words(text: str) -> list[str]:
    """Runs of letters (and combining marks): a linear scan, no regular expression."""
    words: list[str] = []
    current: list[str] = []
    for char in text:
        if char.isalpha() or unicodedata.category(char) == "Mn":
            current.append(char)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _all_capitals(text: str, least: int) -> bool:
    letters = [c for c in text if c.isascii() and c.isalpha()]
    return len(letters) >= least and all(c.isupper() for c in letters)


def _restore_capitals(line: str) -> str:
    """TCVN3 capitals come out lower case ("KÕ HO¹CH" -> "Kế HOạCH"): a line whose plain
    letters are all capitals is a heading in the capital font; elsewhere a word with at
    least two plain letters, all capitals, is in capitals ("Kế" stays as it is)."""
    if _all_capitals(line, MIN_HEADING_LETTERS):
        return line.upper()
    return "".join(part.upper() if _all_capitals(part, 2) else part for part in _split_keep(line))


def _split_keep(text: str) -> list[str]:
    """``text`` cut into alternating letter runs and other runs (joined back unchanged)."""
    parts: list[str] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or text[i].isalpha() != text[start].isalpha():
            parts.append(text[start:i])
            start = i
    return parts


def is_syllable(word: str) -> bool:
    """A well-formed Vietnamese syllable: onset consonants, 1-3 vowels with at most one
    tone, one of the legal codas."""
    plain = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in plain if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in plain if c not in _TONES))
    if tones > 1 or not base or len(base) > MAX_SYLLABLE_LETTERS:
        return False
    i = 0
    while i < len(base) and base[i] in _ONSET_LETTERS:
        i += 1
    j = i
    while j < len(base) and base[j] in _VOWELS:
        j += 1
    if base[:i] in ("q", "g") and j > i:  # "qu", "gi": the glide belongs to the onset
        i += 1
    nucleus = 1 <= j - i <= 3 or (j == i and base[:i] == "gi")  # "gì": i is the vowel
    return nucleus and base[j:] in _CODAS


def syllable_share(text: str) -> tuple[int, float]:
    """(non-ASCII words, share of them that are syllables) of a decoded text."""
    words = [w for w in _words(text) if not w.isascii()]
    if not words:
        return 0, 0.0
    return len(words), sum(1 for w in words if is_syllable(w)) / len(words)


def decode_legacy(data: bytes) -> tuple[str, str] | None:
    """(NFC text, encoding name) of the best legacy decoding, or None when none reads as
    Vietnamese."""
    best: tuple[float, str, str] | None = None
    for name, decode in _DECODERS.items():
        text = unicodedata.normalize("NFC", decode(data))
        count, share = syllable_share(text)
        if count and share >= MIN_SYLLABLE_SHARE and (best is None or share > best[0]):
            best = (share, text, name)
    return (best[1], best[2]) if best else None


def encode_tcvn3(text: str) -> bytes:
    """Unicode -> TCVN3 (capitals with tones fall back to the lower-case code, as the
    capital fonts do): the inverse used by tests and by anyone making fixtures."""
    reverse = {v: k for k, v in TCVN3_TABLE.items()}
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        code = reverse.get(char, reverse.get(char.lower()))
        out.extend([code] if code is not None else char.encode("cp1252"))
    return bytes(out)


def encode_vni(text: str) -> bytes:
    """Unicode -> VNI-Windows (the inverse of the table)."""
    reverse = {v: k for k, v in VNI_TABLE.items()}
    return "".join(reverse.get(c, c) for c in unicodedata.normalize("NFC", text)).encode("cp1252")


def encode_cp1258(text: str) -> bytes:
    """Unicode -> Windows-1258: letters with a circumflex, breve or horn are precomposed,
    the five tones are combining marks after them (how Word wrote it)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)))
        out.append(tones)
    return "".join(out).encode("cp1258")
