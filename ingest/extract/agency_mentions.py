"""Find agency mentions in a text: gazetteer matches plus a few structural rules.

Why rules on top of the gazetteer: district and commune people's committees are named
after places ("UBND huyện Bình Giang"), often several behind one prefix ("UBND các huyện
A, B, thành phố C"), department lists share "Sở" ("các Sở: Tài chính, Kế hoạch và Đầu
tư"), and centres, newspapers and steering committees carry free names. Plural groups
("các sở, ban, ngành", "UBND cấp huyện") are left to ``collective_mentions``; internal
office codes of the copy list ("Lưu: VT, LĐVP") match no rule.

Size: the gazetteer scan, the rules and the overlap resolution share the Hit type and
the folded text, and each rule is short; split, they would pass those back and forth.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from ingest.lang.agency_gazetteer import DEPARTMENT_TAILS, GazEntry, all_entries, fold
from ingest.structure.spans import SpanSet, matches_at

_SEP = r"[\s,\-–]+"
_WORD_RE = re.compile(r"\w+")
_PLACE_SEP_RE = re.compile(r" - | – | ")
# Separators read at an offset of the text (``pattern.match(text, i)``, not ``text[i:]``).
_SPACES_RE = re.compile(r"\s+")
# Possessive runs: "\s*(?:,|;|\s+và)" retried every split of a long run of blanks (the
# matches are the same: a comma, a semicolon or "và" can only follow the whole run).
_LIST_SEP_RE = re.compile(r"(?:\s*+[,;]|\s++và)\s*")
_DEPARTMENT_SEP_RE = re.compile(r"(?:\s*+[,;]|\s++và)\s*(?:sở\s+)?")
_NEXT_WORD_RE = re.compile(r" (\w+)")


def place_end(text: str, i: int, max_words: int = 4) -> int:
    """End of a capitalised place name starting at ``i`` ("Bình Giang", "Bà Rịa - Vũng
    Tàu"); ``i`` itself when no capitalised word starts there."""
    end = i
    pos = i
    for _ in range(max_words):
        m = _WORD_RE.match(text, pos)
        if m is None or not m.group(0)[:1].isupper():
            break
        end = m.end()
        sep = _PLACE_SEP_RE.match(text, end)  # at an offset: never a copy of the rest
        if sep is None:
            break
        pos = sep.end()
    return end


_LOCAL_AFTER = re.compile(
    r"\s+(?:các\s+)?(?:cấp\s+)?(?:huyện|xã|quận|phường|thị xã|thị trấn|thành phố|tp\b)"
)


@dataclass(slots=True)
class Hit:
    """One agency mention: span in the text, canonical name and scope."""

    start: int
    end: int
    surface: str
    name: str
    kind: str
    level: str
    national: bool
    province: str | None = None  # a province written in the mention itself
    source: str = "gazetteer"


def _form_pattern(form: str) -> str:
    tokens = re.findall(r"[^\s,\-–]+", fold(form))
    return _SEP.join(re.escape(t) for t in tokens)


@lru_cache(maxsize=1)
def _gazetteer_patterns() -> list[tuple[re.Pattern[str], GazEntry, str]]:
    """(pattern, entry, lead) per form; ``lead`` is the form's first word, a literal every
    match starts with."""
    out: list[tuple[re.Pattern[str], GazEntry, str]] = []
    for entry in all_entries():
        for form in (entry.name, *entry.variants):
            pat = re.compile(rf"(?<![\w/\-]){_form_pattern(form)}(?![\w/]|-\w)")
            lead = next(iter(re.findall(r"[^\s,\-–]+", fold(form))), "")
            out.append((pat, entry, lead))
    return out


@lru_cache(maxsize=512)
def _literal_pattern(lead: str) -> re.Pattern[str] | None:
    """``lead`` as a pattern when no two of its occurrences can overlap (one regex scan
    makes far fewer calls than a ``str.find`` loop); None where they can ("aa")."""
    if not lead or any(lead.startswith(lead[k:]) for k in range(1, len(lead))):
        return None
    return re.compile(re.escape(lead))


def occurrences(folded: str, lead: str) -> list[int]:
    """Every offset where ``lead`` starts in ``folded`` (overlapping ones included)."""
    if len(folded) <= 1000 and lead and lead not in folded:
        return []  # most leads, in a short text (a cell); a long one is scanned once below
    literal = _literal_pattern(lead)
    if literal is not None:
        return [m.start() for m in literal.finditer(folded)]
    out: list[int] = []
    i = folded.find(lead)
    while i >= 0:
        out.append(i)
        i = folded.find(lead, i + 1)
    return out


def anchored_matches(
    pat: re.Pattern[str], text: str, anchors: tuple[str, ...]
) -> list[re.Match[str]]:
    """``pat.finditer(text)`` for a pattern whose every match starts with one of
    ``anchors``: tried only where one occurs (a literal scan each), not at every offset
    its look-around or first letters let through."""
    starts = sorted({at for anchor in anchors for at in occurrences(text, anchor)})
    return matches_at(pat, text, starts)


def _has_capital(surface: str) -> bool:
    """Real names are capitalised somewhere in their first words ("cán bộ tài chính" is not a ministry)."""
    return any(w[:1].isupper() for w in surface.split()[:3])


def _province_suffix(text: str, end: int, province: str | None) -> tuple[int, str | None]:
    """Extend a provincial name over "tỉnh", "của tỉnh" or "tỉnh <Province>" that follows it."""
    m = re.match(r"\s+(?:của\s+)?tỉnh(?!\w)", text[end : end + 20])
    if m is None:
        if province and text.startswith(" " + province, end):
            return end + 1 + len(province), province
        return end, None
    return _province_after_tinh(text, end + m.end(), province)


def _province_after_tinh(text: str, end: int, province: str | None) -> tuple[int, str | None]:
    """For names ending in "tỉnh": take a province name right after it."""
    if province and text.startswith(" " + province, end):
        return end + 1 + len(province), province
    if not text.startswith(" ", end):
        return end, None
    pe = place_end(text, end + 1, 3)
    if pe == end + 1:
        return end, None
    return pe, text[end + 1 : pe]


@lru_cache(maxsize=1)
def _lead_filters() -> dict[str, re.Pattern[str]]:
    """Per lead word, one pattern matching where any form with that lead matches (their
    alternation): most occurrences of a lead ("bộ" in "cán bộ") are no agency, and one
    test turns them away instead of one per form."""
    forms: dict[str, list[str]] = {}
    for pat, _, lead in _gazetteer_patterns():
        forms.setdefault(lead, []).append(f"(?:{pat.pattern})")
    return {lead: re.compile("|".join(alts)) for lead, alts in forms.items() if lead}


def gazetteer_hits(text: str, folded: str, province: str | None) -> list[Hit]:
    hits: list[Hit] = []
    lead_starts: dict[str, list[int]] = {}
    filters = _lead_filters()
    for pat, entry, lead in _gazetteer_patterns():
        if not lead:
            matches = list(pat.finditer(folded))
        else:
            if lead not in lead_starts:
                # Where some form of this lead matches: no form can match elsewhere.
                test = filters[lead].match
                lead_starts[lead] = [s for s in occurrences(folded, lead) if test(folded, s)]
            matches = matches_at(pat, folded, lead_starts[lead])
        for m in matches:
            s, e = m.start(), m.end()
            surface = text[s:e]
            if not _has_capital(surface) or _LOCAL_AFTER.match(folded, e):
                continue
            if entry.name == "Chính phủ" and re.match(r"\s+điện tử", folded[e : e + 10]):
                continue
            prov = None
            if not entry.national:
                if fold(surface).endswith("tỉnh"):
                    e, prov = _province_after_tinh(text, e, province)
                else:
                    e, prov = _province_suffix(text, e, province)
            hits.append(
                Hit(s, e, text[s:e], entry.name, entry.kind, entry.level, entry.national, prov)
            )
    return hits


# "(?=[...])": the letters a match starts with, checked before the look-behind so that
# other offsets are turned away at once (same matches, faster scans of long texts).
_UBND_RE = re.compile(r"(?=[uủ])(?<![\w/\-])(?:ủy ban nhân dân|ubnd)(?![\w])")
_LOCAL_TYPES = {
    "huyện": "huyện", "thành phố": "thành phố", "tp": "thành phố", "tp.": "thành phố",
    "thị xã": "thị xã", "quận": "quận", "xã": "xã", "phường": "phường", "thị trấn": "thị trấn",
}  # fmt: skip
_TYPE_RE = re.compile(r"(thành phố|thị xã|thị trấn|huyện|quận|phường|xã|tp\.?)(?![\w])")


def _level_of(local_type: str) -> str:
    return "xã" if local_type in {"xã", "phường", "thị trấn"} else "huyện"


def ubnd_hits(text: str, folded: str, province: str | None) -> list[Hit]:
    """People's committees: of the province, of named districts/communes (split when
    several share one prefix), or bare "UBND" (the issuing province's committee)."""
    hits: list[Hit] = []
    for m in anchored_matches(_UBND_RE, folded, ("ủy ban nhân dân", "ubnd")):
        s, e = m.start(), m.end()
        if not _has_capital(text[s:e]):
            continue
        rest = folded[e : e + 20]
        tinh = re.match(r"\s+tỉnh(?![\w])", rest)
        if tinh:
            end = e + tinh.end()
            end, prov = _province_after_tinh(text, end, province)
            hits.append(
                Hit(s, end, text[s:end], "Ủy ban nhân dân tỉnh", "UBND", "tỉnh", False, prov)
            )
            continue
        local = re.match(r"\s+(?:các\s+)?", rest)
        pos = e + (local.end() if local else 0)
        listed = _local_list(text, folded, pos)
        if listed:
            for ls, le, ltype, place in listed:
                name = f"Ủy ban nhân dân {ltype} {place}"
                surface = text[s:le] if ls == pos else text[ls:le]
                start = s if ls == pos else ls
                hits.append(
                    Hit(
                        start, le, surface, name, "UBND", _level_of(ltype), False, None, "ubnd-list"
                    )
                )
            continue
        if re.match(r"\s+(?:các|cấp|huyện|xã|quận|phường|thị|thành|tp|và\s+ủy ban|các cấp)", rest):
            continue  # a plural or a level, not one body
        if folded[max(0, s - 11) : s].strip().endswith(("văn phòng", "vp", "chủ tịch")):
            if folded[max(0, s - 11) : s].strip().endswith("chủ tịch"):
                hits.append(Hit(s, e, text[s:e], "Ủy ban nhân dân tỉnh", "UBND", "tỉnh", False))
            continue
        hits.append(Hit(s, e, text[s:e], "Ủy ban nhân dân tỉnh", "UBND", "tỉnh", False))
    return hits


def _local_list(text: str, folded: str, pos: int) -> list[tuple[int, int, str, str]]:
    """Parse "huyện A, B, thành phố C và thị xã D" starting at ``pos``: (start, end, type, place)."""
    out: list[tuple[int, int, str, str]] = []
    current: str | None = None
    i = pos
    while True:
        tm = _TYPE_RE.match(folded, i)
        start = i
        if tm:
            current = _LOCAL_TYPES.get(tm.group(1), tm.group(1))
            i = tm.end()
            sp = _SPACES_RE.match(text, i)
            i = sp.end() if sp else i
        if current is None:
            break
        pe = place_end(text, i)
        if pe == i or (tm is None and not out):
            break
        out.append((start, pe, current, text[i:pe]))
        i = pe
        sep = _LIST_SEP_RE.match(folded, i)
        if sep is None:
            break
        i = sep.end()
    return out


_DEPARTMENTS_LIST_RE = re.compile(r"(?=c)(?<![\w])các sở\s*:?\s*")


@lru_cache(maxsize=1)
def _department_tail_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Department tails, longest first, each with its folded pattern (built once)."""
    tails = sorted(DEPARTMENT_TAILS, key=len, reverse=True)
    return [(t, re.compile(_form_pattern(t) + r"(?![\w])")) for t in tails]


def department_list_hits(text: str, folded: str, hits: list[Hit]) -> list[Hit]:
    """Departments named after a shared "các Sở:" or after a Sở just matched ("Sở Tài
    chính, Kế hoạch và Đầu tư") become one hit each."""
    tail_pats = _department_tail_patterns()
    taken = SpanSet((h.start, h.end) for h in hits)
    out: list[Hit] = []
    starts = [m.end() for m in _DEPARTMENTS_LIST_RE.finditer(folded)]
    starts += [h.end for h in hits if h.kind == "Sở"]
    for pos in starts:
        first = True
        i = pos
        while True:
            if not first:
                sep = _DEPARTMENT_SEP_RE.match(folded, i)
                if sep is None:
                    break
                i = sep.end()
            matched = None
            for tail, pat in tail_pats:
                m = pat.match(folded, i)
                if m and text[i : i + 1].isupper():
                    matched = (tail, m.end())
                    break
            if matched is None:
                break
            tail, end = matched
            if not (first and i in taken):
                out.append(
                    Hit(i, end, text[i:end], f"Sở {tail}", "Sở", "tỉnh", False, None, "list")
                )
            i = end
            first = False
    return out


_GENERIC_HEADS = re.compile(
    r"(?=[TBCVĐ])(?<![\w])(Trung tâm|Ban [Cc]hỉ đạo|Ban [Đđ]iều hành|BCĐ|Báo|Chi nhánh|Viễn thông|Bưu điện|Chi cục|Cục|Đài|Ban Quản lý)(?![\w])"
)
# Every match of ``_GENERIC_HEADS`` starts with one of these.
_GENERIC_ANCHORS = (
    "Trung tâm",
    "Ban ",
    "BCĐ",
    "Báo",
    "Chi ",
    "Viễn thông",
    "Bưu điện",
    "Cục",
    "Đài",
)
_STOP = set(
    "chủ phối có là được đã để tại với về trong theo nhằm cho thuộc do gồm bao nâng tăng kiện xây triển "
    "thực tổ tham hướng chịu đảm cung quản phát đầu tiếp căn làm sẽ đang cần phải mới đến từ trên "
    "hoạt vận duy lập trình phục tiến gửi rà đề hỗ giám kiểm đôn năm giai hàng này đó những một mỗi "
    "thì mà nhưng hoặc nếu khi tới đặt ứng_x".split()
)


_HEAD_WORDS = {
    "Sở",
    "UBND",
    "Ủy",
    "Bộ",
    "Văn",
    "Chi",
    "Trung",
    "Báo",
    "Ban",
    "Cục",
    "Đài",
    "Viễn",
    "Bưu",
    "Công",
}


def _name_tail_end(text: str, i: int, lowercase_ok: bool) -> int:
    """End of a free name starting at ``i``: words joined by single spaces or " - ",
    stopping at punctuation, verbs/prepositions, another agency head, or "tỉnh"."""
    end = i
    lower_run = 0
    for k, tok in enumerate(re.finditer(r"[^\s,.;:()\"“”/]+", text[i : i + 120])):
        between = text[end : i + tok.start()]
        if k > 0 and not re.fullmatch(r" | - | – ", between) or k == 0 and between:
            break
        word = tok.group(0)
        if word in {"-", "–"}:
            continue
        low = fold(word)
        if k == 0 and not word[:1].isupper() and not lowercase_ok:
            break
        if low == "của" and text[i + tok.end() : i + tok.end() + 5] == " tỉnh":
            return i + tok.end() + 5
        if (
            (low in _STOP and not (lowercase_ok and low in {"về", "trình"}))
            and not (low == "đề" and text[i + tok.end() : i + tok.end() + 3] == " án")
            or low == "của"
            or k >= 12
        ):
            break
        if (
            word in {"Sở", "UBND", "Ủy", "Bộ", "Văn", "Chi", "Trung", "Báo", "Ban", "Cục", "Đài"}
            and k > 0
        ):
            break
        if low == "tỉnh":
            return i + tok.end()
        if low == "và":
            nxt = _NEXT_WORD_RE.match(text, i + tok.end())
            if nxt is None or nxt.group(1) in _HEAD_WORDS or not nxt.group(1)[:1].isupper():
                break
            end = i + tok.end()
            continue
        lower_run = 0 if word[:1].isupper() else lower_run + 1
        if lower_run > (8 if lowercase_ok else 3):
            break
        end = i + tok.end()
    words = re.sub(r"(?:\s+(?:và|Và)|\s*[-–])+$", "", text[i:end])
    return i + len(words)


def generic_hits(text: str, province: str | None) -> list[Hit]:
    """Bodies with free names after a typical head: "Trung tâm Công báo - Tin học",
    "Báo Hải Dương", "Ban Chỉ đạo ứng dụng CNTT tỉnh", "Viễn thông Hải Dương"."""
    out: list[Hit] = []
    for m in anchored_matches(_GENERIC_HEADS, text, _GENERIC_ANCHORS):
        head = m.group(1)
        s = m.start()
        if text[m.end() : m.end() + 1] != " ":
            continue
        end = _name_tail_end(
            text, m.end() + 1, head.lower() in {"ban chỉ đạo", "bcđ", "ban điều hành"}
        )
        if end <= m.end() + 1:
            continue
        surface = text[s:end]
        if (
            head in {"Viễn thông", "Bưu điện"}
            and not (province and province in surface)
            and "tỉnh" not in surface
        ):
            continue
        if head == "Báo" and len(surface.split()) > 4:
            continue
        if fold(surface).endswith("tỉnh"):
            end, _ = _province_after_tinh(text, end, province)
            surface = text[s:end]
        level = "doanh nghiệp" if head in {"Viễn thông", "Bưu điện", "Chi nhánh"} else "tỉnh"
        kind = "Ban" if head.lower() in {"ban chỉ đạo", "bcđ", "ban điều hành"} else head
        out.append(Hit(s, end, surface, surface, kind, level, False, None, "generic"))
    return out


def resolve_overlaps(hits: list[Hit]) -> list[Hit]:
    """Keep the longest hit where hits overlap (gazetteer before rules on equal spans)."""
    rank = {"gazetteer": 0, "ubnd-list": 1, "list": 1, "collective": 1, "generic": 2}
    order = sorted(hits, key=lambda h: (-(h.end - h.start), rank.get(h.source, 3), h.start))
    kept: list[Hit] = []
    # Kept spans are disjoint; the characters they cover are marked, so a hit overlaps a
    # kept span exactly when one of its characters is marked (work in the hit's length,
    # not in the number of kept spans). Empty hits, which sort last, are checked by a scan.
    covered = bytearray(max((h.end for h in hits), default=0))
    spans: list[tuple[int, int]] = []
    for h in order:
        if h.end <= h.start:
            if any(h.start < e and s < h.end for s, e in spans):
                continue
            kept.append(h)
            continue
        if covered.find(1, h.start, h.end) >= 0:
            continue
        kept.append(h)
        covered[h.start : h.end] = b"\x01" * (h.end - h.start)
        spans.append((h.start, h.end))
    return sorted(kept, key=lambda h: h.start)


def find_mentions(text: str, province: str | None, folded: str | None = None) -> list[Hit]:
    """All agency mentions of a text, overlaps resolved, in text order (``folded``:
    ``fold(text)`` when the caller has it already)."""
    if folded is None:
        folded = fold(text)
    hits = gazetteer_hits(text, folded, province)
    hits += ubnd_hits(text, folded, province)
    hits += generic_hits(text, province)
    hits = resolve_overlaps(hits)
    hits += department_list_hits(text, folded, hits)
    return resolve_overlaps(hits)


_PROVINCE_WORD_RE = re.compile(r"(?=[tT])(?<!\w)(?:tỉnh|TỈNH) ")


def infer_province(text: str) -> str | None:
    """The province a plan belongs to when the header did not say: the most frequent
    capitalised name after "tỉnh"."""
    names: Counter[str] = Counter()
    for m in _PROVINCE_WORD_RE.finditer(text):
        end = place_end(text, m.end(), 3)
        name = text[m.end() : end]
        if name and not (name.isupper() and len(name) <= 3):
            names[name.title() if name.isupper() else name] += 1
    return names.most_common(1)[0][0] if names else None
