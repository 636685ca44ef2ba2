"""The test process's live children: a query worker that outlives its time limit shows up."""

import os
from pathlib import Path


def child_pids() -> list[int]:
    """Live (not zombie) children of this process, read from /proc."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == me and fields[0] != "Z":
            found.append(int(entry.name))
    return found
