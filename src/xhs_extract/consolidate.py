"""Consolidated facts: one value per place, indicator, unit, status and period, with its sources.

Several articles often report the same figure (a province's press office, its newspaper, a
national site). A fact gathers the records that say the same thing and keeps one value:

- **Key.** place (name, level, province, province_2025), indicator, unit, status and period.
  A record without a period ("đến nay") holds at its article's publication date, so such
  records are grouped by that date too: "đến nay" in 2022 and in 2024 are two facts.
- **as_of.** the period when the text states one, else the publication date.
- **value.** the value of the most recently published source; within one article, the
  figure that comes first (a total comes before its breakdown); between articles of the
  same date, the smaller doc_id. The choice never depends on input order.
- **conflict.** true when a source in another article differs from the chosen value by more
  than the tolerance: 0.5 percentage points for shares, 1 % of the value for everything
  else. Several figures of one key in one article are a breakdown, not a disagreement.

Values are never summed or averaged (shares cannot be, and counts of the same thing reported
twice must not be). The merged-province view lists the old provinces' facts side by side.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from xhs_extract.jsonl import atomic_output
from xhs_extract.models import GEO_LEVELS, Geo, Statistic, compact_number, place_columns
from xhs_extract.normalise import strip_marks

PERCENT_TOLERANCE = 0.5  # percentage points
RELATIVE_TOLERANCE = 0.01  # share of the value, for every other unit


@dataclass(frozen=True)
class Source:
    """One record behind a fact."""

    id: str
    doc_id: str
    value: float
    qualifier: str
    published: Optional[str]
    position: int  # where the figure starts in its article

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "doc_id": self.doc_id,
            "value": compact_number(self.value),
            "qualifier": self.qualifier,
            "published": self.published,
        }


@dataclass(frozen=True)
class Fact:
    """One value per place, indicator, unit, status and period; `sources` say where from."""

    place: Optional[Geo]
    indicator: str
    unit: str
    status: str
    period: Optional[str]
    as_of: Optional[str]
    value: float
    qualifier: str
    sources: tuple[Source, ...]
    conflict: bool

    @property
    def province(self) -> Optional[str]:
        return self.place.province if self.place else None

    @property
    def province_2025(self) -> Optional[str]:
        return self.place.province_2025 if self.place else None

    @property
    def is_provincial(self) -> bool:
        """True for a figure about a whole province. Centrally-run cities (Hà Nội, Đà Nẵng)
        are at the province level; a `city` is a provincial city (Hải Dương in Hải Dương)."""
        place = self.place
        return place is not None and place.level == "province" and place.name == place.province

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "place": self.place.model_dump(mode="json") if self.place else None,
            "indicator": self.indicator,
            "unit": self.unit,
            "status": self.status,
            "period": self.period,
            "as_of": self.as_of,
            "value": compact_number(self.value),
            "qualifier": self.qualifier,
            "sources": [source.to_json_dict() for source in self.sources],
            "conflict": self.conflict,
        }


def disagree(unit: str, a: float, b: float) -> bool:
    """True when two values of one fact differ by more than the stated tolerance."""
    if unit == "percent":
        return abs(a - b) > PERCENT_TOLERANCE
    return abs(a - b) > RELATIVE_TOLERANCE * max(abs(a), abs(b))


def chosen_first(sources: Iterable[Source]) -> list[Source]:
    """Sources in order of preference: the first one gives the fact its value."""
    # Within an article the figure that comes first (a total comes before its breakdown);
    # then (a stable sort) the latest publication first. Dates are ISO strings; a missing
    # date sorts last.
    ordered = sorted(sources, key=lambda s: (s.doc_id, s.position))
    ordered.sort(key=lambda s: s.published or "", reverse=True)
    return ordered


def _conflict(unit: str, chosen: Source, sources: list[Source]) -> bool:
    # Only other articles can disagree: a second figure of the same key in one article is
    # a breakdown or a baseline ("trong đó 1.540 trạm 4G"), not another report of it.
    return any(
        disagree(unit, chosen.value, s.value) for s in sources if s.doc_id != chosen.doc_id
    )


def consolidate(
    records: Iterable[Statistic], published: Mapping[str, Optional[str]]
) -> list[Fact]:
    """Facts from records; `published` maps doc_id to the article's publication date."""
    groups: dict[tuple, list[tuple[Statistic, Source]]] = defaultdict(list)
    for record in records:
        date = published.get(record.doc_id)
        source = Source(
            record.id, record.doc_id, record.value, record.qualifier, date, record.value_span[0]
        )
        key = (
            record.geo,
            record.indicator,
            record.unit,
            record.status,
            record.period,
            record.period or date,
        )
        groups[key].append((record, source))
    facts = []
    for (geo, indicator, unit, status, period, as_of), members in groups.items():
        sources = chosen_first(source for _, source in members)
        chosen = sources[0]
        facts.append(
            Fact(
                place=geo,
                indicator=indicator,
                unit=unit,
                status=status,
                period=period,
                as_of=as_of,
                value=chosen.value,
                qualifier=chosen.qualifier,
                sources=tuple(sources),
                conflict=_conflict(unit, chosen, sources),
            )
        )
    facts.sort(key=fact_order)
    return facts


