"""Generations of an index home: numbered files committed by one manifest.

``manifest.json`` is the commit point. A save writes the next generation's files beside
the current ones, replaces the manifest atomically (``os.replace``), then deletes every
other generation's files; a crash at any point leaves the last committed generation
intact, and files of a generation that was never committed are deleted by the next save.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from pathlib import Path
from typing import Any

from search_api.errors import IndexMismatchError

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
_GENERATION_FILE = re.compile(r"^(?:passages|lexical|dense)-(\d+)\.")


def read_manifest(home: Path) -> dict[str, Any] | None:
    """The committed manifest; None when nothing was ever committed."""
    path = home / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        int(manifest["gen"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexMismatchError(
            f"the index manifest {path} cannot be read ({exc}); rebuild it (cancu reindex)"
        ) from exc
    return dict(manifest)


def write_manifest(home: Path, manifest: dict[str, Any]) -> None:
    """Commit: replace the manifest in one atomic step."""
    tmp = home / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, home / MANIFEST)


def last_generation(home: Path) -> int:
    """The highest generation number in ``home``, committed or not (0 when none), read
    from file names so that even a damaged manifest does not stop a rebuild."""
    gens = [int(m.group(1)) for f in home.iterdir() if (m := _GENERATION_FILE.match(f.name))]
    return max(gens, default=0)


def delete_other_generations(home: Path, keep: int) -> None:
    """Delete the files of every generation but ``keep`` (older or never committed)."""
    for f in home.iterdir():
        m = _GENERATION_FILE.match(f.name)
        if m and int(m.group(1)) != keep:
            f.unlink(missing_ok=True)


def write_passages(home: Path, gen: int, payload: dict[str, Any]) -> str:
    """Write generation ``gen``'s passage records (temp file, then rename); return the name."""
    name = f"passages-{gen}.json.gz"
    tmp = home / f".{name}.tmp"
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    os.replace(tmp, home / name)
    return name


def read_passages(home: Path, gen: int) -> dict[str, Any]:
    with gzip.open(home / f"passages-{gen}.json.gz", "rt", encoding="utf-8") as fh:
        return dict(json.load(fh))
