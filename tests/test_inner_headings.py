"""A subheading or caption that repeats a figure of the body is no new figure."""

from __future__ import annotations

from xhs_extract.layout import is_inner_heading
from xhs_extract.pipeline import extract_text

ARTICLE = (
    "Cao Bằng: 100% xã có cáp quang đến trung tâm\n"
    "Ngày đăng: 12-03-2025\n"
    "Đến nay, 100% các xã của tỉnh Cao Bằng đã có cáp quang đến trung tâm xã.\n"
    "{heading}\n"
    "Tỷ lệ hộ gia đình có Internet cáp quang đạt 71%.\n"
)


def _spans(text: str) -> list[tuple[str, str]]:
    return [(r.indicator, text[r.value_span[0] : r.value_span[1]]) for r in extract_text(text)]


def test_a_heading_repeating_a_body_figure_gives_no_record():
    text = ARTICLE.format(heading="100% các xã đã có cáp quang đến trung tâm")
    found = _spans(text)
    assert found.count(("commune_fiber_coverage_rate", "100%")) == 2  # headline and body
    heading_start = text.index("100% các xã đã")
    assert all(r.value_span[0] != heading_start for r in extract_text(text))


def test_a_heading_with_a_figure_of_its_own_keeps_it():
    text = ARTICLE.format(heading="95% thôn bản đã có cáp quang")
    assert ("village_fiber_coverage_rate", "95%") in _spans(text)


def test_the_headline_is_not_an_inner_heading():
    text = ARTICLE.format(heading="")
    assert ("commune_fiber_coverage_rate", "100%") in _spans(text.split("\n", 1)[0] + "\n")


def test_what_an_inner_heading_is():
    assert is_inner_heading("Tỉnh đặt mục tiêu phủ sóng 5G đạt 100% vào năm 2030")
    assert not is_inner_heading("Tỷ lệ hộ có Internet đạt 71%.")
    assert not is_inner_heading("- 100% xã có cáp quang")
    assert not is_inner_heading("Năm | Tổng | Thành thị")
    assert not is_inner_heading("Các chỉ tiêu chính:")
    assert not is_inner_heading("x" * 300)
    assert not is_inner_heading("Số thuê bao băng rộng di động/100 dân: 90")
