"""The national topic codes (Bộ Pháp điển markdown) and the census of national laws.

A code file lists articles under headings "Điều 3.3.LQ.1. Title", each followed by the
line naming its source: "(Điều 1 Luật số 67/2006/QH11 Công nghệ thông tin ngày 29/06/2006
của Quốc hội, có hiệu lực thi hành kể từ ngày 01/01/2007 )". Later articles of the same
source only repeat the short form "(Điều 2 Luật số 67/2006/QH11, có hiệu lực ...)".
The graph wants the *source* documents (the law, the decree), so articles are grouped by
source number into one legal ``SourceText`` each; the code id ("3.3.LQ.1") is kept in
the article title. The metadata table at the top of the file is wrong and ignored.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import UnreadableFileError
from ingest.lang.dates import parse_date
from ingest.lang.numbers import canonical_number
from ingest.read.source import SourceText

START_MARK = "## VĂN BẢN"
END_MARK = "## Danh sách điều khoản"

CODE_HEADING_RE = re.compile(
    r"^Điều (?P<code>\d+\.\d+\.[A-ZĐa-zđ]+\.\d+(?:\.\d+)*)\.\s*(?P<title>.*)$", re.M
)
_TYPES = (
    "Thông tư liên tịch|Nghị quyết liên tịch|Pháp lệnh|Bộ luật|Hiến pháp|Luật|Nghị định"
    "|Nghị quyết|Quyết định|Thông tư|Chỉ thị|Lệnh"
)
SOURCE_RE = re.compile(
    r"^\((?P<art>Điều\s+\d+[a-zđ]?)\s+(?P<type>" + _TYPES + r")\s+số\s+"
    r"(?P<number>\d+[a-zđ]?\s*/\s*\d{4}\s*/\s*[^\s,()]+)"
    r"(?P<rest>.*)\)\s*$"
)
_FULL_RE = re.compile(
    r"^\s*(?P<title>.*?)\s+ngày\s+(?P<date>\d{1,2}/\d{1,2}/\d{4})\s+của\s+(?P<issuer>[^,]+)"
)
_EFFECTIVE_RE = re.compile(r"có hiệu lực thi hành kể từ ngày\s+(?P<eff>\d{1,2}/\d{1,2}/\d{4})")

CENSUS_TYPES = {
    "law": "Luật",
    "code": "Bộ luật",
    "constitution": "Hiến pháp",
    "decree": "Nghị định",
    "ordinance": "Pháp lệnh",
    "resolution": "Nghị quyết",
}


def is_national_code(text: str) -> bool:
    """True for the Pháp điển markdown shape (section mark + coded article headings)."""
    return START_MARK in text and CODE_HEADING_RE.search(text) is not None


@dataclass(slots=True)
class _Group:
    """Articles of one source document, in the order the code lists them."""

    number: str
    meta: dict[str, Any] = field(default_factory=dict)
    articles: list[tuple[str, str, str]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def _body(text: str) -> str:
    start = text.find(START_MARK)
    end = text.find(END_MARK, start + 1 if start >= 0 else 0)
    return text[start if start >= 0 else 0 : end if end >= 0 else len(text)]


def _source_meta(match: re.Match[str]) -> dict[str, Any]:
    """Meta hints from a source line (full or short form)."""
    meta: dict[str, Any] = {"doc_type": match.group("type")}
    rest = match.group("rest").lstrip(", ")
    full = _FULL_RE.match(rest)
    if full and "có hiệu lực" not in full.group("title"):
        meta["title"] = " ".join(full.group("title").split()) or None
        meta["date"] = parse_date(full.group("date"))
        meta["issuer"] = full.group("issuer").strip()
    eff = _EFFECTIVE_RE.search(rest)
    if eff:
        meta["effective"] = parse_date(eff.group("eff"))
    return meta


def _split_articles(body: str) -> list[tuple[str, str, str]]:
    """(code id, title, text after the heading) for each coded heading."""
    heads = list(CODE_HEADING_RE.finditer(body))
    out = []
    for i, h in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        chunk = body[h.end() : end]
        # Chapter / section headings of the code sit between articles: drop them.
        chunk = re.split(r"\n(?:Chương|Mục|Phần) [IVXLC\d]+\s*\n", chunk)[0]
        out.append((h.group("code"), h.group("title").strip(), chunk.strip()))
    return out


def parse_national_text(text: str, source: str) -> list[SourceText]:
    """One legal ``SourceText`` per source document cited by the code's articles."""
    groups: dict[str, _Group] = {}
    for code, title, chunk in _split_articles(_body(text)):
        first, _, rest = chunk.partition("\n")
        m = SOURCE_RE.match(first.strip())
        if not m:
            continue  # an article without a source line cannot be attributed
        number = canonical_number(m.group("number"))
        if number is None:
            continue  # a source number the grammar cannot read names no document
        group = groups.setdefault(number, _Group(number, {"number": number}))
        for key, value in _source_meta(m).items():
            if value and not group.meta.get(key):
                group.meta[key] = value
        art_id = " ".join(m.group("art").split())
        if art_id in group.seen:
            art_id = f"{art_id} ({code})"
        group.seen.add(art_id)
        group.articles.append((art_id, f"{title} [{code}]", rest.strip()))
    return [_group_source(g, source) for g in groups.values()]


