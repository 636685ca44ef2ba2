"""Files -> ``SourceText``: the suffix registry, and reading one file or a whole tree.

Plans arrive as .txt, .md, .docx or .pdf; law corpora as .json or as the national code
markdown. Each format has its own module; this one only chooses by suffix, walks
folders and merges the national documents (code files + census) across files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ingest.errors import UnreadableFileError
from ingest.read.law_json import read_json
from ingest.read.markdown import read_md
from ingest.read.national import enrich_with_census, merge_sources
from ingest.read.pdf import read_pdf
from ingest.read.plain_text import read_txt
from ingest.read.source import SourceText
from ingest.read.word import read_docx

__all__ = ["PLAN_SUFFIXES", "READERS", "SUFFIXES", "iter_files", "read_path", "read_paths"]

Reader = Callable[[Path], list[SourceText]]

READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".md": read_md,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".json": read_json,
}
"""Suffix (lower case) -> the reader of that format."""

PLAN_SUFFIXES = frozenset({".txt", ".md", ".docx", ".pdf"})
SUFFIXES = frozenset(READERS)


def read_path(path: Path) -> list[SourceText]:
    """Read one file; raises ``UnreadableFileError`` naming the file and the problem."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableFileError(path, "not a file" if path.exists() else "no such file")
    reader = READERS.get(path.suffix.lower())
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
    legal = merge_sources(legal)
    rest = enrich_with_census(legal, census)
    return texts + legal + rest, errors