def fact_order(fact: Fact) -> tuple:
    place = fact.place
    return (
        place is None,
        (
            name_key(place.province_2025 or ""),
            name_key(place.province or ""),
            GEO_LEVELS.index(place.level),
            name_key(place.name),
        )
        if place
        else (),
        fact.indicator,
        fact.unit,
        fact.status,
        period_key(fact.as_of),
        fact.period or "",
    )


_PARTS = {"Q": 3, "H": 6}  # months per quarter, per half year


def period_key(period: Optional[str]) -> str:
    """A sortable form of a period or date: '2023/2024' (a school year) ends in 2024-06."""
    if not period:
        return ""
    if "/" in period:
        return period.rsplit("/", 1)[1] + "-06"
    year, _, part = period.partition("-")
    if part[:1] in _PARTS and part[1:].isdigit():  # 2023-Q3 ends in September, 2024-H1 in June
        return f"{year}-{_PARTS[part[0]] * int(part[1:]):02d}"
    return period


def period_year(period: Optional[str]) -> Optional[int]:
    """The calendar year a period or date ends in, or None."""
    key = period_key(period)
    return int(key[:4]) if key[:4].isdigit() else None


def name_key(name: str) -> tuple[str, str]:
    """Sort key for place names in Vietnamese alphabetical order, near enough: letters
    without their marks first (Đ as D), the exact name to break ties."""
    return (strip_marks(name).casefold(), name)


def by_province_2025(facts: Iterable[Fact]) -> dict[str, dict[str, list[Fact]]]:
    """Merged province -> old province -> its facts, as they are (never added together)."""
    view: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
    for fact in facts:
        if fact.place is None or not fact.province_2025:
            continue
        view[fact.province_2025][fact.province or fact.place.name].append(fact)
    return {
        merged: dict(sorted(old.items(), key=lambda item: name_key(item[0])))
        for merged, old in sorted(view.items(), key=lambda item: name_key(item[0]))
    }


# --------------------------------------------------------------------------- files


def read_records(path: Path) -> list[Statistic]:
    """Statistic records from an output JSONL."""
    with path.open(encoding="utf-8") as handle:
        return [Statistic.model_validate_json(line) for line in handle if line.strip()]


def read_published(path: Optional[Path]) -> dict[str, Optional[str]]:
    """doc_id -> publication date, from a documents JSONL (empty when there is none)."""
    if path is None or not path.exists():
        return {}
    published: dict[str, Optional[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                data = json.loads(line)
                published[data["doc_id"]] = data.get("published")
    return published


def write_facts(facts: Iterable[Fact], path: Path) -> int:
    """One fact per line; returns how many."""
    count = 0
    with atomic_output(path) as handle:  # the folder created, the old file kept until done
        for fact in facts:
            handle.write(json.dumps(fact.to_json_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count


def province_2025_json(facts: Iterable[Fact]) -> dict[str, Any]:
    """The merged-province view as JSON: {province_2025: {old province: [facts]}}."""
    return {
        merged: {old: [fact.to_json_dict() for fact in items] for old, items in olds.items()}
        for merged, olds in by_province_2025(facts).items()
    }


# --------------------------------------------------------------------------- database


def facts_table(metadata: Any) -> Any:
    """The `facts` table: one row per fact, its sources as a JSON list."""
    import sqlalchemy as sa

    return sa.Table(
        "facts",
        metadata,
        sa.Column("place_name", sa.String(200)),
        sa.Column("place_level", sa.String(20)),
        sa.Column("place_province", sa.String(100)),
        sa.Column("place_province_2025", sa.String(100)),
        sa.Column("indicator", sa.String(100), nullable=False),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("period", sa.String(40)),
        sa.Column("as_of", sa.String(40)),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("qualifier", sa.String(20), nullable=False),
        sa.Column("conflict", sa.Boolean, nullable=False),
        sa.Column("sources", sa.Text, nullable=False),
        comment="Consolidated facts (xhs-extract consolidate): one per place, indicator, "
        "unit, status and period.",
    )


def fact_row(fact: Fact) -> dict[str, Any]:
    place = fact.place
    return {
        **place_columns("place", place),
        "indicator": fact.indicator,
        "unit": fact.unit,
        "status": fact.status,
        "period": fact.period,
        "as_of": fact.as_of,
        "value": fact.value,
        "qualifier": fact.qualifier,
        "conflict": fact.conflict,
        "sources": json.dumps([s.to_json_dict() for s in fact.sources], ensure_ascii=False),
    }


def write_facts_table(url: str, facts: Iterable[Fact]) -> int:
    """Replace the database's `facts` table with these facts, in one transaction."""
    import sqlalchemy as sa

    from xhs_extract.db import connect

    table = facts_table(sa.MetaData())
    rows = [fact_row(fact) for fact in facts]
    engine = connect(url)
    try:
        table.create(engine, checkfirst=True)
        with engine.begin() as conn:
            conn.execute(table.delete())
            if rows:
                conn.execute(table.insert(), rows)
    finally:
        engine.dispose()
    return len(rows)
