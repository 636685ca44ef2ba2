"""Header metadata of a plan: type, number, date, issuer, province, period, title, signer.

The header is read from the text only: fields the text does not give stay None. It is
read on the reflowed view (``ingest.structure.reflow``: "|" cells, short lines and broken
words of the web layouts made one line per cell) and every span is mapped back. Issuers:
"UBND tỉnh X" / "HĐND tỉnh X" (province from the issuer cell, else the place of the date
line, a capital or provincial city mapped to its province), "Bộ X", "Thủ tướng Chính
phủ", "Chính phủ" or a national body from the issuer cell (no province); a công văn
(number without type code) takes its "V/v ..." subject as title. Quirks
handled (see docs/NOTES): received stamps ("Số 189 / Đến Ngày: 13/1/16") are not the
number and date (a number needs "/", a date needs "Place, ngày ..."); draft blanks
("Số: ......./KH-UBND", "ngày …/02/2019") give None; a Quyết định approving an attached
Kế hoạch yields two metas; the number may exist only in an appendix line
("(Kèm theo Kế hoạch số ... ngày ...)"); files may start mid-title or lack the issuer line.

Title convention (matches the hand-checked gold): the subject lines under the type line,
joined over line breaks; when the type line says more than the bare type
("KẾ HOẠCH HÀNH ĐỘNG"), it is kept in front of the subject.

Size: over 400 lines on purpose: every header field is read from the same line list by rules
that depend on one another (title stops at the number line, date needs the place), so
splitting by field would scatter one reading order over several modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.lang.agency_gazetteer import department_entries, fold, ministry_entries
from ingest.lang.dates import find_dates
from ingest.lang.numbers import NUMBER_RE, match_number, type_from_number
from ingest.lang.provinces import find_province, is_city, province_of_place
from ingest.model import DocumentMeta, Span
from ingest.structure.reflow import Reflowed, reflow

DOC_TYPES = {
    "KẾ HOẠCH": "Kế hoạch",
    "QUYẾT ĐỊNH": "Quyết định",
    "CHƯƠNG TRÌNH": "Chương trình",
    "TỜ TRÌNH": "Tờ trình",
    "BÁO CÁO": "Báo cáo",
    "ĐỀ ÁN": "Đề án",
    "CHỈ THỊ": "Chỉ thị",
    "NGHỊ QUYẾT": "Nghị quyết",
    "HƯỚNG DẪN": "Hướng dẫn",
    "THÔNG BÁO": "Thông báo",
    "THÔNG TƯ": "Thông tư",
    "NGHỊ ĐỊNH": "Nghị định",
    "CÔNG VĂN": "Công văn",
}
_TYPE_LINE_RE = re.compile(r"^[\s*#]*(" + "|".join(DOC_TYPES) + r")(?P<more>[^:]*)$")
_ANNEX_RE = re.compile(
    r"\((?:Ban hành\s+)?[Kk]èm theo\s+(?P<type>Kế hoạch|Quyết định|Chương trình|Đề án)\s+số"
    r"\s*(?P<seq>\d+[a-zA-Z]?|[.…_ ]*)\s*/\s*(?P<sym>[A-Za-zĐđ][\wĐđ]*(?:\s*-\s*[\wĐđ]+)*)"
    r"\s*(?P<tail>[^)]{0,200})"
)
_PLACE_DATE_RE = re.compile(r"^[\s\t]*(?P<place>[A-ZĐÀ-Ỹ][^\n\t,:]{1,40}),\s*(?P<date>ngày.*)$")
_PERIOD_RE = re.compile(
    r"(?i)(?:giai đoạn|từ năm|thời kỳ)?\s*\b((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)\b"
)
_YEAR_RE = re.compile(r"(?i)\bnăm\s+((?:19|20)\d\d)\b")
_PHASE_RE = re.compile(
    r"(?im)^\W{0,4}(?:[a-zđ]\)\s*)?giai đoạn\s+((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)"
)
_ISSUER_RE = re.compile(
    r"(?i)(?P<kind>ủy ban nhân dân|uỷ ban nhân dân|ubnd|hội đồng nhân dân|hđnd)"
)
_SIGN_TITLE_RE = re.compile(
    r"^[\s*]*(KT\.|TM\.|Q\.|TL\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|\(Đã ký\)|\(đã ký\)"
    r"|BỘ TRƯỞNG|THỨ TRƯỞNG|(?:PHÓ )?THỦ TƯỚNG|(?:PHÓ )?CHÁNH VĂN PHÒNG|(?:CỤC|VỤ) TRƯỞNG)"
)
_STOP_TITLE_RE = re.compile(
    r"^(Căn cứ|CHỦ TỊCH|\(Ban hành|\(Kèm|QUYẾT ĐỊNH\s*:|[IVX]+\s*\.|Điều\s+\d|Số\s*:|Kính gửi"
    r"|PHẦN\b|Phần\b|BỘ TRƯỞNG|THỦ TƯỚNG|(?:ỦY|UỶ) BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|KHOÁ|KHÓA"
    r"|Dự thảo|DỰ THẢO|[-•+]\s)"
)
# Sentence-case openings of the body: they end a title, unless they are its first line.
_BODY_START_RE = re.compile(r"^(Thực hiện|Triển khai|Để |Nhằm |Trong |Theo |Xét )")
# Lines that belong to the header block (issuer, motto, number, place and date, V/v).
_HEADER_LINE_RE = re.compile(r"(?i)^(?:cộng hòa|cộng hoà|độc lập|số\s*:|v/v|[-_=*. ]+$|dự thảo)")
_SUBJECT_RE = re.compile(r"^V/v\s*:?\s*(?P<subject>.*)$")


@dataclass(slots=True)
class _Line:
    start: int
    text: str

    @property
    def clean(self) -> str:
        return self.text.strip(" \t*#")

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(_Line(pos, raw))
        pos += len(raw) + 1
    return out


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _type_lines(lines: list[_Line]) -> list[int]:
    """Indices of doc-type heading lines ("KẾ HOẠCH", "QUYẾT ĐỊNH", not "QUYẾT ĐỊNH:")."""
    out = []
    for i, ln in enumerate(lines):
        m = _TYPE_LINE_RE.match(ln.text)
        if m and len(ln.clean) < 60 and not any(c.islower() for c in m.group("more")):
            out.append(i)
    return out


def _type_of(line: _Line) -> tuple[str, str]:
    m = _TYPE_LINE_RE.match(line.text)
    assert m
    return DOC_TYPES[m.group(1)], m.group("more").strip()


def _title_block(lines: list[_Line], i: int) -> tuple[list[_Line], int]:
    """Subject lines after the type line ``i``: short lines until a stop; (lines, next index)."""
    got: list[_Line] = []
    j = i + 1
    blanks = 0
    while j < len(lines) and len(got) < 4:
        c = lines[j].clean
        if not c:
            blanks += 1
            if blanks > 2 or (got and blanks > 1):
                break
            j += 1
            continue
        if (
            _STOP_TITLE_RE.match(c)
            or len(c) > (400 if c.isupper() else 300)
            or c.endswith((";", ":"))
            or "\t" in lines[j].text.strip()
            or (got and _BODY_START_RE.match(c))
            or (got and any(g.clean.isupper() for g in got) and _is_sentence(c))
        ):
            break
        if got and blanks and c[0].isupper() and not c.isupper() and got[-1].clean[-1:] not in ",-":
            # A new capitalised paragraph after a blank line: body, unless the title so far
            # is clearly unfinished (ends with a preposition).
            if not re.search(r"\b(của|và|trong|về|hoạt động|giai đoạn|tại|cho)$", got[-1].clean):
                break
        got.append(lines[j])
        blanks = 0
        j += 1
    return got, j


def _canon_number(seq: str, sym: str) -> str | None:
    """None for draft blanks; symbol cleaned of spaces ("QĐ- UBND" -> "QĐ-UBND")."""
    if not seq.strip() or not seq.strip()[0].isdigit():
        return None
    sym = re.sub(r"\s+", "", sym)
    sym = re.sub(r"(?i)-ttg\b", "-TTg", sym)
    return f"{seq.strip()}/{sym}"


_NUMBER_MARK_RE = re.compile(r"(?:^|(?<=\s))Số\s*:?[ \t]*")


def _find_number(text: str, lines: list[_Line], lo: int, hi: int, meta: DocumentMeta) -> bool:
    """ "Số: N/SYM" in lines[lo:hi] (the shared number grammar, any symbol shape); True when
    a number line was seen, even a draft's blank one ("Số: /KH-UBND")."""
    for ln in lines[lo:hi]:
        mark = _NUMBER_MARK_RE.search(ln.text)
        if not mark:
            continue
        rest = ln.text[mark.end() :]
        if not rest.strip() or not rest.lstrip()[0].isdigit():
            if rest.strip() or ln.text.strip() in ("Số:", "Số :"):
                return True
            continue
        m = NUMBER_RE.match(rest)
        if not m:
            continue
        number = match_number(m).number
        meta.number = number
        at = ln.start + mark.end()
        meta.spans["number"] = _span(text, at + m.start(), at + m.end())
        return True
    return False


