"""Loading and checking gold annotations and prediction files for evaluation.

Gold (the gold layout, docs/evaluation.md) is one JSON object per document:
``{"doc_id", "statistics": [...]}``.
Predictions are the extractor's output, one statistic record per line with its ``doc_id``;
a prediction file written in the gold layout is accepted too, line by line.

Everything a user can get wrong in these files is reported as an :class:`AnnotationInputError` that
names the file and the line, so that the command line can print one clear sentence instead
of a traceback. ``check_gold`` goes further and lists every problem it finds at once.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from xhs_extract.catalogue import load_catalogue
from xhs_extract.errors import AnnotationInputError, ArticleInputError
from xhs_extract.jsonl import read_lines
from xhs_extract.models import GEO_LEVELS, QUALIFIERS, STATUSES, UNITS
from xhs_extract.read import iter_input_files, read_document

DEFAULT_QUALIFIER = "exact"
DEFAULT_STATUS = "achieved"

# A period as the record contract (README) writes it: 2021, 2021-12, 2023-09-04, 2023/2024.
_PERIOD = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?|-Q[1-4]|-H[12])?$|^\d{4}/\d{4}$")



@dataclass(frozen=True)
class Problem:
    """One finding of `check_gold`: where it is and what is wrong, in a sentence."""

    source: str
    line: Optional[int]
    message: str

    def __str__(self) -> str:
        where = f"{self.source}, line {self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Entry:
    """One statistic as the evaluator sees it: gold or predicted, reduced to what is scored.

    ``text`` is the record's evidence text (or the gold line's "text" field), kept to show
    errors to a reader; ``line`` and ``source`` say where the record came from.
    """

    doc_id: str
    indicator: str
    value: float
    unit: str
    span: Optional[tuple[int, int]]
    qualifier: str = DEFAULT_QUALIFIER
    status: str = DEFAULT_STATUS
    period: Optional[str] = None
    province: Optional[str] = None
    text: Optional[str] = None
    source: str = ""
    line: int = 0
    record: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class GoldSet:
    """A gold file: the entries of each document, in file order, and each document's line."""

    source: str
    documents: dict[str, list[Entry]]
    lines: dict[str, int]

    @property
    def n_records(self) -> int:
        return sum(len(items) for items in self.documents.values())


# --------------------------------------------------------------------------- catalogue


def indicator_units() -> dict[str, tuple[str, ...]]:
    """Every catalogue code with the units it may be reported in (patterns/indicators.yaml)."""
    return {code: tuple(entry.units) for code, entry in load_catalogue().indicators.items()}


def number_words() -> tuple[str, ...]:
    """Vietnamese number and scale words a gold span may spell a figure with, from
    patterns/numbers.yaml ("hai mươi", "hai triệu")."""
    from xhs_extract.language import numbers_data

    words = numbers_data().all_number_words
    return tuple(sorted({unicodedata.normalize("NFC", w).casefold() for w in words if w}))


def looks_like_figure(span_text: str, words: Collection[str] | None = None) -> bool:
    """True when a span could state a figure: it has a digit or a Vietnamese number word."""
    if any(char.isdigit() for char in span_text):
        return True
    vocabulary = set(words if words is not None else number_words())
    tokens = re.findall(r"\w+", unicodedata.normalize("NFC", span_text).casefold())
    return any(token in vocabulary for token in tokens)


# --------------------------------------------------------------------------- corpus


def read_corpus(root: Path) -> dict[str, str]:
    """Each document's decoded text by doc_id, decoded as the extractor decodes it.

    Read with `xhs_extract.read`, so that offsets mean the same thing for the evaluator
    and the extractor.
    """
    if not root.is_dir():
        raise AnnotationInputError(
            root, None, "the corpus folder does not exist or is not a folder"
        )
    texts: dict[str, str] = {}
    for path in iter_input_files(root):
        try:
            document = read_document(path, root)
        except ArticleInputError as error:  # the reader's own errors name the problem
            detail = f"{error.reason} [{error.code}]"
            raise AnnotationInputError(
                path, None, f"cannot be read as a corpus document: {detail}"
            ) from error
        texts[document.doc_id] = document.text
    return texts


