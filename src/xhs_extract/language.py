"""Typed access to the language data in `patterns/`.

Code holds no word lists: every Vietnamese word a stage looks for lives in a data file
under `patterns/` and is read here, once per process, into a frozen dataclass (as spaCy
keeps its `lang/` data and dateparser its per-language YAML). One loader per data file,
named after it (`numbers.yaml` -> `numbers_data()`), each returning one frozen object.
"""

from __future__ import annotations

import functools  # noqa: F401 - the loaders below are cached with functools.cache
from dataclasses import dataclass  # noqa: F401

from xhs_extract.resources import load_yaml  # noqa: F401

# --- indicators.yaml: the `national_targets` part (read by gaps.py and report.py)


@dataclass(frozen=True)
class NationalTarget:
    """One national target: `indicator` should reach `value` (`unit`) by the end of `year`."""

    indicator: str
    year: int
    value: float
    unit: str
    bound: str  # at_least ("đạt 80%") or over ("trên 50%")
    source: str
    note: str | None = None


@dataclass(frozen=True)
class IndicatorsTargetsData:
    """Every national target of the catalogue, sorted by indicator, unit and year."""

    targets: tuple[NationalTarget, ...]

    def for_indicator(self, indicator: str, unit: str) -> tuple[NationalTarget, ...]:
        return tuple(t for t in self.targets if t.indicator == indicator and t.unit == unit)


_BOUNDS = ("at_least", "over")


@functools.cache
def indicators_targets_data() -> IndicatorsTargetsData:
    """The `national_targets` of patterns/indicators.yaml, checked and typed."""
    targets: list[NationalTarget] = []
    for entries in (load_yaml("indicators.yaml") or {}).values():
        for code, entry in (entries or {}).items():
            for item in (entry or {}).get("national_targets") or ():
                target = NationalTarget(
                    indicator=str(code),
                    year=int(item["year"]),
                    value=float(item["value"]),
                    unit=str(item.get("unit", "percent")),
                    bound=str(item.get("bound", "at_least")),
                    source=str(item["source"]),
                    note=item.get("note"),
                )
                if target.bound not in _BOUNDS or target.unit not in entry.get("units", ()):
                    raise ValueError(f"indicators.yaml: bad national target for {code}: {item}")
                targets.append(target)
    targets.sort(key=lambda t: (t.indicator, t.unit, t.year))
    return IndicatorsTargetsData(tuple(targets))
# --- populations.yaml


@dataclass(frozen=True)
class PopulationClass:
    """One class of counted things ("households") and the phrases that name it."""

    name: str
    phrases: tuple[str, ...]
    implies: str | None = None  # the property the phrase names itself ("thuê bao 2G only")
    head_only: bool = False  # names what a figure counts only right after it ("so với")
    generic: bool = False  # a head noun a rate's subject before it may name better ("người")


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


_POPULATION_WORDS = (
    "determiners", "rate_markers", "conjunctions", "having", "share_verbs", "change_words",
    "reporting", "denominators",
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
            )
            for name, entry in raw["classes"].items()
        )
    )
