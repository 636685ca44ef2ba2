"""Files -> ``SourceText``: the suffix registry, and reading one file or a whole tree.

Plans arrive as .txt, .md, .docx or .pdf; law corpora as .json or as the national code
markdown. Each format has its own module; this one only chooses by suffix, walks
folders (reporting what it cannot enter) and merges the national documents (code files
+ census) across files. Whatever goes wrong inside a reader is an
``UnreadableFileError`` naming the file: one bad file never stops the others.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from ingest.errors import UnreadableFileError
from ingest.read.law_json import read_json
from ingest.read.markdown import read_md
from ingest.read.national import enrich_with_census, merge_sources
from ingest.read.pdf import read_pdf
from ingest.read.plain_text import read_txt
from ingest.read.source import MAX_DOCUMENT_BYTES, SourceText
from ingest.read.word import read_docx

__all__ = [
    "PLAN_SUFFIXES",
    "READERS",
    "STATUS_TABLE_PREFIX",
    "SUFFIXES",
    "Reader",
    "is_status_table",
    "iter_files",
    "read_path",
    "read_paths",
    "shown_path",
    "walk_files",
]


class Reader(Protocol):
    """A format's reader: the documents of one file, refusing more than ``max_bytes``."""

    def __call__(self, path: Path, *, max_bytes: int = ...) -> list[SourceText]: ...


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

STATUS_TABLE_PREFIX = "legal_status"
"""A ``.csv`` whose name starts with this (``legal_status.csv``, ``legal_status-2024.csv``)
is a legal status table (``ingest.lang.legal_status``), not a document: ``read_paths``
hands it back to the caller to load as facts."""


def is_status_table(path: Path) -> bool:
    """Whether ``path`` names a legal status table (by name: the content is checked when
    the table is loaded, and a bad table is an error naming its row)."""
    name = Path(path).name.lower()
    return name.endswith(".csv") and name.startswith(STATUS_TABLE_PREFIX)


def shown_path(path: Path, base: Path | None) -> str:
    """How a file is named to the user: relative to ``base`` (an upload folder) when
    given and under it, else the path as the user gave it (never made absolute)."""
    if base is not None:
        try:
            return str(Path(path).relative_to(base))
        except ValueError:
            pass
    return str(path)


def _stat_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, or None when it is a regular file."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            return f"broken or looping symbolic link ({exc.strerror or exc})"
        if isinstance(exc, FileNotFoundError):
            return "no such file or folder"
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    return None if stat.S_ISREG(mode) else "not a regular file"


def read_path(
    path: Path, *, max_bytes: int = MAX_DOCUMENT_BYTES, shown_as: str | None = None
) -> list[SourceText]:
    """Read one file; raises ``UnreadableFileError`` naming the file and the problem.

    ``shown_as`` is the name the user knows the file by (the upload's name): it becomes
    the documents' ``source`` and the name in errors instead of ``path``.
    """
    path = Path(path)
    shown = shown_as if shown_as is not None else str(path)
    problem = _stat_problem(path)
    if problem is not None:
        raise UnreadableFileError(shown, problem)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFileError(shown, f"unsupported file type {path.suffix or '(none)'!r}")
    try:
        docs = reader(path, max_bytes=max_bytes)
    except UnreadableFileError as exc:
        raise _renamed(exc, shown) from None
    except Exception as exc:  # noqa: BLE001 - any failure inside a parser is this file's
        raise UnreadableFileError(shown, f"cannot read ({type(exc).__name__}: {exc})") from exc
    if shown != str(path):
        prefix = str(path)
        for doc in docs:
            if doc.source == prefix or doc.source.startswith(prefix + "#"):
                doc.source = shown + doc.source[len(prefix) :]
    return docs


def _renamed(exc: UnreadableFileError, shown: str) -> UnreadableFileError:
    """The same error (same class), naming the file as the user knows it."""
    exc.path = shown
    exc.args = (f"{shown}: {exc.reason}",)
    return exc


def _skipped(name: str) -> bool:
    """Hidden files and a folder's own licence and read-me (not documents of the corpus)."""
    upper = name.upper()
    return name.startswith(".") or upper.startswith(("LICENSE", "README"))


def _walk_folder(
    root: Path, files: list[Path], errors: list[UnreadableFileError], seen: set[tuple[int, int]]
) -> None:
    """Files under ``root``, recursively; folders that cannot be listed and links that
    lead nowhere are reported, folders already visited (link loops) are not entered again."""
    pending = [root]
    while pending:
        folder = pending.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen:
                continue  # a symbolic link back to a folder already walked
            seen.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            errors.append(UnreadableFileError(folder, f"cannot read folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if _skipped(entry.name):
                continue
            path = folder / entry.name
            try:
                if entry.is_dir():
                    pending.append(path)
                elif entry.is_file():
                    files.append(path)
                elif entry.is_symlink():
                    errors.append(UnreadableFileError(path, "broken or looping symbolic link"))
                else:
                    errors.append(UnreadableFileError(path, "not a regular file"))
            except OSError as exc:
                errors.append(UnreadableFileError(path, f"cannot read: {exc.strerror or exc}"))


def walk_files(paths: Iterable[Path]) -> tuple[list[Path], list[UnreadableFileError]]:
    """Files under ``paths`` (folders walked recursively, hidden, LICENSE and
    README files skipped), and one error per path, folder or link that cannot be read."""
    out: list[Path] = []
    errors: list[UnreadableFileError] = []
    for p in map(Path, paths):
        if p.is_dir():
            files: list[Path] = []
            _walk_folder(p, files, errors, set())
            out.extend(sorted(files))
            continue
        problem = _stat_problem(p)
        if problem is None:
            out.append(p)
        else:
            errors.append(UnreadableFileError(p, problem))
    return out, errors


def iter_files(paths: Iterable[Path]) -> list[Path]:
    """The files of ``walk_files`` (paths that cannot be read are left out)."""
    return walk_files(paths)[0]


def read_paths(
    paths: Iterable[Path],
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    base: Path | None = None,
    status_tables: list[Path] | None = None,
) -> tuple[list[SourceText], list[UnreadableFileError]]:
    """Read every file; one error per bad file, missing path or unreadable folder instead
    of stopping.

    With ``status_tables`` (a list to fill), legal status tables (``is_status_table``)
    found under ``paths`` are appended to it instead of being read as documents; without
    it they are files of an unsupported type like any other CSV.

    ``base`` (an upload folder) is cut off the names the user sees (``shown_path``).
    Documents from national codes are merged by number, enriched with the census (status,
    effective date), and census laws no code covers are added as metadata-only texts.
    """
    texts: list[SourceText] = []
    legal: list[SourceText] = []
    census: list[SourceText] = []
    files, walk_errors = walk_files(paths)
    errors = [_renamed(e, shown_path(Path(e.path), base)) for e in walk_errors]
    for f in files:
        if status_tables is not None and is_status_table(f):
            status_tables.append(f)
            continue
        shown = shown_path(f, base)
        try:
            docs = read_path(f, max_bytes=max_bytes, shown_as=shown)
        except UnreadableFileError as exc:
            errors.append(exc)
            continue
        for doc in docs:
            if doc.kind == "legal" and doc.source.startswith(f"{shown}#") and "codes" in doc.meta:
                legal.append(doc)
            elif doc.kind == "legal" and "census_id" in doc.meta:
                census.append(doc)
            else:
                texts.append(doc)
    legal = merge_sources(legal)
    rest = enrich_with_census(legal, census)
    return texts + legal + rest, errors
