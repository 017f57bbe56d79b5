"""Tests for the validate stage's check that a value span holds a figure."""

from __future__ import annotations

import pytest

from xhs_extract.validate import Candidate, check


def _candidate(text: str, start: int, end: int) -> Candidate:
    return Candidate(
        doc_id="d", indicator="household_fiber_broadband_rate", value=3.0, unit="count",
        qualifier="exact", status="achieved", period=None, geo=None, value_span=(start, end),
        evidence_span=(0, len(text)), denominator=None, value_max=None, extractor="rules",
    )


@pytest.mark.parametrize("span", ["95", "ba", "Ba", "hai mươi", "năm", "bốn", "tư", "1,2 triệu"])
def test_a_span_with_a_digit_or_a_number_word_is_a_figure(span: str) -> None:
    text = f"x {span} y"
    assert check(_candidate(text, 2, 2 + len(span)), text) is None


@pytest.mark.parametrize("span", ["bao", "thuê bao", "hainam", "trămbao", "cũng"])
def test_number_words_are_whole_words_ba_is_not_found_inside_bao(span: str) -> None:
    # Before, the number words were looked for without word boundaries, so "ba" (three)
    # was found inside "bao" and "thuê bao" passed as a figure.
    text = f"x {span} y"
    reason = check(_candidate(text, 2, 2 + len(span)), text)
    assert reason is not None and "does not look like a figure" in reason
