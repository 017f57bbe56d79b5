"""The normalise stage: the matching form, its exact offsets back to the raw text, furniture."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xhs_extract.normalise import (
    NormalisedText,
    compose,
    fold_characters,
    furniture_ranges,
    normalise,
    normalise_phrase,
    place_tone_marks,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
TONES = "\u0300\u0301\u0303\u0309\u0323"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


def strip_tones(s: str) -> str:
    return nfc("".join(c for c in nfd(s) if c not in TONES))


# ---------------------------------------------------------------------------------------
# The matching form


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("Hoà Bình", "Hòa Bình"),
        ("thuý", "thúy"),
        ("khoẻ", "khỏe"),
        ("sức khoẻ", "sức khỏe"),
        ("uỷ ban", "ủy ban"),
        ("Uỷ ban", "Ủy ban"),
        ("UỶ BAN", "ỦY BAN"),
        ("toà án", "tòa án"),
        ("hoạ sĩ", "họa sĩ"),
        ("xoè", "xòe"),
        ("nguỵ", "ngụy"),
        ("hoà.", "hòa."),
    ],
)
def test_tone_placement_moves_to_first_vowel(old: str, new: str) -> None:
    assert place_tone_marks(old) == new
    assert normalise_phrase(old) == normalise_phrase(new) == new


@pytest.mark.parametrize(
    "word", ["quý", "quỳ", "QUÝ", "hoàn", "toàn", "ngoài", "khuỷu", "thuở", "hòa", "xuyên"]
)
def test_tone_placement_leaves_other_syllables(word: str) -> None:
    assert place_tone_marks(word) == word


def test_normalise_phrase_unifies_unicode_forms() -> None:
    phrase = "tỷ lệ hộ gia đình có điện thoại thông minh, sức khoẻ"
    assert normalise_phrase(nfd(phrase)) == normalise_phrase(phrase)
    assert normalise_phrase(phrase) == "tỷ lệ hộ gia đình có điện thoại thông minh, sức khỏe"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("“Chuyển đổi số cộng đồng’’", "\"Chuyển đổi số cộng đồng''"),
        ("kinh tế – xã hội — số", "kinh tế - xã hội - số"),
        ("a\u00a0b\u200bc\td\r\ne", "a b c\td \ne"),  # tabs stay: table cells
        ("92\uff05", "92%"),
        ("Ðắk Lắk", "Đắk Lắk"),
        ("a\u2028b", "a\nb"),
    ],
)
def test_typographic_variants(raw: str, expected: str) -> None:
    assert fold_characters(raw) == expected
    result = normalise(raw)
    assert result.text == expected
    assert result.is_identity


def test_lone_carriage_returns_end_lines() -> None:
    result = normalise("Dòng một\rTin mới\rBài khác 55%\r")
    assert result.text == "Dòng một\n       \n            \n"
    assert result.is_identity


def test_dated_headline_lists_vanish() -> None:
    raw = (
        "Thân bài có 1.200 hộ dân dùng cáp quang.\n"
        "Hơn 1.000 thí sinh bị kỷ luật trong ngày thi(09/07/2004)\n"
        "Tỉnh đạt 95% hộ có điện thoại (12/04/2024)\n"
        "Xem tiếp\n"
    )
    text = normalise(raw).text
    assert _figures_left(text) == {"1.200"}


def test_crlf_text_keeps_length_and_offsets() -> None:
    raw = "Tiêu đề\r\nĐạt 92%.\r\n"
    result = normalise(raw)
    assert result.text == "Tiêu đề \nĐạt 92%. \n"
    assert result.is_identity and result.to_raw(len(raw)) == len(raw)


# ---------------------------------------------------------------------------------------
# Offsets


def test_nfd_raw_spans_point_at_the_figure() -> None:
    sentence = "Tỷ lệ dân số được phủ sóng 4G đạt 94,8%, hộ gia đình đạt 73,1%."
    raw = nfd(sentence)
    result = normalise(raw)
    assert result.text == sentence
    assert not result.is_identity
    for figure in ("94,8%", "73,1%", "4G"):
        start = result.text.index(figure)
        ra, rb = result.raw_span(start, start + len(figure))
        assert raw[ra:rb] == figure
    word = "được"
    start = result.text.index(word)
    ra, rb = result.raw_span(start, start + len(word))
    assert raw[ra:rb] == nfd(word)
    assert result.norm_span(ra, rb) == (start, start + len(word))


def test_cp1258_style_raw_maps_back() -> None:
    raw = "đa\u0323t 98,5%; ho\u0300a nhâ\u0323p"  # Windows-1258 writes tones as combining marks
    result = normalise(raw)
    assert result.text == "đạt 98,5%; hòa nhập"
    start = result.text.index("98,5%")
    assert raw[slice(*result.raw_span(start, start + 5))] == "98,5%"
    start = result.text.index("hòa")
    assert raw[slice(*result.raw_span(start, start + 3))] == "ho\u0300a"


def test_span_inside_a_composed_cluster_is_widened() -> None:
    raw = "x" + "a\u0323\u0302" + "y"  # "ậ" as three code points
    result = normalise(raw)
    assert result.text == "xậy"
    assert result.raw_span(1, 2) == (1, 4)
    assert result.to_raw(2) == 4
    assert result.from_raw(2) == 1  # inside the cluster: its start
    assert result.norm_span(2, 3) == (1, 2)


def test_offsets_out_of_range_are_refused() -> None:
    result = normalise("abc")
    with pytest.raises(ValueError):
        result.to_raw(4)
    with pytest.raises(ValueError):
        result.raw_span(2, 1)


VIETNAMESE_PIECES = st.sampled_from(
    [
        "a", "o", "u", "y", "q", "đ", " ", "\n", "\r", "\t", "\u00a0", "\u200b", "“", "”", "–",
        "5", "%", ",", ".", "ộ", "hoà", "thuý", "quý", "Uỷ", "ư", "ơ", "Ð", "ｘ",
        "\u0300", "\u0301", "\u0302", "\u0303", "\u0306", "\u0309", "\u031b", "\u0323",
        "\u212b", "\u1100\u1161\u11a8", "e\u0301\u0323", "Lượt xem: 32", "Tin mới",
        "Bạn còn 500/500 ký tự",
    ]
)
MIXED_TEXT = st.one_of(
    st.lists(VIETNAMESE_PIECES, max_size=40).map("".join),
    st.text(max_size=60),
    st.lists(VIETNAMESE_PIECES, max_size=20).map(lambda xs: nfd("".join(xs))),
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(MIXED_TEXT, st.data())
def test_offset_invariant(raw: str, data: st.DataObject) -> None:
    """The guarantee stated in the module docstring, on arbitrary text."""
    result = normalise(raw)
    composed = nfc(raw)
    n = len(result.text)
    assert n == len(composed)
    assert result.to_raw(0) == 0
    assert result.to_raw(n) == len(raw)
    mapped = [result.to_raw(i) for i in range(n + 1)]
    assert mapped == sorted(mapped)
    if unicodedata.is_normalized("NFC", raw):
        assert result.is_identity
        assert mapped == list(range(n + 1))
    # Every character of the matching form is the composed character, folded, toned or
    # blanked: never something unrelated.
    for i, ch in enumerate(result.text):
        base = fold_characters(composed[i])
        assert ch == base or ch == " " or ch == "\n" or strip_tones(ch) == strip_tones(base)
        if composed[i] == "\n":
            assert ch == "\n"  # lines survive folding and blanking
    for _ in range(5):
        a = data.draw(st.integers(0, n))
        b = data.draw(st.integers(a, n))
        ra, rb = result.raw_span(a, b)
        assert 0 <= ra <= rb <= len(raw)
        big_a, big_b = result.norm_span(ra, rb)
        assert big_a <= a <= b <= big_b
        assert nfc(raw[ra:rb]) == composed[big_a:big_b]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(MIXED_TEXT)
def test_compose_equals_nfc(raw: str) -> None:
    text, regions = compose(raw)
    assert text == nfc(raw)
    assert (regions is None) == unicodedata.is_normalized("NFC", raw)


def test_normalised_text_is_a_frozen_value() -> None:
    result = normalise("hoà")
    assert isinstance(result, NormalisedText)
    with pytest.raises(AttributeError):
        result.text = "x"  # type: ignore[misc]


# ---------------------------------------------------------------------------------------
# Furniture

# Written for these tests in the style of two provincial news sites.
ARTICLE_WITH_RELATED_NEWS = """Phát triển hạ tầng số

