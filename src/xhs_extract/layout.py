"""Layout: how a paragraph stands among the lines around it.

News text keeps one paragraph per line, and some lines are not prose: tables pasted as
lines of cells, lists under a frame that ends in ":", breakdowns that open with a cue
("Trong đó, …") and split the total of the paragraph or sentence before. This module
tells which a line is; `discourse.Discourse` remembers what it learnt for the lines after.
The words it looks for live in `patterns/context.yaml`.
"""

from __future__ import annotations

import enum
import functools
import re

import regex

from xhs_extract import regexes
from xhs_extract.language import context_data

_CELL_SEPARATOR = re.compile(r"\s*(?:\||\t| {2,})\s*")
_CELL_BREAK = regexes.compile(r"\||\t| {2,}")
# columns aligned with spaces: at least two runs of two or more spaces between words
_ALIGNED = re.compile(r"\S {2,}\S.* {2,}\S")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_HAS_DIGIT = re.compile(r"\d")
BREAKDOWN_OPENING = 24  # how far into a sentence or paragraph its breakdown cue may stand
_HEADING_LENGTH = 200  # a subheading or caption is one short line
_HEADING_END = re.compile(r"[.!?…:;,]\s*$")
_ITEM_MARK = re.compile(r"^\s*(?:[-+•*–]|\d+[.)]|[a-zđ][.)])\s")


class Line(enum.Enum):
    """What a line of a table is: its header (cells without figures) or one of its rows."""

    HEADER = "header"
    ROW = "row"


@functools.cache
def breakdown_cue() -> regex.Pattern:
    """A breakdown cue ("Trong đó", "bao gồm"), as a whole word: the text it opens splits
    the total of the sentence or paragraph before it into parts."""
    expression = context_data().breakdown_cues
    return regexes.compile(rf"(?<!\w)(?:{expression})(?!\w)", regex.IGNORECASE | regex.UNICODE)


def opens_breakdown(text: str, start: int, end: int) -> bool:
    """Does text[start:end] open with a breakdown cue ("Trong đó, 3.979 hồ sơ …")?"""
    return breakdown_cue().search(text[start : min(end, start + BREAKDOWN_OPENING)]) is not None


@functools.cache
def _item_lines() -> tuple[regex.Pattern, regex.Pattern]:
    """A label line ("Huyện Bố Trạch: 66,9%") and a marked line ("- …", "1. …") or a
    field's paragraph ("Về công dân số, …")."""
    data = context_data()
    return (
        regexes.compile(data.label_value_line),
        regexes.compile(data.list_item_line + "|" + data.field_line),
    )


@functools.cache
def _headings() -> tuple[regex.Pattern, regex.Pattern, regex.Pattern]:
    """A field's paragraph, a group's heading under a list's frame, a task section's words."""
    data = context_data()
    return (
        regexes.compile(data.field_line),
        regexes.compile(data.group_heading),
        regexes.compile(data.task_heading_words, regex.IGNORECASE),
    )


def opens_field(paragraph: str) -> bool:
    """Does the paragraph open one field of a plan ("Về công dân số, …")?"""
    return _headings()[0].match(paragraph) is not None


def table_line(
    paragraph: str, columns: tuple[str, ...] | None
) -> tuple[Line | None, tuple[str, ...] | None]:
    """(what the paragraph is in a table, the header cells for the lines after it).

    Tables pasted as lines, cells split by "|" or tabs ("Đơn vị | Tỷ lệ … | …" or "Chỉ
    số<TAB>Năm 2023<TAB>Năm 2024"): a line of cells without figures (years aside) is a
    header, and the lines after it with as many cells (`columns`) are its rows."""
    # Most paragraphs are prose: no separator, one cell, and no split to pay for.
    line = paragraph.strip()
    split = "|" in line or "\t" in line or ("  " in line and _ALIGNED.search(line) is not None)
    cells = len(_CELL_SEPARATOR.split(line)) if split else 1
    if cells >= 2 and not _HAS_DIGIT.search(_YEAR.sub("", line)):
        return Line.HEADER, tuple(_CELL_SEPARATOR.split(line))
    if columns is not None and cells == len(columns) + 1 and columns[0]:
        columns = ("",) + columns  # the header leaves the rows' label column unnamed
    if columns is not None and cells != len(columns):
        columns = None
    return (Line.ROW if columns is not None else None), columns


