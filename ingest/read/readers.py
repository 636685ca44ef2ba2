"""Files -> ``SourceText``: the one place that knows file formats.

Plans arrive as .txt (UTF-8 with or without BOM, UTF-16 with BOM), .md, .docx or .pdf;
law corpora as .json ([{"id", "articles": [{"id", "text"}]}]) or as the national code
markdown (see ``ingest.read.national``). Word tables are written out in the same flattened form
the plain-text seeds use (each cell on its own tab-prefixed line, rows separated by blank
lines) so that one table parser serves every format.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.errors import UnreadableFileError

PLAN_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}
SUFFIXES = PLAN_SUFFIXES | {".json"}
Article = tuple[str, str, str]  # (article id, title, text)


@dataclass(slots=True)
class SourceText:
    """What a reader hands to ``build_document``.

    ``articles`` is set for legal texts (possibly empty for metadata-only census laws) and
    None for plans; ``meta`` carries hints a reader knows better than the text (law
    number, type, dates, status).
    """

    doc_id: str
    source: str
    raw_text: str
    kind: str = "plan"
    content_hash: str = ""
    articles: list[Article] | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def _hash(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _check_text(path: Path, text: str) -> str:
    """Reject empty and binary-looking text with a message naming the problem."""
    if not text.strip():
        raise UnreadableFileError(path, "empty file (no text)")
    sample = text[:4096]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\n\r\f\v")
    if "\x00" in sample or controls > max(8, len(sample) // 50):
        raise UnreadableFileError(path, "binary content, not text")
    return text


def decode_text(path: Path, data: bytes) -> str:
    """Decode by BOM (UTF-8, UTF-16 LE/BE), else strict UTF-8, else UTF-16 without BOM."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" not in data[:4096]:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(path, f"not UTF-8 or UTF-16 text ({exc.reason})") from exc
    # NULs every other byte: UTF-16 without BOM; otherwise binary.
    even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
    half = max(1, min(len(data), 4096) // 2)
    if max(even, odd) > half * 0.3 and min(even, odd) < half * 0.05:
        try:
            return data.decode("utf-16-le" if odd > even else "utf-16-be")
        except UnicodeDecodeError:
            pass
    raise UnreadableFileError(path, "binary content, not text")


def _read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, f"cannot open: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableFileError(path, "empty file")
    return data


def _plan(path: Path, text: str, data: bytes) -> SourceText:
    return SourceText(path.stem, str(path), _check_text(path, text), "plan", _hash(data))


def read_txt(path: Path) -> list[SourceText]:
    data = _read_bytes(path)
    try:
        text = decode_text(path, data)
    except UnicodeDecodeError as exc:
        raise UnreadableFileError(path, f"undecodable text ({exc.reason})") from exc
    return [_plan(path, text, data)]


def read_md(path: Path) -> list[SourceText]:
    """Markdown: the national code shape goes to ``ingest.read.national``, anything else is a plan."""
    from ingest.read import national

    data = _read_bytes(path)
    text = decode_text(path, data)
    if national.is_national_code(text):
        docs = national.parse_national_text(text, str(path))
        if not docs:
            raise UnreadableFileError(path, "national code without attributable articles")
        return docs
    return [_plan(path, text, data)]


def _cell_lines(text: str) -> list[str]:
    """A cell as lines: the first prefixed with a tab, the rest continuation lines."""
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln] or [""]
    return ["\t" + lines[0], *lines[1:]]


def docx_table_text(rows: Iterable[Iterable[str]]) -> str:
    """Flatten a table the way the seeds are flattened (merged cells stay repeated)."""
    blocks = []
    for row in rows:
        lines: list[str] = []
        for cell in row:
            lines.extend(_cell_lines(cell))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def read_docx(path: Path) -> list[SourceText]:
    """Paragraphs and tables in document order (python-docx)."""
    import docx  # python-docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    data = _read_bytes(path)
    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1]
            if tag == "p":
                parts.append(Paragraph(block, document).text)
            elif tag == "tbl":
                table = DocxTable(block, document)
                rows = [[c.text for c in row.cells] for row in table.rows]
                parts.append("\n" + docx_table_text(rows) + "\n")
    except (zipfile.BadZipFile, KeyError, ValueError, AttributeError, TypeError) as exc:
        raise UnreadableFileError(path, f"corrupt or unsupported .docx ({exc})") from exc
    except Exception as exc:  # lxml and python-docx raise many types on broken files
        raise UnreadableFileError(path, f"corrupt .docx ({type(exc).__name__}: {exc})") from exc
    return [_plan(path, "\n".join(parts), data)]