def _find_date(text: str, lines: list[_Line], lo: int, hi: int, meta: DocumentMeta) -> bool:
    """ "Place, ngày ..." in lines[lo:hi] (stamps have no "Place,"); True if seen (even blank)."""
    for ln in lines[lo:hi]:
        m = _PLACE_DATE_RE.match(ln.text)
        if not m or m.group("place").strip().startswith(("Đến", "Số")):
            continue
        dates = find_dates(m.group("date"), include_blank=True)
        if not dates:
            continue
        d = dates[0]
        if d.iso:
            meta.date = d.iso
            off = ln.start + m.start("date")
            meta.spans["date"] = _span(text, off + d.start, off + d.end)
        return True
    return False


def _annex_refs(text: str) -> list[tuple[str, str | None, str | None, re.Match[str]]]:
    """(doc type, number, ISO date) of every "(Kèm theo <type> số ... ngày ...)" line."""
    out = []
    for m in _ANNEX_RE.finditer(text):
        dates = find_dates(m.group("tail"), include_blank=True)
        iso = dates[0].iso if dates and dates[0].start < 40 else None
        out.append((m.group("type"), _canon_number(m.group("seq"), m.group("sym")), iso, m))
    return out


def _apply_annex(text: str, meta: DocumentMeta) -> None:
    """Fill a missing number/date from an annex line naming this document's type."""
    for doc_type, number, iso, m in _annex_refs(text):
        if doc_type != meta.doc_type:
            continue
        if meta.number is None and number:
            meta.number = number
            meta.spans["number"] = _span(text, m.start("seq"), m.end("sym"))
        if meta.date is None and iso:
            meta.date = iso
            tail = m.start("tail")
            d = find_dates(m.group("tail"))[0]
            meta.spans["date"] = _span(text, tail + d.start, tail + d.end)
        if meta.number or meta.date:
            return


