"""Typed access to the language data in `patterns/`.

Code holds no word lists: every Vietnamese word a stage looks for lives in a data file
under `patterns/` and is read here, once per process, into a frozen dataclass (as spaCy
keeps its `lang/` data and dateparser its per-language YAML). One loader per data file,
named after it (`numbers.yaml` -> `numbers_data()`), each returning one frozen object.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
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


# --- populations.yaml


@dataclass(frozen=True)
class PopulationClass:
    """One class of counted things ("households") and the phrases that name it."""

    name: str
    phrases: tuple[str, ...]
    implies: str | None = None  # the property the phrase names itself ("thuê bao 2G only")
    head_only: bool = False  # names what a figure counts only right after it ("so với")
    generic: bool = False  # a head noun a rate's subject before it may name better ("người")
    requests: bool = False  # asks for what its phrase lacks ("hồ sơ … chưa cấp căn cước")
    place: bool = False  # an administrative unit: with a name after it, a place ("xã Chiềng")


@dataclass(frozen=True)
class PopulationsData:
    classes: tuple[PopulationClass, ...]  # in file order: at one place the first wins
    determiners: tuple[str, ...]
    rate_markers: tuple[str, ...]
    conjunctions: tuple[str, ...]
    having: tuple[str, ...]
    share_verbs: tuple[str, ...]
    change_words: tuple[str, ...]
    reporting: tuple[str, ...]
    denominators: tuple[str, ...]
    tied: tuple[str, ...]
    parts: tuple[str, ...]
    going_on: tuple[str, ...]
    samples: tuple[str, ...]
    sample_links: tuple[str, ...]
    possessive: tuple[str, ...]
    possessive_heads: tuple[str, ...]
    possessive_parts: tuple[str, ...]
    per_unit: tuple[str, ...]


_POPULATION_WORDS = (
    "determiners", "rate_markers", "conjunctions", "having", "share_verbs", "change_words",
    "reporting", "denominators", "tied", "parts", "going_on", "samples", "sample_links",
    "possessive", "possessive_heads", "possessive_parts", "per_unit",
)


@functools.cache
def populations_data() -> PopulationsData:
    raw = load_yaml("populations.yaml")
    words = raw["words"]
    return PopulationsData(
        classes=tuple(
            PopulationClass(
                name,
                tuple(entry["phrases"]),
                entry.get("implies"),
                bool(entry.get("head_only")),
                bool(entry.get("generic")),
                bool(entry.get("requests")),
                bool(entry.get("place")),
            )
            for name, entry in raw["classes"].items()
        ),
        **{key: tuple(words[key]) for key in _POPULATION_WORDS},
    )


# --- properties.yaml


@dataclass(frozen=True)
class PropertyClass:
    """One class of what a population has ("fibre") and the phrases that name it."""

    name: str
    phrases: tuple[str, ...]
    subsumes: tuple[str, ...] = ()
    negative: bool = False  # the population lacks it ("chưa có sóng")
    opinion: bool = False  # a survey answer, not a property ("cho rằng")
    context: bool = False  # says which field, not what is had ("an sinh xã hội")
    vague: bool = False  # a class named before it in the clause and subsuming it refines it
    restricts: bool = False  # counts only in the counted phrase itself ("… cho biết")


@dataclass(frozen=True)
class PropertiesData:
    classes: tuple[PropertyClass, ...]  # in file order: at one place the first wins


@functools.cache
def properties_data() -> PropertiesData:
    raw = load_yaml("properties.yaml")
    return PropertiesData(
        classes=tuple(
            PropertyClass(
                name,
                tuple(entry["phrases"]),
                tuple(entry.get("subsumes", ())),
                bool(entry.get("negative", False)),
                bool(entry.get("opinion", False)),
                bool(entry.get("context", False)),
                bool(entry.get("vague", False)),
                bool(entry.get("restricts", False)),
            )
            for name, entry in raw["classes"].items()
        )
    )


# --- places.yaml (and sources.yaml, metadata.yaml below)


def _str_tuple(values: list[object] | None) -> tuple[str, ...]:
    """A YAML list (or nothing) as a tuple of strings, in order."""
    return tuple(str(value) for value in values or ())


@dataclass(frozen=True)
class PlacesData:
    """patterns/places.yaml: how articles write and refer to places (see its comments)."""

    nation_name: str
    province_display: dict[str, str]
    province_aliases: dict[str, tuple[str, ...]]
    domain_keys: dict[str, str]
    prefixes: dict[str, tuple[str, ...]]
    city_type: str
    commune_types: tuple[str, ...]
    province_types: tuple[str, ...]
    district_types: tuple[str, ...]
    unit_word_types: dict[str, str]
    scope_unit_words: tuple[str, ...]
    scope_cues: dict[str, tuple[str, ...]]
    scope_cue_not_before: tuple[str, ...]
    ranking_field_before: tuple[str, ...]
    bare_unit_words: dict[str, str]
    bare_unit_not_before: tuple[str, ...]
    unit_subject_words: dict[str, str]
    unit_subject_verbs: tuple[str, ...]
    unit_subject_not_after: tuple[str, ...]
    bare_name_not_after: dict[str, tuple[str, ...]]
    nation_name_leads: tuple[str, ...]
    org_heads: tuple[tuple[float, tuple[str, ...]], ...]  # (weight, heads), in file order
    org_name_not_after: tuple[str, ...]
    org_inner_words: tuple[str, ...]
    function_words: tuple[str, ...]
    local_leads: tuple[str, ...]
    sentence_abbreviations: tuple[str, ...]
    tail_markers: tuple[str, ...]
    list_joiners: tuple[str, ...] = ()
    nation_after: tuple[str, ...] = ()
    topic_leads: tuple[str, ...] = ()
    province_renamed: dict[str, tuple[str, str]] = field(default_factory=dict)  # → (name, since)
    merger_date: str = "2025-07-01"


@functools.cache
def places_data() -> PlacesData:
    """patterns/places.yaml, read once per process."""
    raw = load_yaml("places.yaml")

    def lists(key: str) -> dict[str, tuple[str, ...]]:
        return {str(k): _str_tuple(v) for k, v in (raw.get(key) or {}).items()}

    def names(key: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in (raw.get(key) or {}).items()}

    return PlacesData(
        nation_name=str(raw["nation_name"]),
        province_display=names("province_display"),
        merger_date=str(raw.get("merger_date", "2025-07-01")),
        province_renamed={
            str(k): (str(v["name"]), str(v["since"]))
            for k, v in (raw.get("province_renamed") or {}).items()
        },
        province_aliases=lists("province_aliases"),
        domain_keys=names("domain_keys"),
        prefixes=lists("prefixes"),
        city_type=str(raw["city_type"]),
        commune_types=_str_tuple(raw["commune_types"]),
        province_types=_str_tuple(raw["province_types"]),
        district_types=_str_tuple(raw["district_types"]),
        unit_word_types=names("unit_word_types"),
        scope_unit_words=_str_tuple(raw["scope_unit_words"]),
        scope_cues=lists("scope_cues"),
        scope_cue_not_before=_str_tuple(raw.get("scope_cue_not_before")),
        ranking_field_before=_str_tuple(raw.get("ranking_field_before")),
        bare_unit_words=names("bare_unit_words"),
        bare_unit_not_before=_str_tuple(raw.get("bare_unit_not_before")),
        unit_subject_words=names("unit_subject_words"),
        unit_subject_verbs=_str_tuple(raw["unit_subject_verbs"]),
        unit_subject_not_after=_str_tuple(raw["unit_subject_not_after"]),
        bare_name_not_after=lists("bare_name_not_after"),
        nation_name_leads=_str_tuple(raw["nation_name_leads"]),
        org_heads=tuple((float(w), _str_tuple(v)) for w, v in raw["org_heads"].items()),
        org_name_not_after=_str_tuple(raw["org_name_not_after"]),
        org_inner_words=_str_tuple(raw["org_inner_words"]),
        function_words=_str_tuple(raw["function_words"]),
        local_leads=_str_tuple(raw["local_leads"]),
        sentence_abbreviations=_str_tuple(raw["sentence_abbreviations"]),
        tail_markers=_str_tuple(raw.get("tail_markers")),
        list_joiners=_str_tuple(raw.get("list_joiners")),
        nation_after=_str_tuple(raw.get("nation_after")),
        topic_leads=_str_tuple(raw.get("topic_leads")),
    )


# --- sources.yaml


@dataclass(frozen=True)
class SourcesData:
    """patterns/sources.yaml: outlets and portals and the province each belongs to
    ("nation" for national ones)."""

    domain_patterns: tuple[str, ...]
    domains: dict[str, str]
    names: dict[str, str]
    bylines: dict[str, str]
    code_letters: str  # a character class: the letters of an agency code


@functools.cache
def sources_data() -> SourcesData:
    """patterns/sources.yaml, read once per process."""
    raw = load_yaml("sources.yaml")

    def names(key: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in (raw.get(key) or {}).items()}

    return SourcesData(
        domain_patterns=_str_tuple(raw.get("domain_patterns")) or ("{key}",),
        domains=names("domains"),
        names=names("names"),
        bylines=names("bylines"),
        code_letters=str(raw["code_letters"]),
    )


# --- metadata.yaml


@dataclass(frozen=True)
class MetadataData:
    """patterns/metadata.yaml: the words of datelines, bylines and source lines."""

    day_word: str
    month_word: str
    year_word: str
    weekday_word: str
    weekday_names: tuple[str, ...]
    sunday_names: tuple[str, ...]
    weekday_abbreviations: tuple[str, ...]
    weekday_number_prefix: str
    time_suffixes: tuple[str, ...]
    time_zones: tuple[str, ...]
    metadata_line_labels: tuple[str, ...]
    breadcrumb_home: tuple[str, ...]
    published_labels: tuple[str, ...]
    updated_labels: tuple[str, ...]
    full_day_labels: tuple[str, ...]
    source_labels: tuple[str, ...]
    quoted_source_labels: tuple[str, ...]
    according_to: tuple[str, ...]
    byline_outlet_kinds: tuple[str, ...]
    author_labels: tuple[str, ...]
    author_outlet_heads: tuple[str, ...]
    not_authors: frozenset[str]


@functools.cache
def metadata_data() -> MetadataData:
    """patterns/metadata.yaml, read once per process."""
    raw = load_yaml("metadata.yaml")
    dates = raw["date_words"]
    return MetadataData(
        day_word=str(dates["day"]),
        month_word=str(dates["month"]),
        year_word=str(dates["year"]),
        weekday_word=str(raw["weekday_word"]),
        weekday_names=_str_tuple(raw["weekday_names"]),
        sunday_names=_str_tuple(raw["sunday_names"]),
        weekday_abbreviations=_str_tuple(raw["weekday_abbreviations"]),
        weekday_number_prefix=str(raw["weekday_number_prefix"]),
        time_suffixes=_str_tuple(raw["time_suffixes"]),
        time_zones=_str_tuple(raw["time_zones"]),
        metadata_line_labels=_str_tuple(raw["metadata_line_labels"]),
        breadcrumb_home=_str_tuple(raw["breadcrumb_home"]),
        published_labels=_str_tuple(raw["published_labels"]),
        updated_labels=_str_tuple(raw["updated_labels"]),
        full_day_labels=_str_tuple(raw["full_day_labels"]),
        source_labels=_str_tuple(raw["source_labels"]),
        quoted_source_labels=_str_tuple(raw["quoted_source_labels"]),
        according_to=_str_tuple(raw["according_to"]),
        byline_outlet_kinds=_str_tuple(raw["byline_outlet_kinds"]),
        author_labels=_str_tuple(raw["author_labels"]),
        author_outlet_heads=_str_tuple(raw["author_outlet_heads"]),
        not_authors=frozenset(_str_tuple(raw["not_authors"])),
    )


# --- gazetteer.json


@dataclass(frozen=True)
class GazetteerProvince:
    """A province of gazetteer.json (before the 2025 merger) and the one it joined."""

    name: str
    type: str  # tỉnh | thành phố
    province_2025: str


@dataclass(frozen=True)
class GazetteerDistrict:
    """A district-level unit of gazetteer.json with its communes by type."""

    name: str
    type: str
    province: str
    communes: tuple[tuple[str, tuple[str, ...]], ...]  # (commune type, names), in file order


@dataclass(frozen=True)
class GazetteerData:
    """patterns/gazetteer.json: the administrative units, generated by
    scripts/build_gazetteer.py."""

    provinces: tuple[GazetteerProvince, ...]
    districts: tuple[GazetteerDistrict, ...]


@functools.cache
def gazetteer_data() -> GazetteerData:
    """patterns/gazetteer.json, read once per process (with a hint to regenerate it when
    it is missing or broken)."""
    # Imported here, not in the module's head: only this loader reads JSON.
    import json  # noqa: PLC0415

    from xhs_extract.resources import patterns_dir  # noqa: PLC0415

    path = patterns_dir() / "gazetteer.json"
    hint = "generate it with `python scripts/build_gazetteer.py`"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path} is missing; {hint}") from None
    except ValueError as error:
        raise ValueError(f"{path} is not valid JSON ({error}); re{hint}") from None
    if not isinstance(raw, dict) or "provinces" not in raw or "districts" not in raw:
        raise ValueError(f"{path} lacks its provinces or districts; re{hint}")
    return GazetteerData(
        provinces=tuple(
            GazetteerProvince(str(p["name"]), str(p["type"]), str(p["province_2025"]))
            for p in raw["provinces"]
        ),
        districts=tuple(
            GazetteerDistrict(
                str(d["name"]),
                str(d["type"]),
                str(d["province"]),
                tuple((str(t), _str_tuple(n)) for t, n in (d.get("communes") or {}).items()),
            )
            for d in raw["districts"]
        ),
    )


# --- context.yaml


@dataclass(frozen=True)
class PeriodSpec:
    """One period expression: a pattern with named groups and the format built from them."""

    name: str
    pattern: str
    format: str
    targets_only: bool = False
    target_format: str | None = None
    year_from_published: bool = False  # a date written without its year
    ends: str | None = None  # "MM-DD" a period without month or day ends on ("6 tháng đầu năm")
    # A year named relative to the publication's: "this" ("năm nay"), "last" ("năm
    # ngoái"), "past" ("năm qua": the year before in its first half, else the current one),
    # "school_this" ("năm học này", "học kỳ I") and "school_last" ("năm học trước").
    relative_year: str | None = None


@dataclass(frozen=True)
class ContextData:
    """The words that tie a figure to its subject, its status, its time and its layout:
    each a regular expression (Python `regex`) over the normalised text."""

    linking_verbs: str
    subject_openers: str
    next_subject_before: str
    share_links: str
    breakdown_cues: str
    dated_breakdown_cues: str
    not_a_level_after: str
    not_a_level_before: str
    target_cues: str
    achieved_cues: str
    weak_target_cues: str
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
    ranked_place: str
    quota_before: str
    compared_before: str
    own_link: str
    figure_right_before: str
    deadline_words: str
    year_before_host: str
    quota_beaten_before: str
    bracket_figure_only: str
    per_unit_before: str
    specific_nouns: str
    threshold_before: str
    baseline_before: str
    baseline_end_after: str
    raise_before: str
    same_time_openers: str
    plan_names: str
    baseline_bracket: str
    purpose_after: str
    year_after: str
    school_year_after: str
    figure_in_bracket: str
    own_figure_in_bracket: str
    frame_year: str
    last_joint: str
    as_of_cues: str
    window_start_before: str
    time_after: str
    count_noun_lead: str
    percent_words: str
    label_value_line: str
    table_caption_line: str
    unit_line: str
    frame_time_before: str
    list_item_line: str
    field_line: str
    group_heading: str
    task_heading_words: str


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
            year_from_published=bool(item.get("year_from_published", False)),
            ends=item.get("ends"),
            relative_year=item.get("relative_year"),
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
