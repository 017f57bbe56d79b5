"""`xhs-extract extract`: a folder of articles in, statistic records out."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer
from rich.console import Console
from rich.table import Table

from xhs_extract.cli.app import app, make_parent

if TYPE_CHECKING:
    from xhs_extract.batch import BatchOptions

# soft_wrap: a message is one line however long, never broken where the terminal ends
err = Console(stderr=True, soft_wrap=True)


# The options of `extract`, declared here so that the command reads in one screen.
_CORPUS = typer.Argument(
    ..., help="Folder of articles (.txt, .html), walked recursively; or a single file. "
    "May be an fsspec URL (file://, memory://, s3://, gs://; needs the extra `dask`)."
)
_OUTPUT = typer.Option(
    "out/statistics.jsonl", "--output", "-o", metavar="FILE",
    help="Where the statistic records go (JSONL; a path or an fsspec URL).",
)
_DOCUMENTS = typer.Option(
    None, "--documents", metavar="FILE",
    help="Where the per-document records go (JSONL). "
    "Default: documents.jsonl next to the output.",
)
_MANIFEST = typer.Option(
    None, "--manifest", metavar="FILE",
    help="One line per input file: doc_id, hash, status, records, reason. "
    "Default: manifest.jsonl next to the output.",
)
_JOBS = typer.Option(
    1, "--jobs", "-j", metavar="N", min=1,
    help="Worker processes; output is identical for any N."
)
_MAX_BYTES = typer.Option(
    20 * 1024 * 1024, "--max-bytes", metavar="BYTES", min=1,
    help="Files larger than this are refused (reported, not read).",
)
_RESUME = typer.Option(
    False, "--resume",
    help="Pick up an interrupted run: files already done (same content hash) "
    "are not processed again.",
)
_SAVE_TEXT = typer.Option(
    None, "--save-text", metavar="DIR",
    help="Write each document's decoded text (what offsets point into) under this folder.",
)
_ALLOW_FAILURES = typer.Option(
    False, "--allow-failures", help="Exit 0 even when some files could not be read."
)
_DB = typer.Option(
    None, "--db", metavar="URL",
    help="Also load the results into this database "
    "(sqlite:///x.db, duckdb:///x.duckdb, postgresql://…).",
)
_QUIET = typer.Option(False, "--quiet", "-q", help="No progress and no summary table.")
_ENGINE = typer.Option(
    "local", "--engine", metavar="[local|dask]",
    help="local: this machine, --jobs processes. dask: a Dask cluster "
    "(--scheduler, or a local one of --jobs workers); needs the extra `dask`."
)
_SCHEDULER = typer.Option(
    None, "--scheduler", metavar="URL",
    help="Address of a running dask.distributed scheduler (tcp://host:8786); "
    "implies --engine dask.",
)
_METADATA = typer.Option(
    None, "--metadata", metavar="FILE", exists=True, dir_okay=False,
    help="A crawl's article metadata, CSV or JSON Lines (doc_id, url, published, source, "
    "province): supplies what the text lacks. Local runs only.",
)
_UNCATALOGUED = typer.Option(
    None, "--uncatalogued", metavar="FILE",
    help="Also write (JSONL) the figures whose frame fits no catalogue entry: doc_id, value "
    "span, value, unit, population and property classes with their spans.",
)


@app.command()
def extract(
    corpus: str = _CORPUS,
    output: str = _OUTPUT,
    documents: Optional[str] = _DOCUMENTS,
    manifest: Optional[str] = _MANIFEST,
    jobs: int = _JOBS,
    max_bytes: int = _MAX_BYTES,
    resume: bool = _RESUME,
    save_text: Optional[Path] = _SAVE_TEXT,
    allow_failures: bool = _ALLOW_FAILURES,
    db: Optional[str] = _DB,
    quiet: bool = _QUIET,
    engine: str = _ENGINE,
    scheduler: Optional[str] = _SCHEDULER,
    metadata: Optional[Path] = _METADATA,
    uncatalogued: Optional[Path] = _UNCATALOGUED,
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
        metadata=metadata,
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
    if options.resume:
        table.add_row("  skipped (resumed)", str(summary.reused))
    table.add_row("  ok", str(summary.ok))
    table.add_row("  failed", str(summary.failed))
    table.add_row("records written", str(summary.records))
    table.add_row("figures rejected", str(summary.rejected))
    table.add_row("output", str(options.output))
    table.add_row("documents", str(options.documents))
    table.add_row("manifest", str(options.manifest))
    err.print(table)
    if summary.failures:
        # each failure was printed once as it happened; the manifest holds them all
        err.print(
            f"{len(summary.failures)} files failed: see {options.manifest}", highlight=False
        )
    reasons = summary.rejection_reasons
    if reasons:
        err.print("rejected figures by reason: " + json.dumps(reasons, ensure_ascii=False))
    if options.resume:
        err.print(
            f"resumed: {summary.reused} of {summary.files} files were done already "
            "and were skipped",
            highlight=False,
        )


@app.command()
def bench(
    corpus: Path = typer.Argument(..., help="Folder of articles to measure on."),
    limit: Optional[int] = typer.Option(
        None, "--limit", metavar="N", help="Only the first N files (in doc_id order)."
    ),
    jobs: int = typer.Option(
        2, "--jobs", "-j", metavar="N", min=1,
        help="Also measure the pipeline with N worker processes."
    ),
    json_out: Optional[Path] = typer.Option(
        None, "--json", metavar="FILE", help="Write the results as JSON here too."
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
    if "command_over_floor" in data:
        out.print(f"whole command / floor: {data['command_over_floor']:.3f}", highlight=False)
    if "command_over_floor_jobs" in data:
        out.print(
            f"whole command --jobs {jobs} / floor: {data['command_over_floor_jobs']:.3f}",
            highlight=False,
        )
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
        make_parent(json_out).write_text(dumps(measurements) + "\n", encoding="utf-8")