def _period(title: str | None) -> str | None:
    if not title:
        return None
    m = _PERIOD_RE.search(title)
    if m:
        return f"{m.group(1)}-{m.group(2)}"
    y = _YEAR_RE.search(title)
    return y.group(1) if y else None


def _phase_period(text: str) -> tuple[str, int, int] | None:
    """Span of the "Giai đoạn Y1 - Y2" phase headings when the title names no period."""
    phases = list(_PHASE_RE.finditer(text))
    if not phases:
        return None
    lo = min(int(m.group(1)) for m in phases)
    hi = max(int(m.group(2)) for m in phases)
    return f"{lo}-{hi}", phases[0].start(1), phases[-1].end(2)


def _set_title(text: str, meta: DocumentMeta, lines: list[_Line], type_idx: int) -> int:
    """Title (see module docstring) and period from the subject lines; returns next index."""
    doc_type, more = _type_of(lines[type_idx])
    meta.doc_type = doc_type
    meta.spans["doc_type"] = _span(text, lines[type_idx].start, lines[type_idx].end)
    block, nxt = _title_block(lines, type_idx)
    parts = [ln.clean for ln in block]
    if more:
        parts.insert(0, lines[type_idx].clean)
    if parts:
        meta.title = " ".join(" ".join(parts).split())
        first = lines[type_idx] if more else block[0]
        last = block[-1] if block else lines[type_idx]
        meta.spans["title"] = _span(
            text, first.start + len(first.text) - len(first.text.lstrip(" \t*#")), last.end
        )
    _fill_period(text, meta)
    return nxt


