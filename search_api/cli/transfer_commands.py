"""`cancu export` and `cancu import`: a home's whole graph out to a file and back in, so a
home can move between graph stores (start embedded, move to a SPARQL server) as N-Quads.

The file is written atomically (a temporary file renamed into place); an import is one
transaction on the target store and refuses a store that already holds documents unless
``--replace``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from search_api.cli.context import workspace

FORMATS = ["turtle", "trig", "nquads", "jsonld"]
SUFFIX_FORMATS = {
    ".nq": "nquads",
    ".nquads": "nquads",
    ".trig": "trig",
    ".ttl": "turtle",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


def export_format(fmt: str | None, target: Path | None) -> str:
    """``--format`` when given, else the file's suffix, else Turtle."""
    if fmt is not None:
        return fmt
    if target is None:
        return "turtle"
    found = SUFFIX_FORMATS.get(target.suffix.lower())
    if found is None:
        raise click.UsageError(
            f"cannot tell the format of {target} from its suffix: give --format "
            f"({' | '.join(FORMATS)}) or name it .nq, .trig, .ttl or .jsonld"
        )
    return found


@click.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def export(ctx: click.Context, file: Path | None, fmt: str | None, output: Path | None) -> None:
    """Export the whole graph (to FILE: format from its suffix, FILE.nq for `cancu import`)."""
    if file is not None and output is not None:
        raise click.UsageError("give the file once: FILE or -o/--output, not both")
    target = file or output
    chosen = export_format(fmt, target)
    data = workspace(ctx).graph.export(chosen)  # type: ignore[arg-type]  # one of FORMATS
    if target is None:
        sys.stdout.buffer.write(data)
        return
    from search_api.docstore import atomic_write_bytes

    atomic_write_bytes(target, data)
    click.echo(f"wrote {len(data)} bytes to {target}", err=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Drop everything the store holds first.")
@click.pass_context
def import_graph(ctx: click.Context, file: Path, replace: bool) -> None:
    """Load FILE (N-Quads, as `cancu export FILE.nq` writes) into the graph store."""
    data = file.read_bytes()
    store = workspace(ctx).graph
    count = store.import_nquads(data, replace=replace, source=str(file))
    click.echo(f"imported {count} quads from {file} into {store.location}")


COMMANDS = [export, import_graph]
