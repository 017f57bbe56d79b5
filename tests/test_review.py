"""The review page: a spaCy Doc over the original text, one span per record."""

import unicodedata

from xhs_extract import extract_text
from xhs_extract.review import SPANS_KEY, render_html, to_doc


def test_doc_keeps_the_text_and_the_spans():
    text = (
        "Tiêu đề\n\n  Đến nay,  gần 60% số thuê bao di động có điện thoại thông minh;\t"
        + unicodedata.normalize("NFD", "toàn tỉnh có 225 trạm BTS.")
    )
    records = extract_text(text)
    assert len(records) == 2
    doc = to_doc(text, records)
    assert doc.text == text
    spans = doc.spans[SPANS_KEY]
    assert [(s.start_char, s.end_char) for s in spans] == [tuple(r.value_span) for r in records]
    assert spans[0].label_.startswith("mobile_subscriber_smartphone_share")


def test_page_lists_every_record():
    text = "Tỷ lệ hộ gia đình có Internet cáp quang đạt 92%. Có 120 tổ công nghệ số cộng đồng."
    records = extract_text(text)
    page = render_html(text, records, title="bài <thử>")
    assert "bài &lt;thử&gt;" in page
    for record in records:
        assert record.indicator in page