def _fill_period(text: str, meta: DocumentMeta) -> None:
    period = _period(meta.title)
    if period and "title" in meta.spans:
        meta.period = period
        meta.spans["period"] = meta.spans["title"]


def _issuer_from(text: str, lo: int, hi: int, meta: DocumentMeta) -> bool:
    """Issuer "UBND tỉnh X" from an issuer line ("UỶ BAN NHÂN DÂN\n\nTỈNH X"), an authority
    line ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH X") or a body phrase, found in text[lo:hi]."""
    for m in _ISSUER_RE.finditer(text, lo, hi):
        kind = (
            "UBND"
            if m.group("kind").lower() in ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd")
            else "HĐND"
        )
        gap = re.match(r"[\s\t]*", text[m.end() : m.end() + 20])
        at = m.end() + (gap.end() if gap else 0)
        found = find_province(text[at : at + 60])
        if not found or found[1] != 0:
            continue
        name = found[0]
        meta.province = meta.province or name
        meta.issuer = f"{kind} {'thành phố' if is_city(name) else 'tỉnh'} {name}"
        meta.spans["issuer"] = _span(text, m.start(), at + found[2])
        return True
    return False


def _authority_kind(text: str, lo: int, hi: int) -> str | None:
    m = _ISSUER_RE.search(text, lo, hi)
    if not m:
        return None
    return (
        "UBND"
        if m.group("kind").lower() in ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd")
        else "HĐND"
    )


_ENACTING_RE = re.compile(
    r"(?:nhân dân|Chủ tịch|Bộ trưởng|Thủ tướng)[^\n.;]{0,40}? ban hành "
    r"(?P<type>Kế hoạch|Quyết định|Chương trình|Đề án|Chỉ thị|Nghị quyết|Thông tư|Quy chế)\b"
)


def _enacted_type(text: str) -> str | None:
    """Type from the enacting formula of a text without header ("Ủy ban nhân dân thành
    phố ban hành Kế hoạch ...")."""
    m = _ENACTING_RE.search(text, 0, min(len(text), 3000))
    return m.group("type") if m and m.group("type") != "Quy chế" else None


def _date_place(lines: list[_Line], hi: int, meta: DocumentMeta) -> str | None:
    """Province of the place in the date line ("Biên Hòa, ngày ..." -> "Đồng Nai")."""
    for ln in lines[: max(hi, 1) + 2]:
        m = _PLACE_DATE_RE.match(ln.text)
        if m and "ngày" in m.group("date"):
            return province_of_place(m.group("place").strip(), meta.date)
    return None


def _issuer_kind_from_number(meta: DocumentMeta) -> None:
    """The number's symbol names the issuing council: a HĐND heading over a QĐ-UBND number
    is a decision of the UBND (and the reverse)."""
    if not meta.issuer or not meta.number:
        return
    codes = meta.number.split("/")[-1].split("-")
    for kind, other in (("UBND", "HĐND"), ("HĐND", "UBND")):
        if kind in codes and meta.issuer.startswith(other):
            meta.issuer = kind + meta.issuer[len(other) :]


