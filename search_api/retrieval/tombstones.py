"""Deleted rows of a segmented index: one live mask per segment (None: all rows live).

The dense and the lexical index are both cut into segments that are never rewritten; a
deletion only changes the masks, until a merge drops the dead rows for good.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class KeyedPart(Protocol):
    """A segment's part that knows its passage keys, in row order."""

    @property
    def keys(self) -> Sequence[str]: ...


def live_keys(parts: Sequence[KeyedPart], live: Sequence[np.ndarray | None]) -> list[str]:
    """The keys of the live rows of every part, in row order."""
    out: list[str] = []
    for part, mask in zip(parts, live, strict=True):
        if mask is None:
            out.extend(part.keys)
        else:
            out.extend(k for k, m in zip(part.keys, mask.tolist(), strict=True) if m)
    return out


def without_rows(
    part_sizes: Sequence[int], live: Sequence[np.ndarray | None], rows: np.ndarray
) -> list[np.ndarray | None]:
    """The live masks after deleting ``rows`` (global positions among the live rows,
    counted across the segments in order); masks of untouched segments are kept as they
    are (shared, never changed in place)."""
    rows = np.sort(np.asarray(rows, dtype=np.int64))
    out: list[np.ndarray | None] = []
    start = 0
    for size, mask in zip(part_sizes, live, strict=True):
        live_rows = np.arange(size) if mask is None else np.flatnonzero(mask)
        lo, hi = np.searchsorted(rows, [start, start + len(live_rows)])
        if hi > lo:
            new = np.ones(size, dtype=bool) if mask is None else mask.copy()
            new[live_rows[rows[lo:hi] - start]] = False
            mask = new
        out.append(mask)
        start += len(live_rows)
    return out