def column_at(text: str, row_start: int, position: int, columns: tuple[str, ...]) -> str:
    """The header of the column a position of the row starting at `row_start` falls in."""
    while row_start < position and text[row_start] == " ":
        row_start += 1  # an indented row's leading spaces open no cell
    column = len(_CELL_BREAK.findall(text, row_start, position))
    return columns[column] if column < len(columns) else ""


def list_frame(
    paragraph: str, line: Line | None, frame: str | None, before: str = ""
) -> tuple[str | None, str | None]:
    """(the frame this paragraph is an item under, the frame for the paragraphs after it).

    A paragraph ending in ":" frames the list or table under it ("… đến ngày 30/9/2024 như
    sau:"); its items are table rows, marked lines ("- …", "1. …") and label lines
    ("Huyện Bố Trạch: 66,9%"); a table's header line keeps the frame for its rows.
    """
    if frame is not None:
        label_value, list_item = _item_lines()
        is_item = line is Line.ROW or bool(
            list_item.match(paragraph) or label_value.match(paragraph)
        )
    else:
        is_item = False
    item_of = frame if is_item else None
    caption, unit = _table_lines()
    if frame is not None and unit.match(paragraph):
        return None, frame  # "Đơn vị tính: %" under a caption
    _, group_heading, task_words = _headings()
    if frame is not None and item_of is None and _SECTION_HEADING.fullmatch(paragraph.strip()):
        # "I. KẾT QUẢ ĐẠT ĐƯỢC", "1. Hạ tầng số" between "Nội dung chính như sau (số liệu
        # đến ngày 15/6/2025):" and its lines: the frame holds, unless the heading turns to
        # what is to be done ("III. NHIỆM VỤ 6 THÁNG CUỐI NĂM")
        return None, (None if task_words.search(paragraph) else frame)
    if line is not Line.HEADER and item_of is None:
        opens = paragraph.rstrip().endswith(":") or caption.match(paragraph) is not None
        if opens and frame is not None and group_heading.fullmatch(paragraph.strip()):
            # "Về công dân số:" under "… phấn đấu đạt các chỉ tiêu chủ yếu sau:": a group
            # of the list above, whose frame still holds
            frame = frame.split(_SUBFRAME)[0] + _SUBFRAME + paragraph.strip()
        else:
            frame = _with_time_before(paragraph, before) if opens else None
    return item_of, frame


# A report's section heading: numbered, short, no figure, no closing mark.
_SECTION_HEADING = re.compile(r"(?:[IVX]{1,4}|\d{1,2}|[a-zđ])[.)]\s+[^\d\n.:;]{2,80}")
_SUBFRAME = "\n» "  # between a list's frame and the heading of one group of its lines


_LAST_SENTENCE = re.compile(r"(?:^|[.!?]\s)([^.!?]*[.!?]?)\s*$")


def _with_time_before(line: str, before: str) -> str:
    """A list's frame naming no year ("Một số chỉ tiêu chính như sau:") with the time the
    last sentence of the paragraph before it gives ("… xác định đến hết năm 2025 phải hoàn
    thành các chỉ tiêu …"): the list is that time's."""
    if _YEAR.search(line) or not before:
        return line
    last = _LAST_SENTENCE.search(before[-400:])
    times = list(_frame_time().finditer(last.group(1))) if last else []
    return times[-1].group() + " " + line if times else line


@functools.cache
def _frame_time() -> regex.Pattern:
    return regexes.compile(context_data().frame_time_before, regex.IGNORECASE)


@functools.cache
def _table_lines() -> tuple[regex.Pattern, regex.Pattern]:
    """A table's caption line and its unit line."""
    data = context_data()
    return regexes.compile(data.table_caption_line), regexes.compile(data.unit_line)


def is_inner_heading(paragraph: str) -> bool:
    """Is this paragraph (not the article's first) a subheading or a caption: one short line
    without end punctuation that is no item of a list? News repeats a figure of the body
    there ("100% xã đã có cáp quang đến trung tâm"), and the repetition is no new figure."""
    line = paragraph.strip()
    return (
        0 < len(line) <= _HEADING_LENGTH
        and "\n" not in line
        and not _HEADING_END.search(line)
        and not _ITEM_MARK.match(line)
        and not _CELL_BREAK.search(line)
        and not _item_lines()[0].match(line)  # a label and its figure: "Số thuê bao …: 90%"
    )