def _fill_place(
    text: str, meta: DocumentMeta, head_end: int, title_hint: str | None, place: str | None
) -> None:
    """Issuer and province: header lines, then the place of the date line, then title,
    then body (first 4000 characters)."""
    if _issuer_from(text, 0, head_end, meta):
        return
    if place:
        kind = _authority_kind(text, 0, min(len(text), head_end + 300))
        meta.province = place
        if kind:
            meta.issuer = f"{kind} {'thành phố' if is_city(place) else 'tỉnh'} {place}"
            return
    for doc_type, _number, _iso, m in _annex_refs(text):
        if doc_type == meta.doc_type and _issuer_from(text, m.start("tail"), m.end("tail"), meta):
            return
    kind = _authority_kind(text, 0, min(len(text), head_end + 300))
    name = None
    for hint in (title_hint or "", text[: min(len(text), head_end + 4000)]):
        found = find_province(hint)
        if found:
            name = found[0]
            break
    if name is None:
        return
    meta.province = name
    if _issuer_from(text, head_end, min(len(text), head_end + 4000), meta):
        return
    if kind:
        meta.issuer = f"{kind} {'thành phố' if is_city(name) else 'tỉnh'} {name}"


def _is_name(line: str) -> bool:
    words = line.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in line):
        return False
    if line.isupper():
        return not _SIGN_TITLE_RE.match(line) and "PHỤ LỤC" not in line and "ỦY BAN" not in line
    return all(w[0].isupper() and (w[1:].islower() or len(w) == 1) for w in words)


def _signers(text: str, lines: list[_Line]) -> list[tuple[int, str, Span]]:
    """(line index, name, span) for each signature block: title lines then a name line."""
    out = []
    i = 0
    while i < len(lines):
        if _SIGN_TITLE_RE.match(lines[i].text.replace("\t", " ")):
            for j in range(i + 1, min(len(lines), i + 12)):
                c = lines[j].clean
                if not c or _SIGN_TITLE_RE.match(c) or c.startswith(("KT", "TM")):
                    continue
                if _is_name(c):
                    name = c.title() if c.isupper() else c
                    start = lines[j].start + lines[j].text.index(c)
                    out.append((j, name, Span(start, start + len(c), c)))
                    i = j
                break
        i += 1
    return out


def _head_end(lines: list[_Line], stop: int) -> int:
    return lines[stop].start if stop < len(lines) else (lines[-1].end if lines else 0)


def _is_sentence(line: str) -> bool:
    """Mostly lower-case letters: running text, not a capitals heading."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 3 and sum(c.islower() for c in letters) > len(letters) / 2


def _header_end(lines: list[_Line]) -> int | None:
    """Index after the header block (motto, "Số:", place and date, "V/v" subject lines)
    within the first lines, or None when the text has no header."""
    last = None
    for i, ln in enumerate(lines[:40]):
        c = ln.clean
        if _HEADER_LINE_RE.match(c) or (_PLACE_DATE_RE.match(ln.text) and "ngày" in c):
            last = i
        elif c and last is not None and (_STOP_TITLE_RE.match(c) or _type_lines([ln])):
            break
    return None if last is None else last + 1


def _issuer_cell(lines: list[_Line]) -> tuple[str, int, int] | None:
    """The issuer cell: the lines above the motto / number / rule (text, start, end)."""
    got: list[_Line] = []
    for ln in lines[:6]:
        c = ln.clean
        if not c:
            if got:
                break
            continue
        if _HEADER_LINE_RE.match(c) or _PLACE_DATE_RE.match(ln.text) or not c.isupper():
            break
        got.append(ln)
    if not got:
        return None
    return " ".join(ln.clean for ln in got), got[0].start, got[-1].end


def _national_issuer(cell: str) -> str | None:
    """Issuer of a ministry, the Government, the Prime Minister or a national body, from
    the header's issuer cell (possibly truncated by the site: "BỘ THÔNG TIN")."""
    key = " ".join(fold(cell).replace("-", " ").split())
    if key.startswith("thủ tướng"):
        return "Thủ tướng Chính phủ"
    if key == "chính phủ":
        return "Chính phủ"
    if key.startswith("bộ "):
        names = [e.name for e in ministry_entries()]
        exact = [n for n in names if " ".join(fold(n).split()) == key]
        prefix = [n for n in names if " ".join(fold(n).split()).startswith(key)]
        if exact or len(prefix) == 1:
            return (exact or prefix)[0]
        return cell[:1] + cell[1:].lower()
    if key.startswith(("ủy ban", "uỷ ban")) and "nhân dân" not in key:
        return cell[:1] + cell[1:].lower()
    return None


