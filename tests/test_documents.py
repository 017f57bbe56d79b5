"""Tests for document metadata: title, publication date, source and place (documents.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xhs_extract import documents
from xhs_extract.documents import (
    Article,
    DocumentMeta,
    document_metadata,
    find_published,
    find_source,
    find_title,
)
from xhs_extract.geo import Place

SHARED = Path(__file__).resolve().parents[2] / "shared"

LEAD = "Đến nay, toàn tỉnh có 85% hộ gia đình có cáp quang băng rộng. Người dân dùng ví điện tử.\n"

# --- title -----------------------------------------------------------------------------


def test_title_is_a_short_first_line():
    assert find_title("Lạng Sơn đẩy mạnh xã hội số\n\n" + LEAD) == "Lạng Sơn đẩy mạnh xã hội số"


def test_title_may_end_with_a_question_mark():
    assert find_title("Vì sao người dân chưa dùng ví điện tử?\n" + LEAD) == (
        "Vì sao người dân chưa dùng ví điện tử?"
    )


def test_title_skips_a_date_line_above_it():
    assert find_title("Thứ hai, 6/5/2024\nLạng Sơn đẩy mạnh xã hội số\n" + LEAD) == (
        "Lạng Sơn đẩy mạnh xã hội số"
    )


@pytest.mark.parametrize(
    "text",
    [
        LEAD + LEAD,  # starts straight with body text (ends with a period)
        "Lạng Sơn đẩy mạnh xã hội số "
        + "người dân được hướng dẫn dùng dịch vụ công " * 8
        + "\n"
        + LEAD,
        LEAD.strip(),  # a one-line file is body, not a headline
        "xã hội số đang đến gần\n" + LEAD,  # starts in lower case: a fragment
        "",
        "\n\n  \n",
    ],
)
def test_no_title_when_the_first_line_is_not_a_headline(text):
    assert find_title(text) is None


# --- published -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "iso"),
    [
        ("Ngày đăng: 18-12-2023 | Chuyên mục: Chuyển đổi số", "2023-12-18"),
        ("Thứ tư, 1/5/2024", "2024-05-01"),
        ("Thứ Sáu, 03/05/2024 - 10:20", "2024-05-03"),
        ("Chủ nhật, 5/5/2024, 07:00 (GMT+7)", "2024-05-05"),
        ("05/09/2024 06:00 (GMT+07:00)", "2024-09-05"),  # a time zone with its minutes
        ("10:15 UTC+7 | 01/05/2024", "2024-05-01"),
        ("Cập nhật: 10:20 01/05/2024", "2024-05-01"),
        ("Cập nhật lúc 08:15, 02/11/2023", "2023-11-02"),
        ("Xuất bản ngày 12 tháng 9 năm 2023", "2023-09-12"),
        ("Ngày xuất bản: ngày 12 tháng 9 năm 2023", "2023-09-12"),
        ("15/08/2023 09:30", "2023-08-15"),
        # an official notice's place and date line
        ("Khánh Thiện, ngày 08 tháng 10 năm 2024", "2024-10-08"),
        ("TP Hồ Chí Minh, ngày 8/10/2024", "2024-10-08"),
        ("Thứ Năm, 14:25, 21/08/2025", "2025-08-21"),
    ],
)
def test_published_from_the_head(head, iso):
    text = "Lạng Sơn đẩy mạnh xã hội số\n" + head + "\n" + LEAD
    assert find_published(text) == iso


def test_labelled_date_wins_over_update_stamp():
    text = "Tin xã hội số\nCập nhật: 20/12/2023\nNgày đăng: 18/12/2023\n" + LEAD
    assert find_published(text) == "2023-12-18"


def test_dates_in_the_body_are_not_the_publication_date():
    text = (
        "Lạng Sơn đẩy mạnh xã hội số\n"
        "Theo Quyết định số 411/QĐ-TTg ngày 31/03/2022 của Thủ tướng Chính phủ, "
        "tỉnh đã hành động.\n"
        "Ngày 18/12/2023, UBND tỉnh đã tổ chức hội nghị tổng kết công tác chuyển đổi số "
        "của toàn tỉnh "
        "với sự tham gia của các sở, ngành, địa phương và các doanh nghiệp viễn thông.\n"
        + LEAD
    )
    assert find_published(text) is None


def test_dates_in_related_news_are_not_the_publication_date():
    text = (
        "Lạng Sơn đẩy mạnh xã hội số\n"
        + LEAD
        + "Tin mới\n  • Bản tin ngày 1/5/2024\n  • Thứ tư, 1/5/2024\n"
    )
    assert find_published(text) is None


def test_impossible_dates_are_ignored():
    assert find_published("Tin\nNgày đăng: 31-02-2023\n" + LEAD) is None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789/-:. ThứưngàyđăCập nhật,\n", max_size=60))
def test_published_is_a_real_date_or_none(text):
    iso = find_published(text)
    assert iso is None or dt.date.fromisoformat(iso).isoformat() == iso


# --- source ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (LEAD + "Nguồn: baoapbac.vn |", "baoapbac.vn"),
        (LEAD + "Theo tin Minh Anh - Sở TT&TT (Trích nguồn laichau.gov.vn)", "laichau.gov.vn"),
        (LEAD + "Theo Minh Hà(Báo Lạng Sơn)", "Minh Hà(Báo Lạng Sơn)"),
        (LEAD + "Người dân rất vui mừng. (Theo VOV)", "VOV"),
        ("Tiêu đề bài báo\nTTXVN - Theo Giám đốc Sở, tỉnh đã làm nhiều việc.\n" + LEAD, "TTXVN"),
        ("Tiêu đề bài báo\n(BDK) - Tỉnh đã làm nhiều việc.\n" + LEAD, "BDK"),
        (LEAD + "Bài, ảnh: Minh Hà", "Minh Hà"),
        (LEAD + "Bài và ảnh: Minh Hà", "Minh Hà"),
        (LEAD + "Bài / ảnh: Minh Hà", "Minh Hà"),
        (LEAD + "Tác giả: Minh Hà", "Minh Hà"),
        ("Tiêu đề\nNgày đăng: 1/1/2024 | Tác giả: Administrator\n" + LEAD, None),
        ("Tiêu đề bài báo\n(Báo Thái Nguyên) - Tỉnh đã làm nhiều việc.\n" + LEAD,
         "Báo Thái Nguyên"),
        (LEAD + "Thu Hằng (Báo Quảng Ninh)", "Thu Hằng (Báo Quảng Ninh)"),
    ],
)
def test_source_line(text, source):
    assert find_source(text) == source


def test_metadata_words_come_from_their_data_file():
    from xhs_extract.language import metadata_data

    words = metadata_data()
    assert words.day_word and words.weekday_names and "admin" in words.not_authors
    assert metadata_data() is words  # read once per process


def test_outlet_beats_author():
    assert find_source(LEAD + "Bài, ảnh: Minh Hà\nNguồn: baolangson.vn") == "baolangson.vn"


def test_a_sentence_starting_with_theo_is_not_a_source():
    text = LEAD + "Theo thống kê của cơ quan chức năng, toàn tỉnh có 90% hộ dùng Internet."
    assert find_source(text) is None


def test_nguon_luc_is_not_a_source():
    assert find_source(LEAD + "Tỉnh huy động nguồn lực xã hội hóa cho hạ tầng số.") is None


# --- the whole record ------------------------------------------------------------------


def test_document_metadata_combines_the_parts():
    text = "Tiền Giang phổ cập kỹ năng số\nNgày đăng: 02-01-2024\n" + LEAD + "Nguồn: baoapbac.vn"
    meta = document_metadata(text)
    assert meta == DocumentMeta(
        title="Tiền Giang phổ cập kỹ năng số",
        published="2024-01-02",
        source="baoapbac.vn",
        place=Place("Tiền Giang", "province", "Tiền Giang", "Đồng Tháp"),
        warnings=(),
    )


def test_document_metadata_warns_about_what_is_missing():
    meta = document_metadata(LEAD)
    assert meta.title is None and meta.published is None and meta.place is None
    assert [w.split()[0] for w in meta.warnings] == ["M001", "M002", "M003"]


def test_article_reads_only_its_title_until_asked(monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(documents, "find_published", lambda text: asked.append("date"))
    monkeypatch.setattr(documents, "find_source", lambda text: asked.append("source"))
    monkeypatch.setattr(documents, "document_place", lambda *a, **k: asked.append("place"))
    article = Article("Tiền Giang phổ cập kỹ năng số\n" + LEAD)
    assert article.title == "Tiền Giang phổ cập kỹ năng số"
    assert [w.split()[0] for w in article.warnings(read=False)] == ["M004"]
    assert asked == []
    article.warnings(read=True)
    assert asked == ["date", "source", "place"]
    article.metadata()
    assert asked == ["date", "source", "place"]  # each read once


def test_article_gives_a_figure_the_place_its_clause_names():
    article = Article("Tiền Giang phổ cập kỹ năng số\nNgày đăng: 02-01-2024\n" + LEAD)
    assert article.geo_for("huyện Cái Bè có").name == "Cái Bè"
    assert article.geo_for("Toàn tỉnh có").name == "Tiền Giang"


@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").is_dir(),
                    reason="the shared seed corpus (../shared/corpus/seeds) is not present")
def test_seed_metadata():
    seeds = SHARED / "corpus" / "seeds"
    found = {
        path.stem[:3]: document_metadata(path.read_text(encoding="utf-8"))
        for path in sorted(seeds.glob("*.txt"))
    }
    assert found["001"].published == "2023-12-18"
    assert found["001"].source == "baodongkhoi.vn"
    assert found["001"].title == "Bước đầu hình thành diện mạo xã hội số"
    assert found["000"].published is None  # only the related news carry dates
    assert found["003"].title is None  # the headline runs into the lead
    assert found["004"].source == "TTXVN"


def test_breadcrumb_line_is_not_the_title():
    text = (
        "Trang chủ > Tin tức > Chuyển đổi số\nHà Tĩnh phổ cập kỹ năng số\nNgày đăng: 1/2/2024\n"
        + LEAD
    )
    assert find_title(text) == "Hà Tĩnh phổ cập kỹ năng số"


def test_outlet_and_date_line_under_the_headline():
    text = "Hà Tĩnh phổ cập kỹ năng số\nBáo Hà Tĩnh - 09/01/2024\n" + LEAD
    assert find_published(text) == "2024-01-09"


@pytest.mark.parametrize(
    ("opening", "source"),
    [
        ("(Báo Hà Tĩnh) - Người dân đã quen dùng ví điện tử.", "Báo Hà Tĩnh"),
        ("(Baohatinh.vn) - Người dân đã quen dùng ví điện tử.", "Baohatinh.vn"),
        ("(HTO)- Người dân đã quen dùng ví điện tử.", "HTO"),
    ],
)
def test_outlet_in_brackets_opening_the_lead(opening, source):
    assert find_source("Hà Tĩnh phổ cập kỹ năng số\n" + opening + "\n" + LEAD) == source


def test_author_with_outlet_in_brackets():
    assert find_source(LEAD + "Thu Hà (Báo Hà Tĩnh)") == "Thu Hà (Báo Hà Tĩnh)"


def _lines_by_splitlines(text):
    found, offset = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            found.append((offset, line.strip()))
        offset += len(line)
    return found


_LINE_BREAKS = list("ab \t\n\r\x0b\x0c\x1c\x85\u2028\u2029.")


@given(st.text(alphabet=st.sampled_from(_LINE_BREAKS), max_size=40))
@settings(max_examples=400, deadline=None)
def test_lines_are_cut_as_splitlines_cuts_them(text):
    from xhs_extract.documents import _iter_nonempty_lines, _nonempty_lines

    assert _nonempty_lines(text) == _lines_by_splitlines(text)
    assert list(itertools.islice(_iter_nonempty_lines(text), 2)) == _lines_by_splitlines(text)[:2]


def test_a_title_needs_text_after_it_however_far():
    # Only the first lines are read, but "is anything after the headline?" looks past them.
    title = "Hà Tĩnh phổ cập kỹ năng số"
    assert find_title(title + "\n" + "\n" * 3000 + LEAD) == title
    assert find_title("Hà Tĩnh phổ cập kỹ năng số\n" + "\n" * 3000) is None
