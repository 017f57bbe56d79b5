"""Sentence spans: underthesea's splitter, offsets back into the text, abbreviations."""

from hypothesis import given, settings, strategies as st

from xhs_extract.sentences import split_sentences


def texts(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_do_not_end_sentences():
    text = (
        "Tại TX. Sơn Tây, tỷ lệ đạt 80%. TT. Hương Khê có 5 tổ. Q. Ba Đình đạt 3%.\n"
        "Đ. Lê Lợi có 2 trạm. Theo ThS. Lê Văn B và PGS.TS. Trần C, tỷ lệ là 5%."
    )
    assert texts(text) == [
        "Tại TX. Sơn Tây, tỷ lệ đạt 80%.",
        "TT. Hương Khê có 5 tổ.",
        "Q. Ba Đình đạt 3%.",
        "Đ. Lê Lợi có 2 trạm.",
        "Theo ThS. Lê Văn B và PGS.TS. Trần C, tỷ lệ là 5%.",
    ]


def test_lines_are_paragraphs():
    text = "Tiêu đề bài báo\nĐoạn một có 5 tổ. Câu hai.\n\n  Đoạn hai.  \n"
    assert texts(text) == ["Tiêu đề bài báo", "Đoạn một có 5 tổ.", "Câu hai.", "Đoạn hai."]


def test_spans_point_into_text_even_without_space_after_stop():
    text = "Hộ gia đình đạt 92%!Tiếp theo là câu nữa."
    for start, end in split_sentences(text):
        assert text[start:end].strip() == text[start:end]
        assert text[start:end]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc đạt 92%.!?\n TP.Hồ,;()")), max_size=120))
def test_spans_are_ordered_and_inside(text):
    previous_end = 0
    for start, end in split_sentences(text):
        assert previous_end <= start < end <= len(text)
        previous_end = end
