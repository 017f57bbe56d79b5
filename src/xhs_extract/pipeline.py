"""The pipeline: read → normalise → sentences → rule and NER extractors → validate.

`extract_text` and `process_text` work on one text; `process_file` on one file (never
raising for bad input: the error is part of its result); `run_folder` over a folder, in
order, optionally in parallel. The CLI is a thin shell over these.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from xhs_extract import context as ctx
from xhs_extract import frames, regexes
from xhs_extract.discourse import Discourse
from xhs_extract.documents import Article as _Article
from xhs_extract.documents import ArticleMeta
from xhs_extract.errors import error_message, printable_name
from xhs_extract.geo import as_named_on
from xhs_extract.language import phrasings_data
from xhs_extract.layout import Line, is_inner_heading
from xhs_extract.models import DocumentRecord, Geo, Statistic
from xhs_extract.normalise import NormalisedText, normalise
from xhs_extract.parallel import ordered_map
from xhs_extract.prefilter import gate, prefilter
from xhs_extract.read import (
    DEFAULT_MAX_BYTES,
    ArticleInputError,
    RawDocument,
    decode_bytes,
    doc_id_for,
    iter_input_files,
    read_document,
)
from xhs_extract.rules import Assignment, assign
from xhs_extract.sentences import (
    bracket_open,
    clause_end,
    clause_start,
    look_back,
    paragraphs,
    split_paragraph,
)
from xhs_extract.validate import Candidate, Rejection, validate
from xhs_extract.watchdog import within
from xhs_extract.write import sort_key


class Stopwatch:
    """Time spent per stage, summed over calls; the benchmark passes one in.

    `with clock("rules"): …` runs once per paragraph and sentence, so it is a plain
    object with __enter__ and __exit__ (a generator-based context manager costs several
    times as much, and that cost would be counted as the pipeline's). Stages do not nest."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stage = ""
        self._start = 0.0

    def __call__(self, stage: str) -> "Stopwatch":
        self._stage = stage
        return self

    def __enter__(self) -> None:
        self._start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self._start
        self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + elapsed


class _NoClock:
    """The clock of a run that is not measured: does nothing, as cheaply as possible."""

    def __call__(self, stage: str) -> "_NoClock":
        return self

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_NO_CLOCK = _NoClock()


@dataclass
class TextResult:
    """What came of one text: its records, the figures rejected, and what was learnt of it."""

    records: list[Statistic]
    rejected: list[Rejection]
    n_sentences: int | None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    place: Geo | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class FileResult:
    """One input file's outcome: `status` is ok or failed, with the reason when failed."""

    path: str
    doc_id: str
    status: str
    sha256: str | None
    records: list[Statistic]
    document: DocumentRecord | None
    rejected: list[Rejection]
    reason: str | None = None
    code: str | None = None
    text: str | None = None

    def __reduce__(self):  # noqa: ANN204
        # Results cross from worker processes by the thousand: the document record goes
        # as a tuple of its values, which pickles several times faster than the model.
        document = self.document
        if document is not None and document.__pydantic_fields_set__ == _DOCUMENT_FIELD_SET:
            document = tuple(document.__dict__.values())
        fields = (self.path, self.doc_id, self.status, self.sha256, self.records, document)
        return (_file_result, fields + (self.rejected, self.reason, self.code, self.text))


_DOCUMENT_FIELDS = tuple(DocumentRecord.model_fields)
_DOCUMENT_FIELD_SET = frozenset(_DOCUMENT_FIELDS)


def _file_result(path, doc_id, status, sha256, records, document, *rest) -> FileResult:  # noqa: ANN001
    """A FileResult from `FileResult.__reduce__`: a document record sent as its values is
    restored as pydantic restores a pickled model (`__setstate__`), without validating
    again what was validated where it was made."""
    if isinstance(document, tuple):
        values = dict(zip(_DOCUMENT_FIELDS, document, strict=True))
        document = DocumentRecord.__new__(DocumentRecord)
        document.__setstate__(
            {"__dict__": values, "__pydantic_fields_set__": set(_DOCUMENT_FIELDS),
             "__pydantic_extra__": None, "__pydantic_private__": None}
        )
    return FileResult(path, doc_id, status, sha256, records, document, *rest)


_SPACES = " \t\r\n\u00a0"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACES:
        start += 1
    while end > start and text[end - 1] in _SPACES:
        end -= 1
    return start, end


def _candidates(
    norm: NormalisedText, doc_id: str, article: _Article, clock=_NO_CLOCK
) -> tuple[list[Candidate], int, list[str]]:
    """The candidate figures of a text, the number of sentences split, and the
    paragraphs passed over (their sentences are counted only if the article has records)."""
    text = norm.text
    candidates: list[Candidate] = []
    n_sentences = 0
    skipped: list[str] = []
    discourse = Discourse(lambda: _article_date(article))
    # the plan the headline names, read at the first figure to date (its targets naming no
    # time are the plan's)
    plan = functools.cache(lambda: ctx.plan_period(article.title, _article_date(article)))
    headings: list[tuple[int, int]] = []  # candidates' index ranges from inner headings
    for number, (p_start, p_end) in enumerate(paragraphs(text)):
        paragraph = text[p_start:p_end]
        line = discourse.new_paragraph(paragraph, p_start)
        with clock("gate"):
            passed = gate(paragraph) or discourse.may_continue(text, p_start, p_end)
        if not passed:
            skipped.append(paragraph)
            continue
        with clock("sentences"):
            # A table's row is one record of the table, not prose to split.
            is_row = line is Line.ROW
            sentences = [(p_start, p_end)] if is_row else split_paragraph(text, p_start, p_end)
        first = len(candidates)
        for s_start, s_end in sentences:
            n_sentences += 1
            sentence = text[s_start:s_end]
            if not (gate(sentence) or discourse.may_continue(text, s_start, s_end)):
                discourse.sentence_passed_over(sentence)
                continue
            with clock("rules"):
                assignments = assign(text, s_start, s_end, discourse, prefilter().candidates)
            period, achieved_period = _read_sentence(
                norm, doc_id, article, discourse, (s_start, s_end), assignments, candidates,
                clock, paragraph, plan,
            )
            discourse.figures_classified(
                [(a.unit, a.subject) for a in assignments], period, achieved_period
            )
            discourse.sentence_read(sentence)
        if number > 0 and line is None and is_inner_heading(paragraph):
            headings.append((first, len(candidates)))
    return _without_repeats(candidates, headings), n_sentences, skipped


def _without_repeats(
    candidates: list[Candidate], headings: list[tuple[int, int]]
) -> list[Candidate]:
    """The candidates without those of a subheading or caption that repeat a figure the
    body gives (same indicator, value and unit)."""
    if not headings:
        return candidates
    inner = {i for start, end in headings for i in range(start, end)}
    body = {(c.indicator, c.value, c.unit) for i, c in enumerate(candidates) if i not in inner}
    return [
        c for i, c in enumerate(candidates)
        if i not in inner or (c.indicator, c.value, c.unit) not in body
    ]


def _article_date(article: _Article) -> str | None:
    """The date that completes dates written without a year: the publication date, else
    the date the headline gives ("… tháng 5/2024")."""
    if article.published is not None:
        return article.published
    return ctx.period_of(article.title, "achieved") if article.title else None


def _read_sentence(
    norm: NormalisedText,
    doc_id: str,
    article: _Article,
    discourse: Discourse,
    sentence: tuple[int, int],
    assignments: list[Assignment],
    out: list[Candidate],
    clock=_NO_CLOCK,
    paragraph: str = "",
    plan: Callable[[], ctx.Period | None] = lambda: None,
) -> tuple[ctx.Period | None, ctx.Period | None]:
    """The candidates of a sentence's classified figures, added to `out`: each with its
    status, period, evidence and place. Returns the period of the last one outside brackets
    (of the last one, when all are in brackets) and of the last achieved one."""
    text = norm.text
    s_start, s_end = sentence
    time_frame = discourse.time_frame
    # A target frame opened before ("Giai đoạn 2026–2030, tỉnh phấn đấu: …") holds for the
    # figures after it that name no status of their own.
    previous_status: str | None = "target" if time_frame and time_frame.target else None
    inherited_period = ctx.inherited_period(
        text, s_start, s_end, discourse.last_period, discourse.period_before,
        discourse.paragraph_period, discourse.opens_paragraph(s_start),
    )
    frame_period = time_frame.period if time_frame is not None else None
    if inherited_period is None and time_frame is not None and not time_frame.target:
        inherited_period = frame_period
    period: ctx.Period | None = None
    achieved: ctx.Period | None = None
    host: tuple[ctx.Period | None] | None = None  # the last figure's outside brackets
    for assignment in assignments:
        figure = assignment.figure
        status, period = ctx.status_and_period(
            text, look_back(text, s_start, figure.start), figure,
            discourse.column_header(text, figure.start),
            discourse.list_frame, previous_status, inherited_period, discourse.published(),
            frame_period, plan(),
        )
        if not (
            ctx.in_baseline(text, s_start, figure.start)
            or ctx.beats_quota(text, s_start, figure.start)
        ):
            # a baseline in brackets, or the quota a result beats, breaks no list
            previous_status = status
            if status == "achieved" and period is not None:
                achieved = period
        if assignment.unit in ("count", "percent") and (
            bracket_open(text, look_back(text, s_start, figure.start), figure.start) < 0
        ):
            host = (period,)  # an amount closing the sentence dates no breakdown after it
        notes = tuple(figure.notes)
        if period is not None and period.inferred:
            notes += (f"year-inferred: {period.value[:4]}, from the article's date",)
        start = clause_start(text, s_start, figure.start)
        evidence = norm.raw_span(*_trimmed(text, start, clause_end(text, figure.end, s_end)))
        with clock("geo"):
            geo = article.geo_for(
                text[look_back(text, start, figure.start) : figure.start],
                text[figure.end : figure.end + 60],
                paragraph,
            )
        how = assignment.how.value
        subject = assignment.subject_span
        if subject is not None:
            subject = norm.raw_span(*_trimmed(text, *subject))
        for indicator in assignment.indicators:
            out.append(
                Candidate(
                    doc_id=doc_id,
                    indicator=indicator,
                    value=figure.value,
                    unit=figure.unit or "count",
                    qualifier=figure.qualifier,
                    status=status,
                    period=period.value if period is not None else None,
                    geo=geo,
                    value_span=norm.raw_span(figure.start, figure.end),
                    evidence_span=evidence,
                    denominator=figure.denominator,
                    value_max=figure.value_max,
                    extractor=f"rule:{indicator}/{how}",
                    notes=notes,
                    subject_span=subject,
                )
            )
    # "… đạt 83,6% (năm trước là 79,1%). Trong đó, …": the part is dated like the whole
    return (host[0] if host is not None else period), achieved


_END_PUNCTUATION = re.compile(r"[.!?…]+(?=\s|$)")


def _rough_sentence_count(text: str) -> int:
    """Sentences of text no extractor needs: counted by their ends, not split. A line
    that ends without end punctuation (a headline) is a sentence too."""
    lines = (line.rstrip() for line in text.splitlines())
    unpunctuated = sum(1 for line in lines if line and line[-1] not in ".!?…")
    return len(_END_PUNCTUATION.findall(text)) + unpunctuated


def process_text(
    raw: str,
    doc_id: str = "doc",
    clock=_NO_CLOCK,
    utf8: bytes | None = None,
    meta: ArticleMeta | None = None,
) -> TextResult:
    """All records of one text (offsets into `raw`), in deterministic order.

    A cascade: a text with no digit next to a word some rule needs is done after one
    scan; the rest is normalised, and only its paragraphs where a rule may match are split
    into sentences and read by the rules. `utf8`, when the caller has it, is
    `raw.encode("utf-8")` (a file's own bytes): the first scan reads it as it is.
    `meta` is what a crawl's side file says of the article (`extract --metadata`).
    """
    with clock("gate"):
        relevant = gate(raw, utf8)
    if not relevant:
        with clock("document"):
            article = _Article(raw, meta)
        return TextResult([], [], None, article.title, warnings=article.warnings(read=False))
    with clock("normalise"):
        norm = normalise(raw)
    with clock("document"):
        article = _Article(norm.text, meta)
    candidates, n_split, skipped = _candidates(norm, doc_id, article, clock)
    with clock("validate"):
        records, rejected = validate(_unique(candidates), raw)
    records.sort(key=sort_key)
    if not records:
        # Date, source, place and sentence count describe an article's records: an
        # article without any is not read further (M004), whatever the gate let through.
        return TextResult([], rejected, None, article.title, warnings=article.warnings(read=False))
    with clock("document"):
        place = article.place
        return TextResult(
            records=records,
            rejected=rejected,
            n_sentences=n_split + sum(map(_rough_sentence_count, skipped)),
            title=article.title,
            published=article.published,
            source=article.source,
            place=as_named_on(place.to_geo(), article.published) if place is not None else None,
            warnings=article.warnings(read=True),
        )


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    seen: set[tuple] = set()
    out = []
    for candidate in candidates:
        key = (candidate.indicator, candidate.unit, candidate.value_span)
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out


def extract_text(text: str, doc_id: str = "doc") -> list[Statistic]:
    """The statistic records of one text."""
    return process_text(text, doc_id).records


def process_document(
    document: RawDocument, path: str = "", clock=_NO_CLOCK, meta: ArticleMeta | None = None
) -> FileResult:
    result = process_text(document.text, document.doc_id, clock, document.utf8, meta)
    record = DocumentRecord(
        doc_id=document.doc_id,
        path=path or str(document.path),
        sha256=document.sha256,
        encoding=document.encoding,
        title=result.title,
        published=result.published,
        source=result.source,
        place=result.place,
        n_chars=len(document.text),
        n_sentences=result.n_sentences,
        n_records=len(result.records),
        n_rejected=len(result.rejected),
        warnings=list(document.warnings) + result.warnings,
    )
    return FileResult(
        path=record.path,
        doc_id=document.doc_id,
        status="ok",
        sha256=document.sha256,
        records=result.records,
        document=record,
        rejected=result.rejected,
        text=document.text,
    )


def _failed(
    path: str, doc_id: str, reason: str, code: str | None, sha256: str | None = None
) -> FileResult:
    return FileResult(
        path=path,
        doc_id=doc_id,
        status="failed",
        sha256=sha256,
        records=[],
        document=None,
        rejected=[],
        reason=printable_name(reason),  # an error's own words may quote the raw path
        code=code,
    )


def process_file(
    path: Path,
    root: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    clock=_NO_CLOCK,
    meta: ArticleMeta | None = None,
    follow_symlinks: bool = False,
) -> FileResult:
    """One file's outcome. Bad input is reported in the result, never raised; neither is
    an internal error, which costs that one file and names it (codes E900, E901)."""
    relative = relative_path(path, root)
    try:
        with clock("read"):
            document = read_document(path, root, max_bytes, follow_symlinks)
    except ArticleInputError as error:
        return _failed(relative, doc_id_for(path, root), str(error), getattr(error, "code", None))
    except Exception as error:
        reason = f"{relative}: " + error_message("E900", detail=f"{type(error).__name__}: {error}")
        return _failed(relative, doc_id_for(path, root), reason, "E900")
    try:
        return process_document(document, relative, clock, meta)
    except Exception as error:
        reason = f"{relative}: " + error_message("E901", detail=f"{type(error).__name__}: {error}")
        return _failed(relative, document.doc_id, reason, "E901", document.sha256)


def relative_path(path: Path, root: Path) -> str:
    """A file's path relative to the input root, POSIX separators (the manifest's `path`)."""
    path_text, root_text = os.fspath(path), os.fspath(root).rstrip(os.sep)
    if os.sep == "/" and path_text.startswith(root_text + "/"):
        return printable_name(path_text[len(root_text) + 1 :])
    try:
        if Path(root).is_dir():
            return printable_name(Path(path).relative_to(root).as_posix())
        return printable_name(Path(path).name)
    except (ValueError, OSError):
        return printable_name(Path(path).as_posix())


@dataclass(frozen=True)
class RunSettings:
    """How every file of a run is read: the size limit, whether its text is kept (for
    --save-text), whether links leaving the input folder are followed, and the time
    budget of one file in seconds (0: none)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    keep_text: bool = False
    follow_symlinks: bool = False
    file_timeout: float = 0.0


# a file, the input root, the run's settings, and what a side file says of the article
_Work = tuple[Path, Path, RunSettings, "ArticleMeta | None"]


class FileTimeout(BaseException):
    """Raised by the alarm when one file overruns --file-timeout. A BaseException, so
    that the pipeline's `except Exception` of internal errors does not swallow it."""


def _on_alarm(_signum: int, _frame: object) -> None:
    raise FileTimeout


def _process_one(args: _Work) -> FileResult:
    path, root, settings, meta = args
    if settings.file_timeout > 0:
        result = _within_budget(path, root, settings, meta)
    else:
        result = process_file(
            path, root, settings.max_bytes, _NO_CLOCK, meta, settings.follow_symlinks
        )
    if not settings.keep_text:
        result.text = None  # keep what crosses process boundaries small
    return result


def process_with_settings(
    path: Path, root: Path, settings: RunSettings, meta: ArticleMeta | None = None
) -> FileResult:
    """One file's outcome under a run's settings (size limit, links, time budget, whether
    the text is kept), in any thread: what every engine's workers call."""
    return _process_one((path, root, settings, meta))


def _within_budget(
    path: Path, root: Path, settings: RunSettings, meta: ArticleMeta | None = None
) -> FileResult:
    """process_file under a per-file time budget: a file over it fails with E015 and the
    run goes on. In a main thread an alarm (SIGALRM, real time) ends it; in another thread
    (a Dask worker's) or where there are no alarms, the watchdog thread (watchdog.py)."""
    def run() -> FileResult:
        return process_file(
            path, root, settings.max_bytes, _NO_CLOCK, meta, settings.follow_symlinks
        )

    if not _WARMED:
        _warm()  # loading models and patterns is not the first file's time
    seconds = settings.file_timeout
    try:
        if _ALARM_HELD:  # a run holds the handler (every file of a batch): nothing to install
            if threading.current_thread() is threading.main_thread():
                return _alarmed(run, seconds)
            return within(run, seconds, FileTimeout)  # an alarm reaches the main thread only
        with _alarm_handler() as alarms:
            return _alarmed(run, seconds) if alarms else within(run, seconds, FileTimeout)
    except FileTimeout:
        relative = relative_path(path, root)
        error = ArticleInputError.of("E015", relative, seconds=settings.file_timeout)
        return _failed(relative, doc_id_for(path, root), str(error), "E015")


def _alarmed(run: Callable[[], FileResult], seconds: float) -> FileResult:
    """run() with the alarm set to ring after `seconds` (the SIGALRM handler installed)."""
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return run()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


# Set while a run holds the SIGALRM handler (also in the workers it forks), so that the
# handler is installed once per run, not once per file: `signal.signal` converts its result
# to an enum, which cost as much as a small stage over a crawl.
_ALARM_HELD = False


@contextlib.contextmanager
def _alarm_handler() -> Iterator[bool]:
    """Whether alarms can end a file here; installs the SIGALRM handler for the block
    unless a run already holds it (restoring the previous handler after)."""
    global _ALARM_HELD
    if _ALARM_HELD:
        # an alarm reaches the main thread only
        yield threading.current_thread() is threading.main_thread()
        return
    try:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    except (AttributeError, ValueError):  # no SIGALRM (Windows), or not the main thread
        yield False
        return
    _ALARM_HELD = True
    try:
        yield True
    finally:
        _ALARM_HELD = False
        signal.signal(signal.SIGALRM, previous)


def run_files(
    paths: list[Path],
    root: Path,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_text: bool = False,
    settings: RunSettings | None = None,
    metadata: Mapping[str, ArticleMeta] | None = None,
) -> Iterator[FileResult]:
    """Results for `paths`, in the order given, whatever `jobs` is.

    With `jobs` > 1 the calling process is one of `jobs` processes that share the files
    chunk by chunk (`parallel.ordered_map`); models and patterns are loaded first, so
    that the workers, forked from the caller, start with them. `metadata` (by doc_id)
    is what a crawl's side file says of the articles.
    """
    # The Path objects as given: building new ones from strings for every file costs more
    # than some stages (and forked workers need nothing pickled).
    root = Path(root)
    if settings is None:
        settings = RunSettings(max_bytes=max_bytes, keep_text=keep_text)
    paths = [p if isinstance(p, Path) else Path(p) for p in paths]
    metas = [metadata.get(doc_id_for(p, root)) for p in paths] if metadata else [None] * len(paths)
    work: list[_Work] = [(p, root, settings, m) for p, m in zip(paths, metas, strict=True)]
    with contextlib.ExitStack() as stack:
        stack.enter_context(_fewer_collections())
        if settings.file_timeout > 0:
            stack.enter_context(_alarm_handler())  # once for the run, inherited by workers
        if jobs <= 1 or len(work) <= 1:
            yield from _in_this_process(work)
            return
        _warm()
        size = max(1, min(64, len(work) // (jobs * 8) or 1))
        chunks = [work[i : i + size] for i in range(0, len(work), size)]
        for results in ordered_map(_process_chunk, chunks, jobs, describe=_describe_chunk):
            yield from results


#: Allocations between two collections of the youngest generation while files are read.
_YOUNG_THRESHOLD = 20_000


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The collector's youngest generation collected every 20,000 allocations, not 700,
    while files are read: a file's work makes thousands of short-lived objects, and the
    default threshold ran some 300 collections over 18,000 files (0.09 s, now 0.03 s);
    memory stays flat, as a file's garbage is gone when its work ends. The thresholds
    are set back after the run."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], _YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _in_this_process(work: list[_Work]) -> Iterator[FileResult]:
    """The files one by one in this process. Once the first is done (models and patterns
    loaded by then), what exists is frozen (`gc.freeze`): the collector's full passes walk
    only what the run makes after, not the loaded models again (0.05 s over 18,000 files).
    Unfrozen at the end; a program that froze objects itself is left as it was."""
    freezing = gc.get_freeze_count() == 0
    try:
        for number, item in enumerate(work):
            yield _process_one(item)
            if number == 0 and freezing:
                gc.freeze()
    finally:
        if freezing:
            gc.unfreeze()


def _process_chunk(items: list[_Work]) -> list[FileResult]:
    return [_process_one(item) for item in items]


def _describe_chunk(items: list[_Work]) -> str:
    names = [relative_path(path, root) for path, root, *_ in items]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"the files {shown}"


_WARMED = False


def _warm() -> None:
    """Load models and compile patterns once per worker, before the first file: those of
    the read stage (decoding checks) and of every later stage."""
    global _WARMED
    _WARMED = True
    sample = phrasings_data().warm_up
    with regexes.kept():
        decode_bytes(sample.encode("utf-8"), "warm-up")
        frames.warm()
        process_text(sample, "warm-up")


def run_folder(
    root: Path,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    metadata: Mapping[str, ArticleMeta] | None = None,
) -> Iterator[FileResult]:
    """Every input file under `root`, in doc_id order, each with its outcome."""
    root = Path(root)
    files = iter_input_files(root)
    yield from run_files(files, root, jobs=jobs, max_bytes=max_bytes, metadata=metadata)


def extract_folder(root: Path, jobs: int = 1) -> list[Statistic]:
    """All records of every readable file under `root`, in deterministic order."""
    records: list[Statistic] = []
    for result in run_folder(root, jobs=jobs):
        records.extend(result.records)
    return records
