"""Batch runs: every input file accounted for, outputs written atomically and in order.

Records, document records and the manifest are streamed to temporary files as results
arrive (memory stays flat in corpus size) and renamed into place together only when the
run ends cleanly, so an interrupted run never leaves a complete-looking output behind, and
the three outputs are always of one run.

Before any work the output paths are checked (none is an input, a folder, or another
output's path), a lock is taken on the output set (two runs never write it at once), and
temporary files a killed run left beside the outputs are removed.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Optional

from xhs_extract.documents import ArticleMeta, read_metadata
from xhs_extract.errors import ArticleInputError, Interrupted, OutputError
from xhs_extract.jsonl import (
    atomic_output,
    atomic_paths,
    check_target,
    inside_folder,
    read_lines,
    remove_leftovers,
    writer,
)
from xhs_extract.pipeline import FileResult, RunSettings, _failed, relative_path, run_files
from xhs_extract.read import (
    DEFAULT_MAX_BYTES,
    SUFFIXES,
    doc_id_for,
    file_sha256,
    iter_input_files,
)
from xhs_extract.remote import is_url, with_staged_outputs
from xhs_extract.uncatalogued import uncatalogued
from xhs_extract.write import record_dict


@dataclass
class BatchOptions:
    corpus: Path
    output: Path
    documents: Path
    manifest: Path
    jobs: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    progress: bool = False
    resume: bool = False
    save_text: Optional[Path] = None
    follow_symlinks: bool = False
    #: Seconds one file may take (0: no limit); over it, the file fails with E015.
    file_timeout: float = 0.0
    metadata: Optional[Path] = None  # a crawl's side file of article metadata (CSV or JSONL)
    uncatalogued: Optional[Path] = None  # figures whose frame fits no catalogue entry
    # Where the work runs: "local" (this machine, --jobs processes) or "dask" (a Dask
    # cluster at `scheduler`, or a local one of `jobs` workers); see distributed.py.
    engine: str = "local"
    scheduler: Optional[str] = None
    partition: Optional[int] = None  # files per Dask task (None: chosen from the input)

    @property
    def journal(self) -> Path:
        """Per-file results of the run so far; what --resume picks up after a crash."""
        return self.output.with_name(self.output.name + ".journal")


@dataclass
class BatchSummary:
    files: int = 0
    reused: int = 0  # with --resume: files the journal held, not processed again
    ok: int = 0
    failed: int = 0
    records: int = 0
    rejected: int = 0
    failures: list[str] = field(default_factory=list)
    rejection_reasons: dict[str, int] = field(default_factory=dict)


class _Stop:
    """Word from a signal handler that the run must stop (checked after each file)."""

    def __init__(self) -> None:
        self.signal: str | None = None
        self.exit_code = 0

    def request(self, signal_name: str, exit_code: int) -> None:
        self.signal, self.exit_code = signal_name, exit_code

    def clear(self) -> None:
        self.signal, self.exit_code = None, 0

    def check(self) -> None:
        if self.signal is not None:
            raise Interrupted(self.signal, self.exit_code)


#: Set by the command's SIGINT and SIGTERM handlers.
STOP = _Stop()


def manifest_line(result: FileResult) -> dict:
    return {
        "doc_id": result.doc_id,
        "path": result.path,
        "sha256": result.sha256,
        "status": result.status,
        "records": len(result.records),
        "rejected": len(result.rejected),
        "code": result.code,
        "reason": result.reason,
    }


_NUMBERS = re.compile(r"[\d.,]+")


def _reason_kind(reason: str) -> str:
    """Group rejection reasons by their wording without the particular numbers."""
    return _NUMBERS.sub("N", reason.split(":")[0])[:80]


def _journal_entries(path: Path) -> dict[str, dict]:
    """Finished files of an interrupted run, by path. A line cut short by the crash is
    ignored: that file is simply processed again."""
    entries: dict[str, dict] = {}
    if not path.exists():
        return entries
    for _number, entry in read_lines(path, on_bad=lambda _number, _error: None):
        if isinstance(entry, dict) and entry.get("manifest", {}).get("status") == "ok":
            entries[entry["manifest"]["path"]] = entry
    return entries


def _entry(result: FileResult) -> dict:
    return {
        "manifest": manifest_line(result),
        "records": [record_dict(r) for r in result.records],
        "document": record_dict(result.document) if result.document is not None else None,
        "rejections": [_reason_kind(r.reason) for r in result.rejected],
    }


def _line_encoder() -> Callable[[Any], str]:
    """The JSON of every output line, as `jsonl.writer` writes it (compact, letters as they
    are). The C encoder that `JSONEncoder.encode` builds anew for every value is built here
    once (without the check for cycles: entries are trees), which halves the cost of the
    three or four values each file gives; the text is the same."""
    settings = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)  # not in the type stubs
    if make is None:  # pragma: no cover - a Python without the C accelerator
        return settings.encode
    encode = make(
        None, settings.default, json.encoder.encode_basestring, None,
        settings.key_separator, settings.item_separator, False, False, True,
    )
    join = "".join
    return lambda value: join(encode(value, 0))


_ENCODE = _line_encoder()


class _Encoded:
    """A journal entry's parts as JSON text, each encoded once: the same text goes into the
    outputs and, put together, into the journal line."""

    __slots__ = ("records", "document", "manifest", "_rejections")

    def __init__(self, entry: dict) -> None:
        self.records = [_ENCODE(record) for record in entry["records"]]
        document = entry["document"]
        self.document = None if document is None else _ENCODE(document)
        self.manifest = _ENCODE(entry["manifest"])
        self._rejections = entry["rejections"]

    def journal(self) -> str:
        """The entry's journal line (ending in a newline): what `_ENCODE(entry)` gives."""
        return "".join(
            (
                '{"manifest":', self.manifest,
                ',"records":[', ",".join(self.records),
                '],"document":', "null" if self.document is None else self.document,
                ',"rejections":', _ENCODE(self._rejections), "}\n",
            )
        )


