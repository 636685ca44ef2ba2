"""Pick the sentence of a passage that answers a question, with its exact span.

Why: a passage is 40-300 words, but a factoid question ("Hạn chót ... là khi nào?") is
answered by one sentence. Showing that sentence, with offsets into the passage and the
document, makes the answer checkable at a glance. Sentences are cut by rules that keep
offsets (underthesea's splitter returns strings only), and scored by the overlap of
their search terms with the question's, weighted by IDF, plus a bonus when the sentence
has the kind of value the question asks for (a date for "khi nào", a number for "bao
nhiêu"). Terms come from ``search_api.retrieval.tokenize`` so highlighting and search agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from search_api.qa.parse import QUESTION_WORDS
from search_api.retrieval.idf import IdfFn, idf_from_term_lists
from search_api.retrieval.tokenize import terms

# A sentence ends at . ! ? ; (or : before a new line) followed by space and a capital, a
# digit, a bullet or an opening bracket; lines always end sentences.
_BREAK_RE = re.compile(r"(?<=[.!?;])[ \t]+(?=[A-ZĐÀ-Ỹ0-9\-+•(“\"])|\n+")
_ABBREV_RE = re.compile(r"(?:\bTP|\bTp|\bThS|\bTS|\bPGS|\bGS|\bv\.v|\bNo|\bSố|\bsố)\.$")
_LABEL_ONLY_RE = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])[.)]?\s*$")

# Question words carry no content; neither do these frequent function syllables.
_STOP = {t for w in QUESTION_WORDS for t in w.split()} | {
    "là", "của", "và", "các", "những", "có", "được", "cho", "với", "trong", "để", "này",
    "theo", "về", "tại", "từ", "thì", "một", "đã", "sẽ", "phải", "cần", "bị", "do",
}  # fmt: skip

_DATE_ASK_RE = re.compile(
    r"khi nào|lúc nào|hạn chót|thời hạn|thời điểm|bao giờ|ngày nào|năm nào|mốc", re.I
)
_NUMBER_ASK_RE = re.compile(r"bao nhiêu|mấy|tỷ lệ|tỉ lệ|số lượng|phần trăm|kinh phí|mức", re.I)
_DATE_RE = re.compile(
    r"\b(?:ngày|tháng|năm|quý)\s+\d|\d{1,2}/\d{1,2}/\d{4}|\b(?:19|20)\d\d\b", re.I
)
_NUMBER_RE = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Highlight:
    """A sentence chosen in a text: offsets relative to that text."""

    start: int
    end: int
    text: str
    score: float


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (stripped, never empty), in order.

    Bare labels ("a)", "2.") are joined to the sentence after them, abbreviations such
    as "TP." do not end a sentence.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _BREAK_RE.finditer(text):
        if m.group(0).startswith((" ", "\t")) and _ABBREV_RE.search(
            text[max(0, m.start() - 5) : m.start()]
        ):
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out: list[tuple[int, int]] = []
    pending: int | None = None
    for s, e in spans:
        s, e = _strip(text, s, e)
        if s >= e:
            continue
        if _LABEL_ONLY_RE.match(text[s:e]):
            pending = s if pending is None else pending
            continue
        out.append((pending if pending is not None else s, e))
        pending = None
    if pending is not None:
        out.append(_strip(text, pending, len(text)))
    return out


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def content_terms(text: str) -> list[str]:
    """Search terms of ``text`` without question words and function syllables."""
    return [t for t in terms(text) if t not in _STOP and not (len(t) == 1 and not t.isdigit())]


@lru_cache(maxsize=8192)
def sentence_terms(sentence: str) -> frozenset[str]:
    """``content_terms`` of a passage's sentence, remembered: the same passages answer
    many questions, and segmenting their sentences (underthesea) was most of an answer's
    time under load. Bounded; a pure function of the text, so never stale."""
    return frozenset(content_terms(sentence))


def idf_from_texts(texts: Iterable[str]) -> IdfFn:
    """IDF over a set of texts (smoothed, never negative); unseen terms get the maximum."""
    return idf_from_term_lists(terms(text) for text in texts)


def _flat_idf(_term: str) -> float:
    return 1.0


def sentence_score(
    question_terms: set[str], sentence: str, idf: IdfFn, question: str = ""
) -> float:
    """IDF-weighted share of the question's terms found in ``sentence``, with an
    answer-type bonus; long sentences pay a small price so the tightest one wins ties."""
    if not question_terms:
        return 0.0
    found = sentence_terms(sentence)
    total = sum(idf(t) for t in question_terms)
    hit = sum(idf(t) for t in question_terms & found)
    score = hit / total if total else 0.0
    if question and _DATE_ASK_RE.search(question) and _DATE_RE.search(sentence):
        score += 0.15
    elif question and _NUMBER_ASK_RE.search(question) and _NUMBER_RE.search(sentence):
        score += 0.1
    return score - 0.0005 * len(sentence.split())


def best_sentence(question: str, text: str, idf: IdfFn | None = None) -> Highlight | None:
    """The sentence of ``text`` that best answers ``question`` (None for empty text)."""
    q_terms = set(content_terms(question))
    scorer = idf or _flat_idf
    best: Highlight | None = None
    for s, e in split_sentences(text):
        score = sentence_score(q_terms, text[s:e], scorer, question)
        if best is None or score > best.score:
            best = Highlight(s, e, text[s:e], round(score, 4))
    return best
