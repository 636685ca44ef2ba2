"""Search filters, applied to passage metadata *before* the ranking cut-off.

Filtering after taking the top k would return fewer than k hits (or none) for selective
filters; instead the filter becomes a boolean mask over all passages, and each mode ranks
only the allowed rows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ingest.model import PASSAGE_KINDS
from search_api.errors import InvalidFiltersError


def _fold(text: str | None) -> str:
    """Case- and NFC-insensitive comparison key ("tuyên quang" == "Tuyên Quang")."""
    return unicodedata.normalize("NFC", text or "").strip().casefold()


@dataclass(slots=True)
class SearchFilters:
    province: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str | None = None
    doc_id: str | None = None
    section_kind: str | None = None  # a passage kind, see PASSAGE_KINDS

    def __post_init__(self) -> None:
        if self.section_kind is not None and self.section_kind not in PASSAGE_KINDS:
            raise InvalidFiltersError(
                f"unknown section_kind {self.section_kind!r}: use one of {PASSAGE_KINDS}"
            )
        if (
            self.year_from is not None
            and self.year_to is not None
            and self.year_from > self.year_to
        ):
            raise InvalidFiltersError(f"year_from {self.year_from} is after year_to {self.year_to}")

    def is_empty(self) -> bool:
        return all(v is None for v in asdict(self).values())

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def accepts(self, meta: dict[str, Any]) -> bool:
        """Whether one passage's metadata (province, year, doc_type, doc_id, kind) passes."""
        if self.province is not None and _fold(meta.get("province")) != _fold(self.province):
            return False
        if self.doc_type is not None and _fold(meta.get("doc_type")) != _fold(self.doc_type):
            return False
        if self.doc_id is not None and meta.get("doc_id") != self.doc_id:
            return False
        if self.section_kind is not None and meta.get("kind") != self.section_kind:
            return False
        year = meta.get("year")
        if self.year_from is not None and (year is None or year < self.year_from):
            return False
        if self.year_to is not None and (year is None or year > self.year_to):
            return False
        return True


def filter_mask(
    filters: SearchFilters | None, metas: Sequence[dict[str, Any]]
) -> np.ndarray | None:
    """Boolean mask of the passages the filters allow; ``None`` when nothing is filtered."""
    if filters is None or filters.is_empty():
        return None
    return np.fromiter((filters.accepts(m) for m in metas), dtype=bool, count=len(metas))
