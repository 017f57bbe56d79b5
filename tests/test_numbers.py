"""Tests for the figures finder: data-driven cases, parser properties, and the five seeds."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.casekit import locate
from xhs_extract.numbers import QUALIFIERS_ORDER, Figure, find_figures, parse_written_number

CASES_PATH = Path(__file__).resolve().parent / "cases" / "numbers.yaml"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS_DIR = SHARED / "corpus" / "seeds"
SEEDS_GOLD = SHARED / "corpus" / "seeds-gold.jsonl"


def _load_cases() -> list[dict]:
    with CASES_PATH.open(encoding="utf-8") as handle:
        cases = yaml.safe_load(handle)
    assert isinstance(cases, list) and cases, f"{CASES_PATH} holds no cases"
    return cases


CASES = _load_cases()
# Compile the finder's expressions before any timed (hypothesis) test runs.
find_figures("đạt 1,5%")


def _describe(text: str, figures: list[Figure]) -> str:
    return "; ".join(
        f"{text[f.start:f.end]!r}={f.value} {f.unit} {f.qualifier}"
        f" den={f.denominator} max={f.value_max}"
        for f in figures
    ) or "(none)"


def test_cases_are_unique_and_many() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict) -> None:
    text = case["text"]
    expected = case["figures"]
    figures = find_figures(text)
    got = _describe(text, figures)
    if not case.get("partial"):
        assert len(figures) == len(expected), f"expected {len(expected)} figures, got: {got}"
    for exp in expected:
        start = locate(text, exp["span"], exp.get("occurrence", 1))
        end = start + len(exp["span"])
        matches = [f for f in figures if (f.start, f.end) == (start, end)]
        assert matches, f"no figure with span {exp['span']!r} at {start}; got: {got}"
        fig = matches[0]
        assert text[fig.start:fig.end] == exp["span"]
        assert fig.value == pytest.approx(exp["value"], rel=1e-9), got
        assert fig.unit == exp["unit"], got
        for key in ("qualifier", "denominator", "value_max", "ambiguous"):
            if key in exp:
                want = exp[key]
                have = getattr(fig, key)
                numeric = isinstance(want, (int, float)) and not isinstance(want, bool)
                if numeric and have is not None:
                    assert have == pytest.approx(want), f"{key}: {have!r} != {want!r}; got: {got}"
                else:
                    assert have == want, f"{key}: {have!r} != {want!r}; got: {got}"
        if "noun" in exp:
            assert fig.noun_start is not None, f"no noun for {exp['span']!r}"
            assert text[fig.noun_start:fig.noun_end] == exp["noun"]
        if fig.qualifier != "exact":
            assert fig.qualifier_span is not None
            qs, qe = fig.qualifier_span
            assert 0 <= qs < qe <= len(text)
            assert qe <= fig.start or qs >= fig.end, "the qualifier is outside the value span"


# ------------------------------------------------------------------ parse_written_number


def test_a_written_number_is_not_a_typed_field_value() -> None:
    # Two readers, two meanings: news text groups thousands with a dot, a value typed into
    # an annotation tool's field is written as Python writes numbers.
    from xhs_extract.convert import parse_number as parse_field_value

    assert parse_written_number("1.500") == (1500.0, True)
    assert parse_field_value("1.500") == 1.5
    assert parse_written_number("98,5") == (98.5, False) and parse_field_value("98,5") == 98.5
    assert parse_written_number("hai mươi lăm") == (25.0, False)
    assert parse_field_value("hai mươi lăm") is None


@pytest.mark.parametrize(
    ("token", "value", "ambiguous"),
    [
        ("98,5", 98.5, False),
        ("77.3", 77.3, False),
        ("706.105", 706105, True),
        ("4.123,2", 4123.2, False),
        ("880,000", 880000, True),
        ("10 000", 10000, False),
        ("1.234.567", 1234567, False),
        ("06", 6, False),
        ("1,2 triệu", 1200000, False),
        ("706 nghìn", 706000, False),
        ("8,5 tỷ", 8500000000, False),
        ("hai mươi lăm", 25, False),
        ("năm mươi", 50, False),
        ("một trăm linh năm", 105, False),
        ("ba nghìn hai trăm", 3200, False),
        ("hai triệu ba trăm nghìn", 2300000, False),
        ("mười", 10, False),
        ("mười một", 11, False),
        ("bốn mươi tư", 44, False),
    ],
)
def test_parse_number(token: str, value: float, ambiguous: bool) -> None:
    result = parse_written_number(token)
    assert result is not None
    assert result[0] == pytest.approx(value)
    assert result[1] is ambiguous


@pytest.mark.parametrize(
    "token",
    [
        "", "abc", "một số", "hai ba", "mươi", "trăm", "1.2.3", "4G", "lăm", "tư vấn", "12,",
        "1.23.456",
    ],
)
def test_parse_number_rejects(token: str) -> None:
    assert parse_written_number(token) is None


def _group(n: int, sep: str) -> str:
    s = str(n)
    groups = []
    while len(s) > 3:
        groups.insert(0, s[-3:])
        s = s[:-3]
    groups.insert(0, s)
    return sep.join(groups)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([".", ",", " ", "\u00a0"]))
def test_property_grouped_integers_parse_back(n: int, sep: str) -> None:
    token = _group(n, sep)
    result = parse_written_number(token)
    assert result is not None
    assert result[0] == n


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([(".", ","), (",", "."), (" ", ","), (" ", ".")]),
)
def test_property_grouped_decimals_parse_back(n: int, frac: int, seps: tuple[str, str]) -> None:
    group_sep, dec_sep = seps
    digits = f"{frac:02d}"
    token = _group(n, group_sep) + dec_sep + digits
    result = parse_written_number(token)
    assert result is not None
    assert result[0] == pytest.approx(n + frac / 100)


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=9999))
def test_property_decimal_comma_parses_back(whole: int, frac: int) -> None:
    """A decimal with a fractional part not of exactly three digits is never ambiguous."""
    digits = str(frac)
    if len(digits) == 3:
        digits += "5"
    for mark in ",.":
        token = f"{whole}{mark}{digits}"
        result = parse_written_number(token)
        assert result is not None
        assert result[0] == pytest.approx(float(f"{whole}.{digits}"))
        assert result[1] is False


def _words(n: int) -> str:
    """Vietnamese number words for 0 < n < 1000, written the common way."""
    digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out: list[str] = []
    if hundreds:
        out += [digits[hundreds], "trăm"]
    if tens == 0 and units:
        if hundreds:
            out.append("linh")
        out.append(digits[units])
    elif tens == 1:
        out.append("mười")
        if units:
            out.append("lăm" if units == 5 else digits[units])
    elif tens > 1:
        out += [digits[tens], "mươi"]
        if units == 1:
            out.append("mốt")
        elif units == 5:
            out.append("lăm")
        elif units:
            out.append(digits[units])
    return " ".join(out)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_property_number_words_parse_back(n: int, thousands: int) -> None:
    text = _words(n)
    value = n
    if thousands:
        text = _words(thousands) + " nghìn " + (text if n >= 100 else "không trăm " + text)
        value = thousands * 1000 + n
    result = parse_written_number(text)
    assert result is not None, text
    assert result[0] == value, text


@given(
    st.integers(min_value=1, max_value=99999),
    st.sampled_from(["%", " người", " hộ", " tỷ đồng"]),
)
def test_property_figures_in_sentences(n: int, unit: str) -> None:
    written = _group(n, ".")
    text = f"Toàn tỉnh có {written}{unit} tham gia."
    figures = find_figures(text)
    assert len(figures) == 1
    fig = figures[0]
    scale = 1e9 if "tỷ" in unit else 1
    if unit == "%" and n >= 1000:
        assert fig.ambiguous
    else:
        assert fig.value == pytest.approx(n * scale)
    assert text[fig.start:fig.end].startswith(written)


_FRAGMENTS = list("0123456789.,/%- :hGđ\n()") + [
    " người", " hộ", " năm", " tỷ", " triệu", " đồng", " khoảng", " hơn", " trên", " dân",
    " tuổi", " đến", " từ", "100", "trăm", " hai", " mươi", " lăm", " phần trăm", "Mbps",
    " các", " thuê bao", "/100 dân", " trở lên", " rưỡi", " nghìn", " USD", " 4.0", " tổ",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join))
def test_property_arbitrary_text_never_raises(text: str) -> None:
    figures = find_figures(text)
    previous = (-1, -1)
    for fig in figures:
        assert 0 <= fig.start < fig.end <= len(text)
        assert (fig.start, fig.end) >= previous
        previous = (fig.start, fig.end)
        assert fig.qualifier in QUALIFIERS_ORDER
        assert fig.unit in (None, "percent", "count", "vnd", "per_100_people", "mbps")
        if fig.noun_start is not None:
            assert fig.end <= fig.noun_start < fig.noun_end <= len(text)


@settings(deadline=None)
@given(st.text(max_size=200))
def test_property_any_unicode_never_raises(text: str) -> None:
    for fig in find_figures(text):
        assert 0 <= fig.start < fig.end <= len(text)


@pytest.mark.parametrize(
    "text",
    [
        "tỷ lệ hộ gia đình có Internet đạt 98,5%, có 706.105 người có tài khoản",
        "Thành phố có 26.000 hộ có điện thoại thông minh, đạt hơn 97% tổng số hộ dân",
        "gần 60% số thuê bao; khoảng 16.000 thành viên; 87,07 thuê bao/100 dân",
    ],
)
def test_decomposed_text_gives_offsets_into_the_original(text: str) -> None:
    """Text in NFD (combining accents) finds the same figures, with offsets into it."""
    decomposed = unicodedata.normalize("NFD", text)
    assert decomposed != text
    expected = find_figures(text)
    got = find_figures(decomposed)
    def summary(figures: list[Figure]) -> list[tuple]:
        return [(f.value, f.unit, f.qualifier) for f in figures]

    assert summary(got) == summary(expected)
    for fig_nfc, fig_nfd in zip(expected, got, strict=True):
        span = decomposed[fig_nfd.start:fig_nfd.end]
        assert unicodedata.normalize("NFC", span) == text[fig_nfc.start:fig_nfc.end]
        if fig_nfd.noun_start is not None:
            noun = decomposed[fig_nfd.noun_start:fig_nfd.noun_end]
            assert unicodedata.normalize("NFC", noun) == text[fig_nfc.noun_start:fig_nfc.noun_end]
        if fig_nfd.qualifier_span is not None:
            qs, qe = fig_nfd.qualifier_span
            want = text[slice(*fig_nfc.qualifier_span)]
            assert unicodedata.normalize("NFC", decomposed[qs:qe]) == want


def test_figure_is_frozen_and_hashable() -> None:
    fig = find_figures("đạt 92%")[0]
    assert hash(fig) == hash(Figure(fig.start, fig.end, 92.0, "percent"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        fig.value = 1.0  # type: ignore[misc]


# ------------------------------------------------------------------ seeds


def _seed_docs() -> list[tuple[str, str, list[dict]]]:
    if not SEEDS_GOLD.is_file():
        pytest.skip(f"seed corpus not found at {SEEDS_GOLD} (../shared next to the repo)")
    docs = []
    for line in SEEDS_GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text = (SEEDS_DIR / f"{record['doc_id']}.txt").read_text(encoding="utf-8")
        docs.append((record["doc_id"], text, record["statistics"]))
    return docs


def test_seed_gold_spans_are_found() -> None:
    """Every gold value_span of the seeds is a figure with the gold value, unit and qualifier."""
    problems = []
    for doc_id, text, stats in _seed_docs():
        by_span = {(f.start, f.end): f for f in find_figures(text)}
        for stat in stats:
            span = tuple(stat["value_span"])
            fig = by_span.get(span)
            label = f"{doc_id} {text[span[0]:span[1]]!r}"
            if fig is None:
                problems.append(f"{label}: not found")
                continue
            if fig.value != pytest.approx(stat["value"], rel=1e-9) or fig.unit != stat["unit"]:
                problems.append(
                    f"{label}: {fig.value} {fig.unit} != {stat['value']} {stat['unit']}"
                )
            if fig.qualifier != stat["qualifier"]:
                problems.append(f"{label}: qualifier {fig.qualifier} != {stat['qualifier']}")
            if stat.get("denominator") is not None and fig.denominator != stat["denominator"]:
                problems.append(f"{label}: denominator {fig.denominator} != {stat['denominator']}")
    assert not problems, "\n".join(problems)


def test_seed_noise_is_bounded() -> None:
    """Figures outside gold are expected (the extractor filters them) but stay few."""
    for doc_id, text, stats in _seed_docs():
        gold = {tuple(s["value_span"]) for s in stats}
        extra = [f for f in find_figures(text) if (f.start, f.end) not in gold]
        assert len(extra) <= max(20, len(gold)), f"{doc_id}: {len(extra)} non-gold figures"


@given(
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([",", "."]),
    st.sampled_from(["đạt ", "khoảng ", "gần ", "hơn ", ""]),
)
def test_property_shares_read_back(whole: int, frac: int, mark: str, lead: str) -> None:
    """"đạt 98,5%" in either decimal style gives the share, its qualifier and its span."""
    written = f"{whole}{mark}{frac:02d}%"
    text = f"Tỷ lệ hộ gia đình {lead}{written} tổng số hộ."
    figures = find_figures(text)
    assert len(figures) == 1
    fig = figures[0]
    assert text[fig.start:fig.end] == written
    assert fig.value == pytest.approx(whole + frac / 100)
    assert fig.unit == "percent"
    expected = {"đạt ": "exact", "khoảng ": "approx", "gần ": "nearly", "hơn ": "over", "": "exact"}
    assert fig.qualifier == expected[lead]


# ------------------------------------------------------------------ language data


def test_every_list_of_numbers_yaml_is_read_by_its_loader() -> None:
    from xhs_extract.language import numbers_data
    from xhs_extract.resources import load_yaml

    data = numbers_data()
    raw = load_yaml("numbers.yaml")
    fields = {f.name for f in dataclasses.fields(data)} | {"negated_comparison"}
    assert set(raw) <= fields, set(raw) - fields
    for name in ("count_nouns", "time_after", "vnd_words", "place_name_heads"):
        words = getattr(data, name)
        assert words and all(unicodedata.is_normalized("NFC", w) for w in words)


def test_the_number_words_are_one_list() -> None:
    from xhs_extract.gold import number_words
    from xhs_extract.language import numbers_data

    spelled = numbers_data().all_number_words
    assert len(spelled) == len(set(spelled))
    assert set(number_words()) == {w.casefold() for w in spelled}
    assert {"ba", "năm", "mươi", "trăm", "triệu"} <= set(spelled)


def test_the_grammar_patterns_are_read_by_name() -> None:
    # The prefilter reads patterns by name to learn what a figure of a unit needs nearby.
    from xhs_extract.numbers import _rx

    grammar = _rx()
    for name in ("number_words", "percent", "speed", "per100_after", "per100_marker", "vnd"):
        assert grammar[name] is getattr(grammar, name)
        assert grammar[name].pattern