Đến nay, 100% các xã có hạ tầng băng rộng cáp quang; tỷ lệ dân số được phủ sóng 4G đạt 95,2%.

Bài, ảnh: Minh Hà
BÌNH LUẬN

Bạn còn 500/500 ký tự

Bạn vui lòng nhập từ 5 ký tự trở lên !!!

Tin mới

  • 'Thành phố đón 12.000 lượt khách dịp lễ

    Thành phố đón 12.000 lượt khách dịp lễ

    Du lịch -
    Trong 4 ngày nghỉ lễ, thành phố đón trên 12.000 lượt khách; doanh thu đạt 950 triệu đồng, tăng 18% so với cùng kỳ năm trước.
  • 'Xử lý 431 trường hợp vi phạm giao thông

    Xử lý 431 trường hợp vi phạm giao thông

    An toàn giao thông -
    Lực lượng chức năng đã xử lý 431 trường hợp, tạm giữ 57 phương tiện các loại trên các tuyến quốc lộ.
"""

ARTICLE_WITH_COUNTERS = """Hướng dẫn người dân dùng dịch vụ số
Lượt xem: 47

Hiện nay, tỷ lệ hộ gia đình có đường internet cáp quang đạt 88%. Tỷ lệ người dân có tài khoản đạt 71,5%.

