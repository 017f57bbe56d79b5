"""Layout of lines (tables, list frames, breakdowns) and the discourse state built on it."""

from __future__ import annotations

import pytest

from xhs_extract import layout
from xhs_extract.discourse import Discourse
from xhs_extract.layout import Line
from xhs_extract.rules import How


def test_a_table_header_then_rows_with_as_many_cells():
    header = "Đơn vị | Tỷ lệ hộ có Internet | Năm 2024"
    line, columns = layout.table_line(header, None)
    assert line is Line.HEADER and columns == ("Đơn vị", "Tỷ lệ hộ có Internet", "Năm 2024")
    assert layout.table_line("Huyện A | 81,4% | 2024", columns) == (Line.ROW, columns)
    assert layout.table_line("Một đoạn văn thường.", columns) == (None, None)


def test_the_column_of_a_position_in_a_row():
    row = "Huyện A | 81,4% | 2024"
    columns = ("Đơn vị", "Tỷ lệ", "Năm")
    assert layout.column_at(row, 0, row.index("81"), columns) == "Tỷ lệ"
    assert layout.column_at(row + " | x | y", 0, len(row) + 5, columns) == ""


def test_a_frame_ending_in_a_colon_holds_its_items():
    frame = "Tỷ lệ hộ có Internet theo từng đơn vị:"
    assert layout.list_frame(frame, None, None) == (None, frame)
    assert layout.list_frame("- Huyện A: 81,4%", None, frame) == (frame, frame)
    assert layout.list_frame("Huyện Bố Trạch: 66,9%", None, frame) == (frame, frame)
    assert layout.list_frame("Một đoạn văn thường.", None, frame) == (None, None)


def test_a_breakdown_opens_its_text():
    text = "Trong đó, 3.979 hồ sơ trực tuyến."
    assert layout.opens_breakdown(text, 0, len(text))
    later = "Toàn tỉnh đã tiếp nhận 12.000 hồ sơ, trong đó 3.979 hồ sơ trực tuyến."
    assert not layout.opens_breakdown(later, 0, len(later))  # the cue stands too far in


def test_the_discourse_is_changed_only_by_its_methods():
    discourse = Discourse()
    for name in ("last_count", "last_context", "last_period", "previous_sentence",
                 "previous_paragraph", "paragraph_before", "columns", "list_frame"):
        with pytest.raises(AttributeError):
            setattr(discourse, name, "x")
    with pytest.raises(AttributeError):
        discourse.anything_else = 1  # type: ignore[attr-defined]


def test_what_a_paragraph_leaves_for_the_next():
    discourse = Discourse()
    first = "Toàn huyện có 104 tổ với 1.126 thành viên."
    discourse.new_paragraph(first, 0)
    discourse.figures_classified([("count", "104 tổ"), ("count", "1.126 thành viên")], "2024")
    discourse.sentence_read(first)
    assert discourse.last_count == "1.126 thành viên" and discourse.last_period == "2024"
    assert discourse.previous_sentence == first
    second = "Trong đó, thị trấn có 9 tổ."
    discourse.new_paragraph(second, len(first) + 1)
    assert discourse.previous_paragraph == "1.126 thành viên"
    assert discourse.paragraph_before == first
    assert discourse.last_count is None and discourse.last_period is None
    discourse.sentence_passed_over(second)
    assert discourse.previous_sentence == second and discourse.last_period is None


def test_a_table_row_and_a_list_line_may_continue_without_a_cue():
    discourse = Discourse()
    text = "Đơn vị | Tỷ lệ\nHuyện A | 81,4%"
    discourse.new_paragraph(text[:14], 0)
    assert discourse.new_paragraph(text[15:], 15) is Line.ROW
    assert discourse.may_continue(text, 15, len(text))
    assert discourse.column_header(text, text.index("81")) == "Tỷ lệ"
    assert not Discourse().may_continue("Huyện A có 12 xã.", 0, 17)


def test_the_ways_a_subject_is_found_name_the_extractors():
    assert {how.value for how in How} == {
        "left", "right", "both", "column", "shared", "bracket", "frame", "list",
        "continued", "breakdown", "anaphor", "sentence", "topic", "ranked",
    }
