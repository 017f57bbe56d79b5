"""Typed access to the language data in `patterns/`.

Code holds no word lists: every Vietnamese word a stage looks for lives in a data file
under `patterns/` and is read here, once per process, into a frozen dataclass (as spaCy
keeps its `lang/` data and dateparser its per-language YAML). One loader per data file,
named after it (`numbers.yaml` -> `numbers_data()`), each returning one frozen object.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from xhs_extract.resources import load_yaml


def _words(items: Any) -> tuple[str, ...]:
    """A YAML list of words as a tuple of strings (None: empty)."""
    return tuple(str(item) for item in items or ())


def _word_map(mapping: Any) -> Mapping[str, tuple[str, ...]]:
    """A YAML mapping of name -> word list, as a read-only mapping of tuples."""
    return MappingProxyType({str(key): _words(value) for key, value in (mapping or {}).items()})


# --- numbers.yaml


@dataclass(frozen=True)
class NumberWords:
    """Numbers written in words: digits, "mười"/"mươi", "trăm", "linh"/"lẻ" (numbers.yaml)."""

    digits: Mapping[str, int]
    ten: str
    tens: str
    zero_tens: tuple[str, ...]
    hundred: str
    not_first: tuple[str, ...]


@dataclass(frozen=True)
class LabelWords:
    """Words before a number that make it a label (numbers.yaml `label_before`)."""

    time: tuple[str, ...]
    always: tuple[str, ...]
    unless_unit: tuple[str, ...]


@dataclass(frozen=True)
class NumbersData:
    """patterns/numbers.yaml: the words of the figures finder (`xhs_extract.numbers`)."""

    count_nouns: tuple[str, ...]
    scales: Mapping[str, float]
    scale_not_followed_by: tuple[str, ...]
    vnd_words: tuple[str, ...]
    dong_not_followed_by: tuple[str, ...]
    other_currencies: tuple[str, ...]
    measure_units: tuple[str, ...]
    percent_words: tuple[str, ...]
    speed_units: Mapping[str, float]
    per_100_nouns: tuple[str, ...]
    per_100_marker_nouns: tuple[str, ...]
    qualifiers: Mapping[str, tuple[str, ...]]
    negated_comparison: str
    negated_reverse: Mapping[str, str]
    qualifier_fillers: tuple[str, ...]
    qualifier_not_after: Mapping[str, tuple[str, ...]]
    after_qualifiers: Mapping[str, tuple[str, ...]]
    number_words: NumberWords
    noun_determiners: tuple[str, ...]
    half_words: tuple[str, ...]
    range_from: tuple[str, ...]
    range_words: tuple[str, ...]
    range_inner: tuple[str, ...]
    per_100_connectors: tuple[str, ...]
    per_100_not_followed_by: tuple[str, ...]
    denominator_words: tuple[str, ...]
    year_before: tuple[str, ...]
    fraction_verbs: tuple[str, ...]
    number_words_not_alone: tuple[str, ...]
    number_word_year: str
    nam_year_after: tuple[str, ...]
    label_before: LabelWords
    so_label: tuple[str, ...]
    so_label_not_after: tuple[str, ...]
    counter_labels: tuple[str, ...]
    time_after: tuple[str, ...]
    place_name_heads: tuple[str, ...]

    @property
    def all_number_words(self) -> tuple[str, ...]:
        """Every word a number may be spelled with: digits, tens, hundreds, scale words."""
        words = self.number_words
        spelled = (
            tuple(words.digits) + (words.ten, words.tens, words.hundred)
            + words.zero_tens + tuple(self.scales)
        )
        return tuple(dict.fromkeys(spelled))  # "trăm" is a digit place and a scale


@functools.cache
def numbers_data() -> NumbersData:
    """patterns/numbers.yaml, read once per process."""
    d = load_yaml("numbers.yaml")
    if not isinstance(d, dict):
        raise ValueError("patterns/numbers.yaml must be a mapping of named word lists")
    w = d["number_words"]
    labels = d["label_before"]
    return NumbersData(
        count_nouns=_words(d["count_nouns"]),
        scales=MappingProxyType({str(k): float(v) for k, v in d["scales"].items()}),
        scale_not_followed_by=_words(d["scale_not_followed_by"]),
        vnd_words=_words(d["vnd_words"]),
        dong_not_followed_by=_words(d["dong_not_followed_by"]),
        other_currencies=_words(d["other_currencies"]),
        measure_units=_words(d["measure_units"]),
        percent_words=_words(d["percent_words"]),
        speed_units=MappingProxyType({str(k): float(v) for k, v in d["speed_units"].items()}),
        per_100_nouns=_words(d["per_100_nouns"]),
        per_100_marker_nouns=_words(d["per_100_marker_nouns"]),
        qualifiers=_word_map(d["qualifiers"]),
        negated_comparison=str(d["negated_comparison"]["before"]),
        negated_reverse=MappingProxyType(
            {str(k): str(v) for k, v in d["negated_comparison"]["reverse"].items()}
        ),
        qualifier_fillers=_words(d["qualifier_fillers"]),
        qualifier_not_after=_word_map(d["qualifier_not_after"]),
        after_qualifiers=_word_map(d["after_qualifiers"]),
        number_words=NumberWords(
            digits=MappingProxyType({str(k): int(v) for k, v in w["digits"].items()}),
            ten=str(w["ten"]),
            tens=str(w["tens"]),
            zero_tens=_words(w["zero_tens"]),
            hundred=str(w["hundred"]),
            not_first=_words(w["not_first"]),
        ),
        noun_determiners=_words(d["noun_determiners"]),
        half_words=_words(d["half_words"]),
        range_from=_words(d["range_from"]),
        range_words=_words(d["range_words"]),
        range_inner=_words(d["range_inner"]),
        per_100_connectors=_words(d["per_100_connectors"]),
        per_100_not_followed_by=_words(d["per_100_not_followed_by"]),
        denominator_words=_words(d["denominator_words"]),
        year_before=_words(d["year_before"]),
        fraction_verbs=_words(d["fraction_verbs"]),
        number_words_not_alone=_words(d["number_words_not_alone"]),
        number_word_year=str(d["number_word_year"]),
        nam_year_after=_words(d["nam_year_after"]),
        label_before=LabelWords(
            time=_words(labels["time"]),
            always=_words(labels["always"]),
            unless_unit=_words(labels["unless_unit"]),
        ),
        so_label=_words(d["so_label"]),
        so_label_not_after=_words(d["so_label_not_after"]),
        counter_labels=_words(d["counter_labels"]),
        time_after=_words(d["time_after"]),
        place_name_heads=_words(d["place_name_heads"]),
    )


# --- furniture.yaml


@dataclass(frozen=True)
class FurnitureData:
    """patterns/furniture.yaml: cues of page furniture, blanked by the normalise stage."""

    block_headers: tuple[str, ...]
    line_patterns: tuple[str, ...]
    bracket_end_patterns: tuple[str, ...]
    inline_patterns: tuple[str, ...]
    inline_triggers: tuple[str, ...]
    html_drop_markers: tuple[str, ...]


@functools.cache
def furniture_data() -> FurnitureData:
    """patterns/furniture.yaml, read once per process."""
    d = load_yaml("furniture.yaml")
    return FurnitureData(
        block_headers=_words(d["block_headers"]),
        line_patterns=_words(d["line_patterns"]),
        bracket_end_patterns=_words(d["bracket_end_patterns"]),
        inline_patterns=_words(d["inline_patterns"]),
        inline_triggers=_words(d["inline_triggers"]),
        html_drop_markers=_words(d.get("html_drop_markers")),
    )


# --- legacy_encodings.yaml


@dataclass(frozen=True)
class SyllableParts:
    """What a Vietnamese syllable is made of once its tone mark is removed."""

    onsets: tuple[str, ...]
    nuclei: tuple[str, ...]
    codas: tuple[str, ...]


@dataclass(frozen=True)
class LegacyEncodingsData:
    """patterns/legacy_encodings.yaml: letter -> hexadecimal bytes, per 8-bit encoding."""

    encodings: Mapping[str, Mapping[str, str]]  # "tcvn3", "vni" -> letter -> "41 D8"
    syllable: SyllableParts


@functools.cache
def legacy_encodings_data() -> LegacyEncodingsData:
    """patterns/legacy_encodings.yaml, read once per process."""
    d = load_yaml("legacy_encodings.yaml")
    syllable = d["vietnamese_syllable"]
    encodings = {
        str(name): MappingProxyType({str(k): str(v) for k, v in table["letters"].items()})
        for name, table in d.items()
        if name != "vietnamese_syllable"
    }
    return LegacyEncodingsData(
        encodings=MappingProxyType(encodings),
        syllable=SyllableParts(
            onsets=_words(syllable["onsets"]),
            nuclei=_words(syllable["nuclei"]),
            codas=_words(syllable["codas"]),
        ),
    )


# --- places.yaml: `prefixes` only (read by evaluate.py; the file and its full loader
# belong to the geo stage, which may fold this section into its own `places_data()`)


@dataclass(frozen=True)
class PlacePrefixes:
    """Administrative prefixes before a place name ("tỉnh", "thành phố", "tp.")."""

    prefixes: tuple[str, ...]


@functools.cache
def place_prefixes_data() -> PlacePrefixes:
    """The `prefixes` of patterns/places.yaml, read once per process."""
    return PlacePrefixes(prefixes=_words(load_yaml("places.yaml")["prefixes"]))
