"""Discourse state: what the sentences and paragraphs read so far said.

A figure with no subject of its own may lean on what came before it: the last count or
figure of the paragraph ("Trong đó, …", "tỷ lệ này"), the last two sentences (a topic
named before), the paragraph before (a reference or breakdown opening a paragraph), the
header of the table it is a cell of, the frame of the list it is a line of. One object,
`Discourse`, holds all of it for one text. Only its own methods change it, in the order
the pipeline reads: `new_paragraph`, then per sentence `figures_classified` (a sentence
the rules read) and `sentence_read`, or `sentence_passed_over`; everyone else reads.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Sequence

from xhs_extract import context as ctx
from xhs_extract import layout
from xhs_extract.language import context_data
from xhs_extract.layout import Line


@functools.cache
def _figure() -> re.Pattern:
    """A digit or a percent word ("phần trăm"): a text without one holds no figure."""
    return re.compile(r"\d|" + context_data().percent_words, re.IGNORECASE)


# A paragraph dating the data after it is one short sentence, ended by a full stop (not a
# headline, a caption or a list's frame, which end otherwise).
_DATING = re.compile(r"\s*\S[^\n]{0,300}[.!]\s*")


class Discourse:
    """What a text's earlier sentences and paragraphs leave for the next ones."""

    __slots__ = (
        "_last_count", "_last_context", "_last_period", "_previous_sentence",
        "_previous_paragraph", "_paragraph_before", "_recent", "_columns", "_row_start",
        "_list_frame", "_paragraph", "_frame", "_time_frame", "_published", "_classified",
        "_line", "_dated_by", "_paragraph_period", "_period_before",
    )

    def __init__(self, published: Callable[[], str | None] | None = None) -> None:
        self._last_count: str | None = None
        self._last_context: str | None = None
        self._last_period: ctx.Period | None = None
        self._previous_sentence: str | None = None
        self._previous_paragraph: str | None = None
        self._paragraph_before: str | None = None
        self._recent: list[str] = []
        self._columns: tuple[str, ...] | None = None
        self._row_start = 0
        self._list_frame: str | None = None
        self._paragraph = ""  # the paragraph being read
        self._frame: str | None = None  # a paragraph ending in ":" that opens a list of lines
        self._time_frame: ctx.TimeFrame | None = None
        self._published = published  # the article's publication date, read when needed
        self._classified = False  # the sentence just read had classified figures
        self._line: Line | None = None  # what the paragraph being read is in a table
        # a paragraph of its own dating the data after it ("Số liệu … tính đến ngày 30/9,
        # cho thấy rõ điều đó."): its frame reaches the paragraphs after it until one opens
        # with a time of its own (read from the paragraphs' texts, gate or no gate)
        self._dated_by: ctx.TimeFrame | None = None
        self._paragraph_period: ctx.Period | None = None  # the last period of this paragraph
        self._period_before: ctx.Period | None = None  # … and of the paragraph before

    # -- what was said (read-only) --------------------------------------------------------

    @property
    def last_count(self) -> str | None:
        """The words of the paragraph's last classified count (a "Trong đó" sentence
        breaks that total down)."""
        return self._last_count

    @property
    def last_context(self) -> str | None:
        """The words of the paragraph's last classified figure."""
        return self._last_context

    @property
    def last_period(self) -> ctx.Period | None:
        """The period of the sentence just read, if its figures were classified."""
        return self._last_period

    @property
    def period_before(self) -> ctx.Period | None:
        """The last period of the paragraph before ("Cùng thời điểm, …" opening a paragraph
        is its time)."""
        return self._period_before

    @property
    def paragraph_period(self) -> ctx.Period | None:
        """The last achieved period of this paragraph's sentences read so far."""
        return self._paragraph_period

    def opens_paragraph(self, start: int) -> bool:
        """Does the sentence starting at `start` open the paragraph being read?"""
        return start == self._row_start

    @property
    def time_frame(self) -> ctx.TimeFrame | None:
        """The time or target frame an earlier sentence of the paragraph (or the frame of
        its list) opened, until another replaced it."""
        return self._time_frame

    def published(self) -> str | None:
        """The article's publication date (ISO), which completes dates without a year."""
        return self._published() if self._published is not None else None

    @property
    def previous_sentence(self) -> str | None:
        """The paragraph's last two sentences, joined."""
        return self._previous_sentence

    @property
    def previous_paragraph(self) -> str | None:
        """The last figure's words in the paragraph before."""
        return self._previous_paragraph

    @property
    def paragraph_before(self) -> str | None:
        """The paragraph before, when figures were read in it."""
        return self._paragraph_before

    @property
    def columns(self) -> tuple[str, ...] | None:
        """The header cells of a table being read."""
        return self._columns

    @property
    def list_frame(self) -> str | None:
        """The paragraph ending in ":" above the list of lines this paragraph is one of."""
        return self._list_frame

    def column_header(self, text: str, position: int) -> str:
        """The header of the table column a position falls in, or ""."""
        if self._columns is None:
            return ""
        return layout.column_at(text, self._row_start, position, self._columns)

    def may_continue(self, text: str, start: int, end: int) -> bool:
        """A text with no cue of its own may still lean on the sentence before it: a
        breakdown ("… 11.907 hồ sơ. Trong đó, 3.979 hồ sơ …") or a reference ("tỷ lệ này")."""
        if _figure().search(text, start, end) is None:
            return False
        c = ctx.cues()
        if self._columns is not None or self._list_frame is not None:
            return True  # a table's row or a list's line: its subject is above it
        if self._last_context is None and self._previous_sentence is None:
            return self._previous_paragraph is not None and (
                c.anaphor.search(text, start, end) is not None
                or c.breakdown.search(text, start, min(end, start + layout.BREAKDOWN_OPENING))
                is not None
                or ctx.ranks_a_place(text, start, end)
            )
        return bool(
            c.breakdown.search(text, start, end)
            or c.anaphor.search(text, start, end)
            or c.specific_noun.search(text, start, end)
            or ctx.ranks_a_place(text, start, end)
            or ctx.names_a_quota(text, start, end)
        )

    # -- what is read next (the only writers) -----------------------------------------------

    def new_paragraph(self, paragraph: str, start: int) -> Line | None:
        """The `paragraph` starting at `start` of the text begins: nothing carries over (a
        table's header excepted), but a reference at its start may reach the last figure
        of the paragraph just before ("…\\nCon số này chiếm tỷ trọng 78,3% …"), and a
        paragraph opening with "Trong đó," breaks down the one before. Returns what the
        line is in a table."""
        self._dated_by = self._dating(paragraph)
        field_frame = self._time_frame if self._continues_fields(paragraph) else None
        self._period_before, self._paragraph_period = self._paragraph_period, None
        self._previous_paragraph = self._last_context
        self._last_count = self._last_context = self._last_period = None
        self._previous_sentence = None
        self._recent = []
        self._paragraph_before = self._paragraph if self._previous_paragraph is not None else None
        before, self._paragraph = self._paragraph, paragraph
        line, self._columns = layout.table_line(paragraph, self._columns)
        self._line = line
        self._row_start = start
        self._list_frame, self._frame = layout.list_frame(paragraph, line, self._frame, before)
        if self._list_frame is None and line is not Line.ROW:
            # a frame reaches the end of its paragraph and list (a dating paragraph's further;
            # a target frame of "Về hạ tầng số, …" the next "Về công dân số, …" paragraph)
            self._time_frame = field_frame or self._dated_by
        return line

    def _continues_fields(self, paragraph: str) -> bool:
        """Do this paragraph and the one before each open a field of one plan ("Về hạ tầng
        số, kế hoạch đặt ra các chỉ tiêu … năm 2024 là: …" then "Về công dân số, …"), the
        one before under a target frame?"""
        frame = self._time_frame
        return (
            frame is not None and frame.target
            and layout.opens_field(paragraph) and layout.opens_field(self._paragraph)
        )

    def _dating(self, paragraph: str) -> ctx.TimeFrame | None:
        """The dating paragraph's frame that holds for `paragraph`, or None."""
        if _DATING.fullmatch(paragraph) and _figure().search(paragraph) is not None:
            frame = ctx.dating_paragraph(paragraph, self.published)
            if frame is not None:
                return frame
        if self._dated_by is not None and ctx.opens_own_time(paragraph, self.published()):
            return None
        return self._dated_by

    def figures_classified(
        self,
        subjects: Sequence[tuple[str, str]],
        period: ctx.Period | None,
        achieved_period: ctx.Period | None = None,
    ) -> None:
        """The rules classified a sentence's figures: `subjects` holds, in order, each
        classified figure's unit and the words its indicators were read from; `period`,
        that of its last figure outside brackets; `achieved_period`, that of its last
        achieved one. The next sentences may lean on its last figure and its last count; a
        breakdown right after it is dated like it, and "Cùng thời điểm" opening the next
        paragraph by the achieved one."""
        if subjects:
            # an amount closing the sentence ("…, với tổng số tiền 412 tỷ đồng") names less
            # of the subject than the count or share before it
            levels = [words for unit, words in subjects if unit in ("count", "percent")]
            self._last_context = levels[-1] if levels else subjects[-1][1]
            counts = [words for unit, words in subjects if unit == "count"]
            self._last_count = counts[-1] if counts else None
        self._last_period = period if subjects else None
        if achieved_period is not None:
            self._paragraph_period = achieved_period
        self._classified = bool(subjects)

    def sentence_passed_over(self, sentence: str) -> None:
        """A sentence the rules did not read: a breakdown after it is dated by nothing."""
        self._last_period = None
        self._classified = False
        self.sentence_read(sentence)

    def sentence_read(self, sentence: str) -> None:
        """The paragraph's last two sentences: the topic a later figure may refer back to
        ("Điểm mới là dịch vụ tư vấn sức khoẻ từ xa. … đã có 1.150 người dân sử dụng dịch
        vụ này"); and the time frame the sentence opens, for the sentences after it."""
        # a table's header ("Chỉ tiêu | Năm 2024 | Năm 2025") names columns, not a time frame
        if self._line is not Line.HEADER and _figure().search(sentence) is not None:
            frame = ctx.opening_frame(sentence, self.published(), self._classified)
            if frame is not None:
                self._time_frame = frame
        self._classified = False
        self._recent = (self._recent + [sentence])[-2:]
        self._previous_sentence = " ".join(self._recent)
