"""Parse a Vietnamese question into an intent and the entities it names.

Why a parser and not only search: questions such as "Kế hoạch nào căn cứ Nghị định
64/2007/NĐ-CP?" or "Tây Ninh năm 2019 căn cứ những văn bản nào?" are answered exactly by
the graph, while passage search would only return passages that look alike. Everything
here is a pure function over the question string, reusing the ingest grammars (document
numbers, provinces, agency gazetteer) so a question and a plan are read the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from ingest.extract.agency_mentions import find_mentions
from ingest.lang.agency_gazetteer import fold
from ingest.lang.doc_types import TYPE_WORD_RE, canonical_type
from ingest.lang.numbers import DocRef, find_doc_refs
from ingest.lang.provinces import CITIES, PROVINCES
from ontology.uris import strip_accents

Intent = str
"""One of: ``cited_by`` (which plans cite X), ``citations_of`` (what does P / plan X
cite), ``legal_document`` (what is X), ``lead_agency`` (who leads task T),
``agency_tasks`` (what must agency A do), ``projects`` (projects / budget of A or P),
``targets`` (targets of an indicator in P), ``document_meta`` (number, date, signer of
P's plan), ``legal_status`` (is X in force, what replaced or amended X),
``cited_after_end`` (which plans cite a document that is no longer in force),
``factoid`` (anything else: passage search)."""


@dataclass(frozen=True, slots=True)
class AgencyRef:
    surface: str
    name: str  # canonical gazetteer name, e.g. "Văn phòng Ủy ban nhân dân tỉnh"
    province: str | None
    start: int
    end: int


@dataclass(slots=True)
class ParsedQuestion:
    text: str
    intent: Intent = "factoid"
    doc_refs: list[DocRef] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    agencies: list[AgencyRef] = field(default_factory=list)
    provinces: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    topic: str = ""  # the question with entities and question words removed

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("text")
        return data


# ---------------------------------------------------------------------------
# Provinces, agencies, years, types
# ---------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", strip_accents(text).lower()).strip()


_PROVINCE_KEYS = {_key(p): p for p in (*PROVINCES, *CITIES)}
_PROVINCE_KEYS.update(
    {
        "tp hcm": "Hồ Chí Minh",
        "hcm": "Hồ Chí Minh",
        "hue": "Thừa Thiên Huế",
        "ba ria vung tau": "Bà Rịa - Vũng Tàu",
    }
)
_MAX_PROVINCE_WORDS = max(len(k.split()) for k in _PROVINCE_KEYS)


def _is_ascii(text: str) -> bool:
    return all(ord(c) < 128 for c in text)


def _same_letters(surface: str, name: str) -> bool:
    """Accented surface equals the name up to case and tone-mark placement ("Hoà"/"Hòa")."""

    def norm(s: str) -> str:
        return re.sub(r"[^\w]+", " ", fold(unicodedata.normalize("NFC", s))).strip()

    return norm(surface) == norm(name)


def find_provinces(text: str) -> list[str]:
    """Province names in a question, longest first at each position.

    Accent-insensitive only where the user typed without accents ("tay ninh"): with
    accents, "năm" must not read as "Nam" in "Hà Nam".
    """
    words = list(re.finditer(r"[^\W_]+", unicodedata.normalize("NFC", text)))
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_PROVINCE_WORDS, len(words) - i), 0, -1):
            span = text[words[i].start() : words[i + n - 1].end()]
            name = _PROVINCE_KEYS.get(_key(span))
            if name and (_is_ascii(span) or _same_letters(span, name)):
                if name not in found:
                    found.append(name)
                i += n - 1
                break
        i += 1
    return found


def find_agencies(text: str) -> list[AgencyRef]:
    """Named agencies, via the ingest mention finder (gazetteer + UBND rules)."""
    out: list[AgencyRef] = []
    for h in find_mentions(text, None):
        out.append(AgencyRef(h.surface, h.name, h.province, h.start, h.end))
    return out


_YEAR = r"((?:19|20)\d\d)"
_RANGE_RE = re.compile(
    rf"(?:giai đoạn|từ(?: năm)?|thời kỳ)?\s*{_YEAR}\s*(?:-|–|đến(?: năm)?|tới(?: năm)?)\s*{_YEAR}",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(
    rf"(?<![\d/])(?P<cue>(?:trước|sau|từ|đến|tới)\s+(?:năm\s+)?)?{_YEAR}(?![\d/])", re.IGNORECASE
)


def find_years(
    text: str, masked: list[tuple[int, int]] | None = None
) -> tuple[int | None, int | None]:
    """Year range asked about: "năm 2019" -> (2019, 2019); "2016-2020" -> (2016, 2020);
    "từ 2018" -> (2018, None); "trước năm 2020" -> (None, 2019). Years inside document
    numbers (``masked`` spans) do not count."""
    masked = masked or []

    def free(s: int, e: int) -> bool:
        return not any(s < me and ms < e for ms, me in masked)

    for m in _RANGE_RE.finditer(text):
        if free(m.start(1), m.end(2)):
            return int(m.group(1)), int(m.group(2))
    years: list[tuple[str, int]] = []
    for m in _YEAR_RE.finditer(text):
        if free(m.start(2), m.end(2)):
            years.append(
                (
                    (m.group("cue") or "").split()[0].lower() if m.group("cue") else "",
                    int(m.group(2)),
                )
            )
    if not years:
        return None, None
    cue, year = years[0]
    if cue == "trước":
        return None, year - 1
    if cue in {"sau"}:
        return year + 1, None
    if cue == "từ":
        return year, None
    if cue in {"đến", "tới"}:
        return None, year
    return year, year


_TYPE_ONLY_RE = re.compile(rf"(?<!\w)({TYPE_WORD_RE})(?!\w)", re.IGNORECASE)


def find_doc_types(text: str, refs: list[DocRef]) -> list[str]:
    """Document types named in the question ("các nghị định nào", "Kế hoạch nào")."""
    types: list[str] = []
    for r in refs:
        if r.doc_type and r.doc_type not in types:
            types.append(r.doc_type)
    for m in _TYPE_ONLY_RE.finditer(text):
        t = canonical_type(m.group(1))
        if m.group(1).lower() == "văn bản":
            continue  # "văn bản" in a question means any document
        if t not in types:
            types.append(t)
    return types


# ---------------------------------------------------------------------------
# Intent
# ---------------------------------------------------------------------------


def _ascii_fold(text: str) -> str:
    """Lower case without diacritics, so cue phrases match questions typed without accents."""
    return strip_accents(unicodedata.normalize("NFC", text)).lower()


def _cue(pattern: str) -> re.Pattern[str]:
    """A cue regex written in Vietnamese, compiled to match ``_ascii_fold`` text."""
    return re.compile(strip_accents(pattern).lower())


_CITE_VERB = r"(?:căn cứ|trích dẫn|viện dẫn|dẫn chiếu|dẫn|tham chiếu|dựa (?:trên|vào|theo)|thực hiện|triển khai|cụ thể hóa|cụ thể hoá)"
_WHICH_DOC = r"(?:kế hoạch|văn bản|tài liệu|tỉnh|địa phương|quyết định|chương trình|những|các)"
# "Kế hoạch nào căn cứ X", "văn bản nào trích dẫn X", "tỉnh nào thực hiện X"
_CITED_BY_RE = _cue(rf"{_WHICH_DOC}[^?]{{0,30}}\bnào\b[^?]{{0,20}}{_CITE_VERB}")
_CITED_BY2_RE = _cue(
    rf"(?:được|bị)\s+(?:những\s+|các\s+)?(?:kế hoạch|văn bản|tỉnh)[^?]{{0,20}}(?:nào\s+)?{_CITE_VERB}"
)
# "... căn cứ những văn bản nào", "căn cứ pháp lý", "căn cứ vào đâu"
_CITATIONS_OF_RE = _cue(
    rf"{_CITE_VERB}\s+(?:vào\s+)?(?:(?:những|các)\s+)?(?:văn bản|nghị định|quyết định|nghị quyết|thông tư|luật|chỉ thị|kế hoạch|công văn|căn cứ)[^?]{{0,20}}\bnào\b"
    r"|căn cứ pháp lý|căn cứ vào đâu|căn cứ gì|dựa trên cơ sở pháp lý"
)
_LEAD_RE = _cue(
    r"(?:sở|cơ quan|đơn vị|ai|ban|bộ|ngành)\s+nào\b[^?]{0,40}(?:chủ trì|chịu trách nhiệm|phụ trách|đảm nhiệm|đảm nhận|thực hiện|triển khai|lo|được giao|có trách nhiệm)"
    r"|(?:do|giao cho)\s+(?:ai|cơ quan nào|đơn vị nào|sở nào)"
    r"|(?:chủ trì|phụ trách|đảm nhiệm)\s+(?:là\s+)?(?:ai|cơ quan nào|đơn vị nào|sở nào)"
)
_TASKS_RE = _cue(r"nhiệm vụ|trách nhiệm|được giao|phải làm|làm gì|vai trò")
_PROJECTS_RE = _cue(
    r"dự án|kinh phí|ngân sách|tổng mức|vốn|tỷ đồng|triệu đồng|đầu tư bao nhiêu|chi phí"
)
_TARGETS_RE = _cue(
    r"chỉ tiêu|mục tiêu|tỷ lệ|tỉ lệ|bao nhiêu phần trăm|bao nhiêu %|đạt mức|mức độ \d"
)
_META_RE = _cue(
    r"số hiệu|số ký hiệu|ký hiệu|ký ban hành|ngày ban hành|ban hành (?:vào )?(?:ngày|khi) nào|được ban hành khi|ai ký|người ký|do ai ký|ký ngày nào"
)
_WHAT_IS_RE = _cue(
    r"\b(?:là gì|về (?:việc )?gì|nội dung gì|quy định gì|ban hành (?:ngày|khi) nào|do ai ban hành|của ai|ai ban hành)"
)
_LIST_RE = _cue(r"\b(?:những|các|liệt kê|danh sách|bao nhiêu)\b")
# "đã hết hiệu lực", "không còn hiệu lực", "bị thay thế / bãi bỏ"
_ENDED_RE = _cue(r"hết hiệu lực|không còn hiệu lực|bị thay thế|bị bãi bỏ|đã thay thế")
# "còn hiệu lực không", "hiệu lực từ khi nào", "văn bản nào thay thế X", "sửa đổi X"
_STATUS_RE = _cue(
    r"hiệu lực|thay thế|bãi bỏ|sửa đổi|bổ sung bởi|hết hạn|còn áp dụng|còn được áp dụng"
)


def detect_intent(
    text: str, refs: list[DocRef], agencies: list[AgencyRef], provinces: list[str]
) -> Intent:
    """The kind of question, from cue phrases and which entities it names.

    Graph intents are chosen only when the cues are clear; everything else is a
    ``factoid`` answered from passages, which is always safe.
    """
    low = _ascii_fold(text)
    cites = _CITED_BY_RE.search(low) or _CITED_BY2_RE.search(low)
    if cites and _ENDED_RE.search(low):
        return "cited_after_end"
    if refs and len(refs) == 1 and _STATUS_RE.search(low):
        return "legal_status"
    if refs and cites:
        return "cited_by"
    if _CITATIONS_OF_RE.search(low):
        return "citations_of"
    if _LEAD_RE.search(low):
        return "lead_agency"
    if not refs and provinces and _META_RE.search(low):
        return "document_meta"
    if refs and _WHAT_IS_RE.search(low) and len(refs) == 1:
        return "legal_document"
    if agencies and _TASKS_RE.search(low) and not _PROJECTS_RE.search(low):
        return "agency_tasks"
    if (agencies or provinces) and _PROJECTS_RE.search(low) and _LIST_RE.search(low):
        return "projects"
    if _TARGETS_RE.search(low) and _LIST_RE.search(low) and "chi tieu" in low:
        return "targets"
    return "factoid"


# ---------------------------------------------------------------------------
# Topic words: what remains once entities and question words are gone
# ---------------------------------------------------------------------------

QUESTION_WORDS = (
    "bao nhiêu", "khi nào", "lúc nào", "ở đâu", "là gì", "là ai", "như thế nào", "thế nào",
    "ra sao", "nào", "gì", "ai", "đâu", "mấy", "không", "có phải", "hay", "vậy",
)  # fmt: skip
_QWORD_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w) for w in QUESTION_WORDS) + r")(?!\w)", re.IGNORECASE
)


def topic_of(text: str, spans: list[tuple[int, int]]) -> str:
    """The question without entity spans and question words: the task or indicator asked about."""
    chars = list(text)
    for s, e in spans:
        for i in range(s, min(e, len(chars))):
            chars[i] = " "
    rest = _QWORD_RE.sub(" ", "".join(chars))
    rest = re.sub(r"[?!.,;:()\"“”]", " ", rest)
    return re.sub(r"\s+", " ", rest).strip()


def parse_question(text: str) -> ParsedQuestion:
    """Intent and entities of a question; never raises on odd input."""
    text = unicodedata.normalize("NFC", text or "").strip()
    refs = find_doc_refs(text)
    agencies = find_agencies(text)
    provinces = find_provinces(text)
    for a in agencies:
        if a.province and a.province in _PROVINCE_KEYS.values() and a.province not in provinces:
            provinces.append(a.province)
    year_from, year_to = find_years(text, [(r.start, r.end) for r in refs])
    intent = detect_intent(text, refs, agencies, provinces)
    spans = [(r.start, r.end) for r in refs] + [(a.start, a.end) for a in agencies]
    return ParsedQuestion(
        text=text,
        intent=intent,
        doc_refs=refs,
        doc_types=find_doc_types(text, refs),
        agencies=agencies,
        provinces=provinces,
        year_from=year_from,
        year_to=year_to,
        topic=topic_of(text, spans),
    )
