"""Target gaps: how far each province is from its own targets and from the national ones.

For each province and indicator (in one unit), from the consolidated facts about the whole
province (not one of its districts or communes):

- **achieved**: the latest achieved fact (by `as_of`);
- **province target**: the province's own target (a fact with status `target`): the first
  one due in or after the year of the achieved value, else the latest one;
- **national target**: from `national_targets` in patterns/indicators.yaml, chosen the same
  way (the first due in or after that year, else the latest);
- **gap** to each: target minus achieved, in the indicator's unit (percentage points for
  shares). Positive means still to go; zero or negative means met ("over" targets need more
  than the value).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from xhs_extract.catalogue import NationalTarget, load_catalogue
from xhs_extract.consolidate import Fact, name_key, period_key, period_year
from xhs_extract.models import compact_number


@dataclass(frozen=True)
class Gap:
    """One province and indicator: the latest value, both targets and the gaps to them."""

    province: str
    province_2025: Optional[str]
    indicator: str
    unit: str
    achieved: Optional[Fact]
    province_target: Optional[Fact]
    national_target: Optional[NationalTarget]

    @property
    def gap_to_province_target(self) -> Optional[float]:
        if self.achieved is None or self.province_target is None:
            return None
        return _round(self.province_target.value - self.achieved.value)

    @property
    def gap_to_national_target(self) -> Optional[float]:
        if self.achieved is None or self.national_target is None:
            return None
        return _round(self.national_target.value - self.achieved.value)

    @property
    def meets_national_target(self) -> Optional[bool]:
        if self.achieved is None or self.national_target is None:
            return None
        if self.national_target.bound == "over":
            return self.achieved.value > self.national_target.value
        return self.achieved.value >= self.national_target.value

    def to_json_dict(self) -> dict[str, Any]:
        achieved, own, national = self.achieved, self.province_target, self.national_target
        return {
            "province": self.province,
            "province_2025": self.province_2025,
            "indicator": self.indicator,
            "unit": self.unit,
            "achieved": _fact_summary(achieved),
            "province_target": _fact_summary(own),
            "national_target": None
            if national is None
            else {
                "year": national.year,
                "value": compact_number(national.value),
                "bound": national.bound,
                "source": national.source,
            },
            "gap_to_province_target": compact_number(self.gap_to_province_target),
            "gap_to_national_target": compact_number(self.gap_to_national_target),
            "meets_national_target": self.meets_national_target,
        }


def _round(value: float) -> float:
    return round(value, 6)


def _fact_summary(fact: Optional[Fact]) -> Optional[dict[str, Any]]:
    if fact is None:
        return None
    return {
        "value": compact_number(fact.value),
        "qualifier": fact.qualifier,
        "as_of": fact.as_of,
        "sources": [source.id for source in fact.sources],
    }


def _due_from(items: Sequence, year: Optional[int], year_of) -> Any:  # noqa: ANN001
    """The first item due in or after `year`, else the latest; items sorted by date."""
    if not items:
        return None
    if year is not None:
        for item in items:
            due = year_of(item)
            if due is not None and due >= year:
                return item
    return items[-1]


def gap_table(facts: Iterable[Fact]) -> list[Gap]:
    """One row per province, indicator and unit with a provincial fact, sorted."""
    achieved: dict[tuple, list[Fact]] = {}
    targets: dict[tuple, list[Fact]] = {}
    provinces: dict[str, Optional[str]] = {}
    for fact in facts:
        if not fact.is_provincial or fact.province is None:
            continue
        provinces[fact.province] = fact.province_2025
        key = (fact.province, fact.indicator, fact.unit)
        (targets if fact.status == "target" else achieved).setdefault(key, []).append(fact)
    national = load_catalogue().national
    rows = []
    for key in sorted(set(achieved) | set(targets), key=lambda k: (name_key(k[0]), k[1:])):
        province, indicator, unit = key
        done = sorted(achieved.get(key, ()), key=lambda f: period_key(f.as_of))
        latest = done[-1] if done else None
        year = period_year(latest.as_of) if latest else None
        own = sorted(targets.get(key, ()), key=lambda f: period_key(f.as_of))
        rows.append(
            Gap(
                province=province,
                province_2025=provinces[province],
                indicator=indicator,
                unit=unit,
                achieved=latest,
                province_target=_due_from(own, year, lambda f: period_year(f.as_of)),
                national_target=_due_from(
                    national.for_indicator(indicator, unit), year, lambda t: t.year
                ),
            )
        )
    return rows
