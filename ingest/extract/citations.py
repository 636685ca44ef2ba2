"""Legal citations of a document: every cited act, with each place it is mentioned.

``extract_citations(doc, laws)`` finds full citations by number (all families of
``ingest.lang`` grammars), laws cited by name and date (resolved with
``LawNameTable``), and short later references ("Quyết định 1819") that it attaches to the
full citation with the same number. One ``Citation`` per distinct number (or per
unresolved law name); the first full mention gives the main values, disagreeing later
mentions are kept as ``conflicts``. A citation is ``in_basis`` when any mention sits in
the legal basis (a "Căn cứ ..." / opening "Thực hiện ..." paragraph, or a basis section).
All offsets are in ``doc.text``; matching runs on a folded copy robust to raw text.

Size: over 400 lines on purpose: full numbers, law names and short references share one scan
of the folded text and one merge into ``Citation``s; the grammars themselves live in
``ingest.lang``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ingest.extract.basis import basis_ranges
from ingest.extract.law_mentions import find_law_mentions, share_law_numbers
from ingest.lang.dates import NGAY_DATE_RE, OPENING_DATE_RE, date_from_match
from ingest.lang.doc_types import TYPE_WORD_RE, TYPE_WORDS, canonical_type, type_before
from ingest.lang.issuers import (
    ISSUER_RE,
    canonical_issuer,
    issuer_after,
    issuer_ending_at,
    issuer_from_code,
)
from ingest.lang.law_names import LawNameTable, name_key
from ingest.lang.numbers import (
    NumberMatch,
    canonical_number,
    find_numbers,
    number_type_code,
    type_from_number,
)
from ingest.lang.provinces import find_province
from ingest.model import Citation, Document, Mention
from ingest.structure.reflow import Reflowed, reflow
from ingest.structure.spans import DocumentIndex, LineIndex, PassageIndex, SpanSet
from ontology.uris import law_name_uri, legal_uri


@dataclass(slots=True)
class _Hit:
    """One mention candidate, in folded-text offsets."""

    start: int
    end: int
    kind: str  # "number" | "short" | "law-name"
    number: str | None = None
    seq: str | None = None
    year: str | None = None
    doc_type: str | None = None
    prose_type: str | None = None
    date: str | None = None
    issuer: str | None = None
    title: str | None = None
    law_name: str | None = None
    cut: bool = False  # the number touches the end of the text: maybe cut short


# Possessive blanks: "[ \t]*,?[ \t]*" retried every split of a long run of blanks; the
# matches are the same, as a title word can only follow the whole run.
_TITLE_START_RE = re.compile(
    r"[ \t]*+,?[ \t]*+(?P<title>(?:về việc|về|v/v|phê duyệt|ban hành|quy định|hướng dẫn|thực hiện|"
    r"triển khai|sửa đổi|bổ sung|thành lập|chỉ đạo|tiếp tục|đẩy mạnh|tăng cường|giao)\b)",
    re.IGNORECASE,
)
_PAREN_RE = re.compile(r"[ \t]*\([^()\n]{0,60}\)")
# Matched at a line start inside the text (``match(text, line_start, pos)``): no "^".
_HEADER_NUMBER_RE = re.compile(r"[ \t]*Số[ \t]*:?[ \t]*$")
# The header's own "Số:" after a cell boundary or a capitalised header word, possibly with
# the number on the next line ("ỦY BAN NHÂN DÂN Số: 23/2019/QĐ-UBND", "Số:\n27/QĐ-…").
_HEADER_CELL_NUMBER_RE = re.compile(
    r"(?:^|[|\n]|[-_]{3,}[ \t]*|[A-ZĐÀ-Ỹ]{2,}[ \t]+)[ \t]*Số?[ \t]*:[ \t]*\n?[ \t]*$"
)
_PARTY_NUMBER_RE = re.compile(r"^\d+[a-zđ]?-")
_ANNEX_LINE_RE = re.compile(r"[ \t]*\((?:Ban hành[ \t]+)?kèm theo\b", re.IGNORECASE)
# "(?={_TYPE_FIRST})": the letters a type word starts with, checked before the
# look-behind so that other offsets are turned away at once (same matches, faster).
_TYPE_FIRST = "[" + "".join(sorted({re.escape(w[0]) for w in TYPE_WORDS})) + "]"
_SHORT_RE = re.compile(
    rf"(?={_TYPE_FIRST})(?<!\w)(?P<type>{TYPE_WORD_RE})[ \t]+(?:số[ \t]*)?(?P<seq>\d{{1,5}}[a-zđ]?)"
    r"(?:[ \t]?/[ \t]?(?P<year>(?:19|20)\d\d))?(?![\w/%,.]\d|[\w/]|-[A-Za-zĐ])",
    re.IGNORECASE,
)


def _clause_end(text: str, pos: int, limit: int = 400) -> int:
    """End of a trích yếu starting at ``pos``: the clause ends at a line break, ";", ":",
    a full stop, an unbalanced ")" or ", " before a capitalised word (a new clause)."""
    depth = 0
    stop = min(len(text), pos + limit)
    i = pos
    while i < stop:
        ch = text[i]
        if ch in "\n;:":
            break
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        elif ch == "." and (i + 1 >= len(text) or text[i + 1] in " \t\n/"):
            break
        elif ch == "," and re.match(r",[ \t]+[A-ZĐÀ-Ỹ]", text[i : i + 3]):
            break
        i += 1
    return i


def _self_numbers(
    doc: Document, text: str, lines: LineIndex, numbers: list[NumberMatch]
) -> set[str]:
    """The document's own numbers: header metadata, "Số: …" header lines and annex lines
    "(Ban hành kèm theo Quyết định số …)" — never citations of another act."""
    own: set[str] = set()
    for meta in (doc.meta, doc.attached_plan):
        if meta is not None and meta.number:
            canon = canonical_number(meta.number)
            if canon:
                own.add(canon)
    for nm in numbers:
        ls, _ = lines.bounds(nm.start)
        # Patterns run on the line before the number in place: no copy of a long line.
        if _HEADER_NUMBER_RE.match(text, ls, nm.start) or _HEADER_CELL_NUMBER_RE.search(
            text, max(0, nm.start - 40), nm.start
        ):
            own.add(nm.number)
        elif _ANNEX_LINE_RE.match(text, ls, nm.start) and not find_numbers(text[ls : nm.start]):
            own.add(nm.number)
    return own


def _tail(
    text: str, pos: int, province: str | None
) -> tuple[str | None, int, str | None, str | None, str | None]:
    """Date, issuer and trích yếu after a number at ``pos``.

    Returns (date, end of the date or ``pos``, issuer, issuer province, title)."""
    date, date_end, issuer, issuer_prov, title = None, pos, None, None, None
    cur = pos
    m = NGAY_DATE_RE.match(text, cur)
    if m:
        date, date_end, cur = date_from_match(m), m.end(), m.end()
    found = issuer_after(text, cur)
    if found:
        phrase, _, cur = found
        issuer = canonical_issuer(phrase, province)
        # Only a real province name counts ("Ủy Ban nhân dân tỉnh" names none).
        found_prov = find_province(phrase)
        issuer_prov = found_prov[0] if found_prov else None
        if date is None:
            m = NGAY_DATE_RE.match(text, cur)
            if m:
                date, cur = date_from_match(m), m.end()
    pm = _PAREN_RE.match(text, cur)
    if pm:
        cur = pm.end()
    tm = _TITLE_START_RE.match(text, cur)
    if tm:
        end = _clause_end(text, tm.start("title"))
        title = text[tm.start("title") : end].strip(" \t,") or None
    return date, date_end, issuer, issuer_prov, title


def _date_before(text: str, start: int, province: str | None) -> tuple[str | None, str | None]:
    """ "Ngày 10 tháng 4 năm 2007, Chính phủ ban hành Nghị định số 64/2007/NĐ-CP": the date
    (and the issuer after it) open the sentence, before the number with no other number in
    between. The sentence may wrap over lines; it starts after ". ", ";" or a blank line.
    Returns (date, issuer)."""
    # Searched back 300 characters at most: a stop further back gives start - 300 anyway.
    window = max(0, start - 300)
    lo = max(
        window,
        text.rfind(". ", window, start) + 1,
        text.rfind(";", window, start) + 1,
        text.rfind("\n\n", window, start) + 1,
    )
    chunk = text[lo:start]
    best = None
    for m in OPENING_DATE_RE.finditer(chunk):
        best = m
    if best is None or find_numbers(chunk[best.end() :]):
        return None, None
    im = ISSUER_RE.search(chunk, best.end())
    issuer = canonical_issuer(im.group(0), province) if im else None
    return date_from_match(best), issuer


def _enclosing_issuer(text: str, lines: LineIndex, pos: int, province: str | None) -> str | None:
    """ "Bộ Thông tin và Truyền thông (Thông tư …, Thông tư …)": issuer before the paren."""
    ls, _ = lines.bounds(pos)
    open_at = text.rfind("(", max(ls, pos - 400), pos)
    if open_at < 0 or ")" in text[open_at:pos]:
        return None
    phrase = issuer_ending_at(text, open_at)
    return canonical_issuer(phrase, province) if phrase else None


def _number_hits(
    text: str, lines: LineIndex, numbers: list[NumberMatch], own: set[str], province: str | None
) -> tuple[list[_Hit], dict[int, str]]:
    hits: list[_Hit] = []
    provinces: dict[int, str] = {}
    text_end = len(text.rstrip())  # after it only white space: a number there may be cut
    for nm in numbers:
        tb = type_before(text, nm.start)
        if nm.groups == 1 and tb is None:
            continue  # "N/CODE" alone is too weak without "số" or a type word
        if nm.number in own:
            continue
        prose = tb.doc_type if tb else None
        code_type = type_from_number(nm.number)
        doc_type = code_type if number_type_code(nm.number) else (prose or code_type)
        if _PARTY_NUMBER_RE.match(nm.number) and prose and prose != "Công văn":
            # Party symbols are loose ("Chương trình hành động số 07-CT/TU"): the words win.
            doc_type = prose
        date, date_end, issuer, issuer_prov, title = _tail(text, nm.end, province)
        if date is None:
            date, opening_issuer = _date_before(text, tb.start if tb else nm.start, province)
            issuer = issuer or opening_issuer
        issuer_mid = tb is not None and tb.mid.lower().startswith("của ")
        if issuer is None and tb is not None and issuer_mid:
            im = ISSUER_RE.search(tb.mid)
            issuer = canonical_issuer(im.group(0), province) if im else None
        if issuer is None:
            issuer = _enclosing_issuer(text, lines, nm.start, province)
        if doc_type in ("Luật", "Bộ luật") and tb and tb.mid and not issuer_mid and title is None:
            title = f"{tb.doc_type} {tb.mid}"
        start = tb.start if tb and tb.doc_type else nm.start
        hit = _Hit(
            start,
            max(nm.end, date_end),
            "number",
            nm.number,
            nm.seq,
            nm.year,
            doc_type,
            prose,
            date,
            issuer,
            title,
        )
        hit.cut = nm.end >= text_end
        if issuer_prov:
            provinces[len(hits)] = issuer_prov
        hits.append(hit)
    return hits, provinces


def _complete_cut(hits: list[_Hit]) -> list[_Hit]:
    """A number cut off by the end of the text ("1600/QĐ-U") is the earlier number it
    begins, when there is one; without one it is dropped unless its issuer code is known
    (then it may well be whole), never a new document."""
    full = [h.number for h in hits if h.number and not h.cut]
    out: list[_Hit] = []
    for h in hits:
        if h.cut and h.number and h.number not in full:
            longer = [n for n in full if n.startswith(h.number)]
            if longer:
                h.number = longer[0]
            elif issuer_from_code(h.number) is None:
                continue
        out.append(h)
    return out


def _short_hits(text: str, taken: list[tuple[int, int]]) -> list[_Hit]:
    """ "Nghị quyết 36a", "Quyết định số 1819", "Nghị định 64/2007": numbers without symbol."""
    out: list[_Hit] = []
    taken_set = SpanSet(taken)
    for m in _SHORT_RE.finditer(text):
        if m.start("seq") in taken_set:
            continue
        out.append(
            _Hit(
                m.start(),
                m.end(),
                "short",
                seq=m.group("seq").lower(),
                year=m.group("year"),
                prose_type=canonical_type(m.group("type")),
            )
        )
    return out


def _law_hits(
    text: str, laws: LawNameTable, number_hits: list[_Hit], cited_before: str | None
) -> list[_Hit]:
    """Laws cited by name, as hits; "Luật ... số 49/2014/QH13" is left to the number path."""
    taken = [(h.start, h.end) for h in number_hits]
    mentions = find_law_mentions(text, laws, taken, cited_before)
    share_law_numbers(mentions)
    return [
        _Hit(
            m.start,
            m.end,
            "law-name",
            number=m.number,
            year=m.year,
            doc_type=m.doc_type,
            date=m.date,
            issuer="Ủy ban Thường vụ Quốc hội" if m.doc_type == "Pháp lệnh" else "Quốc hội",
            title=f"{m.doc_type} {m.name}",
            law_name=m.name,
        )
        for m in mentions
    ]


def _compatible(prose: str | None, doc_type: str | None) -> bool:
    if prose is None or doc_type is None or prose == doc_type or prose == "Công văn":
        return True
    return {prose, doc_type} <= {"Nghị định", "Nghị quyết"}


def _prose_disagrees(prose: str | None, doc_type: str | None) -> bool:
    """ "Nghị định 36a/NQ-CP": the prose names another type than the symbol (a more
    specific symbol, "Thông tư" for TTLT, or the generic "văn bản" is no disagreement)."""
    if prose is None or doc_type is None or prose == "Công văn":
        return False
    return not doc_type.startswith(prose)


def _resolve_short(shorts: list[_Hit], full: list[_Hit], own: set[str]) -> list[_Hit]:
    """Attach each short reference to the one full citation with its sequence number."""
    own_seqs = {n.split("/")[0].split("-")[0].lower() for n in own}
    by_seq: dict[str | None, list[_Hit]] = {}  # full citations by sequence number, in order
    for h in full:
        by_seq.setdefault(h.seq, []).append(h)
    out: list[_Hit] = []
    for s in shorts:
        cands = {
            h.number: h
            for h in by_seq.get(s.seq, [])
            if h.number and (s.year is None or h.year == s.year)
        }
        typed = [h for h in cands.values() if _compatible(s.prose_type, h.doc_type)]
        if len(typed) == 1:
            s.number = typed[0].number
            s.doc_type = typed[0].doc_type
            out.append(s)
        elif not typed and s.seq in own_seqs:
            continue
    return out


@dataclass(slots=True)
class _Places:
    """Where mentions are placed, indexed once per document: passages, and the basis
    (basis spans of the view, basis sections of the stored text)."""

    passages: PassageIndex
    basis: SpanSet
    basis_sections: SpanSet

    @classmethod
    def of(cls, doc: Document, index: DocumentIndex, basis: list[tuple[int, int]]) -> _Places:
        sections = [(s.start, s.end) for s in doc.sections if s.role == "basis"]
        return cls(index.passages, SpanSet(basis), SpanSet(sections))


def _build(
    key_hits: list[_Hit],
    doc: Document,
    view: Reflowed,
    places: _Places,
    province: str | None,
    hit_province: dict[int, str],
) -> Citation:
    full = [h for h in key_hits if h.kind != "short"]
    main = next((h for h in full if h.date), full[0])
    number = main.number

    def first(attr: str) -> str | None:
        val: str | None = getattr(main, attr)
        if val:
            return val
        return next((getattr(h, attr) for h in full if getattr(h, attr)), None)

    doc_type, date, title = main.doc_type, first("date"), first("title")
    issuer = first("issuer") or (issuer_from_code(number, province) if number else None)
    conflicts: list[dict[str, Any]] = []
    mentions: list[Mention] = []
    in_basis = False
    for h in sorted(key_hits, key=lambda h: h.start):
        o_start, o_end = view.to_source(h.start, h.end)
        mention = Mention(o_start, o_end, doc.text[o_start:o_end])
        mention.passage_id = places.passages.id_at(o_start)
        mentions.append(mention)
        span = {"start": o_start, "end": o_end, "text": mention.text}
        if h.date and date and h.date != date:
            conflicts.append({"field": "date", "value": h.date, "mention": span})
        if h.kind == "number" and h.doc_type and doc_type and h.doc_type != doc_type:
            conflicts.append({"field": "doc_type", "value": h.doc_type, "mention": span})
        if h.kind == "number" and _prose_disagrees(h.prose_type, h.doc_type):
            conflicts.append({"field": "doc_type", "value": h.prose_type, "mention": span})
        if h.start in places.basis or o_start in places.basis_sections:
            in_basis = True
    if number:
        prov = next((hit_province[id(h)] for h in full if id(h) in hit_province), province)
        uri = legal_uri(number, province=prov, year=date[:4] if date else None)
    else:
        uri = law_name_uri(main.law_name or title or "")
    resolved_by = "number" if main.kind == "number" else main.kind
    return Citation(
        number, doc_type, date, issuer, title, in_basis, uri, mentions, conflicts, resolved_by
    )


def extract_citations(
    doc: Document, laws: LawNameTable | None = None, index: DocumentIndex | None = None
) -> list[Citation]:
    """All legal citations of ``doc``, in order of first mention (``index``: the
    document's lookups, when the caller has built them)."""
    laws = laws or LawNameTable.default()
    index = index or DocumentIndex.of(doc)
    # The reflowed view re-joins broken lines and words and drops "|" cells and inner
    # spaces of numbers; every span maps back to the stored text.
    view = reflow(doc.text)
    text = view.text
    province = doc.meta.province or (doc.attached_plan.province if doc.attached_plan else None)
    cited_before = doc.meta.date or (doc.attached_plan.date if doc.attached_plan else None)
    lines = LineIndex(text)
    numbers = find_numbers(text)
    own = _self_numbers(doc, text, lines, numbers)
    number_hits, hit_prov_idx = _number_hits(text, lines, numbers, own, province)
    hit_province = {id(number_hits[i]): p for i, p in hit_prov_idx.items()}
    number_hits = _complete_cut(number_hits)
    taken = [(h.start, h.end) for h in number_hits]
    taken += [(nm.start, nm.end) for nm in numbers]
    law_hits = _law_hits(text, laws, number_hits, cited_before)
    shorts = _resolve_short(_short_hits(text, taken), number_hits, own)
    groups: dict[str, list[_Hit]] = {}
    for h in [*number_hits, *law_hits, *shorts]:
        key = h.number or f"law:{name_key(h.law_name or '')}"
        groups.setdefault(key, []).append(h)
    places = _Places.of(doc, index, basis_ranges(text))
    cites = [
        _build(hits, doc, view, places, province, hit_province)
        for hits in groups.values()
        if any(h.kind != "short" for h in hits)
    ]
    return sorted(cites, key=lambda c: c.mentions[0].start)
