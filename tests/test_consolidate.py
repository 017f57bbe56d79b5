"""Consolidated facts: one value per key, the rule that picks it, conflicts, the 2025 view."""

import json
import sqlite3

from typer.testing import CliRunner

from tests.reviewkit import DISTRICT_A, PROVINCE_B, record
from xhs_extract.cli import app
from xhs_extract.consolidate import (
    by_province_2025,
    consolidate,
    disagree,
    name_key,
    period_key,
    period_year,
    write_facts_table,
)
from xhs_extract.models import Geo


def test_the_latest_published_source_gives_the_value():
    old = record("old", value=70.0)
    new = record("new", value=72.0)
    facts = consolidate([old, new], {"old": "2024-01-05", "new": "2024-03-01"})
    assert len(facts) == 1
    fact = facts[0]
    assert fact.value == 72.0
    assert [s.doc_id for s in fact.sources] == ["new", "old"]
    assert fact.conflict  # 2 percentage points apart: beyond the 0.5 tolerance
    assert fact.as_of == "2024"


def test_sources_within_the_tolerance_do_not_conflict():
    facts = consolidate(
        [record("a", value=70.0), record("b", value=70.4)], {"a": "2024-01-05", "b": "2024-01-06"}
    )
    assert not facts[0].conflict
    assert disagree("count", 1000, 1011) and not disagree("count", 1000, 1009)


def test_a_breakdown_in_one_article_is_no_conflict_and_the_total_comes_first():
    total = record(indicator="mobile_base_stations", unit="count", value=2136, start=10)
    part = record(indicator="mobile_base_stations", unit="count", value=1540, start=40)
    (fact,) = consolidate([part, total], {"d1": "2024-07-08"})
    assert fact.value == 2136 and not fact.conflict and len(fact.sources) == 2


def test_a_figure_without_period_holds_at_its_publication_date():
    a = record("a", period=None)
    b = record("b", period=None, value=90.0)
    facts = consolidate([a, b], {"a": "2022-05-01", "b": "2024-05-01"})
    assert [(f.as_of, f.value) for f in facts] == [("2022-05-01", 80.0), ("2024-05-01", 90.0)]
    assert all(f.period is None for f in facts)


def test_status_unit_and_place_keep_facts_apart():
    records = [
        record(start=0),
        record(start=10, status="target", period="2025"),
        record(start=20, unit="count", value=12000),
        record(start=30, geo=DISTRICT_A),
        record(start=40, geo=Geo(name="Hà Giang", level="city", province="Hà Giang")),
    ]
    facts = consolidate(records, {})
    assert len(facts) == 5
    assert sum(f.is_provincial for f in facts) == 3  # not the district, not the city


def test_the_merged_province_lists_the_old_provinces_side_by_side_never_summed():
    facts = consolidate([record("a", value=80.0), record("b", value=60.0, geo=PROVINCE_B)], {})
    view = by_province_2025(facts)
    assert list(view) == ["Tuyên Quang"]
    assert {old: [f.value for f in items] for old, items in view["Tuyên Quang"].items()} == {
        "Hà Giang": [80.0],
        "Tuyên Quang": [60.0],
    }


def test_periods_sort_by_when_they_end():
    assert period_key("2023/2024") == "2024-06"
    assert period_key("2023-Q3") == "2023-09" and period_key("2024-H1") == "2024-06"
    assert sorted(["2024-H1", "2024-03", "2024-12-31"], key=period_key) == [
        "2024-03",
        "2024-H1",
        "2024-12-31",
    ]
    assert period_year("2023/2024") == 2024 and period_year(None) is None


def test_names_sort_in_vietnamese_order():
    names = ["Đà Nẵng", "Yên Bái", "An Giang", "Điện Biên", "Bắc Kạn"]
    assert sorted(names, key=name_key) == ["An Giang", "Bắc Kạn", "Đà Nẵng", "Điện Biên", "Yên Bái"]


def test_facts_go_into_a_database_table(tmp_path):
    facts = consolidate([record("a"), record("b", value=90.0)], {"a": "2024-01-01"})
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert write_facts_table(url, facts) == 1
    assert write_facts_table(url, facts) == 1  # replaced, not appended
    rows = sqlite3.connect(tmp_path / "x.db").execute("select value, conflict, sources from facts")
    ((value, conflict, sources),) = rows.fetchall()
    assert value == 80.0 and conflict == 1 and len(json.loads(sources)) == 2


def test_consolidate_command(tmp_path):
    records = tmp_path / "statistics.jsonl"
    records.write_text(
        "".join(
            json.dumps(r.to_json_dict()) + "\n" for r in [record("a"), record("b", geo=PROVINCE_B)]
        )
    )
    (tmp_path / "documents.jsonl").write_text(
        json.dumps({"doc_id": "a", "published": "2024-02-02"}) + "\n"
    )
    out, view = tmp_path / "facts.jsonl", tmp_path / "view.json"
    result = CliRunner().invoke(
        app, ["consolidate", str(records), "-o", str(out), "--by-province-2025", str(view)]
    )
    assert result.exit_code == 0, result.output
    facts = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(facts) == 2
    assert set(facts[0]) >= {"place", "indicator", "unit", "status", "period", "as_of", "value"}
    assert set(facts[0]["place"]) == {"name", "level", "province", "province_2025"}
    assert (
        facts[0]["sources"][0]["doc_id"] == "a"
        and facts[0]["sources"][0]["published"] == "2024-02-02"
    )
    assert set(json.loads(view.read_text())["Tuyên Quang"]) == {"Hà Giang", "Tuyên Quang"}
