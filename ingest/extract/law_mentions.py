"""Laws, codes and ordinances cited by name ("Luật Công nghệ thông tin ngày 29/6/2006"):
where each is mentioned, its name as written, its date or year, and its number when the
law-name table (``ingest.lang.law_names``) resolves it.

Forms read: name and date ("ngày 29 tháng 6 năm 2006", ", ngày 29/6/2006", a line break
anywhere), name and year ("... 2015", "... năm 2015"), the issuer written between name
and date ("của Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam ngày ...", "được Quốc
hội thông qua ngày ..."), amending laws whose name holds other law names ("Luật sửa đổi,
bổ sung một số điều của Luật A và Luật B ngày ..."), "Bộ luật" and "Pháp lệnh".

Offsets are those of the text given (``ingest.extract.citations`` passes its folded text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lang.dates import NGAY_DATE_RE, date_from_match
from ingest.lang.folding import fold_key
from ingest.lang.law_names import LawNameTable, name_key
from ingest.structure.spans import SpanSet


@dataclass(slots=True)
class LawMention:
    """One law cited by name: ``text[start:end]`` from "Luật" through its date or year."""

    start: int
    end: int
    name: str  # as written, without "Luật": "Công nghệ thông tin"
    doc_type: str  # "Luật" | "Bộ luật" | "Pháp lệnh"
    date: str | None = None
    year: str | None = None
    number: str | None = None


# "(?=[BLP])" turns away at once the offsets where no "Bộ luật", "Luật", "Pháp lệnh" starts.
_LAW_RE = re.compile(
    r"(?=[BLP])(?<!\w)(?P<kind>Bộ [Ll]uật|Luật|Pháp lệnh)[ \t]*(?:\n[ \t]*)?(?=\w)"
)
# One word of a name, or a comma; a name may wrap onto the next line.
_NAME_TOKEN_RE = re.compile(r"[ \t]*(?P<nl>\n[ \t]*)?(?P<tok>[^\s,;.():\"“”]+|,)")
_MAX_NAME_TOKENS = 40  # "sửa đổi, bổ sung một số điều của Luật A và Luật B": long
_NAME_STOP = {
    "ngày",
    "số",
    "năm",
    "của",
    "đã",
    "được",
    "có",
    "thì",
    "để",
    "theo",
    "tại",
    "trong",
    "với",
    "cho",
    "khi",
    "đối",
    "do",
    "hiện",
    "này",
    "quy",
    "hướng",
    "và",
    "về",
    "các",
    "là",
    "đang",
}
_NOT_LAW_START = {
    "này",
    "số",
    "sư",
    "pháp",
    "định",
    "và",
    "của",
    "các",
    "hiện",
    "mới",
    "nêu",
    "trên",
}
_YEAR_AFTER_RE = re.compile(
    r"[ \t]*,?[ \t]*(?:\n[ \t]*)?(?:năm[ \t]+)?(?P<year>(?:19|20)\d\d)(?![\d/])"
)
# The issuer written between a name and its date: "của Quốc hội nước Cộng hòa xã hội
# chủ nghĩa Việt Nam (khóa XI, kỳ họp thứ 8)"; "được Quốc hội thông qua" is read by the
# date pattern itself.
_ISSUER_GAP_RE = re.compile(
    r"[ \t]*,?\s*(?:của|do)\s+(?:Ủy|Uỷ)?\s*(?:ban\s+thường\s+vụ\s+)?Quốc\s+hội"
    r"(?:\s+nước\s+Cộng\s+h(?:òa|oà)\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam)?"
    r"(?:\s*,?\s*khóa\s+[IVXLC]+)?(?:\s*,?\s*kỳ\s+họp\s+thứ\s+\d+)?"
    r"(?:\s+(?:ban\s+hành|thông\s+qua))?",
    re.IGNORECASE,
)
# Where the name of an amending law ends when the table does not know it.
_AMENDMENT_STOP = {"ngày", "được", "đã", "do", "theo", "tại", "thì", "để", "năm"}


def law_name_at(
    text: str, pos: int, laws: LawNameTable, kind: str | None = None
) -> tuple[str, int] | None:
    """The law name starting at ``pos`` (after "Luật "): the longest name the table knows,
    else the words up to a function word, punctuation or line break."""
    tokens: list[tuple[str, int, bool]] = []  # (word, end, starts a new line)
    for m in _NAME_TOKEN_RE.finditer(text, pos):
        if m.start() != (tokens[-1][1] if tokens else pos) or len(tokens) >= _MAX_NAME_TOKENS:
            break
        tokens.append((m.group("tok"), m.end(), m.group("nl") is not None))
    words = [t for t, _, _ in tokens]
    if not words or words[0].lower() in _NOT_LAW_START or words[0] == ",":
        return None
    for n in range(len(words), 0, -1):
        if words[n - 1] == ",":
            continue
        if laws.candidates(_join(words[:n]), kind):
            return _join(words[:n]), tokens[n - 1][1]
    if len(words) > 1 and fold_key(f"{words[0]} {words[1]}") == "sua doi":
        n = _amendment_name_length(words)
    else:
        n = 0
        while n < len(words) and n < 10:
            w = words[n]
            if (
                w == ","
                or (n > 0 and tokens[n][2])
                or re.fullmatch(r"(?:19|20)\d\d", w)
                or (n > 0 and w.lower() in _NAME_STOP)
            ):
                break
            n += 1
    while n > 0 and words[n - 1] == ",":
        n -= 1
    if n == 0:
        return None
    return _join(words[:n]), tokens[n - 1][1]


def _join(words: list[str]) -> str:
    return " ".join(words).replace(" ,", ",")


def _amendment_name_length(words: list[str]) -> int:
    """Words of "sửa đổi, bổ sung một số điều của Luật A và Luật B": through the cited
    law names, up to the date, the number ("số 12/..."), or the issuer."""
    n = 0
    while n < len(words):
        w, nxt = words[n].lower(), words[n + 1].lower() if n + 1 < len(words) else ""
        if w in _AMENDMENT_STOP or re.fullmatch(r"(?:19|20)\d\d", w):
            break
        if w == "số" and nxt[:1].isdigit():
            break
        if w == "của" and nxt in ("quốc", "ủy", "uỷ", "chính"):
            break
        if w == "có" and nxt == "hiệu":
            break
        n += 1
    return n


def _date_after(text: str, pos: int) -> tuple[str | None, str | None, int]:
    """(date, year, end) of what follows a law name: its date, possibly after the issuer,
    or its year; (None, None, pos) when neither."""
    for start in (pos, *(m.end() for m in [_ISSUER_GAP_RE.match(text, pos)] if m)):
        dm = NGAY_DATE_RE.match(text, start)
        if dm:
            return date_from_match(dm), None, dm.end()
    ym = _YEAR_AFTER_RE.match(text, pos)
    if ym:
        return None, ym.group("year"), ym.end()
    return None, None, pos


def find_law_mentions(
    text: str,
    laws: LawNameTable,
    taken: list[tuple[int, int]],
    cited_before: str | None,
) -> list[LawMention]:
    """Every law cited by name in ``text``, skipping those inside a ``taken`` span (a
    number already found there); ``cited_before`` is the citing document's date."""
    out: list[LawMention] = []
    taken_set = SpanSet(taken)
    for m in _LAW_RE.finditer(text):
        if m.start() in taken_set:
            continue  # "Luật đầu tư công số 49/2014/QH13": the number path has it
        if out and m.start() < out[-1].end:
            continue  # "... của Luật Tổ chức Chính phủ": inside an amending law's name
        kind = _canonical_kind(m.group("kind"))
        found = law_name_at(text, m.end(), laws, kind)
        if found is None:
            continue
        name, name_end = found
        if re.match(r"\s*(?:,\s*)?số[ \t]*\d", text[name_end : name_end + 12], re.IGNORECASE):
            continue
        date, year, end = _date_after(text, name_end)
        end = max(end, name_end)
        number = laws.resolve(name, date, year=year, cited_before=cited_before, kind=kind)
        out.append(LawMention(m.start(), end, name, kind, date, year, number))
    return out


def _canonical_kind(written: str) -> str:
    if written.lower().startswith("bộ"):
        return "Bộ luật"
    return "Pháp lệnh" if written.startswith("Pháp") else "Luật"


def share_law_numbers(law_hits: list[LawMention]) -> None:
    """An undated "Luật Giao dịch điện tử" later in a document means the version the same
    document cited with its date: give unresolved mentions that version's number."""
    by_name: dict[str, set[str]] = {}
    for h in law_hits:
        if h.number and (h.date or h.year):
            by_name.setdefault(name_key(h.name), set()).add(h.number)
    for h in law_hits:
        known = by_name.get(name_key(h.name), set())
        if h.number is None and h.date is None and h.year is None and len(known) == 1:
            h.number = next(iter(known))