# --------------------------------------------------------------------------- JSONL


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed object) for each non-blank line; a bad line is an
    AnnotationInputError naming file and line."""
    return _iter_jsonl(path, report=None)


def _iter_jsonl(path: Path, report: Any) -> Iterator[tuple[int, Any]]:
    """The lines of a gold or prediction file; a line that is not JSON is an error, or,
    with `report`, a reported problem, and reading goes on."""

    def bad(number: int, error: UnicodeDecodeError | json.JSONDecodeError) -> None:
        if isinstance(error, UnicodeDecodeError):
            raise AnnotationInputError(
                path, None, f"is not valid UTF-8 ({error.reason})"
            ) from error
        message = f"is not valid JSON ({error.msg} at column {error.colno})"
        if report is None:
            raise AnnotationInputError(path, number, message) from error
        report(number, message)

    try:
        yield from read_lines(path, bad)
    except FileNotFoundError as error:
        raise AnnotationInputError(path, None, "the file does not exist") from error
    except OSError as error:
        raise AnnotationInputError(path, None, f"cannot be opened ({error.strerror})") from error


# --------------------------------------------------------------------------- records


def entry_from_record(
    record: Any,
    doc_id: str,
    *,
    source: str,
    line: int,
    where: str = "the record",
    codes: Collection[str] | None = None,
    need_span: bool = True,
) -> Entry:
    """Validate one statistic (gold or predicted) and reduce it to an Entry.

    Raises AnnotationInputError with `where` ("statistic 3") in the message, so that a user can find
    the record on a long line.
    """

    def fail(message: str) -> AnnotationInputError:
        return AnnotationInputError(source, line, f"{where}: {message}")

    if not isinstance(record, dict):
        raise fail("is not a JSON object")
    indicator = record.get("indicator")
    if not isinstance(indicator, str) or not indicator:
        raise fail('has no "indicator" code')
    if codes is not None and indicator not in codes:
        raise fail(f'has the unknown indicator code "{indicator}" (not in indicators.yaml)')
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise fail(f'has no numeric "value" (found {value!r})')
    unit = record.get("unit")
    if unit not in UNITS:
        raise fail(f'has the unit {unit!r}; allowed units are {", ".join(UNITS)}')
    qualifier = record.get("qualifier") or DEFAULT_QUALIFIER
    if qualifier not in QUALIFIERS:
        raise fail(f'has the qualifier {qualifier!r}; allowed are {", ".join(QUALIFIERS)}')
    status = record.get("status") or DEFAULT_STATUS
    if status not in STATUSES:
        raise fail(f'has the status {status!r}; allowed are {", ".join(STATUSES)}')
    period = record.get("period")
    if period is not None and not isinstance(period, str):
        raise fail(f'has a "period" that is not a string ({period!r})')
    geo = record.get("geo")
    if geo is not None and not isinstance(geo, dict):
        raise fail('has a "geo" that is not an object')
    province = geo.get("province") if geo else None
    if province is not None and not isinstance(province, str):
        raise fail('has a "geo.province" that is not a string')
    span = parse_span(record.get("value_span"))
    if record.get("value_span") is not None and span is None:
        raise fail(
            f'has a malformed "value_span" {record.get("value_span")!r}: '
            "expected [start, end] with 0 <= start < end"
        )
    if span is None and need_span:
        raise fail('has no "value_span"; score such files with --match relaxed')
    evidence = record.get("evidence")
    text = record.get("text")
    if isinstance(evidence, dict) and isinstance(evidence.get("text"), str):
        text = evidence["text"]
    return Entry(
        doc_id=doc_id,
        indicator=indicator,
        value=float(value),
        unit=unit,
        span=span,
        qualifier=qualifier,
        status=status,
        period=period,
        province=province,
        text=text if isinstance(text, str) else None,
        source=source,
        line=line,
        record=record,
    )


def parse_span(raw: Any) -> Optional[tuple[int, int]]:
    """[start, end] as a tuple when well formed (ints, 0 <= start < end), else None."""
    if not isinstance(raw, (list, tuple)) or len(raw) != 2:
        return None
    start, end = raw
    if any(isinstance(x, bool) or not isinstance(x, int) for x in (start, end)):
        return None
    if start < 0 or end <= start:
        return None
    return (start, end)


def _doc_id_of(obj: dict, source: str, line: int) -> str:
    doc_id = obj.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise AnnotationInputError(source, line, 'has no "doc_id" string')
    return doc_id


def load_gold(
    path: Path, *, codes: Collection[str] | None = None, need_spans: bool = True
) -> GoldSet:
    """A gold file (one document per line) as a GoldSet; the first problem is an
    AnnotationInputError."""
    source = str(path)
    documents: dict[str, list[Entry]] = {}
    lines: dict[str, int] = {}
    for number, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise AnnotationInputError(source, number, "is not a JSON object")
        doc_id = _doc_id_of(obj, source, number)
        if doc_id in lines:
            raise AnnotationInputError(
                source, number, f'repeats the document "{doc_id}" (first on line {lines[doc_id]})'
            )
        statistics = obj.get("statistics")
        if not isinstance(statistics, list):
            hint = ""
            if "indicator" in obj:
                hint = " (this looks like a prediction record, not a gold line)"
            raise AnnotationInputError(source, number, f'has no "statistics" list{hint}')
        lines[doc_id] = number
        documents[doc_id] = [
            entry_from_record(
                record, doc_id, source=source, line=number, where=f"statistic {index + 1}",
                codes=codes, need_span=need_spans,
            )
            for index, record in enumerate(statistics)
        ]
    return GoldSet(source=source, documents=documents, lines=lines)


def load_predictions(
    path: Path, *, codes: Collection[str] | None = None, need_spans: bool = True
) -> list[Entry]:
    """Predictions: our output JSONL (a record per line) or gold layout (a document per line)."""
    source = str(path)
    entries: list[Entry] = []
    for number, obj in iter_jsonl(path):
        if not isinstance(obj, dict):
            raise AnnotationInputError(source, number, "is not a JSON object")
        doc_id = _doc_id_of(obj, source, number)
        if "statistics" in obj:
            statistics = obj["statistics"]
            if not isinstance(statistics, list):
                raise AnnotationInputError(source, number, '"statistics" is not a list')
            entries.extend(
                entry_from_record(
                    record, doc_id, source=source, line=number, where=f"statistic {index + 1}",
                    codes=codes, need_span=need_spans,
                )
                for index, record in enumerate(statistics)
            )
        else:
            entries.append(
                entry_from_record(
                    obj, doc_id, source=source, line=number, codes=codes, need_span=need_spans
                )
            )
    return entries


def entries_from_statistics(statistics: list[Any], source: str = "extractor") -> list[Entry]:
    """Entries for records produced in this process (`Statistic` objects or their dicts)."""
    entries = []
    for index, statistic in enumerate(statistics, start=1):
        record = statistic.to_json_dict() if hasattr(statistic, "to_json_dict") else statistic
        entries.append(
            entry_from_record(record, record.get("doc_id", ""), source=source, line=index)
        )
    return entries


def check_spans_in_texts(entries: list[Entry], texts: Mapping[str, str]) -> None:
    """Raise AnnotationInputError for the first entry whose span runs past its document's text."""
    for entry in entries:
        text = texts.get(entry.doc_id)
        if text is None or entry.span is None:
            continue
        if entry.span[1] > len(text):
            raise AnnotationInputError(
                entry.source, entry.line,
                f'the value_span {list(entry.span)} of "{entry.doc_id}" ({entry.indicator}) '
                f"lies outside the document text, which has {len(text)} characters",
            )


