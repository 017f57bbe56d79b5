"""The catalogue and the phrasing rules agree: every code has a rule, every rule compiles."""

from pathlib import Path

import pytest

from xhs_extract.catalogue import load_catalogue, parse_catalogue
from xhs_extract.rules import compile_rules, ruleset


def test_catalogue_keeps_every_shared_code():
    shared = Path(__file__).resolve().parents[2] / "shared" / "spec" / "indicators.yaml"
    if not shared.exists():
        pytest.skip("../shared/spec/indicators.yaml is not beside this checkout")
    import yaml

    spec = parse_catalogue(yaml.safe_load(shared.read_text(encoding="utf-8")))
    ours = load_catalogue()
    for code, indicator in spec.indicators.items():
        assert code in ours, f"catalogue lost {code}"
        assert set(indicator.units) <= set(ours[code].units)


def test_every_indicator_has_a_rule():
    codes = {rule.indicator for rule in ruleset().rules}
    assert codes == set(load_catalogue().indicators)


def test_unknown_cue_is_an_error():
    data = {"cues": {}, "indicators": {"household_internet_rate": {"all": ["@nope"]}}}
    with pytest.raises(KeyError, match="nope"):
        compile_rules(data, load_catalogue())


def test_unknown_indicator_is_an_error():
    data = {"cues": {}, "indicators": {"no_such_code": {"all": ["x"]}}}
    with pytest.raises(KeyError, match="no_such_code"):
        compile_rules(data, load_catalogue())


def test_duplicate_code_is_rejected():
    with pytest.raises(ValueError, match="twice"):
        parse_catalogue(
            {"a": {"x": {"name_vi": "x", "units": ["count"]}}, "b": {"x": {"name_vi": "x", "units": ["count"]}}}
        )


def test_bad_unit_is_rejected():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        parse_catalogue({"a": {"x": {"name_vi": "x", "units": ["furlongs"]}}})


def test_national_targets_name_their_indicator_and_keep_its_units():
    entry = {"name_vi": "x", "units": ["percent"]}
    target = {"year": 2025, "value": 80, "source": "Decision 411/QĐ-TTg"}
    catalogue = parse_catalogue({"s": {"a_rate": {**entry, "national_targets": [target]}}})
    (only,) = catalogue.national.for_indicator("a_rate", "percent")
    assert (only.indicator, only.year, only.value, only.bound) == ("a_rate", 2025, 80, "at_least")
    with pytest.raises(ValueError, match="national target in count"):
        parse_catalogue({"s": {"a_rate": {**entry, "national_targets": [{**target, "unit": "count"}]}}})