def read_pdf(path: Path) -> list[SourceText]:
    """Text layer of every page (pypdf); scanned PDFs without text are unreadable."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    data = _read_bytes(path)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise UnreadableFileError(path, f"corrupt PDF ({exc})") from exc
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        raise UnreadableFileError(path, f"corrupt PDF ({type(exc).__name__}: {exc})") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise UnreadableFileError(path, "PDF without a text layer (scanned?)")
    return [_plan(path, text, data)]


def _law_source(path: Path, law: dict[str, Any]) -> SourceText:
    law_id = str(law["id"])
    articles: list[Article] = []
    for art in law.get("articles") or []:
        if not isinstance(art, dict) or "id" not in art:
            raise UnreadableFileError(path, f"law {law_id!r}: article without 'id'")
        articles.append((str(art["id"]), str(art.get("title") or ""), str(art.get("text") or "")))
    blob = json.dumps(law, ensure_ascii=False, sort_keys=True).encode("utf-8")
    meta = {k: law[k] for k in ("title", "number", "date", "doc_type") if law.get(k)}
    return SourceText(law_id, f"{path}#{law_id}", "", "legal", _hash(blob), articles, meta)


def read_json(path: Path) -> list[SourceText]:
    """A law corpus (one SourceText per law, ids verbatim) or the national census."""
    from ingest.read import national

    data = _read_bytes(path)
    try:
        obj = json.loads(decode_text(path, data))
    except json.JSONDecodeError as exc:
        raise UnreadableFileError(path, f"invalid JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(obj, dict) and isinstance(obj.get("laws"), list):
        return national.census_documents(path)
    if not isinstance(obj, list) or not all(isinstance(x, dict) and "id" in x for x in obj):
        raise UnreadableFileError(
            path, 'unknown JSON shape: expected [{"id": ..., "articles": [{"id", "text"}]}]'
        )
    if not obj:
        raise UnreadableFileError(path, "empty law corpus")
    return [_law_source(path, law) for law in obj]


_READERS = {
    ".txt": read_txt,
    ".md": read_md,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".json": read_json,
}


def read_path(path: Path) -> list[SourceText]:
    """Read one file; raises ``UnreadableFileError`` naming the file and the problem."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFileError(path, "not a file" if path.exists() else "no such file")
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFileError(path, f"unsupported file type {path.suffix or '(none)'!r}")
    return reader(path)


def _skipped(path: Path) -> bool:
    name = path.name
    return name.startswith(".") or name.upper().startswith("LICENSE")


def iter_files(paths: Iterable[Path]) -> list[Path]:
    """Files under ``paths`` (folders walked recursively, hidden and LICENSE files skipped)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (
                    f.is_file()
                    and not any(part.startswith(".") for part in rel)
                    and not _skipped(f)
                ):
                    out.append(f)
        else:
            out.append(p)
    return out


def read_paths(paths: Iterable[Path]) -> tuple[list[SourceText], list[UnreadableFileError]]:
    """Read every file; one error per bad file instead of stopping.

    Documents from national codes are merged by number, enriched with the census (status,
    effective date), and census laws no code covers are added as metadata-only texts.
    """
    from ingest.read import national

    texts: list[SourceText] = []
    legal: list[SourceText] = []
    census: list[SourceText] = []
    errors: list[UnreadableFileError] = []
    for f in iter_files(paths):
        try:
            docs = read_path(f)
        except UnreadableFileError as exc:
            errors.append(exc)
            continue
        for doc in docs:
            if doc.kind == "legal" and doc.source.startswith(f"{f}#") and "codes" in doc.meta:
                legal.append(doc)
            elif doc.kind == "legal" and "census_id" in doc.meta:
                census.append(doc)
            else:
                texts.append(doc)
    legal = national.merge_sources(legal)
    rest = national.enrich_with_census(legal, census)
    return texts + legal + rest, errors
