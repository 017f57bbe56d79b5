"""The typed core every stage speaks: the statistic record, its parts, the document record.

Field names and meanings follow the records contract (README, "Output records"); fields
marked as additions are this project's own and never re-mean a contract field.
"""

from __future__ import annotations

import hashlib
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Unit = Literal["percent", "count", "per_100_people", "vnd", "mbps"]
Qualifier = Literal["exact", "approx", "nearly", "over", "under", "at_least", "at_most"]
Status = Literal["achieved", "target"]
GeoLevel = Literal["nation", "province", "city", "district", "commune", "village"]

UNITS: tuple[str, ...] = ("percent", "count", "per_100_people", "vnd", "mbps")
QUALIFIERS: tuple[str, ...] = ("exact", "approx", "nearly", "over", "under", "at_least", "at_most")
STATUSES: tuple[str, ...] = ("achieved", "target")
GEO_LEVELS: tuple[str, ...] = ("nation", "province", "city", "district", "commune", "village")


class Geo(BaseModel):
    """The place a figure is about. Names carry no administrative prefix (tỉnh, huyện …)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    level: GeoLevel
    province: Optional[str] = None
    province_2025: Optional[str] = None


class Evidence(BaseModel):
    """The sentence or clause that carries the figure, as offsets into the original text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> "Evidence":
        if self.end < self.start:
            raise ValueError(f"evidence end {self.end} is before its start {self.start}")
        return self


class Subject(BaseModel):
    """The phrase that says what a figure counts and what it has ("hộ gia đình có Internet
    cáp quang"), as offsets into the original text; an addition to the contract."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> "Subject":
        if self.end < self.start:
            raise ValueError(f"subject end {self.end} is before its start {self.start}")
        return self


class Statistic(BaseModel):
    """One figure that measures a catalogue indicator: one line of the output JSONL."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    doc_id: str
    indicator: str
    value: float
    unit: Unit
    qualifier: Qualifier = "exact"
    status: Status = "achieved"
    period: Optional[str] = None
    geo: Optional[Geo] = None
    value_span: tuple[int, int]
    evidence: Evidence
    denominator: Optional[float] = None
    extractor: str
    # Added in version 2 of the contract: the phrase saying what the figure counts and what
    # it has (null only in records written before it).
    subject: Optional[Subject] = None
    # Additions to the contract: the upper end of a range ("27 – 34%"), and why a
    # number's reading needed a rule to decide ("1.500": thousands, not a decimal).
    value_max: Optional[float] = None
    notes: list[str] = Field(default_factory=list)

    @field_validator("value_span")
    @classmethod
    def _span_ordered(cls, span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        if start < 0 or end <= start:
            raise ValueError(f"value_span {list(span)} is not a non-empty range")
        return span

    def to_json_dict(self) -> dict:
        """The record as written to JSONL: contract order, integral floats as ints."""
        data = self.model_dump(mode="json")
        for key in ("value", "denominator", "value_max"):
            data[key] = compact_number(data[key])
        data["value_span"] = list(self.value_span)
        if not data["notes"]:
            del data["notes"]
        if data["value_max"] is None:
            del data["value_max"]
        if data["subject"] is None:
            del data["subject"]
        return data


class DocumentRecord(BaseModel):
    """One line per input file: what the article is, where it is from, what came of it."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    path: str
    sha256: str
    encoding: Optional[str] = None
    title: Optional[str] = None
    published: Optional[str] = None
    source: Optional[str] = None
    place: Optional[Geo] = None
    n_chars: int = 0
    n_sentences: Optional[int] = None  # null for documents the extractors had no need to read
    n_records: int = 0
    n_rejected: int = 0
    warnings: list[str] = Field(default_factory=list)


def compact_number(value: float | int | None) -> float | int | None:
    """92.0 -> 92 so that JSON shows figures as people write them; other floats unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def statistic_id(doc_id: str, indicator: str, value_span: tuple[int, int]) -> str:
    """Stable id: the same text gives the same id on every run and every machine."""
    key = f"{doc_id}\x1f{indicator}\x1f{value_span[0]}\x1f{value_span[1]}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def place_columns(prefix: str, place: Geo | None) -> dict[str, str | None]:
    """A place as the flat columns every table holds it in: `<prefix>_name`, `_level`,
    `_province`, `_province_2025` (all None when there is no place)."""
    return {
        f"{prefix}_name": place.name if place else None,
        f"{prefix}_level": place.level if place else None,
        f"{prefix}_province": place.province if place else None,
        f"{prefix}_province_2025": place.province_2025 if place else None,
    }
