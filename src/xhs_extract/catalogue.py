"""The indicator catalogue (`patterns/indicators.yaml`) as validated pydantic models."""

from __future__ import annotations

import functools
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from xhs_extract.models import Unit
from xhs_extract.resources import load_yaml


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
    # Read and typed by language.indicators_targets_data() (year, value, unit, bound, source).
    national_targets: tuple[dict[str, Any], ...] = ()
    # What the indicator counts, as population and property classes (see frames.py).
    frame: tuple[dict[str, tuple[str, ...]], ...] = ()


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True)

    indicators: dict[str, Indicator]

    def __contains__(self, code: object) -> bool:
        return code in self.indicators

    def __getitem__(self, code: str) -> Indicator:
        return self.indicators[code]

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
