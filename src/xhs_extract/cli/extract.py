"""`xhs-extract extract`: a folder of articles in, statistic records out."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional

import typer
from rich.console import Console
from rich.table import Table

from xhs_extract.cli.app import app

if TYPE_CHECKING:
    from xhs_extract.batch import BatchOptions, BatchSummary

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
    follow_symlinks: bool = typer.Option(
        False, "--follow-symlinks",
        help="Read symbolic links whose target lies outside CORPUS (refused by default, E013).",
    ),
    file_timeout: float = typer.Option(
        120.0, "--file-timeout", min=0,
        help="Seconds one file may take; a file over it fails (E015) and the run goes on. "
        "0: no limit.",
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
    metadata: Optional[Path] = typer.Option(
        None, "--metadata", exists=True, dir_okay=False,
        help="A crawl's article metadata, CSV or JSON Lines (doc_id, url, published, source, "
        "province): supplies what the text lacks. Local runs only.",
    ),
) -> None:
    """Extract statistic records from every article under CORPUS into OUTPUT (JSONL).

    Ends with a summary: files read, records written, figures rejected by validation, and
    files that failed (each with its reason). Exit code 1 when a file failed, unless
    --allow-failures.
    """
    from xhs_extract.batch import BatchOptions
    from xhs_extract.cli.engines import EngineChoice, batch_locations

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
        follow_symlinks=follow_symlinks,
        file_timeout=file_timeout,
        metadata=metadata,
    )
    summary = _run_batch(options, quiet, choice.errors)
    if db:
        _load(db, options, quiet)
    if not quiet:
        _print_summary(summary, options)
    if summary.failed and not allow_failures:
        raise typer.Exit(1) from None


def _run_batch(
    options: BatchOptions, quiet: bool, start_errors: tuple[type[BaseException], ...]
) -> BatchSummary:
    """The batch, its problems each said in one line with its exit code: 2 for what
    cannot start or an output that cannot be written, 1 for a lost worker, 130 and 143
    for Ctrl-C and SIGTERM."""
    from xhs_extract.batch import run_batch
    from xhs_extract.errors import Interrupted, OutputError, WorkerLost

    try:
        with _stopped_by_signals():
            return run_batch(options, log=None if quiet else err)
    except start_errors as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from None
    except WorkerLost as error:
        # The files finished so far are in the journal: a rerun with --resume skips them.
        err.print(f"[red]error:[/red] {error}. Run again with --resume to go on.", highlight=False)
        raise typer.Exit(1) from None
    except OutputError as error:
        err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    except Interrupted as error:
        # The one last line; the journal holds the files done so far.
        err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(error.exit_code) from None


class _Terminated(BaseException):
    """SIGTERM arrived (raised by its handler, turned into Interrupted)."""


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM end the run as Interrupted (exit 130 and 143), so that
    outputs are cleaned up and one line with the --resume hint is printed.

    The handlers also leave word in `batch.STOP`, which the batch checks after each file:
    an exception raised where Python cannot pass it on (inside a `__del__`) is otherwise
    lost, and the run would go on."""
    from xhs_extract.batch import STOP
    from xhs_extract.errors import Interrupted

    def on_term(_signum: int, _frame: object) -> None:
        STOP.request("SIGTERM", 143)
        raise _Terminated  # not an Exception: no `except Exception` of a file stops it

    def on_int(_signum: int, _frame: object) -> None:
        STOP.request("SIGINT, Ctrl-C", 130)
        raise KeyboardInterrupt

    def unraisable(info: Any) -> None:
        # A stop raised inside a `__del__` is lost there (STOP carries it): no traceback.
        if not isinstance(info.exc_value, (_Terminated, KeyboardInterrupt)):
            hook(info)

    hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    previous: dict[int, Any] = {}
    try:
        previous[signal.SIGTERM] = signal.signal(signal.SIGTERM, on_term)
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # not a background job
            previous[signal.SIGINT] = signal.signal(signal.SIGINT, on_int)
    except ValueError:  # not the main thread: leave signals alone
        pass
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted("SIGINT, Ctrl-C", 130) from None
    except _Terminated:
        raise Interrupted("SIGTERM", 143) from None
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sys.unraisablehook = hook
        STOP.clear()


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
