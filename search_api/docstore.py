"""The document store: each ingested Document and its extraction as one JSON file.

The graph holds the facts and the indexes hold vectors and terms; this store keeps the
normalised text, sections, tables and passages so that the API can show a document and
any passage with its exact span, and so indexes can be rebuilt without re-reading files.
Every write goes to a temporary file first and is renamed into place (atomic).
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ingest.model import (
    Document,
    DocumentMeta,
    Passage,
    Section,
    Span,
    Table,
    TableRow,
)
from ontology.uris import document_slug, legacy_document_slug
from search_api.errors import DocStoreError


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _meta_from_json(data: dict[str, Any] | None) -> DocumentMeta | None:
    if data is None:
        return None
    spans = {k: Span(**v) for k, v in (data.get("spans") or {}).items()}
    fields = {k: data.get(k) for k in DocumentMeta.__dataclass_fields__ if k != "spans"}
    return DocumentMeta(**fields, spans=spans)


def document_to_json(doc: Document) -> dict[str, Any]:
    return asdict(doc)


def document_from_json(data: dict[str, Any]) -> Document:
    """Inverse of ``document_to_json``; tolerant of fields added to the model later."""

    def build(cls: Any, item: dict[str, Any]) -> Any:
        return cls(**{k: v for k, v in item.items() if k in cls.__dataclass_fields__})

    tables = []
    for t in data.get("tables", []):
        rows = [build(TableRow, r) for r in t.get("rows", [])]
        tables.append(build(Table, {**t, "rows": rows}))
    return Document(
        id=data["id"],
        source=data["source"],
        text=data["text"],
        kind=data.get("kind", "plan"),
        meta=_meta_from_json(data.get("meta")) or DocumentMeta(),
        attached_plan=_meta_from_json(data.get("attached_plan")),
        sections=[build(Section, s) for s in data.get("sections", [])],
        tables=tables,
        passages=[build(Passage, p) for p in data.get("passages", [])],
        content_hash=data.get("content_hash", ""),
        extra=data.get("extra", {}),
    )


PARSED_DOCUMENTS_KEPT = 32
"""How many parsed documents ``DocStore.get`` keeps (shared: callers never change them)."""


@dataclass(slots=True)
class StoredDoc:
    document: Document
    extraction: dict[str, Any]  # the `cancu extract --json` shape


def summary_of(doc: Document, extraction: dict[str, Any]) -> dict[str, Any]:
    meta = doc.meta
    return {
        "id": doc.id,
        "source": doc.source,
        "kind": doc.kind,
        "doc_type": meta.doc_type,
        "number": meta.number,
        "date": meta.date,
        "year": int(meta.date[:4]) if meta.date else None,
        "province": meta.province,
        "issuer": meta.issuer,
        "title": meta.title,
        "uri": extraction.get("document", {}).get("uri"),
        "passages": len(doc.passages),
        "citations": len(extraction.get("citations", [])),
        "content_hash": doc.content_hash,
    }


class DocStore:
    """``home/docs/<slug>.json`` per document plus a small catalogue for listing.

    The slug is ``ontology.uris.document_slug``, injective in the id: two ids that
    ``slugify`` folds together ("002-x", "002_x") keep two files. Files written under the
    older plain slug are still read, and replaced on the next write of their id.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._catalogue_path = root / "_catalogue.json"
        self._lock = threading.Lock()
        # The catalogue as last read, and the identity (inode, mtime, size) of the file it
        # was read from: another process (a writer beside API workers) may replace it.
        self._catalogue_seen: tuple[int, int, int] | None = None
        self._catalogue: dict[str, dict[str, Any]] = self._load_catalogue()
        self._passage_index: dict[str, str] | None = None
        # Parsed documents by (id, file identity): evidence for every hit of every answer
        # reads its document, and parsing the same JSON again was a fifth of /ask's time
        # under load. Keyed by the file's inode, mtime and size, so a document rewritten
        # by any process is read again; bounded.
        self._parsed: OrderedDict[tuple[str, int, int, int], StoredDoc] = OrderedDict()

    def _catalogue_identity(self) -> tuple[int, int, int] | None:
        try:
            st = self._catalogue_path.stat()
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _current(self) -> dict[str, dict[str, Any]]:
        """The catalogue, read again when another process replaced its file (one stat)."""
        if self._catalogue_identity() != self._catalogue_seen:
            with self._lock:
                if self._catalogue_identity() != self._catalogue_seen:
                    self._catalogue = self._load_catalogue()
                    self._passage_index = None
        return self._catalogue

    def _load_catalogue(self) -> dict[str, dict[str, Any]]:
        self._catalogue_seen = self._catalogue_identity()
        if self._catalogue_seen is None:
            return {}
        try:
            catalogue = json.loads(self._catalogue_path.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DocStoreError(
                f"the document catalogue {self._catalogue_path} cannot be read ({exc}); "
                "move it away and ingest the files again"
            ) from exc
        if not isinstance(catalogue, dict):
            raise DocStoreError(f"the document catalogue {self._catalogue_path} is damaged")
        return catalogue

    def _save_catalogue(self) -> None:
        payload = json.dumps(self._catalogue, ensure_ascii=False, indent=1).encode("utf-8")
        atomic_write_bytes(self._catalogue_path, payload)
        self._catalogue_seen = self._catalogue_identity()

    def _reload_if_replaced(self) -> None:
        """Before a write, under the lock: start from what another process last wrote."""
        if self._catalogue_identity() != self._catalogue_seen:
            self._catalogue = self._load_catalogue()

    def _path(self, doc_id: str) -> Path:
        """The file of ``doc_id``: injective in the id (``document_slug``)."""
        return self.root / f"{document_slug(doc_id)}.json"

    def _legacy_path(self, doc_id: str) -> Path | None:
        """The file this id had before file names were made injective (plain slug), when
        it exists and holds this very id (another id may own that name)."""
        old = legacy_document_slug(doc_id)
        path = None if old is None else self.root / f"{old}.json"
        if path is None or not path.is_file():
            return None
        try:
            stored_id = json.loads(path.read_text("utf-8"))["document"]["id"]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
            return None
        return path if stored_id == doc_id else None

    def _readable_path(self, doc_id: str) -> Path:
        path = self._path(doc_id)
        return path if path.exists() else (self._legacy_path(doc_id) or path)

    def put(self, doc: Document, extraction: dict[str, Any]) -> None:
        payload = {"document": document_to_json(doc), "extraction": extraction}
        with self._lock:
            self._reload_if_replaced()
            legacy = self._legacy_path(doc.id)
            atomic_write_bytes(
                self._path(doc.id), json.dumps(payload, ensure_ascii=False).encode("utf-8")
            )
            if legacy is not None:
                legacy.unlink(missing_ok=True)
            self._catalogue[doc.id] = summary_of(doc, extraction)
            self._save_catalogue()
            self._passage_index = None

    def remove(self, doc_id: str) -> bool:
        with self._lock:
            self._reload_if_replaced()
            existed = self._catalogue.pop(doc_id, None) is not None
            legacy = self._legacy_path(doc_id)
            self._path(doc_id).unlink(missing_ok=True)
            if legacy is not None:
                legacy.unlink(missing_ok=True)
            self._save_catalogue()
            self._passage_index = None
            return existed

    def content_hash(self, doc_id: str) -> str | None:
        entry = self._current().get(doc_id)
        return entry["content_hash"] if entry else None

    def ids(self) -> list[str]:
        return sorted(self._current())

    def list(self) -> list[dict[str, Any]]:
        catalogue = self._current()
        return [catalogue[k] for k in sorted(catalogue)]

    def get(self, doc_id: str) -> StoredDoc | None:
        if doc_id not in self._current():
            return None
        path = self._readable_path(doc_id)
        try:
            st = path.stat()
            key = (doc_id, st.st_ino, st.st_mtime_ns, st.st_size)
            with self._lock:
                cached = self._parsed.get(key)
                if cached is not None:
                    self._parsed.move_to_end(key)
                    return cached
            data = json.loads(path.read_text("utf-8"))
            stored = StoredDoc(document_from_json(data["document"]), data["extraction"])
            with self._lock:
                self._parsed[key] = stored
                while len(self._parsed) > PARSED_DOCUMENTS_KEPT:
                    self._parsed.popitem(last=False)
            return stored
        except FileNotFoundError:
            if doc_id not in self._current():  # removed while we read it: it is gone, not damaged
                return None
            raise DocStoreError(
                f"stored document {doc_id!r} ({path}) is missing; ingest its file again"
            ) from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DocStoreError(
                f"stored document {doc_id!r} ({path}) cannot be read ({exc}); ingest its file again"
            ) from exc

    def passage(self, passage_id: str) -> tuple[Passage, str] | None:
        """A passage by id, with the id of its document."""
        if self._passage_index is None:
            index: dict[str, str] = {}
            for catalogued in list(self._current()):
                stored = self.get(catalogued)
                if stored:
                    index.update({p.id: catalogued for p in stored.document.passages})
            self._passage_index = index
        doc_id = self._passage_index.get(passage_id)
        if doc_id is None:
            return None
        stored = self.get(doc_id)
        if stored is None:
            return None
        for p in stored.document.passages:
            if p.id == passage_id:
                return p, doc_id
        return None
