"""Vietnamese text preparation for search: BM25 terms, query cleaning, heading context.

Vietnamese writes one syllable per space-separated token, so "công nghệ thông tin" is four
syllables but one word. BM25 over syllables matches on fragments ("thông" is everywhere);
BM25 over words (underthesea segmentation) matches whole concepts but misses when the
segmenter splits query and passage differently. We therefore index both: every syllable
plus every multi-syllable word (joined with "_"), which keeps syllable recall and adds a
bonus for whole-word matches. Document numbers ("64/2007/NĐ-CP", "36a/NQ-CP") are kept as
single tokens, protected from the segmenter, because they identify documents exactly.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from search_api.errors import MissingDependencyError

# A document number: digits (optionally a letter suffix) then "/" or "-" groups of
# letters/digits, e.g. 64/2007/NĐ-CP, 36a/NQ-CP, 20/KH-UBND, 36-NQ/TW, 67/2006/QH11.
# Dates ("01/01/2016") are not numbers: a number needs a letter group and no "/" before.
DOC_NUMBER = re.compile(
    r"(?<![\w/])\d{1,5}[a-zđ]?(?:\s?[/-]\s?\d{4})*(?:\s?[/-]\s?[A-ZĐ][A-Za-zĐđ0-9&]*)+(?:-[A-ZĐ][A-Za-zĐđ0-9&]*)*",
)
_WORDLIKE = re.compile(r"[\w]+(?:[.,][\d]+)*", re.UNICODE)
_PLACEHOLDER = "xdocnumx"


def normalise(text: str) -> str:
    """NFC, lower case, no-break spaces as spaces: the form every term is built from."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return text.lower()


def doc_numbers(text: str) -> list[str]:
    """Document numbers in ``text`` as single lower-case tokens without inner spaces."""
    return [re.sub(r"\s+", "", m.group(0)).lower() for m in DOC_NUMBER.finditer(text)]


def syllables(text: str) -> list[str]:
    """Lower-case syllables and numbers (decimal/thousand separators kept inside numbers)."""
    return _WORDLIKE.findall(normalise(text))


_SEGMENTER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load_segmenter() -> Callable[[str], list[str]]:
    try:
        from underthesea import word_tokenize
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "lexical search needs underthesea: pip install underthesea"
        ) from exc
    return cast(Callable[[str], list[str]], word_tokenize)


def _segmenter() -> Callable[[str], list[str]]:
    """underthesea loads its model lazily and not thread-safely: load it under a lock."""
    with _SEGMENTER_LOCK:
        return _load_segmenter()


def words(text: str) -> list[str]:
    """Multi-syllable words found by underthesea, joined with "_" ("công_nghệ_thông_tin")."""
    if not text.strip():
        return []
    out: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        for w in _segmenter()(line):
            parts = syllables(w)
            if len(parts) > 1:
                out.append("_".join(parts))
    return out


def has_search_terms(text: str) -> bool:
    """Whether ``text`` has a word or number to search for. A query of punctuation,
    control characters or NUL has none: dense search would still rank passages by the
    meaning of noise and hand back a confident-looking hit, so it gets no hits instead."""
    return any(ch.isalnum() for ch in text)


def terms(text: str, *, segment: bool = True) -> list[str]:
    """BM25 terms of a text: syllables, segmented words and whole document numbers.

    Document numbers are replaced before segmentation so their pieces never become
    syllable terms of their own (a "2007" in a number is not a year mention).
    """
    numbers = doc_numbers(text)
    rest = DOC_NUMBER.sub(f" {_PLACEHOLDER} ", unicodedata.normalize("NFC", text))
    out = [t for t in syllables(rest) if t != _PLACEHOLDER]
    if segment:
        out.extend(w for w in words(rest) if _PLACEHOLDER not in w)
    out.extend(numbers)
    return out


