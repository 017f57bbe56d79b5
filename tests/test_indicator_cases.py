"""Real phrasings of every catalogue indicator, as cases for the whole extractor.

The cases live in `tests/cases/indicators/*.yaml`, one YAML list per file. They were written
from the catalogue's `what_counts` / `not` and from how provincial news phrases each
indicator, without looking at the rules. Each case gives:

- `name`: unique, used as the pytest id;
- `text`: one sentence or a short paragraph;
- `records`: every record `extract_text(text)` must return, no more and no fewer
  (`[]`: no record at all). Each record gives `indicator`, `span` (the figure as written),
  `value` and `unit`; `occurrence: N` picks the N-th occurrence of `span` in the text (from 1);
  `qualifier`, `status`, `period`, `denominator` and `value_max` are checked when present;
- `known_gap` (optional): what the extractor gets wrong on this case. The case then runs as
  a strict expected failure, so it must be un-marked once the gap is fixed.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.casekit import locate
from xhs_extract import extract_text
from xhs_extract.catalogue import load_catalogue
from xhs_extract.models import Statistic

CASES_DIR = Path(__file__).resolve().parent / "cases" / "indicators"
MIN_CASES_PER_INDICATOR = 10
CASE_KEYS = {"name", "text", "records", "known_gap"}
RECORD_KEYS = {"indicator", "span", "value", "unit", "occurrence"}
OPTIONAL_ATTRIBUTES = ("qualifier", "status", "period", "denominator", "value_max")

# (indicator, start, end, value, unit): what must match exactly.
Key = tuple[str, int, int, float, str]


def _load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            loaded = yaml.safe_load(handle)
        assert isinstance(loaded, list) and loaded, f"{path} holds no list of cases"
        for case in loaded:
            case["_file"] = path.name
        cases.extend(loaded)
    return cases


CASES = _load_cases()


def _expected_key(text: str, record: dict[str, Any]) -> Key:
    start = locate(text, record["span"], record.get("occurrence", 1))
    end = start + len(record["span"])
    return (record["indicator"], start, end, float(record["value"]), record["unit"])


def _actual_key(record: Statistic) -> Key:
    start, end = record.value_span
    return (record.indicator, start, end, float(record.value), record.unit)


def _describe(text: str, key: Key) -> str:
    indicator, start, end, value, unit = key
    return f"{indicator} {text[start:end]!r}@{start} = {value:g} {unit}"


def _attribute_errors(text: str, expected: dict[str, Any], actual: Statistic) -> list[str]:
    errors = []
    for attribute in OPTIONAL_ATTRIBUTES:
        if attribute not in expected:
            continue
        want, got = expected[attribute], getattr(actual, attribute)
        if isinstance(want, (int, float)) and isinstance(got, (int, float)):
            same = math.isclose(float(want), float(got), rel_tol=1e-9)
        else:
            same = want == got
        if not same:
            errors.append(f"{expected['span']!r} {attribute}: expected {want!r}, got {got!r}")
    return errors


def _case_param(case: dict[str, Any]) -> Any:
    marks = []
    if case.get("known_gap"):
        marks.append(pytest.mark.xfail(strict=True, reason=str(case["known_gap"])))
    return pytest.param(case, id=case["name"], marks=marks)


# ------------------------------------------------------------------ the cases themselves


@pytest.mark.parametrize("case", [_case_param(case) for case in CASES])
def test_indicator_case(case: dict[str, Any]) -> None:
    text = case["text"]
    expected = {_expected_key(text, record): record for record in case["records"]}
    actual = {_actual_key(record): record for record in extract_text(text)}
    missing = [_describe(text, key) for key in expected if key not in actual]
    extra = [_describe(text, key) for key in actual if key not in expected]
    assert not missing and not extra, f"missing: {missing or '-'}; unexpected: {extra or '-'}"
    errors = [
        error
        for key, record in expected.items()
        for error in _attribute_errors(text, record, actual[key])
    ]
    assert not errors, "; ".join(errors)


# ------------------------------------------------------------------ the data is sound


def test_case_names_are_unique() -> None:
    names = Counter(case["name"] for case in CASES)
    assert [name for name, n in names.items() if n > 1] == []


def test_cases_use_known_keys_codes_and_units() -> None:
    catalogue = load_catalogue()
    problems = []
    for case in CASES:
        name = case["name"]
        problems += [f"{name}: unknown key {k!r}" for k in set(case) - CASE_KEYS - {"_file"}]
        if not isinstance(case.get("text"), str) or not isinstance(case.get("records"), list):
            problems.append(f"{name}: needs a text and a list of records")
            continue
        for record in case["records"]:
            allowed = RECORD_KEYS | set(OPTIONAL_ATTRIBUTES)
            problems += [f"{name}: unknown record key {k!r}" for k in set(record) - allowed]
            if record.get("indicator") not in catalogue:
                problems.append(f"{name}: {record.get('indicator')!r} is no catalogue code")
            elif not catalogue.allows(record["indicator"], record.get("unit", "")):
                problems.append(f"{name}: {record['indicator']} has no unit {record.get('unit')!r}")
    assert problems == []


def test_every_span_occurs_in_its_text() -> None:
    problems = []
    for case in CASES:
        for record in case["records"]:
            if case["text"].count(record["span"]) > 1 and "occurrence" not in record:
                problems.append(f"{case['name']}: {record['span']!r} needs an occurrence")
            try:
                _expected_key(case["text"], record)
            except AssertionError as error:
                problems.append(f"{case['name']}: {error}")
    assert problems == []


def test_every_indicator_has_enough_cases() -> None:
    per_indicator = Counter(
        code for case in CASES for code in {record["indicator"] for record in case["records"]}
    )
    short = {
        code: per_indicator[code]
        for code in load_catalogue().indicators
        if per_indicator[code] < MIN_CASES_PER_INDICATOR
    }
    assert short == {}, f"indicators with fewer than {MIN_CASES_PER_INDICATOR} cases: {short}"


def test_look_alikes_are_many() -> None:
    assert sum(1 for case in CASES if not case["records"]) >= 30
