"""`xhs-extract extract`: a folder of articles in, statistic records out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from xhs_extract.cli.app import app

err = Console(stderr=True)


@app.command()
def extract(
    corpus: Path = typer.Argument(
        ..., help="Folder of articles (.txt, .html), walked recursively; or a single file."
    ),
    output: Path = typer.Option(
        Path("out/statistics.jsonl"), "--output", "-o", help="Where the statistic records go (JSONL)."
    ),
    documents: Optional[Path] = typer.Option(
        None,
        "--documents",
        help="Where the per-document records go (JSONL). Default: documents.jsonl next to the output.",
    ),
    manifest: Optional[Path] = typer.Option(
        None,
        "--manifest",
        help="One line per input file: doc_id, hash, status, records, reason. "
        "Default: manifest.jsonl next to the output.",
    ),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes; output is identical for any N."),
    max_bytes: int = typer.Option(
        20 * 1024 * 1024, "--max-bytes", min=1, help="Files larger than this are refused (reported, not read)."
    ),
    allow_failures: bool = typer.Option(
        False, "--allow-failures", help="Exit 0 even when some files could not be read."
    ),
    db: Optional[str] = typer.Option(
        None, "--db", help="Also load the results into this database (sqlite:///x.db, duckdb:///x.duckdb, postgresql://…)."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary table."),
) -> None:
    """Extract statistic records from every article under CORPUS into OUTPUT (JSONL).

    Ends with a summary: files read, records written, figures rejected by validation, and
    files that failed (each with its reason). Exit code 1 when a file failed, unless
    --allow-failures.
    """
    from xhs_extract.batch import BatchOptions, run_batch

    if not corpus.exists():
        err.print(f"[red]error:[/red] {corpus}: no such file or folder")
        raise typer.Exit(2)
    options = BatchOptions(
        corpus=corpus,
        output=output,
        documents=documents or output.with_name("documents.jsonl"),
        manifest=manifest or output.with_name("manifest.jsonl"),
        jobs=jobs,
        max_bytes=max_bytes,
        progress=not quiet and sys.stderr.isatty(),
    )
    summary = run_batch(options, log=None if quiet else err)
    if db:
        from xhs_extract.db import load_files

        load_files(db, options.output, options.documents)
    if not quiet:
        _print_summary(summary, options)
    if summary.failed and not allow_failures:
        raise typer.Exit(1)


def _print_summary(summary, options) -> None:
    table = Table(title="xhs-extract: summary", show_header=False)
    table.add_row("files", str(summary.files))
    table.add_row("  ok", str(summary.ok))
    table.add_row("  failed", str(summary.failed))
    table.add_row("records written", str(summary.records))
    table.add_row("figures rejected", str(summary.rejected))
    table.add_row("output", str(options.output))
    table.add_row("documents", str(options.documents))
    table.add_row("manifest", str(options.manifest))
    err.print(table)
    for line in summary.failures[:50]:
        err.print(f"[red]failed[/red] {line}")
    if len(summary.failures) > 50:
        err.print(f"… and {len(summary.failures) - 50} more failures: see {options.manifest}")
    reasons = summary.rejection_reasons
    if reasons:
        err.print("rejected figures by reason: " + json.dumps(reasons, ensure_ascii=False))