# Legal-exam question wrappers that carry no content: the true/false tag, the labels of a
# multiple-choice option list and the options that only point at other options. They are
# removed from the query, never from passages.
_TRUE_FALSE = re.compile(
    r"[,;:.\s]*(?:\(?\s*(?:đúng|sai)\s+(?:hay|hoặc)\s+(?:sai|đúng)\s*\)?|nhận định (?:này|trên) (?:đúng|sai)[^?]*)\s*\??\s*$",
    re.IGNORECASE,
)
# An option label: a capital A-D then ".", ")" or ":" at the start of a line or after a
# space ("A. Bộ Công an", "B) UBND tỉnh"). Lower-case "a)" is a legal list point, not one.
_OPTION_LABEL = re.compile(r"(?:(?<=\s)|^)([A-D])[.):]\s+")
# An answer key written after the options ("Đáp án: B", "Đáp án đúng là C").
_ANSWER_KEY = re.compile(
    r"(?:đáp án|câu trả lời)(?:\s+đúng)?(?:\s+là)?\s*[:：]?\s*(?-i:[A-D])\b\.?", re.IGNORECASE
)
# Words of an option that only points at other options ("Cả A, B, C đều đúng", "Tất cả
# các phương án trên", "Không có đáp án nào đúng"): such an option names no content.
_META_WORDS = frozenset(
    "cả tất các đều đúng sai và hoặc phương án đáp ý câu trên dưới hai ba bốn không có nào "
    "a b c d".split()
)


def option_list(text: str) -> tuple[str, list[str]] | None:
    """(stem, options) of a multiple-choice question, None when ``text`` has no option list.

    An option list is a run of labels in order A, B[, C[, D]] (two at least), so a lone
    "A." inside a sentence is not one.
    """
    # Only the first "A" can start a list: a "B" after a later "A" also follows the first.
    # (Checking every "A" was quadratic in the number of labels.)
    run: list[re.Match[str]] = []
    for m in _OPTION_LABEL.finditer(text):
        if not run:
            if m.group(1) == "A":
                run.append(m)
        elif ord(m.group(1)) == ord(run[-1].group(1)) + 1:
            run.append(m)
    if len(run) < 2:
        return None
    ends = [m.start() for m in run[1:]] + [len(text)]
    options = [text[m.end() : end].strip() for m, end in zip(run, ends, strict=True)]
    return text[: run[0].start()].strip(), options


def names_content(option: str) -> bool:
    """Whether an option says something of its own (not "Cả A, B đều đúng")."""
    words = syllables(option)
    return any(w not in _META_WORDS and not w.isdigit() for w in words)


def clean_query(query: str) -> str:
    """Strip exam wrappers: the true/false tag ("..., đúng hay sai?"), option labels
    ("A.", "B)") and answer keys; keep what the options say.

    The true/false tag is the same in every question, so it only adds noise: BM25 scores
    the frequent words "đúng"/"sai" and the dense embedding drifts toward "true/false"
    sentences. The options of a multiple-choice question are different: they quote or
    paraphrase the article that answers it ("Hành vi nào sau đây bị cấm?" names no topic
    at all), so their text stays and only the labels and the options that merely point
    at other options ("Cả A, B, C đều đúng") go. The text is left unchanged when cleaning
    would leave nothing.
    """
    text = _ANSWER_KEY.sub(" ", unicodedata.normalize("NFC", query)).strip()
    options: list[str] = []
    parsed = option_list(text)
    if parsed and parsed[0]:
        text, options = parsed
    text = _TRUE_FALSE.sub("", text).strip()
    kept = [o for o in options if names_content(o)]
    text = "\n".join([text, *kept]) if text else ""
    return text if text else query.strip()


_LABEL = re.compile(
    r"^\s*(?:điều|khoản|chương|mục|phần)\s+\S+?[.:]?\s+|^\s*[\divxlcIVXLC]+[.)]\s+", re.IGNORECASE
)


def with_heading(text: str, section: str) -> str:
    """The text to index: the passage, preceded by its nearest heading when it lacks it.

    A passage cut from the middle of a long article or section loses the heading that says
    what it is about; prefixing the heading (only when not already at the start) gives
    both BM25 and the embedding that context without duplicating it for first chunks.
    """
    heading = section.split(" > ")[-1].strip() if section else ""
    if not any(ch.isalpha() for ch in heading):  # a bare label ("168") says nothing
        return text
    bare = _LABEL.sub("", heading).strip()
    head = normalise(text[: max(200, len(bare) + 20)])
    if bare and normalise(bare) in head:
        return text
    return f"{heading}\n{text}"
