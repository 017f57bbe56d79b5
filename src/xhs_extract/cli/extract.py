"""`xhs-extract extract`: a folder of articles in, statistic records out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.table import Table

from xhs_extract.cli.app import app

if TYPE_CHECKING:
    from xhs_extract.batch import BatchOptions

err = Console(stderr=True)


@app.command()
def extract(
    corpus: str = typer.Argument(
        ..., help="Folder of articles (.txt, .html), walked recursively; or a single file. "
        "May be an fsspec URL (file://, memory://, s3://, gs://; needs the extra `dask`)."
    ),
    output: str = typer.Option(
        "out/statistics.jsonl", "--output", "-o",
        help="Where the statistic records go (JSONL; a path or an fsspec URL).",
    ),
    documents: Optional[str] = typer.Option(
        None, "--documents",
        help="Where the per-document records go (JSONL). "
        "Default: documents.jsonl next to the output.",
    ),
    manifest: Optional[str] = typer.Option(
        None, "--manifest",
        help="One line per input file: doc_id, hash, status, records, reason. "
        "Default: manifest.jsonl next to the output.",
    ),
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=1, help="Worker processes; output is identical for any N."
    ),
    max_bytes: int = typer.Option(
        20 * 1024 * 1024, "--max-bytes", min=1,
        help="Files larger than this are refused (reported, not read).",
    ),
    resume: bool = typer.Option(
        False, "--resume",
        help="Pick up an interrupted run: files already done (same content hash) "
        "are not processed again.",
    ),
    save_text: Optional[Path] = typer.Option(
        None, "--save-text",
        help="Write each document's decoded text (what offsets point into) under this folder.",
    ),
    uncatalogued: Optional[Path] = typer.Option(
        None, "--uncatalogued",
        help="Also write (JSONL) the figures whose frame fits no catalogue entry: doc_id, "
        "value span, value, unit, population and property classes with their spans.",
    ),
    allow_failures: bool = typer.Option(
        False, "--allow-failures", help="Exit 0 even when some files could not be read."
    ),
    db: Optional[str] = typer.Option(
        None, "--db",
        help="Also load the results into this database "
        "(sqlite:///x.db, duckdb:///x.duckdb, postgresql://…).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary table."),
    engine: str = typer.Option(
        "local", "--engine", help="local: this machine, --jobs processes. dask: a Dask cluster "
        "(--scheduler, or a local one of --jobs workers); needs the extra `dask`."
    ),
    scheduler: Optional[str] = typer.Option(
        None, "--scheduler",
        help="Address of a running dask.distributed scheduler (tcp://host:8786); "
        "implies --engine dask.",
    ),
) -> None:
    """Extract statistic records from every article under CORPUS into OUTPUT (JSONL).

    Ends with a summary: files read, records written, figures rejected by validation, and
    files that failed (each with its reason). Exit code 1 when a file failed, unless
    --allow-failures.
    """
    from xhs_extract.batch import BatchOptions, run_batch
    from xhs_extract.cli.engines import EngineChoice, batch_locations
    from xhs_extract.errors import WorkerLost

    try:
        choice = EngineChoice.of(engine, scheduler, corpus, output, documents, manifest)
    except ValueError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    options = BatchOptions(
        **batch_locations(corpus, output, documents, manifest),
        engine=choice.engine,
        scheduler=choice.scheduler,
        jobs=jobs,
        max_bytes=max_bytes,
        progress=not quiet and sys.stderr.isatty(),
        resume=resume,
        save_text=save_text,
        uncatalogued=uncatalogued,
    )
    try:
        summary = run_batch(options, log=None if quiet else err)
    except choice.errors as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    except WorkerLost as error:
        # The files finished so far are in the journal: a rerun with --resume skips them.
        err.print(f"[red]error:[/red] {error}. Run again with --resume to go on.", highlight=False)
        raise typer.Exit(1) from None
    if db:
        _load(db, options, quiet)
    if not quiet:
        _print_summary(summary, options)
    if summary.failed and not allow_failures:
        raise typer.Exit(1) from None


def _load(db: str, options: BatchOptions, quiet: bool) -> None:
    """`--db`: the run's records into the database."""
    from xhs_extract.db import load_files
    from xhs_extract.errors import LoadError

    try:
        report = load_files(db, options.output, options.documents)
    except LoadError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None
    if not quiet:
        err.print(report.summary(), highlight=False)


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


@app.command()
def bench(
    corpus: Path = typer.Argument(..., help="Folder of articles to measure on."),
    limit: Optional[int] = typer.Option(
        None, "--limit", help="Only the first N files (in doc_id order)."
    ),
    jobs: int = typer.Option(
        2, "--jobs", "-j", min=1, help="Also measure the pipeline with N worker processes."
    ),
    json_out: Optional[Path] = typer.Option(
        None, "--json", help="Write the results as JSON here too."
    ),
) -> None:
    """Measure throughput: the I/O floor against the full pipeline on the same files.

    The floor is read + NFC + one regex pass. Prints MB/s, articles/s, their ratio, peak
    memory of each measurement and time per stage.
    """
    from xhs_extract.bench import dumps, report, run_bench

    if not corpus.is_dir():
        err.print(f"[red]error:[/red] {corpus}: not a folder")
        raise typer.Exit(2) from None
    measurements = run_bench(corpus, limit=limit, jobs=jobs)
    data = report(measurements)
    out = Console(width=max(120, Console().width))
    table = Table(title=f"xhs-extract bench: {corpus}")
    for column in (
        "measurement",
        "files",
        "MB",
        "seconds",
        "MB/s",
        "articles/s",
        "peak MB",
        "records",
    ):
        table.add_column(column, justify="left" if column == "measurement" else "right")
    for m in measurements:
        table.add_row(
            m.name,
            str(m.files),
            f"{m.bytes / 1e6:.1f}",
            f"{m.seconds:.2f}",
            f"{m.mb_per_s:.2f}",
            f"{m.files_per_s:.0f}",
            f"{m.peak_rss_mb:.0f}",
            str(m.records) if m.name != measurements[0].name else "",
        )
    out.print(table)
    out.print(f"full pipeline / floor: {data['full_over_floor']:.3f}")
    if "parallel_speedup" in data:
        out.print(f"--jobs {jobs} / 1 process: {data['parallel_speedup']:.2f}x")
    stages = measurements[1].stages
    if stages:
        # From a separate run with a stopwatch around each stage: shares of that run's time.
        total = measurements[1].stages_seconds
        out.print(
            f"time per stage (1 process, a run timed stage by stage: {total:.2f}s): "
            + ", ".join(
                f"{k} {v:.2f}s ({v / total:.0%})"
                for k, v in sorted(stages.items(), key=lambda kv: -kv[1])
            )
        )
    if json_out:
        json_out.write_text(dumps(measurements) + "\n", encoding="utf-8")
