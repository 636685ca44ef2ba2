"""What a workspace reports: the outcome of an ingest and of a reconcile, as JSON-ready
records (the CLI prints them, the API's jobs return them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    status_tables: list[str] = field(default_factory=list)  # legal status tables loaded
    passages_indexed: int = 0
    seconds: float = 0.0

    @property
    def documents(self) -> list[str]:
        return [*self.added, *self.updated, *self.unchanged]

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "errors": self.errors,
            "documents": self.documents,
            "status_tables": self.status_tables,
            "passages_indexed": self.passages_indexed,
            "seconds": round(self.seconds, 2),
        }


@dataclass(slots=True)
class ReconcileReport:
    """What ``Workspace.reconcile`` found out of step, and did about it."""

    graphs_removed: list[str] = field(default_factory=list)  # named graphs nobody stored
    graphs_rebuilt: list[str] = field(default_factory=list)  # stored, missing or stale in graph
    indexed: list[str] = field(default_factory=list)  # stored, missing or stale in index
    unindexed: list[str] = field(default_factory=list)  # indexed, no longer stored
    errors: list[str] = field(default_factory=list)

    @property
    def in_step(self) -> bool:
        return not (self.graphs_removed or self.graphs_rebuilt or self.indexed or self.unindexed)

    def to_json(self) -> dict[str, Any]:
        return {
            "graphs_removed": self.graphs_removed,
            "graphs_rebuilt": self.graphs_rebuilt,
            "indexed": self.indexed,
            "unindexed": self.unindexed,
            "errors": self.errors,
        }
