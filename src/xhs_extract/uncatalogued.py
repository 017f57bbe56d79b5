"""Figures the catalogue misses: what `extract --uncatalogued FILE` writes.

A figure whose frame (`frames.frame_of`) names what it counts or what they have, but which
no catalogue entry accepts and no record took, is a statistic the catalogue may lack
("1.200 doanh nghiệp có chữ ký số", "85% cán bộ dùng hồ sơ công việc điện tử"). Only the
sentences the prefilter's gate lets through are read (those near the catalogue's words);
a change ("tăng 12%") is no level and is left out. Offsets are into the raw text, as in
the records. Not on the hot path: it runs only when asked for, after a file's records.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterator, Sequence

from xhs_extract.frames import REFUSING, Frame, frame_of, indicators_for
from xhs_extract.models import Statistic, compact_number
from xhs_extract.normalise import NormalisedText, normalise
from xhs_extract.numbers import Figure, find_figures
from xhs_extract.prefilter import gate
from xhs_extract.sentences import paragraphs, split_paragraph


def uncatalogued(raw: str, doc_id: str, records: Sequence[Statistic] = ()) -> list[dict]:
    """One JSON object per figure of `raw` whose frame fits no catalogue entry and that
    no record of `records` covers: doc_id, value_span, value, unit, and the population
    and property classes with their spans (null where the frame names none)."""
    if not gate(raw):
        return []
    norm = normalise(raw)
    taken = [r.value_span for r in records]
    out = []
    for figure, frame in _frames(norm):
        if frame.how in REFUSING or not (frame.population or frame.properties):
            continue
        if indicators_for(frame, figure.unit):
            continue
        span = norm.raw_span(figure.start, figure.end)
        if any(start < span[1] and span[0] < end for start, end in taken):
            continue
        out.append(_line(doc_id, norm, figure, frame, span))
    return out


def _frames(norm: NormalisedText) -> Iterator[tuple[Figure, Frame]]:
    text = norm.text
    for p_start, p_end in paragraphs(text):
        if not gate(text[p_start:p_end]):
            continue
        for s_start, s_end in split_paragraph(text, p_start, p_end):
            if not gate(text[s_start:s_end]):
                continue
            figures = [_shifted(f, s_start) for f in find_figures(text[s_start:s_end])]
            for figure in figures:
                yield figure, frame_of(text, (s_start, s_end), figure, figures)


def _line(
    doc_id: str, norm: NormalisedText, figure: Figure, frame: Frame, span: tuple[int, int]
) -> dict[str, Any]:
    def phrase(name: str | None, at: tuple[int, int] | None) -> dict[str, Any] | None:
        if name is None or at is None:
            return None
        start, end = norm.raw_span(*at)
        return {"class": name, "start": start, "end": end, "text": norm.raw[start:end]}

    return {
        "doc_id": doc_id,
        "value_span": list(span),
        "value": compact_number(figure.value),
        "unit": figure.unit or "count",
        "population": phrase(frame.population, frame.population_span),
        "property": phrase(frame.main_property, frame.main_property_span),
        "negative": frame.negative,
        "opinion": frame.opinion,
    }


def _shifted(figure: Figure, offset: int) -> Figure:
    def moved(at: int | None) -> int | None:
        return None if at is None else at + offset

    qualifier = figure.qualifier_span
    if qualifier is not None:
        qualifier = (qualifier[0] + offset, qualifier[1] + offset)
    return replace(
        figure,
        start=figure.start + offset,
        end=figure.end + offset,
        noun_start=moved(figure.noun_start),
        noun_end=moved(figure.noun_end),
        qualifier_span=qualifier,
    )
