"""Commands over the home directory: ingest, extract, reindex, remove, stats,
validate, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from search_api.cli import output as out
from search_api.cli.context import settings, tqdm_progress, workspace
from search_api.retrieval.parallel_terms import default_workers


@click.command()
# No exists=True: a missing or looping path is reported by the readers and skipped, so the
# other paths of the call are still ingested.
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-index", is_flag=True, help="Build the graph only; skip the search index.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], no_index: bool, as_json: bool) -> None:
    """Ingest files or folders (txt, docx, pdf, md, law JSON) into the home directory."""
    ws = workspace(ctx)
    if not no_index:  # this process serves nobody: segment passages on every core
        ws.index.term_workers = default_workers()
    report = ws.ingest(
        list(paths), progress=None if as_json else tqdm_progress(), index=not no_index
    )
    for line in report.errors:
        click.echo(f"skipped: {line}", err=True)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        from graph import queries

        click.echo(out.ingest_summary(report, ws.stats(), queries.most_cited(ws.graph, limit=10)))
    if report.errors and not report.documents:
        sys.exit(1)  # nothing of this call could be ingested


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the extraction as JSON.")
def extract(file: Path, as_json: bool) -> None:
    """Extract metadata, citations, agencies, projects and targets from FILE (no store needed)."""
    from ingest.pipeline import process_source
    from ingest.read import read_path

    results = [process_source(source).extraction_json for source in read_path(file)]
    if as_json:
        payload = results[0] if len(results) == 1 else results
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for result in results:
        click.echo(out.extraction_text(result))


@click.command()
@click.pass_context
def reindex(ctx: click.Context) -> None:
    """Rebuild the search index from stored documents (e.g. with another --embedder)."""
    added = workspace(ctx).reindex(progress=tqdm_progress())
    click.echo(f"indexed {added} passages with {workspace(ctx).embedder_name}")


@click.command()
@click.argument("doc_id")
@click.pass_context
def remove(ctx: click.Context, doc_id: str) -> None:
    """Remove a document, its facts, passages and vectors."""
    from graph.errors import DocumentNotFoundError

    if not workspace(ctx).remove(doc_id):
        raise DocumentNotFoundError(f"no document '{doc_id}' in {settings(ctx).home}")
    click.echo(f"removed {doc_id}")


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts of documents, triples, citations, agencies, projects, targets."""
    data = workspace(ctx).stats()
    click.echo(out.dump(data) if as_json else out.kv_text(data))


@click.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Validate the graph against the SHACL shapes."""
    from graph.validate import validate as run_validate

    conforms, report = run_validate(workspace(ctx).graph)
    click.echo("conforms" if conforms else report)
    if not conforms:
        sys.exit(1)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the API, the SPARQL endpoint and the web page."""
    from search_api.api.serve import serve as run_server

    run_server(settings(ctx), host=host, port=port)


COMMANDS: list[click.Command] = [ingest, extract, reindex, remove, stats, validate, serve]
