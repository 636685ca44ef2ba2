"""Laws, codes and ordinances cited by name ("Luật Công nghệ thông tin ngày 29/6/2006"):
where each is mentioned, its name as written, its date or year, and its number when the
law-name table (``ingest.lang.law_names``) resolves it.

Offsets are those of the text given (``ingest.extract.citations`` passes its folded text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lang.dates import NGAY_DATE_RE, date_from_match
from ingest.lang.law_names import LawNameTable, name_key


@dataclass(slots=True)
class LawMention:
    """One law cited by name: ``text[start:end]`` from "Luật" through its date or year."""

    start: int
    end: int
    name: str  # as written, without "Luật": "Công nghệ thông tin"
    doc_type: str  # "Luật" | "Bộ luật"
    date: str | None = None
    year: str | None = None
    number: str | None = None


_LAW_RE = re.compile(r"(?<!\w)(?:Bộ [Ll]uật|Luật)[ \t]+")
_NAME_TOKEN_RE = re.compile(r"[ \t]*(?P<tok>[^\s,;.():\"“”]+|,)")
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
_YEAR_AFTER_RE = re.compile(r"[ \t]*,?[ \t]*(?:năm[ \t]+)?(?P<year>(?:19|20)\d\d)(?!\d)")


def law_name_at(text: str, pos: int, laws: LawNameTable) -> tuple[str, int] | None:
    """The law name starting at ``pos`` (after "Luật "): the longest name the table knows,
    else the words up to a function word or punctuation."""
    tokens: list[tuple[str, int]] = []
    for m in _NAME_TOKEN_RE.finditer(text, pos):
        if m.start() != (tokens[-1][1] if tokens else pos) or len(tokens) >= 16:
            break
        tokens.append((m.group("tok"), m.end()))
    words = [t for t, _ in tokens]
    if not words or words[0].lower() in _NOT_LAW_START or words[0] == ",":
        return None
    for n in range(len(words), 0, -1):
        if words[n - 1] == ",":
            continue
        if laws.candidates(" ".join(words[:n]).replace(" ,", ",")):
            return " ".join(words[:n]).replace(" ,", ","), tokens[n - 1][1]
    n = 0
    while n < len(words) and n < 10:
        w = words[n]
        if w == "," or re.fullmatch(r"(?:19|20)\d\d", w) or (n > 0 and w.lower() in _NAME_STOP):
            break
        n += 1
    if n == 0:
        return None
    return " ".join(words[:n]), tokens[n - 1][1]


def find_law_mentions(
    text: str,
    laws: LawNameTable,
    taken: list[tuple[int, int]],
    cited_before: str | None,
) -> list[LawMention]:
    """Every law cited by name in ``text``, skipping those inside a ``taken`` span (a
    number already found there); ``cited_before`` is the citing document's date."""
    out: list[LawMention] = []
    for m in _LAW_RE.finditer(text):
        if any(start <= m.start() < end for start, end in taken):
            continue  # "Luật đầu tư công số 49/2014/QH13": the number path has it
        found = law_name_at(text, m.end(), laws)
        if found is None:
            continue
        name, name_end = found
        if re.match(r"[ \t]*(?:,[ \t]*)?số[ \t]*\d", text[name_end : name_end + 12], re.IGNORECASE):
            continue
        date, year, end = None, None, name_end
        dm = NGAY_DATE_RE.match(text, name_end)
        ym = _YEAR_AFTER_RE.match(text, name_end)
        if dm:
            date, end = date_from_match(dm), dm.end()
        elif ym:
            year, end = ym.group("year"), ym.end()
        number = laws.resolve(name, date, year=year, cited_before=cited_before)
        kind = "Bộ luật" if m.group(0).lower().startswith("bộ") else "Luật"
        out.append(LawMention(m.start(), end, name, kind, date, year, number))
    return out


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