def _group_source(group: _Group, source: str) -> SourceText:
    digest = hashlib.sha1(
        json.dumps([group.meta, group.articles], ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()
    meta = dict(group.meta)
    meta.setdefault("codes", [])
    meta["codes"] = [t.rsplit("[", 1)[-1].rstrip("]") for _, t, _ in group.articles]
    return SourceText(
        doc_id=group.number,
        source=f"{source}#{group.number}",
        raw_text="",
        kind="legal",
        content_hash=digest,
        articles=group.articles,
        meta=meta,
    )


def merge_sources(docs: list[SourceText]) -> list[SourceText]:
    """Merge documents with the same id (one law quoted by two codes): union of articles."""
    merged: dict[str, SourceText] = {}
    for doc in docs:
        have = merged.get(doc.doc_id)
        if have is None:
            merged[doc.doc_id] = doc
            continue
        ids = {a[0] for a in have.articles or []}
        extra = [a for a in doc.articles or [] if a[0] not in ids]
        have.articles = (have.articles or []) + extra
        for key, value in doc.meta.items():
            have.meta.setdefault(key, value)
        have.content_hash = hashlib.sha1(
            (have.content_hash + doc.content_hash).encode()
        ).hexdigest()
    return list(merged.values())


CENSUS_TEXT_FIELDS = (
    "id",
    "official_number",
    "type",
    "title",
    "short_name",
    "issued_date",
    "in_force_date",
    "status",
    "url",
)
"""Census fields that must be text (or absent): a number or a list there is a bad file."""


def census_laws(path: Path, data: Any) -> list[dict[str, Any]]:
    """The census entries of parsed JSON, each checked: a dict whose known fields are text."""
    laws = data.get("laws") if isinstance(data, dict) else None
    if not isinstance(laws, list) or not all(isinstance(x, dict) for x in laws):
        raise UnreadableFileError(path, "census JSON has no 'laws' list of objects")
    for i, entry in enumerate(laws):
        for name in CENSUS_TEXT_FIELDS:
            value = entry.get(name)
            if value is not None and not isinstance(value, str):
                raise UnreadableFileError(
                    path,
                    f"census law #{i + 1}: {name!r} is {type(value).__name__}, expected text",
                )
        if not entry.get("official_number") and not entry.get("id"):
            raise UnreadableFileError(
                path, f"census law #{i + 1}: neither 'official_number' nor 'id'"
            )
    return laws


def load_census(path: Path) -> list[dict[str, Any]]:
    """The census entries (93 national laws): number, type, dates, status, title."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise UnreadableFileError(path, f"cannot read census JSON: {exc}") from exc
    return census_laws(path, data)


def census_meta(entry: dict[str, Any]) -> dict[str, Any]:
    """Meta hints for one census entry ("N/A" numbers become None)."""
    number = entry.get("official_number")
    number = canonical_number(number) if number and number != "N/A" else None
    return {
        "doc_type": CENSUS_TYPES.get(str(entry.get("type")), entry.get("type")),
        "number": number,
        "title": entry.get("title"),
        "short_name": entry.get("short_name"),
        "date": entry.get("issued_date"),
        "effective": entry.get("in_force_date"),
        "status": entry.get("status"),
        "issuer": "Quốc hội" if number and "/QH" in number else None,
        "census_id": entry.get("id"),
        "url": entry.get("url"),
    }


def census_documents(path: Path, data: Any = None) -> list[SourceText]:
    """One metadata-only legal ``SourceText`` per census law (``articles == []``), from
    ``data`` (the parsed JSON) or else from the file.

    doc_id is the official number, or the census id for entries without one (Constitution).
    """
    laws = load_census(path) if data is None else census_laws(path, data)
    out = []
    for entry in laws:
        meta = census_meta(entry)
        doc_id = meta["number"] or str(entry.get("id") or entry.get("official_number"))
        digest = hashlib.sha1(json.dumps(entry, sort_keys=True).encode()).hexdigest()
        out.append(SourceText(doc_id, f"{path}#{doc_id}", "", "legal", digest, [], meta))
    return out


def enrich_with_census(docs: list[SourceText], census: list[SourceText]) -> list[SourceText]:
    """Add census facts (status, effective date, title) to code documents with the same
    number, and return the census entries no code document covers (metadata only)."""
    by_id = {c.doc_id: c for c in census}
    for doc in docs:
        entry = by_id.pop(doc.doc_id, None)
        if entry is None:
            continue
        for key, value in entry.meta.items():
            if value is not None and not doc.meta.get(key):
                doc.meta[key] = value
    return list(by_id.values())
