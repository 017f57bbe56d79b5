"""Validate stage: a candidate figure becomes a Statistic only if it passes every check.

A figure that fails is not written; it is returned as a Rejection with its reason, so the
run can count and report it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import cast

import regex
from pydantic import ValidationError

from xhs_extract import regexes
from xhs_extract.catalogue import Catalogue, load_catalogue
from xhs_extract.language import numbers_data
from xhs_extract.models import (
    Evidence,
    Geo,
    Qualifier,
    Statistic,
    Status,
    Subject,
    Unit,
    statistic_id,
)


@functools.cache
def _figure_text() -> regex.Pattern:
    """A digit, or a whole number word of numbers.yaml ("ba", not the "ba" inside "bao")."""
    words = sorted(numbers_data().all_number_words, key=regexes.longest_first)
    alternation = "|".join(regex.escape(w) for w in words)
    return regexes.compile(r"\d|(?<!\w)(?:" + alternation + r")(?!\w)", regex.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """Everything the extractors found for one figure and one indicator, raw offsets."""

    doc_id: str
    indicator: str
    value: float
    unit: str
    qualifier: str
    status: str
    period: str | None
    geo: Geo | None
    value_span: tuple[int, int]
    evidence_span: tuple[int, int]
    denominator: float | None
    value_max: float | None
    extractor: str
    notes: tuple[str, ...] = ()
    subject_span: tuple[int, int] | None = None  # what the figure counts and has, raw offsets


@dataclass(frozen=True)
class Rejection:
    doc_id: str
    indicator: str
    value_span: tuple[int, int]
    text: str
    reason: str


def check(candidate: Candidate, raw: str, catalogue: Catalogue | None = None) -> str | None:
    """The reason a candidate is not a valid record, or None."""
    catalogue = catalogue or load_catalogue()
    start, end = candidate.value_span
    if candidate.indicator not in catalogue:
        return f"unknown indicator {candidate.indicator!r}"
    if not catalogue.allows(candidate.indicator, candidate.unit):
        allowed = ", ".join(catalogue[candidate.indicator].units)
        return f"unit {candidate.unit!r} is not one of {candidate.indicator}'s units ({allowed})"
    if not (0 <= start < end <= len(raw)):
        return f"value span {start}-{end} is outside the text (length {len(raw)})"
    if not _figure_text().search(raw[start:end]):
        return f"value span text {raw[start:end]!r} does not look like a figure"
    e_start, e_end = candidate.evidence_span
    if not (0 <= e_start <= start and end <= e_end <= len(raw)):
        return f"evidence {e_start}-{e_end} does not contain the figure {start}-{end}"
    if candidate.subject_span is not None:
        s_start, s_end = candidate.subject_span
        if not (0 <= s_start < s_end <= len(raw)):
            return f"subject {s_start}-{s_end} is no phrase of the text"
    if candidate.value < 0:
        return f"negative value {candidate.value}"
    if candidate.unit == "percent":
        if candidate.value > 100 or (candidate.value_max or 0) > 100:
            return f"a share of {candidate.value}% is over 100%"
    if candidate.denominator is not None and candidate.denominator <= 0:
        return f"denominator {candidate.denominator} is not positive"
    return None


def validate(
    candidates: list[Candidate], raw: str, catalogue: Catalogue | None = None
) -> tuple[list[Statistic], list[Rejection]]:
    """Split candidates into valid records and rejections (with reasons)."""
    records: list[Statistic] = []
    rejected: list[Rejection] = []
    for candidate in candidates:
        start, end = candidate.value_span
        reason = check(candidate, raw, catalogue)
        if reason is None:
            try:
                records.append(to_statistic(candidate, raw))
            except ValidationError as error:
                reason = "; ".join(e["msg"] for e in error.errors())
        if reason is not None:
            rejected.append(
                Rejection(
                    candidate.doc_id, candidate.indicator, (start, end), raw[start:end], reason
                )
            )
    return records, rejected


def to_statistic(candidate: Candidate, raw: str) -> Statistic:
    """The record of a candidate; the model checks unit, qualifier and status (a wrong one
    raises pydantic's ValidationError, which `validate` turns into a rejection)."""
    e_start, e_end = candidate.evidence_span
    return Statistic(
        id=statistic_id(candidate.doc_id, candidate.indicator, candidate.value_span),
        doc_id=candidate.doc_id,
        indicator=candidate.indicator,
        value=candidate.value,
        unit=cast(Unit, candidate.unit),
        qualifier=cast(Qualifier, candidate.qualifier),
        status=cast(Status, candidate.status),
        period=candidate.period,
        geo=candidate.geo,
        value_span=candidate.value_span,
        evidence=Evidence(start=e_start, end=e_end, text=raw[e_start:e_end]),
        denominator=candidate.denominator,
        extractor=candidate.extractor,
        subject=_subject(candidate, raw),
        value_max=candidate.value_max,
        notes=list(candidate.notes),
    )


def _subject(candidate: Candidate, raw: str) -> Subject | None:
    if candidate.subject_span is None:
        return None
    start, end = candidate.subject_span
    return Subject(start=start, end=end, text=raw[start:end])
