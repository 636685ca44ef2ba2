"""`cancu check-basis`: is each legal-basis item of a plan in force on its date?"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from ingest.lang.legal_status import check_basis, load_status_table
from search_api.cli.context import workspace

# The shipped table, beside the national texts of the repository (not inside the package:
# users extend it like any corpus file).
DEFAULT_TABLE = Path(__file__).resolve().parents[2] / "corpus" / "national" / "legal_status.csv"


def iso_day(value: str | None) -> str | None:
    """A calendar date written YYYY-MM-DD, or a usage error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@click.command("check-basis")
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--table",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Status table (default: corpus/national/legal_status.csv).",
)
@click.option(
    "--date",
    "on",
    default=None,
    callback=lambda _ctx, _param, value: iso_day(value),
    help="Check on this day (YYYY-MM-DD).",
)
@click.pass_context
def check_basis_command(
    ctx: click.Context, doc: str, as_json: bool, table: Path | None, on: str | None
) -> None:
    """Classify each legal-basis item of DOC (an ingested id or a file) as in force, no
    longer in force, not yet in force or unknown on the document's date."""
    status_table = load_status_table(table or DEFAULT_TABLE)
    if Path(doc).is_file():
        from ingest.pipeline import process_source
        from ingest.read import read_path

        extraction = process_source(read_path(Path(doc))[0]).extraction_json
    else:
        from graph.errors import DocumentNotFoundError

        stored = workspace(ctx).docs.get(doc)
        if stored is None:
            raise DocumentNotFoundError(f"no document '{doc}'")
        extraction = stored.extraction
    result = check_basis(extraction, status_table, on)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{result['document']}  {result['date']} ({result['date_source']})")
    for item in result["basis"]:
        line = f"  {item['status']:<17} {item['number']}"
        if item["since"]:
            line += f" since {item['since']}"
        if item["replaced_by"]:
            line += f" replaced by {', '.join(item['replaced_by'])}"
        if "date_conflict" in item:
            conflict = item["date_conflict"]
            line += f" (cited {conflict['cited']}, official {conflict['official']})"
        click.echo(line)


COMMANDS: list[click.Command] = [check_basis_command]