_JOURNAL_FLUSH_SECONDS = 1.0


@with_staged_outputs  # outputs at fsspec URLs: written locally, uploaded at the end
def run_batch(
    options: BatchOptions, log=None, on_result: Optional[Callable[[dict], None]] = None
) -> BatchSummary:
    """Run the pipeline over options.corpus and write the three outputs.

    Each finished file is appended to a journal as it completes (flushed about once a
    second); with `resume`, files the journal holds with the same content hash are not
    processed again. The outputs are written in input order either way, so a resumed run
    equals a clean one. A problem with an output raises OutputError (E400-E404) naming it;
    the old outputs are then left as they were.
    """
    check_outputs(options)
    with _lock(options):
        _remove_leftovers(options)
        try:
            return _run(options, log, on_result)
        except OSError as error:  # a full disk, a folder that became read-only …
            where = error.filename or f"{options.output}, {options.documents}, {options.manifest}"
            detail = error.strerror or str(error)
            raise OutputError("E400", path=where, detail=detail) from None


def _run(
    options: BatchOptions, log: Any, on_result: Optional[Callable[[dict], None]]
) -> BatchSummary:
    root = options.corpus
    paths = _input_files(root)
    names = [relative_path(path, root) for path in paths]  # the manifest's `path` of each
    twins = _duplicates(paths, names, root)
    reuse = _reusable(options, paths, names)
    skip = reuse.keys() | twins.keys()
    todo = [path for path, name in zip(paths, names, strict=True) if name not in skip]
    summary = BatchSummary(reused=len(reuse))
    reasons: collections.Counter[str] = collections.Counter()
    if reuse:
        # Keep only what is reused, so the journal stays a faithful record of this run.
        with atomic_output(options.journal) as handle, writer(handle) as kept:
            kept.write_all(reuse.values())
    journal_mode = "a" if reuse else "w"
    fresh = _results(options, todo)
    targets = [options.output, options.documents, options.manifest]
    with contextlib.ExitStack() as stack:
        temporary = stack.enter_context(atomic_paths(targets))
        out, docs, man = (stack.enter_context(_text_file(t)) for t in temporary)
        journal_file = stack.enter_context(open(options.journal, journal_mode, encoding="utf-8"))
        gaps = _uncatalogued_writer(stack, options)
        progress = _progress(stack, len(paths), log) if options.progress else None
        every = max(100, len(paths) // 20)  # plain progress lines when not on a terminal
        flush_at = time.monotonic() + _JOURNAL_FLUSH_SECONDS
        for name in names:
            entry = reuse.get(name)
            if entry is None:
                result = twins[name] if name in twins else next(fresh)
                if options.save_text is not None and result.text is not None:
                    _save_text(options.save_text, result)
                if gaps is not None and result.text is not None:
                    gaps.write_all(uncatalogued(result.text, result.doc_id, result.records))
                entry = _entry(result)
                encoded = _Encoded(entry)
                journal_file.write(encoded.journal())
                if time.monotonic() >= flush_at:
                    # Handed to the system about once a second, not once a file: a crash
                    # loses at most that second's files, which --resume then does again.
                    journal_file.flush()
                    flush_at = time.monotonic() + _JOURNAL_FLUSH_SECONDS
            else:
                encoded = _Encoded(entry)
            line = entry["manifest"]
            _count(summary, line, log)
            if encoded.records:
                out.write("\n".join(encoded.records) + "\n")
            if encoded.document is not None:
                docs.write(encoded.document + "\n")
            man.write(encoded.manifest + "\n")
            summary.records += len(entry["records"])
            summary.rejected += line["rejected"]
            if entry["rejections"]:
                reasons.update(entry["rejections"])
            if progress is not None:
                progress()
            elif log is not None and summary.files % every == 0 and summary.files < len(paths):
                log.print(
                    f"processed {summary.files}/{len(paths)} files, {summary.records} records",
                    markup=False,
                    highlight=False,
                )
            if on_result is not None:
                on_result(entry)
            STOP.check()
    options.journal.unlink(missing_ok=True)
    summary.rejection_reasons = dict(sorted(reasons.items()))
    return summary


@contextlib.contextmanager
def _text_file(path: Path) -> Iterator[IO[str]]:
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


def _duplicates(paths: list[Path], names: list[str], root: Path) -> dict[str, FileResult]:
    """Files whose doc_id an earlier file already has (`a.txt` beside `a.html`): each fails
    with E014 naming the other, and is not read. Paths come sorted by doc_id, so twins are
    neighbours."""
    twins: dict[str, FileResult] = {}
    previous, first = None, ""
    for path, name in zip(paths, names, strict=True):
        doc_id = doc_id_for(path, root)
        if doc_id == previous:
            error = ArticleInputError.of("E014", name, doc_id=doc_id, other=first)
            twins[name] = _failed(name, doc_id, str(error), "E014")
        else:
            previous, first = doc_id, name
    return twins


def _reusable(options: BatchOptions, paths: list, names: list[str]) -> dict[str, dict]:
    """With --resume, the journal's entries of the files whose content has not changed."""
    done = _journal_entries(options.journal) if options.resume else {}
    reuse: dict[str, dict] = {}
    for path, name in zip(paths, names, strict=True):
        entry = done.get(name)
        if entry is not None and entry["manifest"]["sha256"] == _content_hash(options, path):
            reuse[name] = entry
    return reuse


def _count(summary: BatchSummary, line: dict, log: Any) -> None:
    """One file's manifest line in the summary; a failure is logged when `log` is given."""
    summary.files += 1
    if line["status"] == "ok":
        summary.ok += 1
        return
    summary.failed += 1
    summary.failures.append(line["reason"] or line["path"])
    if log is not None:
        log.print(f"failed: {line['reason']}", markup=False, highlight=False)


def _save_text(folder: Path, result: FileResult) -> None:
    """The decoded text that offsets point into, for checking spans by hand. A text that
    cannot be saved (a name too long, a full disk) fails its file (E016), not the run."""
    target = folder / f"{result.doc_id}.txt"
    try:
        inside_folder(target, folder)
        with atomic_output(target) as handle:
            handle.write(result.text or "")
    except (OSError, OutputError) as error:
        detail = getattr(error, "strerror", None) or str(error)
        failed = _failed(result.path, result.doc_id, "", "E016", result.sha256)
        failed.reason = str(
            ArticleInputError.of("E016", result.path, target=target, detail=detail)
        )
        result.__dict__.update(failed.__dict__)


# ---------------------------------------------------------------------------------------
# The output set: checked, locked, cleaned of a killed run's leftovers


def check_outputs(options: BatchOptions) -> None:
    """Refuse, before any work, an output set that would go wrong: an output that is an
    input (E401: an article, the input folder, the --metadata side file), two outputs on one
    path (E402), an output that is a folder or whose folder is a file (E400). The same holds
    for the --save-text folder, which is created as needed."""
    outputs = [options.output, options.documents, options.manifest, options.journal]
    seen: dict[str, Path] = {}
    # An input at a URL cannot be an output on this machine: the never-matching path.
    corpus = "\0" if is_url(options.corpus) else os.path.realpath(options.corpus)
    side = None if options.metadata is None else os.path.realpath(options.metadata)
    for path in outputs:
        real = os.path.realpath(path)
        if real in seen:
            raise OutputError("E402", path=path)
        seen[real] = path
        if real in (corpus, side) or (
            real.startswith(corpus.rstrip(os.sep) + os.sep) and real.lower().endswith(SUFFIXES)
        ):
            raise OutputError("E401", path=path)
        check_target(path)
    if options.save_text is not None:
        _check_text_folder(options.save_text, seen, corpus, side)


def _check_text_folder(
    folder: Path, outputs: dict[str, Path], corpus: str, side: str | None
) -> None:
    """--save-text: a folder of its own, apart from the inputs and the other outputs."""
    real = os.path.realpath(folder)
    if real in outputs or any(p.startswith(real + os.sep) for p in outputs):
        raise OutputError("E402", path=folder)
    if real == corpus or corpus.startswith(real + os.sep) or real.startswith(corpus + os.sep):
        raise OutputError("E401", path=folder)
    if side is not None and (side == real or side.startswith(real + os.sep)):
        # a side file inside the folder may be overwritten by a text of the same name
        raise OutputError("E401", path=folder)
    check_target(folder, folder=True)


@contextlib.contextmanager
def _lock(options: BatchOptions) -> Iterator[None]:
    """An exclusive lock on the output set (a lock file beside the output), or E403."""
    lock = options.output.with_name(f".{options.output.name}.lock")
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a+b")
    except OSError as error:
        raise OutputError("E400", path=lock, detail=error.strerror or str(error)) from None
    with handle:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - no fcntl (Windows): no lock
            pass
        except OSError:
            raise OutputError("E403", path=options.output, lock=lock) from None
        try:
            yield
        finally:
            lock.unlink(missing_ok=True)


def _remove_leftovers(options: BatchOptions) -> None:
    """The temporary files of a killed run of this output set (never anyone else's)."""
    for path in (options.output, options.documents, options.manifest, options.journal):
        remove_leftovers(path.parent, [path.name])
    if options.save_text is not None:
        remove_leftovers(options.save_text, recursive=True)


# --- engines and storage: the Dask engine (distributed.py) and fsspec URLs (remote.py).
# A local corpus on the local engine takes the plain path below, unchanged.


def _input_files(root: Path | str) -> list:
    if is_url(root):
        from xhs_extract.remote import list_files

        return list_files(str(root))
    return iter_input_files(Path(root))


def _content_hash(options: BatchOptions, path: Path | str) -> str | None:
    if is_url(path):
        from xhs_extract.remote import sha256

        return sha256(str(path))
    # Never blocks on a pipe, never reads past --max-bytes, never follows a link out.
    return file_sha256(Path(path), options.corpus, options.max_bytes, options.follow_symlinks)


def _uncatalogued_writer(stack: contextlib.ExitStack, options: BatchOptions) -> Any:
    """With --uncatalogued, the writer of the figures the catalogue misses (files read in
    this run; those a --resume reuses are not read again)."""
    if options.uncatalogued is None:
        return None
    return stack.enter_context(writer(stack.enter_context(atomic_output(options.uncatalogued))))


def _results(options: BatchOptions, todo: list) -> Iterator[FileResult]:
    """Every engine gets the run's settings and the side file's entry of each file."""
    settings = RunSettings(
        max_bytes=options.max_bytes,
        keep_text=options.save_text is not None or options.uncatalogued is not None,
        follow_symlinks=options.follow_symlinks,
        file_timeout=options.file_timeout,
    )
    # A crawl's side file of article metadata (--metadata), by doc_id.
    metadata = read_metadata(options.metadata) if options.metadata is not None else None
    if options.engine == "dask" or options.scheduler:
        from xhs_extract.distributed import run_files_dask

        return run_files_dask(
            todo, options.corpus, scheduler=options.scheduler, workers=options.jobs,
            partition=options.partition, settings=settings,
            metas=_entries(metadata, todo, options.corpus),
        )
    if is_url(options.corpus):
        from xhs_extract.remote import run_urls

        return run_urls(
            todo, str(options.corpus), options.jobs, settings=settings,
            metas=_entries(metadata, todo, options.corpus),
        )
    return run_files(
        todo, Path(options.corpus), jobs=options.jobs, settings=settings, metadata=metadata
    )


def _entries(
    metadata: dict[str, ArticleMeta] | None, todo: list, root: Path | str
) -> list[ArticleMeta | None] | None:
    """Each file's entry of the side file, in the order of `todo` (None: no side file)."""
    if not metadata:
        return None
    base = str(root).rstrip("/") if is_url(root) else Path(root)
    return [metadata.get(doc_id_for(path if is_url(path) else Path(path), base)) for path in todo]


def _progress(stack: contextlib.ExitStack, total: int, console: Any = None) -> Callable[[], None]:
    """A progress bar on `console` (rich's default when None): files done of all, files
    per second, time elapsed and time remaining. Lines printed on the same console while
    it runs (failures) appear above it."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = stack.enter_context(
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            _rate_column(),
            TimeElapsedColumn(),
            "eta",
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
    )
    task = bar.add_task("extracting", total=total)
    return lambda: bar.advance(task)


def _rate_column() -> Any:
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Files per second, once there is a rate to show."""

        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            shown = f"{speed:,.0f} files/s" if speed else "- files/s"
            return Text(shown, style="progress.data.speed")

    return RateColumn()
