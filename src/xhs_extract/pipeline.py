"""The pipeline: read → normalise → sentences → rule and NER extractors → validate.

`extract_text` and `process_text` work on one text; `process_file` on one file (never
raising for bad input: the error is part of its result); `run_folder` over a folder, in
order, optionally in parallel. The CLI is a thin shell over these.
"""

from __future__ import annotations

import functools
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import regex

from xhs_extract import context as ctx
from xhs_extract import documents
from xhs_extract.errors import METADATA_LINES, error_message
from xhs_extract.geo import Place, document_place, place_in_context
from xhs_extract.models import DocumentRecord, Geo, Statistic
from xhs_extract.normalise import NormalisedText, normalise
from xhs_extract.numbers import Figure
from xhs_extract.parallel import ordered_map
from xhs_extract.read import (
    DEFAULT_MAX_BYTES,
    ArticleInputError,
    RawDocument,
    decode_bytes,
    doc_id_for,
    iter_input_files,
    read_document,
)
from xhs_extract.rules import SentenceState, assign, column_header, gate, may_continue
from xhs_extract.sentences import paragraphs, split_paragraph
from xhs_extract.validate import Candidate, Rejection, validate
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


class _Article:
    """What is known of the article as a whole: its title always; its date, source and
    place only when asked for, which happens for articles that have records. Most
    documents of a large crawl have none, and reading their head and foot for dates and
    bylines would cost more than the gate that passed over them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.title = documents.find_title(text)

    @functools.cached_property
    def published(self) -> str | None:
        return documents.find_published(self.text)

    @functools.cached_property
    def source(self) -> str | None:
        return documents.find_source(self.text)

    @functools.cached_property
    def place(self) -> Place | None:
        return document_place(self.text, title=self.title, source=self.source)

    def geo_for(self, clause: str) -> Geo | None:
        place = place_in_context(clause, self.place) or self.place
        return place.to_geo() if place is not None else None

    def warnings(self, read: bool) -> list[str]:
        """M001 no title; then, for an article `read` beyond its title, M002 no date and
        M003 no place, else M004 (only the title was read)."""
        out = [METADATA_LINES["M001"]] if self.title is None else []
        if not read:
            return out + [METADATA_LINES["M004"]]
        if self.published is None:
            out.append(METADATA_LINES["M002"])
        if self.place is None:
            out.append(METADATA_LINES["M003"])
        return out



_SPACES = " \t\r\n\u00a0"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACES:
        start += 1
    while end > start and text[end - 1] in _SPACES:
        end -= 1
    return start, end


def _clause_start(text: str, lo: int, position: int) -> int:
    semicolon = text.rfind(";", lo, position)
    return lo if semicolon < 0 else semicolon + 1


_CLOSED_BRACKET = regex.compile(r"\([^()]*\)")
_BASELINE_IN_BRACKET = regex.compile(r"%|(?<!\w)(?:là|đạt|chiếm)(?!\w)|phần trăm|\d[\d.,]*\s+\w")


def _clause_end(text: str, position: int, hi: int) -> int:
    """Where the clause holding a figure ends: its semicolon (kept) or the sentence end."""
    semicolon = text.find(";", position, hi)
    return hi if semicolon < 0 else semicolon + 1


def _period_text(text: str, lo: int, position: int) -> str:
    """The words that may date a figure: its bracket if it is in one, else its sentence
    without the brackets closed before it ("(cuối năm 2021 là 71%)" dates only its own figure)."""
    bracket = text.rfind("(", lo, position)
    if bracket >= 0 and text.find(")", bracket, position) < 0:
        return text[bracket + 1 : position]

    def blank_baseline(match: regex.Match) -> str:
        # A bracket with its own figure dates that figure only; "(năm 2025)" dates all.
        return " " * len(match.group()) if _BASELINE_IN_BRACKET.search(match.group()) else match.group()

    return _CLOSED_BRACKET.sub(blank_baseline, text[lo:position])


def _candidates(
    norm: NormalisedText, doc_id: str, article: _Article, clock=_NO_CLOCK
) -> tuple[list[Candidate], int, list[str]]:
    """The candidate figures of a text, the number of sentences split, and the
    paragraphs passed over (their sentences are counted only if the article has records)."""
    text = norm.text
    candidates: list[Candidate] = []
    n_sentences = 0
    skipped: list[str] = []
    state = SentenceState()
    frame: str | None = None  # a paragraph ending in ":" that opens a list of lines
    paragraph = ""
    for p_start, p_end in paragraphs(text):
        state.reset()
        # A paragraph opening with "Trong đó," breaks down what the one before counted.
        state.paragraph_before = paragraph if state.previous_paragraph is not None else None
        paragraph = text[p_start:p_end]
        kind = _follow_table(state, paragraph, p_start)
        state.list_frame, frame = _list_frame(paragraph, kind, frame)
        with clock("gate"):
            passed = gate(paragraph) or may_continue(state, text, p_start, p_end)
        if not passed:
            skipped.append(paragraph)
            continue
        with clock("sentences"):
            # A table's row is one record of the table, not prose to split.
            sentences = [(p_start, p_end)] if kind == "row" else split_paragraph(text, p_start, p_end)
        for s_start, s_end in sentences:
            n_sentences += 1
            if not (gate(text[s_start:s_end]) or may_continue(state, text, s_start, s_end)):
                state.last_period = None  # a breakdown is dated only by the sentence before it
                state.remember(text[s_start:s_end])
                continue
            with clock("rules"):
                assignments = assign(text, s_start, s_end, state)
            previous_status: str | None = None
            inherited_period = _inherited_period(text, s_start, s_end, state)
            period: str | None = None
            for assignment in assignments:
                figure = assignment.figure
                status, period = _status_and_period(
                    text, s_start, figure, state, previous_status, inherited_period
                )
                previous_status = status
                clause_start = _clause_start(text, s_start, figure.start)
                evidence = norm.raw_span(
                    *_trimmed(text, clause_start, _clause_end(text, figure.end, s_end))
                )
                with clock("geo"):
                    geo = article.geo_for(text[clause_start : figure.start])
                for indicator in assignment.indicators:
                    candidates.append(
                        Candidate(
                            doc_id=doc_id,
                            indicator=indicator,
                            value=figure.value,
                            unit=figure.unit or "count",
                            qualifier=figure.qualifier,
                            status=status,
                            period=period,
                            geo=geo,
                            value_span=norm.raw_span(figure.start, figure.end),
                            evidence_span=evidence,
                            denominator=figure.denominator,
                            value_max=figure.value_max,
                            extractor=f"rule:{indicator}/{assignment.how}",
                            notes=tuple(figure.notes),
                        )
                    )
            state.last_period = period if assignments else None
            state.remember(text[s_start:s_end])
    return candidates, n_sentences, skipped


def _list_frame(paragraph: str, kind: str | None, frame: str | None) -> tuple[str | None, str | None]:
    """(the frame this paragraph is an item under, the frame for the paragraphs after it).

    A paragraph ending in ":" frames the list or table under it ("… đến ngày 30/9/2024 như
    sau:"); its items are table rows, marked lines ("- …", "1. …") and label lines
    ("Huyện Bố Trạch: 66,9%"); a table's header line keeps the frame for its rows.
    """
    is_item = frame is not None and (
        kind == "row" or bool(_LIST_ITEM.match(paragraph) or _LABEL_VALUE.match(paragraph))
    )
    item_of = frame if is_item else None
    if kind != "header" and item_of is None:
        frame = paragraph if paragraph.rstrip().endswith(":") else None
    return item_of, frame


def _status_and_period(
    text: str,
    s_start: int,
    figure: Figure,
    state: SentenceState,
    previous_status: str | None,
    inherited_period: str | None,
) -> tuple[str, str | None]:
    """A figure's status and period, from its sentence, the frame of its list or table and
    the words right after it."""
    before = text[s_start : figure.start]
    period_text = _period_text(text, s_start, figure.start)
    header = column_header(state, text, figure.start)
    if header:
        period_text = period_text + " ; " + header  # "Năm 2024" above the column
    if state.list_frame is not None:
        # "… phấn đấu đạt các chỉ tiêu:" then "- Tỷ lệ …: 92%;" lines.
        before = state.list_frame + " " + before
        period_text = state.list_frame + " " + period_text
    after = text[figure.end : figure.end + 90]  # a school year may end a long noun phrase
    status = ctx.status_of(before, previous_status, after[:60])
    period = ctx.period_after(after, status) or ctx.period_of(period_text, status)
    if period is None and inherited_period is not None and not ctx.cues().no_period.search(before):
        period = inherited_period
    if period is None and state.list_frame is not None:
        # "Một số kết quả nổi bật năm 2024:" dates the lines under it.
        framed = _FRAME_YEAR.search(state.list_frame)
        period = framed.group(1) if framed else None
    return status, period


_FRAME_YEAR = regex.compile(r"(?<!\w)năm ((?:19|20)\d\d)\s*(?:như sau|gồm)?\s*:\s*$", regex.IGNORECASE)


def _follow_table(state: SentenceState, paragraph: str, start: int) -> str | None:
    """Tables pasted as lines, cells split by "|" or tabs ("Đơn vị | Tỷ lệ … | …" or
    "Chỉ số<TAB>Năm 2023<TAB>Năm 2024"): a line of cells without figures (years aside) is
    a header, and the lines after it with as many cells are its rows. A cell's figure
    reads its column's header with its row: as subject ("Tỷ lệ hồ sơ …") or period ("Năm
    2024")."""
    # Most paragraphs are prose: no separator, one cell, and no split to pay for.
    cells = len(_CELL_SEPARATOR.split(paragraph)) if "|" in paragraph or "\t" in paragraph else 1
    state.row_start = start
    if cells >= 2 and not _HAS_DIGIT.search(_YEAR.sub("", paragraph)):
        state.columns = tuple(_CELL_SEPARATOR.split(paragraph))
        return "header"
    if state.columns is not None and cells != len(state.columns):
        state.columns = None
    return "row" if state.columns is not None else None


_CELL_SEPARATOR = re.compile(r"\s*(?:\||\t)\s*")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_HAS_DIGIT = re.compile(r"\d")
_BREAKDOWN_OPENING = 24
# "Thành phố Đồng Hới: 81,4%", "Đồng Hới: 31,7%; Ba Đồn: 22,4%": a line that is a label and
# its figure, under a frame ending in ":".
_LABEL_VALUE = regex.compile(r"^\s*[^\W\d][^:\n]{0,60}(?::|\s-)\s*(?:khoảng |gần |hơn |trên |đạt )?\d")
_LIST_ITEM = regex.compile(r"^\s*(?:[-–—+•*▪●]|\d{1,2}[.)]|[a-zđ][.)])\s")


def _inherited_period(text: str, start: int, end: int, state: SentenceState) -> str | None:
    """A breakdown sentence ("Trong đó, …") is dated like the total it breaks down."""
    if state.last_period is None:
        return None
    opening = text[start : min(end, start + _BREAKDOWN_OPENING)]
    return state.last_period if ctx.cues().breakdown.search(opening) else None


_END_PUNCTUATION = re.compile(r"[.!?…]+(?=\s|$)")


def _rough_sentence_count(text: str) -> int:
    """Sentences of text no extractor needs: counted by their ends, not split. A line
    that ends without end punctuation (a headline) is a sentence too."""
    lines = (line.rstrip() for line in text.splitlines())
    unpunctuated = sum(1 for line in lines if line and line[-1] not in ".!?…")
    return len(_END_PUNCTUATION.findall(text)) + unpunctuated


def process_text(
    raw: str, doc_id: str = "doc", clock=_NO_CLOCK, utf8: bytes | None = None
) -> TextResult:
    """All records of one text (offsets into `raw`), in deterministic order.

    A cascade: a text with no digit next to a word some rule needs is done after one
    scan; the rest is normalised, and only its paragraphs where a rule may match are split
    into sentences and read by the rules. `utf8`, when the caller has it, is
    `raw.encode("utf-8")` (a file's own bytes): the first scan reads it as it is.
    """
    with clock("gate"):
        relevant = gate(raw, utf8)
    if not relevant:
        with clock("document"):
            article = _Article(raw)
        return TextResult([], [], None, article.title, warnings=article.warnings(read=False))
    with clock("normalise"):
        norm = normalise(raw)
    with clock("document"):
        article = _Article(norm.text)
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
            place=place.to_geo() if place is not None else None,
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


def process_document(document: RawDocument, path: str = "", clock=_NO_CLOCK) -> FileResult:
    result = process_text(document.text, document.doc_id, clock, document.utf8)
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


def _failed(path: str, doc_id: str, reason: str, code: str | None, sha256: str | None = None) -> FileResult:
    return FileResult(
        path=path,
        doc_id=doc_id,
        status="failed",
        sha256=sha256,
        records=[],
        document=None,
        rejected=[],
        reason=reason,
        code=code,
    )


def process_file(
    path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES, clock=_NO_CLOCK
) -> FileResult:
    """One file's outcome. Bad input is reported in the result, never raised; neither is
    an internal error, which costs that one file and names it (codes E900, E901)."""
    relative = relative_path(path, root)
    try:
        with clock("read"):
            document = read_document(path, root, max_bytes=max_bytes)
    except ArticleInputError as error:
        return _failed(relative, doc_id_for(path, root), str(error), getattr(error, "code", None))
    except Exception as error:
        reason = f"{relative}: " + error_message("E900", detail=f"{type(error).__name__}: {error}")
        return _failed(relative, doc_id_for(path, root), reason, "E900")
    try:
        return process_document(document, relative, clock)
    except Exception as error:
        reason = f"{relative}: " + error_message("E901", detail=f"{type(error).__name__}: {error}")
        return _failed(relative, document.doc_id, reason, "E901", document.sha256)


def relative_path(path: Path, root: Path) -> str:
    """A file's path relative to the input root, POSIX separators (the manifest's `path`)."""
    path_text, root_text = os.fspath(path), os.fspath(root).rstrip(os.sep)
    if os.sep == "/" and path_text.startswith(root_text + "/"):
        return path_text[len(root_text) + 1 :]
    try:
        return Path(path).relative_to(root).as_posix() if Path(root).is_dir() else Path(path).name
    except ValueError:
        return Path(path).as_posix()


_Work = tuple[Path, Path, int, bool]  # a file, the input root, max_bytes, keep_text


def _process_one(args: _Work) -> FileResult:
    path, root, max_bytes, keep_text = args
    result = process_file(path, root, max_bytes)
    if not keep_text:
        result.text = None  # keep what crosses process boundaries small
    return result


def run_files(
    paths: list[Path],
    root: Path,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_text: bool = False,
) -> Iterator[FileResult]:
    """Results for `paths`, in the order given, whatever `jobs` is.

    With `jobs` > 1 the calling process is one of `jobs` processes that share the files
    chunk by chunk (`parallel.ordered_map`); models and patterns are loaded first, so
    that the workers, forked from the caller, start with them.
    """
    # The Path objects as given: building new ones from strings for every file costs more
    # than some stages (and forked workers need nothing pickled).
    root = Path(root)
    work = [(p if isinstance(p, Path) else Path(p), root, max_bytes, keep_text) for p in paths]
    if jobs <= 1 or len(work) <= 1:
        for item in work:
            yield _process_one(item)
        return
    _warm()
    size = max(1, min(64, len(work) // (jobs * 8) or 1))
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    for results in ordered_map(_process_chunk, chunks, jobs, describe=_describe_chunk):
        yield from results


def _process_chunk(items: list[_Work]) -> list[FileResult]:
    return [_process_one(item) for item in items]


def _describe_chunk(items: list[_Work]) -> str:
    names = [relative_path(path, root) for path, root, _, _ in items]
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"the files {shown}"


def _warm() -> None:
    """Load models and compile patterns once per worker, before the first file: those of
    the read stage (decoding checks) and of every later stage."""
    sample = "Tỷ lệ hộ gia đình có Internet cáp quang đạt 90%."
    decode_bytes(sample.encode("utf-8"), "warm-up")
    process_text(sample, "warm-up")


def run_folder(
    root: Path, jobs: int = 1, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[FileResult]:
    """Every input file under `root`, in doc_id order, each with its outcome."""
    root = Path(root)
    yield from run_files(iter_input_files(root), root, jobs=jobs, max_bytes=max_bytes)


def extract_folder(root: Path, jobs: int = 1) -> list[Statistic]:
    """All records of every readable file under `root`, in deterministic order."""
    records: list[Statistic] = []
    for result in run_folder(root, jobs=jobs):
        records.extend(result.records)
    return records
