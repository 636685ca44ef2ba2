"""Commands that ask the graph: cites, citations, sparql, the entity listings and
responsibilities."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from graph import queries
from search_api.cli import output as out
from search_api.cli.context import read_text, settings, workspace


@click.command()
@click.argument("number")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def cites(ctx: click.Context, number: str, as_json: bool) -> None:
    """The documents that cite NUMBER (e.g. 64/2007/NĐ-CP, 64-2007-nd-cp, "Nghị định 64"),
    with the quoting passage."""
    store = workspace(ctx).graph
    known = queries.resolve_number(store, number)
    rows = queries.cited_by(store, known[0] if known else number)
    click.echo(out.dump(rows) if as_json else out.cited_by_text(number, rows))


@click.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def citations(ctx: click.Context, doc: str, as_json: bool) -> None:
    """What document DOC (ingest id or number) cites."""
    store = workspace(ctx).graph
    known = [] if doc in store.document_ids() else queries.resolve_number(store, doc)
    rows = queries.citations_of(store, known[0] if known else doc)
    click.echo(out.dump(rows) if as_json else out.citations_text(doc, rows))


@click.command()
@click.argument("query", required=False)
@click.option(
    "-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml"]), default="table"
)
@click.option(
    "--timeout",
    type=float,
    default=None,
    help="Seconds (default: $CANCU_SPARQL_TIMEOUT_S, else 10).",
)
@click.option(
    "--max-rows",
    type=int,
    default=None,
    help="Row cap (default: $CANCU_SPARQL_MAX_ROWS, else 10000).",
)
@click.pass_context
def sparql(
    ctx: click.Context,
    query: str | None,
    query_file: Path | None,
    fmt: str,
    timeout: float | None,
    max_rows: int | None,
) -> None:
    """Run a read-only SPARQL query (QUERY or -f FILE) over the graph."""
    if bool(query) == bool(query_file):
        raise click.UsageError("give a QUERY or -f FILE (one of them)")
    limits = settings(ctx).with_overrides(sparql_timeout_s=timeout, sparql_max_rows=max_rows)
    max_rows = limits.sparql_max_rows
    text = read_text(query_file) if query_file else query
    result = workspace(ctx).graph.query(
        text or "", timeout_s=limits.sparql_timeout_s, max_rows=max_rows
    )
    click.echo(out.sparql_result(result, fmt))
    if getattr(result, "truncated", False):
        click.echo(f"warning: result truncated at {max_rows} rows", err=True)


def rows_command(
    name: str,
    help_text: str,
    fetch: Callable[..., list[dict[str, Any]]],
    options: list[click.Option],
) -> click.Command:
    """A command printing the rows of one graph query, as a table or JSON."""

    @click.pass_context
    def command(ctx: click.Context, as_json: bool, **kw: Any) -> None:
        rows = fetch(workspace(ctx).graph, **{k: v for k, v in kw.items() if v is not None})
        click.echo(out.dump(rows) if as_json else out.table_text(rows))

    cmd = click.Command(name, callback=command, help=help_text,
                        params=[*options, click.Option(["--json", "as_json"], is_flag=True)])  # fmt: skip
    return cmd


def entity_commands() -> list[click.Command]:
    """agencies, projects, budgets, targets, conflicts: one graph query each."""
    by = click.Choice(["province", "year", "source"])
    return [
        rows_command(
            "agencies", "Agencies, by province and level.", queries.agencies,
            [click.Option(["--province"]), click.Option(["--level"])],
        ),
        rows_command(
            "projects", "Projects, by lead agency or province.", queries.projects,
            [click.Option(["--lead-agency", "lead_agency"]), click.Option(["--province"])],
        ),
        rows_command(
            "budgets", "Budgets (million VND) by province, year or funding source.",
            queries.budgets, [click.Option(["--by"], type=by, default="province")],
        ),
        rows_command(
            "targets", "Targets, by indicator group and province.", queries.targets,
            [click.Option(["--indicator-group", "indicator_group"]), click.Option(["--province"])],
        ),
        rows_command(
            "conflicts", "Documents cited with different dates or types.", queries.conflicts, []
        ),
    ]  # fmt: skip


@click.command()
@click.option("--agency", required=True, help="Agency name, alias or URI.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def responsibilities(ctx: click.Context, agency: str, as_json: bool) -> None:
    """An agency's responsibilities (lead and partner roles) and the projects it takes part in."""
    found = queries.agency_responsibilities(workspace(ctx).graph, agency)
    click.echo(out.dump(found) if as_json else out.responsibilities_text(found))


COMMANDS: list[click.Command] = [cites, citations, sparql, *entity_commands(), responsibilities]