def _department_in_header(lines: list[_Line]) -> tuple[str, int, int] | None:
    """A provincial department named in the header's issuer lines under its UBND heading
    ("UBND TỈNH X" / "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", the motto possibly between them when
    the cells are read row by row): the document is the department's, not the UBND's."""
    entries = [
        (" ".join(fold(e.name).replace("-", " ").split()), e.name) for e in department_entries()
    ]
    for ln in lines[:8]:
        c = ln.clean
        if not c or _PLACE_DATE_RE.match(ln.text) or re.match(r"(?i)số\s*:|v/v", c):
            break
        if not c.isupper() or _HEADER_LINE_RE.match(c):
            continue
        key = f" {' '.join(fold(c).replace('-', ' ').split())}"
        found = [name for k, name in entries if key.endswith(f" {k}") or f" {k} " in f"{key} "]
        if found:
            return max(found, key=len), ln.start, ln.end
    return None


def _subject_title(text: str, lines: list[_Line], hi: int, meta: DocumentMeta) -> bool:
    """A công văn's "V/v ..." subject (continued over lower-case lines) as its title."""
    for i, ln in enumerate(lines[:hi]):
        m = _SUBJECT_RE.match(ln.clean)
        if not m or not m.group("subject"):
            continue
        got = [ln]
        j = i + 1
        while j < len(lines):
            c = lines[j].clean
            if not c and j + 1 < len(lines) and lines[j + 1].clean[:1].islower():
                j += 1
                continue
            if not c or not c[0].islower():
                break
            got.append(lines[j])
            j += 1
        first = ln.start + ln.text.index(m.group("subject"))
        meta.spans["title"] = _span(text, first, got[-1].end)
        meta.title = " ".join(" ".join([m.group("subject"), *(g.clean for g in got[1:])]).split())
        return True
    return False


def _untyped_title(text: str, lines: list[_Line], lo: int, meta: DocumentMeta) -> None:
    """Title of a header without a type line: the capitals lines right under it."""
    got: list[_Line] = []
    for ln in lines[lo : lo + 8]:
        c = ln.clean
        if not c:
            if got:
                break
            continue
        if _STOP_TITLE_RE.match(c) or _BODY_START_RE.match(c) or not c.isupper():
            break
        got.append(ln)
    if got:
        meta.title = " ".join(" ".join(g.clean for g in got).split())
        s = got[0].start + len(got[0].text) - len(got[0].text.lstrip(" \t*#"))
        meta.spans["title"] = _span(text, s, got[-1].end)
        _fill_period(text, meta)


def _to_source(view: Reflowed, source: str, span: Span) -> Span:
    start, end = view.to_source(span.start, span.end)
    return Span(start, end, source[start:end])


def parse_header(text: str) -> tuple[DocumentMeta, DocumentMeta | None]:
    """Outer document meta, and the attached plan's meta for a Quyết định approving one.

    Read on the reflowed view of ``text`` (any layout: "|" cells, short lines, broken
    words); every span is mapped back to ``text``."""
    view = reflow(text)
    outer, attached = _parse_view(view.text)
    for meta in (outer, attached):
        if meta is not None:
            meta.spans = {k: _to_source(view, text, v) for k, v in meta.spans.items()}
    return outer, attached


