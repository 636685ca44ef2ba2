"""What every command needs from the click context: the settings, the workspace (opened
once per command and closed when it ends), progress bars, and checks of typed input."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from search_api.settings import Settings

if TYPE_CHECKING:
    from search_api.retrieval.filters import SearchFilters
    from search_api.workspace import Workspace


def settings(ctx: click.Context) -> Settings:
    value: Settings = ctx.obj["settings"]
    return value


def workspace(ctx: click.Context) -> Workspace:
    from search_api.workspace import Workspace  # lazy: keeps `cancu extract` light

    ws: Workspace | None = ctx.obj.get("workspace")
    if ws is None:
        config = settings(ctx)
        ws = ctx.obj["workspace"] = Workspace.from_settings(config)
        # Release the store's lock when the command ends (matters when commands run in-process).
        ctx.call_on_close(ws.close)
    return ws


def tqdm_progress() -> Callable[[str, int, int], None]:
    """A progress bar per stage on stderr."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}
    labels = {"extract": "extracting", "index": "indexing passages"}

    def progress(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(
                total=total, desc=labels.get(stage, stage), unit="it", file=sys.stderr, leave=True
            )
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return progress


def read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise click.BadParameter(f"{path}: cannot be read as UTF-8 text ({err})") from None


def search_filters(**kw: Any) -> SearchFilters | None:
    from search_api.retrieval.filters import SearchFilters

    given = {k: v for k, v in kw.items() if v is not None}
    return SearchFilters(**given) if given else None


def check_query(ctx: click.Context, text: str, what: str) -> str:
    """A usable query or a usage error: not blank, not over the configured length."""
    text = text.strip()
    if not text:
        raise click.UsageError(f"the {what} is empty")
    limit = settings(ctx).max_query_chars
    if len(text) > limit:
        raise click.UsageError(
            f"the {what} has {len(text)} characters; the limit is {limit} ($CANCU_MAX_QUERY_CHARS)"
        )
    return text
