"""Typed access to the language data in `patterns/`.

Code holds no word lists: every Vietnamese word a stage looks for lives in a data file
under `patterns/` and is read here, once per process, into a frozen dataclass (as spaCy
keeps its `lang/` data and dateparser its per-language YAML). One loader per data file,
named after it (`numbers.yaml` -> `numbers_data()`), each returning one frozen object.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from typing import Any, Mapping

from xhs_extract.resources import load_yaml

# --- context.yaml


@dataclass(frozen=True)
class PeriodSpec:
    """One period expression: a pattern with named groups and the format built from them."""

    name: str
    pattern: str
    format: str
    targets_only: bool = False
    target_format: str | None = None


@dataclass(frozen=True)
class ContextData:
    """The words that tie a figure to its subject, its status, its time and its layout:
    each a regular expression (Python `regex`) over the normalised text."""

    linking_verbs: str
    subject_openers: str
    next_subject_before: str
    share_links: str
    breakdown_cues: str
    not_a_level_after: str
    not_a_level_before: str
    target_cues: str
    achieved_cues: str
    periods: tuple[PeriodSpec, ...]
    no_period_cues: str
    year_in_name_before: str
    foreign_scope: str
    people_nouns: str
    domestic_scope: str
    remaining_before: str
    negation_after: str
    plan_achievement: str
    clause_after_comma: str
    clause_opener: str
    anaphors: str
    per_unit_before: str
    specific_nouns: str
    threshold_before: str
    baseline_before: str
    baseline_end_after: str
    year_after: str
    school_year_after: str
    figure_in_bracket: str
    own_figure_in_bracket: str
    frame_year: str
    last_joint: str
    count_noun_lead: str
    percent_words: str
    label_value_line: str
    list_item_line: str


@functools.cache
def context_data() -> ContextData:
    """`patterns/context.yaml`, read once per process."""
    data = load_yaml("context.yaml")
    periods = tuple(
        PeriodSpec(
            name=item["name"],
            pattern=item["pattern"],
            format=item["format"],
            targets_only=bool(item.get("targets_only", False)),
            target_format=item.get("target_format"),
        )
        for item in data["periods"]
    )
    names = [f.name for f in fields(ContextData) if f.name != "periods"]
    return ContextData(periods=periods, **{name: str(data[name]) for name in names})


# --- phrasings.yaml


@dataclass(frozen=True)
class IndicatorPhrasing:
    """How the news names one indicator (see the head of `patterns/phrasings.yaml`)."""

    all: tuple[str, ...] = ()
    sentence: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    count_nouns: tuple[str, ...] = ()
    overrides: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhrasingsData:
    """Shared cues by name, each indicator's phrasing, and a sentence every stage reads
    (`warm_up`: what a worker process reads once before its first file)."""

    cues: Mapping[str, str]
    indicators: Mapping[str, IndicatorPhrasing]
    warm_up: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "PhrasingsData":
        """Phrasing data as parsed from YAML (or written by hand in a test)."""

        def strings(spec: Mapping[str, Any], key: str) -> tuple[str, ...]:
            return tuple(spec.get(key, []) or [])

        indicators = {
            code: IndicatorPhrasing(
                **{key: strings(spec, key) for key in ("all", "sentence", "none")},
                count_nouns=strings(spec, "count_nouns"),
                overrides=strings(spec, "overrides"),
            )
            for code, spec in data["indicators"].items()
        }
        return cls(dict(data["cues"]), indicators, str(data.get("warm_up", "")))


@functools.cache
def phrasings_data() -> PhrasingsData:
    """`patterns/phrasings.yaml`, read once per process."""
    return PhrasingsData.from_mapping(load_yaml("phrasings.yaml"))


# --- abbreviations.yaml


@dataclass(frozen=True)
class AbbreviationsData:
    """Abbreviations that end with a dot without ending a sentence (case-sensitive)."""

    abbreviations: tuple[str, ...]


@functools.cache
def abbreviations_data() -> AbbreviationsData:
    """`patterns/abbreviations.yaml`, read once per process."""
    return AbbreviationsData(tuple(load_yaml("abbreviations.yaml")["abbreviations"]))
