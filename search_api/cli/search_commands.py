"""Commands that search passages and answer questions: search, ask."""

from __future__ import annotations

from pathlib import Path

import click

from ingest.model import PASSAGE_KINDS
from search_api.cli import output as out
from search_api.cli.context import check_query, search_filters, workspace
from search_api.retrieval import MODES


@click.command()
@click.argument("query", required=False)
@click.option("--k", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True)
@click.option("--province")
@click.option("--year-from", type=int)
@click.option("--year-to", type=int)
@click.option("--doc-type")
@click.option("--doc", "doc_id")
@click.option(
    "--section-kind",
    type=click.Choice(PASSAGE_KINDS),
)
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--batch",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSONL of {"id","query"}; writes {"id","results"} per line.',
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --batch: output file (default stdout).",
)
@click.pass_context
def search(ctx: click.Context, query: str | None, k: int, mode: str, province: str | None, year_from: int | None,
           year_to: int | None, doc_type: str | None, doc_id: str | None, section_kind: str | None,
           as_json: bool, batch: Path | None, output: Path | None) -> None:  # fmt: skip
    """Search passages by meaning and by words (hybrid by default)."""
    filters = search_filters(province=province, year_from=year_from, year_to=year_to, doc_type=doc_type,
                             doc_id=doc_id, section_kind=section_kind)  # fmt: skip
    ws = workspace(ctx)
    if batch:
        lines = out.run_batch(ws, batch, k=k, mode=mode, filters=filters)
        if output:
            from search_api.docstore import atomic_write_bytes

            atomic_write_bytes(output, ("\n".join(lines) + "\n").encode("utf-8"))
        else:
            click.echo("\n".join(lines))
        return
    if query is None:
        raise click.UsageError("give a QUERY or --batch FILE")
    query = check_query(ctx, query, "query")
    hits = ws.search(query, k=k, mode=mode, filters=filters)
    if as_json:
        click.echo(out.dump({"query": query, "mode": mode, "results": [h.to_json() for h in hits]}))
    else:
        click.echo(out.hits_text(hits))


@click.command()
@click.argument("question")
@click.option("--k", type=click.IntRange(min=1), default=5, show_default=True)
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True)
@click.option("--province")
@click.option("--year-from", type=int)
@click.option("--year-to", type=int)
@click.option("--doc-type")
@click.option("--doc", "doc_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def ask(ctx: click.Context, question: str, k: int, mode: str, province: str | None,
        year_from: int | None, year_to: int | None, doc_type: str | None, doc_id: str | None,
        as_json: bool) -> None:  # fmt: skip
    """Answer a question from the graph where it knows, else from the best passages."""
    filters = search_filters(province=province, year_from=year_from, year_to=year_to,
                             doc_type=doc_type, doc_id=doc_id)  # fmt: skip
    question = check_query(ctx, question, "question")
    answer = workspace(ctx).ask(question, k=k, filters=filters, mode=mode)
    click.echo(out.dump(answer.to_json()) if as_json else out.answer_text(answer.to_json()))


COMMANDS: list[click.Command] = [search, ask]