def _parse_view(text: str) -> tuple[DocumentMeta, DocumentMeta | None]:
    lines = _lines(text)
    header_end = _header_end(lines)
    types = [
        i
        for i in _type_lines(lines)
        if i < 80 or lines[i].clean.startswith(("KẾ HOẠCH", "CHƯƠNG TRÌNH"))
    ]
    operative = next(
        (i for i, ln in enumerate(lines[:120]) if re.match(r"^\s*QUYẾT ĐỊNH\s*:", ln.text)), None
    )
    first = types[0] if types else None
    is_decision = (first is not None and _type_of(lines[first])[0] == "Quyết định") or (
        operative is not None and (first is None or first > operative)
    )
    outer = DocumentMeta()
    attached: DocumentMeta | None = None
    if is_decision:
        outer_idx = first if first is not None and first < (operative or 10**9) else None
        plan_idx = next((i for i in types if operative is not None and i > operative), None)
        if outer_idx is not None:
            nxt = _set_title(text, outer, lines, outer_idx)
        elif header_end is not None:
            outer.doc_type = "Quyết định"
            _untyped_title(text, lines, header_end, outer)
            nxt = header_end
        else:
            outer.doc_type = "Quyết định"
            nxt = _fragment_title(text, outer, lines)
        head_stop = outer_idx if outer_idx is not None else nxt
        if plan_idx is not None:
            attached = DocumentMeta()
            _set_title(text, attached, lines, plan_idx)
    else:
        head_stop = first if first is not None else (header_end or min(len(lines), 30))
        if first is not None:
            nxt = _set_title(text, outer, lines, first)
        else:
            nxt = head_stop
            if header_end is not None and not _subject_title(text, lines, header_end, outer):
                _untyped_title(text, lines, header_end, outer)
    head_end = _head_end(lines, head_stop)
    _find_number(text, lines, 0, max(head_stop, 1) if first is not None else nxt, outer)
    _find_date(text, lines, 0, max(head_stop, 1) if first is not None else nxt, outer)
    if outer.number and not outer.doc_type:
        outer.doc_type = type_from_number(outer.number)
    if not outer.doc_type and header_end is None:
        outer.doc_type = _enacted_type(text)
    if outer.doc_type == "Công văn" and outer.title is None:
        _subject_title(text, lines, header_end or nxt, outer)
    if outer.doc_type:
        _apply_annex(text, outer)
    cell = _issuer_cell(lines)
    national = _national_issuer(cell[0]) if cell else None
    if national and cell:
        outer.issuer = national
        outer.spans["issuer"] = _span(text, cell[1], cell[2])
    else:
        _fill_place(text, outer, head_end, outer.title, _date_place(lines, nxt, outer))
        _issuer_kind_from_number(outer)
        department = _department_in_header(lines)
        if department and outer.province:
            place = "thành phố" if is_city(outer.province) else "tỉnh"
            outer.issuer = f"{department[0]} {place} {outer.province}"
            outer.spans["issuer"] = _span(text, department[1], department[2])
    if outer.period is None and not is_decision:
        phase = _phase_period(text)
        if phase:
            outer.period = phase[0]
            outer.spans["period"] = _span(text, phase[1], phase[2])
    signers = _signers(text, lines)
    plan_line = next(
        (i for i in types if attached and operative is not None and i > operative), None
    )
    if attached is not None and plan_line is not None:
        before = [s for s in signers if s[0] < plan_line]
        after = [s for s in signers if s[0] > plan_line]
        if before:
            outer.signer, outer.spans["signer"] = before[-1][1], before[-1][2]
        if after:
            attached.signer, attached.spans["signer"] = after[-1][1], after[-1][2]
        _apply_annex(text, attached)
        attached.issuer, attached.province = outer.issuer, outer.province
        if outer.period is None:
            outer.period = attached.period
    elif signers:
        outer.signer, outer.spans["signer"] = signers[-1][1], signers[-1][2]
    return outer, attached


def _fragment_title(text: str, meta: DocumentMeta, lines: list[_Line]) -> int:
    """A file that starts mid-title: the lines before the authority / "Căn cứ" line."""
    got: list[_Line] = []
    j = 0
    while j < len(lines) and j < 8:
        c = lines[j].clean
        if c and (_STOP_TITLE_RE.match(c) or _ISSUER_RE.match(c)):
            break
        if c:
            got.append(lines[j])
        j += 1
    if got:
        meta.title = " ".join(" ".join(ln.clean for ln in got).split())
        s = got[0].start + len(got[0].text) - len(got[0].text.lstrip(" \t*#"))
        meta.spans["title"] = _span(text, s, got[-1].end)
        _fill_period(text, meta)
    return j
