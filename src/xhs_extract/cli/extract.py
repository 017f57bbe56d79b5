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

from xhs_extract.cli.app import app, make_parent

if TYPE_CHECKING:
    from xhs_extract.batch import BatchOptions, BatchSummary

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
    None, "--jobs", "-j", metavar="N", min=1, show_default=False,
    help="Processes (the local engine) or workers (a local Dask cluster); output is "
    "identical for any N. Default: the CPUs this process may use, at most 8, or "
    "$XHS_EXTRACT_JOBS.",
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
_FOLLOW_SYMLINKS = typer.Option(
    False, "--follow-symlinks",
    help="Read symbolic links whose target lies outside CORPUS (refused by default, E013).",
)
_FILE_TIMEOUT = typer.Option(
    120.0, "--file-timeout", metavar="SECONDS", min=0,
    help="Seconds one file may take; a file over it fails (E015) and the run goes on "
    "(on a Dask worker a watchdog thread keeps it). 0: no limit.",
)
_METADATA = typer.Option(
    None, "--metadata", metavar="FILE", exists=True, dir_okay=False,
    help="A crawl's article metadata, CSV or JSON Lines (doc_id, url, published, source, "
    "province): supplies what the text lacks.",
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
    jobs: Optional[int] = _JOBS,
    max_bytes: int = _MAX_BYTES,
    resume: bool = _RESUME,
    save_text: Optional[Path] = _SAVE_TEXT,
    allow_failures: bool = _ALLOW_FAILURES,
    db: Optional[str] = _DB,
    quiet: bool = _QUIET,
    engine: str = _ENGINE,
    scheduler: Optional[str] = _SCHEDULER,
    metadata: Optional[Path] = _METADATA,
    follow_symlinks: bool = _FOLLOW_SYMLINKS,
    file_timeout: float = _FILE_TIMEOUT,
    uncatalogued: Optional[Path] = _UNCATALOGUED,
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
        if jobs is None:
            from xhs_extract.parallel import default_jobs

            jobs = default_jobs()
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
        follow_symlinks=follow_symlinks,
        file_timeout=file_timeout,
        uncatalogued=uncatalogued,
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
        err.print(f"error: {error}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except Interrupted as error:
        # The one last line; the journal holds the files done so far.
        err.print(f"error: {error}", markup=False, highlight=False)
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


def _print_cpu(out: Console, measurements: list, data: dict) -> None:
    """CPU time (user + system) of the rows that have it: steadier than wall time when
    other work shares the machine."""
    timed = [m for m in measurements if m.cpu_seconds]
    if not timed:
        return
    def label(name: str) -> str:  # "whole command --jobs 2", "floor", …
        head, _colon, rest = name.partition(":")
        return head + (" --jobs" + rest.split("--jobs")[1] if "--jobs" in rest else "")

    shown = ", ".join(f"{label(m.name)} {m.cpu_seconds:.2f}s" for m in timed)
    out.print(f"CPU (user+sys): {shown}", highlight=False)
    if "command_cpu_over_floor_cpu" in data:
        ratio = data["command_cpu_over_floor_cpu"]
        out.print(f"whole command / floor, in CPU time: {ratio:.3f}", highlight=False)


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
    _print_cpu(out, measurements, data)
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