# --------------------------------------------------------------------------- gold check


def check_gold(
    path: Path, texts: Mapping[str, str] | None, *, require_spans: bool = True
) -> list[Problem]:
    """Every problem in a gold file, against the corpus texts when given.

    Checks: valid JSON and layout; one line per document and one per corpus document; known
    indicator codes and units allowed for the code; valid qualifier, status, period and geo;
    spans inside the text whose text is a figure (a digit or a number word); a record's
    "text" or evidence agrees with its span; no record twice. A file that cannot be read
    at all is an AnnotationInputError, not a problem list. With `require_spans` false (gold for the
    relaxed match), a record without a value_span is accepted.
    """
    source = str(path)
    problems: list[Problem] = []
    catalogue = indicator_units()
    words = number_words()
    seen_docs: dict[str, int] = {}

    def report(line: Optional[int], message: str) -> None:
        problems.append(Problem(source, line, message))

    for number, obj in list(_iter_jsonl(path, report)):
        if not isinstance(obj, dict):
            report(number, "is not a JSON object")
            continue
        doc_id = obj.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id:
            report(number, 'has no "doc_id" string')
            continue
        if doc_id in seen_docs:
            report(number, f'repeats the document "{doc_id}" (first on line {seen_docs[doc_id]})')
            continue
        seen_docs[doc_id] = number
        statistics = obj.get("statistics")
        if not isinstance(statistics, list):
            report(number, f'"{doc_id}" has no "statistics" list')
            continue
        text = texts.get(doc_id) if texts is not None else None
        if texts is not None and text is None:
            report(number, f'the document "{doc_id}" is not in the corpus')
        seen_records: dict[tuple, int] = {}
        for index, record in enumerate(statistics, start=1):
            for message in _record_problems(record, text, catalogue, words, require_spans):
                report(number, f'"{doc_id}" statistic {index}: {message}')
            if isinstance(record, dict):
                # one span may hold a figure for two places ("xã A và xã B đều đạt 100%")
                key = (
                    record.get("indicator"), record.get("unit"), _hashable(record.get("value")),
                    _hashable(record.get("value_span")), _hashable(record.get("geo")),
                )
                if key in seen_records:
                    report(
                        number,
                        f'"{doc_id}" statistic {index} repeats statistic {seen_records[key]} '
                        "(same indicator, unit, value, span and place)",
                    )
                else:
                    seen_records[key] = index
    if texts is not None:
        for doc_id in sorted(set(texts) - set(seen_docs)):
            report(None, f'the corpus document "{doc_id}" has no gold line (add one, '
                   'with "statistics": [] if it states no figure)')
    return problems


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _hashable(item)) for key, item in value.items()))
    return tuple(_hashable(item) for item in value) if isinstance(value, list) else value


