"""Target gaps: the latest value against the province's own and the national target."""

import json

from typer.testing import CliRunner

from tests.reviewkit import DISTRICT_A, record
from xhs_extract.catalogue import load_catalogue
from xhs_extract.cli import app
from xhs_extract.consolidate import consolidate
from xhs_extract.gaps import gap_table


def test_every_national_target_has_a_source_and_a_unit_of_its_indicator():
    catalogue = load_catalogue()
    targets = load_catalogue().national.targets
    assert len(targets) >= 25
    for target in targets:
        assert target.source.strip()
        assert target.unit in catalogue[target.indicator].units
        assert 2020 <= target.year <= 2030
    smartphone = load_catalogue().national.for_indicator("adult_smartphone_rate", "percent")
    assert [(t.year, t.value) for t in smartphone] == [(2025, 80.0), (2030, 95.0)]


def test_national_targets_agree_with_the_catalogue_targets():
    for indicator in load_catalogue().indicators.values():
        national = {
            t.year: t.value
            for t in load_catalogue().national.targets
            if t.indicator == indicator.code
        }
        for year, value in indicator.targets.items():
            assert national.get(year) == value, (indicator.code, year)


def test_gap_to_the_next_national_target_and_to_the_province_target():
    records = [
        record(value=70.0, period="2023", start=0),
        record(value=74.5, period="2024", start=10),
        record(value=85.0, period="2025", status="target", start=20),
        record(value=60.0, period="2024", geo=DISTRICT_A, start=30),  # not the whole province
    ]
    (gap,) = gap_table(consolidate(records, {}))
    assert gap.province == "Hà Giang" and gap.province_2025 == "Tuyên Quang"
    assert gap.achieved is not None and gap.achieved.value == 74.5
    assert gap.province_target is not None and gap.province_target.value == 85.0
    assert gap.national_target is not None and gap.national_target.year == 2025
    assert gap.gap_to_province_target == 10.5
    assert gap.gap_to_national_target == 5.5
    assert gap.meets_national_target is False


def test_a_target_stated_as_more_than_needs_more():
    (gap,) = gap_table(
        consolidate([record(indicator="adult_digital_signature_rate", value=50.0)], {})
    )
    assert gap.national_target is not None and gap.national_target.bound == "over"
    assert gap.gap_to_national_target == 0 and gap.meets_national_target is False


def test_counts_have_no_national_target_but_keep_the_province_one():
    records = [
        record(unit="count", value=1000, start=0),
        record(unit="count", value=1500, status="target", period="2025", start=10),
    ]
    (gap,) = gap_table(consolidate(records, {}))
    assert gap.national_target is None and gap.gap_to_province_target == 500


def test_gaps_command(tmp_path):
    records = tmp_path / "statistics.jsonl"
    records.write_text(json.dumps(record(value=75.0).to_json_dict()) + "\n")
    out = tmp_path / "gaps.jsonl"
    result = CliRunner().invoke(app, ["gaps", str(records), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["gap_to_national_target"] == 5 and row["national_target"]["source"].startswith(
        "QĐ 411"
    )
