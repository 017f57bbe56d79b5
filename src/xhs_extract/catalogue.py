"""The indicator catalogue (`patterns/indicators.yaml`) as validated pydantic models."""

from __future__ import annotations

import functools
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from xhs_extract.models import Unit
from xhs_extract.resources import load_yaml


class NationalTarget(BaseModel):
    """One national target: `indicator` should reach `value` (`unit`) by the end of `year`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str
    year: int
    value: float
    unit: Unit = "percent"
    bound: Literal["at_least", "over"] = "at_least"  # "đạt 80%" or "trên 50%"
    source: str
    note: Optional[str] = None


class NationalTargets(BaseModel):
    """Every national target of the catalogue, sorted by indicator, unit and year."""

    model_config = ConfigDict(frozen=True)

    targets: tuple[NationalTarget, ...]

    def for_indicator(self, indicator: str, unit: str) -> tuple[NationalTarget, ...]:
        return tuple(t for t in self.targets if t.indicator == indicator and t.unit == unit)


class Indicator(BaseModel):
    """One measured concept. Codes are stable; a concept may be reported in several units."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    section: str
    name_vi: str
    units: tuple[Unit, ...] = Field(min_length=1)
    what_counts: Optional[str] = None
    not_: Optional[str] = Field(default=None, alias="not")
    targets: dict[int, float] = Field(default_factory=dict)
    # National programmes' targets, each with its source (gaps.py, report.py).
    national_targets: tuple[NationalTarget, ...] = ()
    # What the indicator counts, as population and property classes (see frames.py).
    frame: tuple[dict[str, tuple[str, ...]], ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _targets_name_their_indicator(cls, data: dict) -> dict:
        targets = data.get("national_targets") if isinstance(data, dict) else None
        if targets:
            named = [{"indicator": data["code"], **target} for target in targets]
            data = {**data, "national_targets": named}
        return data

    @model_validator(mode="after")
    def _targets_in_own_units(self) -> "Indicator":
        for target in self.national_targets:
            if target.unit not in self.units:
                raise ValueError(f"{self.code}: a national target in {target.unit}, not its unit")
        return self


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True)

    indicators: dict[str, Indicator]

    def __contains__(self, code: object) -> bool:
        return code in self.indicators

    def __getitem__(self, code: str) -> Indicator:
        return self.indicators[code]

    @functools.cached_property
    def national(self) -> NationalTargets:
        """The national targets of every indicator."""
        targets = (t for indicator in self.indicators.values() for t in indicator.national_targets)
        ordered = sorted(targets, key=lambda t: (t.indicator, t.unit, t.year))
        return NationalTargets(targets=tuple(ordered))

    def allows(self, code: str, unit: str) -> bool:
        indicator = self.indicators.get(code)
        return indicator is not None and unit in indicator.units


def parse_catalogue(data: dict) -> Catalogue:
    """Sections of {code: entry} -> Catalogue; raises pydantic.ValidationError on a bad entry."""
    indicators: dict[str, Indicator] = {}
    for section, entries in data.items():
        for code, entry in (entries or {}).items():
            if code in indicators:
                raise ValueError(f"indicator code {code!r} appears twice in the catalogue")
            indicators[code] = Indicator.model_validate({"code": code, "section": section, **entry})
    return Catalogue(indicators=indicators)


@functools.lru_cache(maxsize=1)
def load_catalogue() -> Catalogue:
    """The project's catalogue, loaded and validated once per process."""
    return parse_catalogue(load_yaml("indicators.yaml"))