def _record_problems(
    record: Any,
    text: Optional[str],
    catalogue: Mapping[str, tuple[str, ...]],
    words: Collection[str],
    require_spans: bool = True,
) -> list[str]:
    """What is wrong with one gold statistic, as sentences (empty when nothing)."""
    if not isinstance(record, dict):
        return ["is not a JSON object"]
    found: list[str] = []
    indicator = record.get("indicator")
    unit = record.get("unit")
    if indicator not in catalogue:
        found.append(f"unknown indicator code {indicator!r} (not in indicators.yaml)")
    if unit not in UNITS:
        found.append(f"unknown unit {unit!r}; allowed units are {', '.join(UNITS)}")
    elif isinstance(indicator, str) and indicator in catalogue and unit not in catalogue[indicator]:
        found.append(
            f"the unit {unit!r} is not allowed for {indicator} "
            f"(allowed: {', '.join(catalogue[indicator])})"
        )
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        found.append(f'the "value" {value!r} is not a number')
    if record.get("qualifier", DEFAULT_QUALIFIER) not in QUALIFIERS:
        found.append(f"unknown qualifier {record.get('qualifier')!r}")
    if record.get("status", DEFAULT_STATUS) not in STATUSES:
        found.append(f"unknown status {record.get('status')!r}")
    period = record.get("period")
    if period is not None and (not isinstance(period, str) or not _PERIOD.match(period)):
        found.append(
            f"the period {period!r} is not written as 2021, 2021-12, 2023-09-04 or 2023/2024"
        )
    found.extend(_geo_problems(record.get("geo")))
    if require_spans or record.get("value_span") is not None:
        found.extend(_span_problems(record, text, words))
    return found


def _geo_problems(geo: Any) -> list[str]:
    if geo is None:
        return []
    if not isinstance(geo, dict):
        return ['"geo" is not an object']
    found = []
    if not isinstance(geo.get("name"), str) or not geo.get("name"):
        found.append('"geo" has no "name"')
    if geo.get("level") not in GEO_LEVELS:
        found.append(f"unknown geo level {geo.get('level')!r}; allowed are {', '.join(GEO_LEVELS)}")
    return found


def _span_problems(record: dict, text: Optional[str], words: Collection[str]) -> list[str]:
    raw = record.get("value_span")
    span = parse_span(raw)
    if span is None:
        return [f'the value_span {raw!r} is not [start, end] with 0 <= start < end']
    if text is None:
        return []
    start, end = span
    if end > len(text):
        return [f"the value_span {list(span)} lies outside the text ({len(text)} characters)"]
    found = []
    span_text = text[start:end]
    if not looks_like_figure(span_text, words):
        found.append(f"the value_span {list(span)} covers {span_text!r}, which is not a figure")
    claimed = record.get("text")
    if isinstance(claimed, str) and span_text not in claimed:
        found.append(
            f"the value_span {list(span)} covers {span_text!r}, which is not in the record's "
            f"text {claimed!r}"
        )
    evidence = record.get("evidence")
    if isinstance(evidence, dict):
        ev_span = parse_span([evidence.get("start"), evidence.get("end")])
        if ev_span is None or ev_span[1] > len(text):
            found.append("the evidence offsets are malformed or outside the text")
        elif text[ev_span[0]:ev_span[1]] != evidence.get("text"):
            found.append("the evidence text is not the text between the evidence offsets")
    return found