Theo Lan Anh (Trích nguồn tỉnh)

Thống kê truy cập
  • Đang truy cập: 3
  • Hôm nay: 18
  • Trong tuần: 96
  • Tháng hiện tại: 412
  • Tổng lượt truy cập: 20.517
Đăng nhập

ipv6 ready Chung nhan Tin Nhiem Mang
"""


def _figures_left(text: str) -> set[str]:
    import re

    return set(re.findall(r"\d[\d.,/]*%?", text))


def test_related_news_and_comment_box_vanish() -> None:
    result = normalise(ARTICLE_WITH_RELATED_NEWS)
    assert _figures_left(result.text) == {"100%", "4", "95,2%"}
    assert "Bài, ảnh: Minh Hà" in result.text
    assert result.text.count("\n") == ARTICLE_WITH_RELATED_NEWS.count("\n")
    assert len(result.text) == len(ARTICLE_WITH_RELATED_NEWS)


def test_counters_and_footer_vanish() -> None:
    result = normalise(ARTICLE_WITH_COUNTERS)
    assert _figures_left(result.text) == {"88%", "71,5%"}
    assert "Theo Lan Anh (Trích nguồn tỉnh)" in result.text
    assert "Hướng dẫn người dân dùng dịch vụ số" in result.text
    for gone in ("Lượt xem", "Đăng nhập", "ipv6", "Thống kê"):
        assert gone not in result.text


def test_inline_counter_in_a_byline() -> None:
    raw = "Ngày 18/12/2023 | Lượt xem: 1.204 | Tác giả: An\nĐạt 92% hộ dân."
    text = normalise(raw).text
    assert "1.204" not in text and "Tác giả: An" in text and "92%" in text


def test_article_that_resumes_after_a_see_also_box_is_kept() -> None:
    body = (
        "Toàn tỉnh có 2.990 tổ công nghệ số cộng đồng với hơn 15.000 thành viên tích cực "
        "tuyên truyền, hướng dẫn người dân cài đặt và sử dụng các nền tảng số, dịch vụ số."
    )
    more = (
        "Tỷ lệ người dân từ 15 tuổi trở lên có tài khoản thanh toán đạt 79,5%, tăng so với "
        "cuối năm trước; các trường học đã triển khai thu học phí không dùng tiền mặt."
    )
    raw = f"Mở đầu bài viết đạt 10%.\nXem thêm:\n- Tin A có 7 điểm\n- Tin B có 8 điểm\n{body}\n\n{more}\n"
    text = normalise(raw).text
    assert "7 điểm" not in text and "8 điểm" not in text
    assert body in text and more in text and "10%" in text


def test_article_list_after_a_see_also_box_is_kept() -> None:
    para = (
        "Thời gian qua, tỉnh đã triển khai nhiều giải pháp phát triển hạ tầng số, đưa dịch vụ "
        "viễn thông đến các thôn, bản vùng sâu, vùng xa; kết quả cụ thể như sau."
    )
    raw = (
        f"Xem thêm:\n- Tin A 11 điểm\n{para}\n{para}\n"
        "- Tỷ lệ hộ gia đình có cáp quang đạt 92%.\n- Tỷ lệ dân số có điện thoại thông minh đạt 85%.\n"
    )
    assert _figures_left(normalise(raw).text) == {"92%", "85%"}


def test_related_news_without_bullets_runs_to_the_end() -> None:
    summary = (
        "Trong 5 ngày nghỉ lễ, lực lượng chức năng đã xử lý 597 trường hợp vi phạm trật tự "
        "an toàn giao thông, tạm giữ 41 phương tiện các loại trên các tuyến quốc lộ."
    )
    raw = f"Thân bài đạt 64%.\nTin khác\nXử lý 597 trường hợp vi phạm\n{summary}\n"
    assert _figures_left(normalise(raw).text) == {"64%"}


def test_body_words_that_resemble_cues_are_kept() -> None:
    raw = (
        "Hôm nay: người dân đến đông, 95% hài lòng.\n"
        "Điện thoại thông minh đạt 80% hộ dân.\n"
        "Bình luận về kết quả, ông An nói tỷ lệ đạt 66%.\n"
        "Lượt xem video đạt 2 triệu.\n"
    )
    assert normalise(raw).text == raw
    assert furniture_ranges(raw) == []


def test_furniture_cues_are_in_the_matching_form() -> None:
    # "Tin liên quan" written with NBSP and a curly-quoted bullet still counts.
    raw = "Thân bài đạt 50%.\nTin\u00a0liên quan:\n• Bài khác 77%\n"
    text = normalise(raw).text
    assert "50%" in text and "77%" not in text


def _gold() -> dict[str, list[dict]]:
    path = SHARED / "corpus" / "seeds-gold.jsonl"
    if not path.is_file():
        pytest.skip(f"seed gold not found at {path} (../shared is absent)")
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {row["doc_id"]: row["statistics"] for row in rows}


def test_no_gold_figure_is_furniture_on_the_seeds() -> None:
    from xhs_extract.read import read_document

    gold = _gold()
    seeds = SHARED / "corpus" / "seeds"
    blanked = 0
    for doc_id, stats in gold.items():
        doc = read_document(seeds / f"{doc_id}.txt", seeds)
        result = normalise(doc.text)
        matching = place_tone_marks(fold_characters(compose(doc.text)[0]))
        ranges = furniture_ranges(matching)
        blanked += sum(end - start for start, end in ranges)
        for stat in stats:
            start, end = result.norm_span(*stat["value_span"])
            assert not any(a < end and start < b for a, b in ranges), (doc_id, stat)
            assert result.text[start:end] == doc.text[slice(*stat["value_span"])]
    assert blanked > 0  # the seeds do carry furniture (000 and 002)


def test_seed_furniture_figures_vanish() -> None:
    from xhs_extract.read import read_document

    _gold()
    seeds = SHARED / "corpus" / "seeds"
    doc = read_document(seeds / "000_350fe14c41701068.txt", seeds)
    text = normalise(doc.text).text
    assert "500/500" not in text and "290.000" not in text and "2.990" in text
    doc = read_document(seeds / "002_9d7029f46d396447.txt", seeds)
    text = normalise(doc.text).text
    assert "Lượt xem" not in text and "Đang truy cập" not in text and "2.447" in text
