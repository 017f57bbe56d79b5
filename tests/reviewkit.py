"""Records made by hand for the review, consolidation, gap and report tests."""

from __future__ import annotations

from typing import Optional

from xhs_extract.models import Evidence, Geo, Statistic, statistic_id

PROVINCE_A = Geo(
    name="Hà Giang", level="province", province="Hà Giang", province_2025="Tuyên Quang"
)
PROVINCE_B = Geo(
    name="Tuyên Quang", level="province", province="Tuyên Quang", province_2025="Tuyên Quang"
)
DISTRICT_A = Geo(
    name="Vị Xuyên", level="district", province="Hà Giang", province_2025="Tuyên Quang"
)


def record(
    doc_id: str = "d1",
    indicator: str = "adult_smartphone_rate",
    value: float = 80.0,
    unit: str = "percent",
    start: int = 0,
    status: str = "achieved",
    period: Optional[str] = "2024",
    geo: Optional[Geo] = PROVINCE_A,
    qualifier: str = "exact",
) -> Statistic:
    span = (start, start + 3)
    return Statistic(
        id=statistic_id(doc_id, indicator, span),
        doc_id=doc_id,
        indicator=indicator,
        value=value,
        unit=unit,  # type: ignore[arg-type]
        qualifier=qualifier,  # type: ignore[arg-type]
        status=status,  # type: ignore[arg-type]
        period=period,
        geo=geo,
        value_span=span,
        evidence=Evidence(start=0, end=start + 3, text="x" * (start + 3)),
        extractor="rule:test",
    )
