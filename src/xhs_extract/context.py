"""Context of a figure: achieved or target, and the period the text ties to it.

Both read the sentence around a figure, with what the layout adds to it (the frame of
its list, the header of its table column) and what the sentence before dated (a
breakdown is dated like its total); the cue words live in `patterns/context.yaml`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import regex

from xhs_extract import layout, regexes
from xhs_extract.language import context_data, numbers_data
from xhs_extract.numbers import Figure

_FLAGS = regex.IGNORECASE | regex.UNICODE
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def word_pattern(expression: str) -> str:
    """An expression matched as whole words only."""
    return rf"(?<!\w)(?:{expression})(?!\w)"


@dataclass(frozen=True)
class PeriodRule:
    name: str
    pattern: regex.Pattern
    format: str
    targets_only: bool
    target_format: str | None = None
    year_from_published: bool = False  # "đến ngày 8/6": the year is the publication's
    ends: str | None = None  # "MM-DD" a period without month or day ends on
    relative_year: str | None = None  # "this", "last" or "past" (see `_relative_year`)


@dataclass(frozen=True)
class Period:
    """A period the text ties to a figure; `inferred` when its year is the publication's."""

    value: str
    inferred: bool = False


@dataclass(frozen=True)
class TimeFrame:
    """A time or target frame opening a sentence ("Giai đoạn 2026–2030, tỉnh phấn đấu …",
    "Tính đến hết tháng 12-2005, …", "Đến nay, …"): it reaches the figures of the sentences
    after it, in its paragraph and the list under it, until another frame replaces it."""

    period: Period | None
    target: bool


@dataclass(frozen=True)
class ContextCues:
    linking_end: regex.Pattern
    subject_opener: regex.Pattern
    next_subject: regex.Pattern
    share_link_end: regex.Pattern
    breakdown: regex.Pattern
    remaining_before: regex.Pattern
    foreign: regex.Pattern
    specific_noun: regex.Pattern
    threshold: regex.Pattern
    per_unit: regex.Pattern
    clause_opener: regex.Pattern
    people: regex.Pattern
    domestic: regex.Pattern
    anaphor: regex.Pattern
    ranked_place: regex.Pattern  # case-sensitive: its names are capitalised
    quota_before: regex.Pattern
    compared_before: regex.Pattern
    own_link: regex.Pattern
    figure_right_before: regex.Pattern
    deadline: regex.Pattern
    year_before_host: regex.Pattern
    quota_beaten_before: regex.Pattern
    bracket_figure_only: regex.Pattern
    clause_after_comma: regex.Pattern
    negation_after: regex.Pattern
    plan_achievement: regex.Pattern
    not_level_after: regex.Pattern
    not_level_before: regex.Pattern
    target: regex.Pattern
    achieved: regex.Pattern
    weak_target: regex.Pattern
    no_period: regex.Pattern
    year_in_name: regex.Pattern
    periods: tuple[PeriodRule, ...]
    baseline_before: regex.Pattern
    baseline_end_after: regex.Pattern
    raise_before: regex.Pattern
    same_time: regex.Pattern
    same_time_inside: regex.Pattern  # the same, as a clause of a sentence's opening
    dated_breakdown: regex.Pattern
    plan_name: regex.Pattern
    baseline_bracket: regex.Pattern
    purpose_after: regex.Pattern
    year_after: regex.Pattern
    school_year_after: regex.Pattern
    figure_in_bracket: regex.Pattern
    own_figure_in_bracket: regex.Pattern
    frame_year: regex.Pattern
    last_joint: regex.Pattern
    as_of: regex.Pattern
    window_start: regex.Pattern
    time_after: regex.Pattern


@functools.lru_cache(maxsize=1)
def cues() -> ContextCues:
    d = context_data()
    data = vars(d)

    def compiled(key: str) -> regex.Pattern:
        return regexes.compile(word_pattern(data[key]), _FLAGS)

    def at_end(key: str) -> regex.Pattern:
        return regexes.compile(word_pattern(data[key]) + r"[\s:,]*$", _FLAGS)

    periods = tuple(
        PeriodRule(
            name=item.name,
            pattern=regexes.compile(item.pattern, _FLAGS),
            format=item.format,
            targets_only=item.targets_only,
            target_format=item.target_format,
            year_from_published=item.year_from_published,
            ends=item.ends,
            relative_year=item.relative_year,
        )
        for item in d.periods
    )
    return ContextCues(
        linking_end=at_end("linking_verbs"),
        subject_opener=compiled("subject_openers"),
        # ", tỷ lệ …", "và đưa tỷ lệ …": another subject begins.
        next_subject=regexes.compile(
            d.next_subject_before + "(?=" + word_pattern(d.subject_openers) + ")", _FLAGS
        ),
        share_link_end=at_end("share_links"),
        breakdown=compiled("breakdown_cues"),
        remaining_before=at_end("remaining_before"),
        foreign=regexes.compile(word_pattern(data["foreign_scope"]), regex.UNICODE),
        specific_noun=compiled("specific_nouns"),
        threshold=compiled("threshold_before"),
        per_unit=compiled("per_unit_before"),
        clause_opener=regexes.compile(r"\s" + word_pattern(data["clause_opener"]), _FLAGS),
        people=regexes.compile(r"\s*" + word_pattern(data["people_nouns"]), _FLAGS),
        domestic=regexes.compile(word_pattern(data["domestic_scope"]), regex.UNICODE),
        anaphor=compiled("anaphors"),
        ranked_place=regexes.compile(data["ranked_place"], regex.UNICODE),
        quota_before=regexes.compile(data["quota_before"], _FLAGS),
        compared_before=regexes.compile(d.compared_before, _FLAGS),
        own_link=regexes.compile(d.own_link, _FLAGS),
        figure_right_before=regexes.compile(d.figure_right_before, _FLAGS),
        deadline=regexes.compile(d.deadline_words, _FLAGS),
        year_before_host=regexes.compile(d.year_before_host, _FLAGS),
        quota_beaten_before=regexes.compile(d.quota_beaten_before, _FLAGS),
        bracket_figure_only=regexes.compile(d.bracket_figure_only, _FLAGS),
        clause_after_comma=regexes.compile(
            r",\s*" + word_pattern(data["clause_after_comma"]), _FLAGS
        ),
        negation_after=regexes.compile(
            r"^[^,;.:]{0,30}?" + word_pattern(data["negation_after"]), _FLAGS
        ),
        plan_achievement=compiled("plan_achievement"),
        not_level_after=regexes.compile(r"^\s*" + word_pattern(data["not_a_level_after"]), _FLAGS),
        not_level_before=regexes.compile(
            word_pattern(data["not_a_level_before"]) + r"\s*$", _FLAGS
        ),
        target=compiled("target_cues"),
        achieved=compiled("achieved_cues"),
        weak_target=compiled("weak_target_cues"),
        no_period=compiled("no_period_cues"),
        year_in_name=regexes.compile(data["year_in_name_before"], _FLAGS),
        periods=periods,
        baseline_before=regexes.compile(d.baseline_before, regex.IGNORECASE),
        baseline_end_after=regexes.compile(d.baseline_end_after, regex.IGNORECASE),
        raise_before=regexes.compile(d.raise_before, regex.IGNORECASE),
        baseline_bracket=regexes.compile(d.baseline_bracket + r"\s*$", regex.IGNORECASE),
        plan_name=regexes.compile(r"\s*(?:" + d.plan_names + r")(?!\w)", regex.IGNORECASE),
        dated_breakdown=regexes.compile(
            r"(?<!\w)(?:" + d.dated_breakdown_cues + r")(?!\w)", regex.IGNORECASE
        ),
        same_time=regexes.compile(r"\s*(?:" + d.same_time_openers + r")(?!\w)", regex.IGNORECASE),
        same_time_inside=regexes.compile(
            r"(?<![^\W\d])(?:" + d.same_time_openers + r")\s*,", regex.IGNORECASE
        ),
        purpose_after=regexes.compile(d.purpose_after, regex.IGNORECASE),
        year_after=regexes.compile(d.year_after, regex.IGNORECASE),
        school_year_after=regexes.compile(d.school_year_after, regex.IGNORECASE),
        figure_in_bracket=regexes.compile(d.figure_in_bracket),
        own_figure_in_bracket=regexes.compile(d.own_figure_in_bracket),
        frame_year=regexes.compile(d.frame_year, regex.IGNORECASE),
        last_joint=regexes.compile(d.last_joint, regex.DOTALL),
        as_of=compiled("as_of_cues"),
        window_start=regexes.compile(r"(?<!\w)" + d.window_start_before, _FLAGS),
        time_after=regexes.compile(d.time_after, _FLAGS),
    )


def _last_end(pattern: regex.Pattern, text: str) -> int:
    """End of the last match of `pattern` in `text`, or -1."""
    last = -1
    for match in pattern.finditer(text):
        last = match.end()
    return last


_SHARE = regexes.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?\s*%")


@functools.cache
def _ranked_figure() -> regex.Pattern:
    """The figures a ranking of places gives: shares and speeds ("Hưng Yên (140,5 Mbps)")."""
    units = sorted(numbers_data().speed_units, key=regexes.longest_first)
    return regexes.compile(
        r"(?<![\d.,])\d+(?:[.,]\d+)?\s*(?:%|(?:"
        + "|".join(map(regex.escape, units))
        + r")(?![\w/]))"
    )


def ranks_a_place(text: str, start: int, end: int) -> bool:
    """Does a share or a speed in text[start:end] stand after a place alone ("thị xã Giá
    Rai 91,3%", "xếp sau Cần Thơ (86,2%)"), so that it measures what the text before
    measured?"""
    ranked = cues().ranked_place
    left = start
    for share in _ranked_figure().finditer(text, start, end):
        clause = max(left, text.rfind(";", start, share.start()) + 1)
        comma = text.rfind(",", clause, share.start())
        if ranked.match(text, clause, share.start()) or (
            comma >= 0 and ranked.match(text, comma + 1, share.start())
        ):
            return True
        left = share.end()
    return False


_QUOTA_REACH = 120  # a quota word and its few words before the figure they name


def _quota_before(text: str, lo: int, position: int) -> regex.Match | None:
    return cues().quota_before.search(text, max(lo, position - _QUOTA_REACH), position)


def names_a_quota_at(text: str, lo: int, position: int) -> bool:
    """Is the figure at `position` the quota its words name ("vượt chỉ tiêu 70%")?"""
    return _quota_before(text, lo, position) is not None


def beats_quota(text: str, lo: int, position: int) -> bool:
    """Is the figure at `position` the quota a result is set against ("đạt 83,5%, vượt
    chỉ tiêu 80% của năm")? It is a target, but no item of a list of targets."""
    quota = _quota_before(text, lo, position)
    if quota is None:
        return False
    beaten = cues().quota_beaten_before
    return beaten.search(text, max(lo, quota.start() - 20), quota.start()) is not None


def names_a_quota(text: str, start: int, end: int) -> bool:
    """Does a share in text[start:end] follow the quota word it is ("vượt chỉ tiêu 70%")?"""
    return any(
        names_a_quota_at(text, start, share.start())
        for share in _SHARE.finditer(text, start, end)
    )


def abroad(before: str) -> bool:
    """Is the figure whose clause starts with `before` about another country or the world?"""
    c = cues()
    last_foreign = _last_end(c.foreign, before)
    return last_foreign >= 0 and c.domestic.search(before, last_foreign) is None


def _target_open(text: str) -> bool:
    c = cues()
    target_at = _last_end(c.target, text)
    return target_at >= 0 and target_at > _last_end(c.achieved, text)


def status_of(before: str, previous: str | None = None, after: str = "") -> str:
    """`target` or `achieved` for a figure, from `before` (its sentence up to the figure).

    The figure's own clause (after the last ";") decides when it holds a cue; a target
    cue counts unless a marker of achievement follows it. Otherwise a list item keeps the
    status of the figure before it in the sentence (`previous`), or of the frame that opens
    the list ("các chỉ tiêu … năm 2023 là: …; …"). Achievement against a plan ("đạt 164%
    kế hoạch") names a plan without making one.
    """
    c = cues()
    if c.baseline_before.search(before) and c.baseline_end_after.search(after):
        return "achieved"  # "nâng tỷ lệ … từ mức 58% của năm 2024 lên 80%": the start is a level
    if c.quota_before.search(before[-_QUOTA_REACH:]):
        return "target"  # "đã vượt chỉ tiêu 70% mà … giao": the figure is the quota
    text = _without_indicator_names(c.plan_achievement.sub(lambda m: " " * len(m.group()), before))
    semicolon = text.rfind(";")
    colon = text.rfind(":")
    clause = text[max(semicolon, colon) + 1 :]
    if _target_open(clause):
        return "target"
    if c.raise_before.search(clause) and c.purpose_after.search(after):
        if not c.achieved.search(clause):
            return "target"
    if c.achieved.search(clause):
        return "achieved"
    if previous is not None:
        return previous
    if colon >= 0 and _frame_is_target(_last_sentence(text[: colon + 1])):
        return "target"
    return "achieved"


_SENTENCE_BREAK = regexes.compile(r"[.!?]\s+(?=\S)")


def _last_sentence(frame: str) -> str:
    """The sentence that opens a list: "… đã hoàn tất phân bổ chỉ tiêu. Kế hoạch năm 2025
    được xác định như sau:" frames targets, whatever the sentences before it said."""
    last = -1
    for match in _SENTENCE_BREAK.finditer(frame):
        last = match.end()
    sentence = frame[last:] if last >= 0 else frame
    c = cues()
    if not (c.target.search(sentence) or c.achieved.search(sentence)):
        return frame  # "Kế hoạch đặt ra 12 chỉ tiêu …. Cụ thể, đến hết năm 2026:"
    return sentence


# a table's caption naming its rows, no plan: "Bảng: Một số chỉ tiêu công nghệ thông tin …"
_SOME_INDICATORS = regexes.compile(
    r"(?<!\w)(?:Bảng|Biểu)\s*[\dIVX.:–-]*\s*(?:một số|các|những)?\s*chỉ tiêu(?!\w)",
    regex.IGNORECASE,
)


def _without_indicator_names(text: str) -> str:
    return _SOME_INDICATORS.sub(lambda m: " " * len(m.group()), text)


def _frame_is_target(frame: str) -> bool:
    """A list's frame is a target frame when its first cue is one: "Theo kế hoạch, … phấn
    đấu đạt các chỉ tiêu:" is; "Kết quả năm 2024 là nền tảng để đặt mức phấn đấu cao hơn:"
    is not (its subject is the results)."""
    c = cues()
    frame = _without_indicator_names(frame)  # "Bảng: Một số chỉ tiêu công nghệ thông tin …"
    target = c.target.search(frame)
    if target is None:
        return False
    achieved = c.achieved.search(frame)
    weak = all(c.weak_target.fullmatch(m.group()) for m in c.target.finditer(frame))
    if weak and achieved is not None:
        return False  # "Một số chỉ tiêu … được thống kê như sau:": indicators, not targets
    return achieved is None or target.start() < achieved.start()


def _month_before(published: str | None) -> tuple[int, int] | None:
    """(year, month) of the month before the publication date's."""
    if not published or len(published) < 7 or not published[5:7].isdigit():
        return None
    year, month = int(published[:4]), int(published[5:7])
    return (year, month - 1) if month > 1 else (year - 1, 12)


def _format_period(
    rule: PeriodRule, match: regex.Match, status: str = "achieved", published: str | None = None
) -> str | None:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    values: dict[str, int] = {}
    if groups.pop("last_month", None) is not None:  # "cuối tháng trước": the month before
        before = _month_before(published)
        if before is None:
            return None
        values["y"], values["m"] = before
    elif rule.relative_year is not None:
        year = _relative_year(rule.relative_year, published, ahead=status == "target")
        if year is None:
            return None
        values["y"], values["y2"] = year, year + 1
    elif rule.year_from_published:
        month, day = int(groups.get("m", 0)), int(groups.get("d", 0))
        if "q" in groups:  # a quarter begun (a target's: not yet ended) by then is of its year
            last = (_ROMAN.get(groups["q"].upper(), None) or int(groups["q"])) * 3
            month = last if status == "target" else last - 2
        elif "m" not in groups:  # "cuối năm": the year's end; "6 tháng đầu năm": 30 June
            month, day = (int(part) for part in (rule.ends or "12-31").split("-"))
        ahead = status == "target" or (month == 12 and _published_month(published) >= _YEAR_CLOSING)
        year = _year_before(published, month, day, ahead=ahead)
        if year is None:
            return None
        values["y"] = year
    for key, raw in groups.items():
        if key == "q":
            values[key] = _ROMAN.get(raw.upper(), None) or int(raw)
            values["qm"] = int(values[key]) * 3  # the quarter's last month
        else:
            values[key] = int(raw)
    if "m" in values and not 1 <= int(values["m"]) <= 12:
        return None
    if "d" in values and not 1 <= int(values["d"]) <= 31:
        return None
    template = rule.target_format if status == "target" and rule.target_format else rule.format
    try:
        return template.format(**values)
    except (KeyError, ValueError):
        return None


# Right after a figure (and its counted noun): "68% (năm 2023)", "3.950 trạm (năm 2020)",
# "5.870 trạm năm 2023", "58% của năm 2024".
# (The year and school-year patterns are `ContextCues.year_after`, `.school_year_after`.)
_STRETCH_END = regexes.compile(r"[(;]|[.!?](?:\s|$)")
_BRACKET_AFTER = regexes.compile(r"^\s*(?:[^\W\d]+\s+){0,2}\(([^()]{1,30})\)")


def period_after(after: str, status: str, published: str | None = None) -> str | None:
    """A period right after a figure: a year or a bracket just after it ("tăng từ 68% (năm
    2023) lên 77,5% (năm 2024)"), or a school year ending the clause it opens ("tại 100%
    trường mầm non, tiểu học và trung học cơ sở trong năm học 2024 – 2025")."""
    c = cues()
    school = c.school_year_after.match(after)
    if school is not None:
        return f"{school.group(1)}/{school.group(2)}"
    time = c.time_after.match(after)  # words only: it stops at the clause's punctuation
    after = after[:40]
    year = c.year_after.match(after)
    if year is not None:
        return year.group(1)
    if time is not None:
        # up to its clause's end: ". Từ đầu năm đến nay, …" is the next sentence's
        stretch = _STRETCH_END.split(time.string[time.end() : time.end() + 30], 1)[0]
        found = period_of(stretch, status, published)
        if found is not None:
            # "10.000 thuê bao vào cuối quý II/2025", "vượt mục tiêu 80% mà tỉnh đề ra cho
            # năm 2025", "xây mới khoảng 2.500 trạm 5G đến năm 2030"
            return found
    match = _BRACKET_AFTER.match(after)
    if match is None or c.figure_in_bracket.search(match.group(1)):
        return None  # "(cuối năm 2021 là 71%)" is a baseline with its own figure
    return period_of(match.group(1), status)


_CLAUSE_MARKS = frozenset('-.;:,("')
_NAMEABLE = ("target_year", "year_opener")  # rules whose year may be a name's


# "ước đến cuối năm đạt 71,5%" said in November or December: the year ending, not the last
_YEAR_CLOSING = 11


def _published_month(published: str | None) -> int:
    if published and len(published) >= 7 and published[5:7].isdigit():
        return int(published[5:7])
    return 0


_SCHOOL_YEAR_STARTS = 8  # from August a school year under way is the one beginning that year
_PAST_YEAR_UNTIL_MONTH = 6  # "năm qua" said up to June is the year before; later, this year


def _relative_year(relation: str, published: str | None, ahead: bool = False) -> int | None:
    """The year "năm nay" ("this"), "năm ngoái" ("last") or "năm qua" ("past") names, said
    on the publication date: a year-end review published in January looks back on the
    year before, one published in December on the year ending. For "năm học này", "học kỳ
    I" ("school_this") and "năm học trước" ("school_last"), the first year of that school
    year; a target's (`ahead`) "học kỳ I" said in spring is of the school year to come."""
    if not published or len(published) < 4 or not published[:4].isdigit():
        return None
    year = int(published[:4])
    month = _published_month(published) or 12
    if relation.startswith("school"):  # a school year begins in September
        start = year if month >= _SCHOOL_YEAR_STARTS or ahead else year - 1
        return start - 1 if relation == "school_last" else start
    if relation == "last" or (
        relation == "past" and not ahead and month <= _PAST_YEAR_UNTIL_MONTH
    ):
        return year - 1
    return year


def _year_before(published: str | None, month: int, day: int, ahead: bool) -> int | None:
    """The year of a date written without one ("đến ngày 8/6", "Đến tháng 5"), from the
    publication date: its year, or the year before when the date would fall after it; for
    a date `ahead` (a target's: "Đến ngày 30/6, tỉnh phấn đấu …") the year after when its
    month has passed."""
    if not published or len(published) < 4 or not published[:4].isdigit():
        return None
    year = int(published[:4])
    parts = published.split("-")
    pub_month = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 12
    pub_day = int(parts[2][:2]) if len(parts) > 2 and parts[2][:2].isdigit() else 31
    if ahead:  # a target's date lies ahead: "trước ngày 30/6" said in October is next June
        return year + 1 if month < pub_month else year
    return year - 1 if (month, day) > (pub_month, pub_day) else year


def period_of(before: str, status: str, published: str | None = None) -> str | None:
    """The period the text ties to a figure, from `before` (its sentence or bracket up to
    the figure): the nearest period expression, unless "đến nay"-like words follow it.
    A date without a year takes the year of `published` (ISO), never falling after it."""
    found = _nearest_period(before, status, published)
    return found.value if found is not None else None


def _nearest_period(before: str, status: str, published: str | None) -> Period | None:
    c = cues()
    best: tuple[int, Period] | None = None
    for rule in c.periods:
        if rule.targets_only and status != "target":
            continue
        for match in rule.pattern.finditer(before):
            if c.window_start.search(before, 0, match.start()):
                continue  # "Từ tháng 7/2024, …": a window's start
            if _dates_another_figure(before, match):
                continue
            # ", năm 2025 toàn tỉnh có …" opens a clause: its year belongs to no name.
            named = match.group()[:1] not in _CLAUSE_MARKS and rule.name in _NAMEABLE
            name = c.year_in_name.search(before[: match.start()]) if named else None
            if name is not None and not (status == "target" and c.plan_name.match(name.group())):
                # "Luật Căn cước năm 2023" dates nothing; a plan's year ("Kế hoạch chuyển
                # đổi số năm 2025") is its targets'
                continue
            value = _format_period(rule, match, status, published)
            if value is None:
                continue
            # The nearest expression wins; at equal ends, the more specific rule listed first.
            if best is None or match.end() > best[0]:
                inferred = rule.year_from_published or rule.relative_year is not None
                best = (match.end(), Period(value, inferred))
    if best is None:
        return None
    if c.no_period.search(before[best[0] :]):
        return None
    return best[1]


# A figure, not a date: a number with its percent sign or the word it counts.
_OTHER_FIGURE = regexes.compile(
    r"(?<![\d/.,-])\d[\d.,]*(?:\s*%|\s+(?!(?:tháng|năm|ngày|quý|giờ)\b)[^\W\d_])"
)


def _dates_another_figure(before: str, match: regex.Match) -> bool:
    """Is this time another figure's, in the words before ours? A comparison's ("cùng kỳ
    năm ngoái là 70,2%; tỷ lệ … đạt 41,5%", "so với năm học trước; …"), or a deadline
    closing an earlier clause after that clause's figure ("100% … trước ngày 30/9; tỷ lệ …
    đạt 95%")."""
    c = cues()
    if c.compared_before.search(before, 0, match.start()) is not None:
        # "tăng 14% so với năm học trước; 87,3% …": a comparison's time; but "(cùng kỳ năm
        # 2024 là 63,5%)" is the time of the figure right after it
        return not c.own_link.fullmatch(before, match.end())
    if match.group()[:1].isalpha() and c.figure_right_before.search(
        before, max(0, match.start() - 30), match.start()
    ):
        return True  # "cao hơn mức 70,1% của cuối năm 2023, … Đà Nẵng (92%)": 70,1%'s time
    if not c.deadline.match(match.group()):
        return False
    semicolon = before.find(";", match.end())
    if semicolon <= 0 or before[semicolon - 1].isspace():
        return False  # no clause after it (" ; " joins a column's header, not a clause)
    clause = before.rfind(";", 0, match.start()) + 1
    return _OTHER_FIGURE.search(before, clause, match.start()) is not None


# ---------------------------------------------------------------------------------------
# A figure in its sentence, its list and its table

_CLOSED_BRACKET = regexes.compile(r"\([^()]*\)")


def period_text(text: str, lo: int, position: int) -> str:
    """The words that may date a figure: its bracket if it is in one, else its sentence
    without the brackets closed before it ("(cuối năm 2021 là 71%)" dates only its own figure)."""
    bracket = text.rfind("(", lo, position)
    if bracket >= 0 and text.find(")", bracket, position) < 0:
        inside = text[bracket + 1 : position]
        c = cues()
        if inside.strip() and not (
            c.same_time.search(inside) or c.bracket_figure_only.match(inside)
        ):
            return inside
        # "100% cơ sở … (187 cơ sở)": an apposition, dated like its host; so is "(tỉnh
        # Đồng Nai cùng thời điểm là 81,5%)"
        position = bracket
    own_figure = cues().own_figure_in_bracket

    def blank_baseline(match: regex.Match) -> str:
        # A bracket with its own figure dates that figure only; "(năm 2025)" dates all.
        return " " * len(match.group()) if own_figure.search(match.group()) else match.group()

    return _CLOSED_BRACKET.sub(blank_baseline, text[lo:position])


def in_baseline(text: str, lo: int, position: int) -> bool:
    """Is the figure in a bracket that opens with its own time ("(năm 2024 là 81,4%)")?"""
    bracket = text.rfind("(", lo, position)
    if bracket < 0 or text.find(")", bracket, position) >= 0:
        return False
    return cues().baseline_bracket.match(text, bracket + 1, position) is not None


def status_and_period(
    text: str,
    s_start: int,
    figure: Figure,
    header: str,
    frame: str | None,
    previous_status: str | None,
    inherited: Period | None,
    published: str | None = None,
    target_period: Period | None = None,
    plan_period: Period | None = None,
) -> tuple[str, Period | None]:
    """A figure's status and period, from its sentence (which starts at `s_start`), the
    header of its table column, the `frame` of the list it is a line of, and the words
    right after it; `inherited` is what the text before dated (see `inherited_period`
    and `TimeFrame`), `target_period` what a target frame before dated, for targets only;
    `published`, the article's date, completes dates without a year; `plan_period`, the
    time of the plan the headline names, dates targets naming none."""
    c = cues()
    before = text[s_start : figure.start]
    dating = period_text(text, s_start, figure.start)
    if header:
        dating = dating + " ; " + header  # "Năm 2024" above the column
    if frame is not None:
        # "… phấn đấu đạt các chỉ tiêu:" then "- Tỷ lệ …: 92%;" lines.
        before = frame + " " + before
        dating = frame + "\n" + dating  # a row's own label still opens a line
    after = text[figure.end : figure.end + 90]  # a school year may end a long noun phrase
    status = status_of(before, previous_status, after[:60])
    if status == "target" and in_baseline(text, s_start, figure.start):
        status = "achieved"  # "đạt từ 86% trở lên (năm 2024 là 81,4%)": the level before
    right_after = period_after(after, status, published)
    period = Period(right_after) if right_after else _nearest_period(dating, status, published)
    compared = c.year_before_host.search(text, s_start, figure.start)
    if compared is not None and not right_after:
        # "đạt 76,4%, cùng kỳ năm ngoái là 70,2%", "89,2% (năm trước là 84,6%)": the time of
        # the figure it is compared with, a year earlier
        host = _nearest_period(
            period_text(text, s_start, compared.start()), "achieved", published
        ) or inherited
        period = _year_earlier(
            host, same_span=compared.group("span") is not None, named=compared.group("named")
        ) or period
    if period is None and not c.no_period.search(dating):  # brackets closed before: theirs
        period = inherited or (target_period if status == "target" else None)
    if period is None and frame is not None:
        # "Một số kết quả nổi bật năm 2024:" dates the lines under it.
        framed = c.frame_year.search(frame)
        period = Period(framed.group(1)) if framed else None
    if status == "achieved" and period is not None and _after(period.value, published):
        status = "target"  # "đến ngày 31/12/2025 phát sóng thêm 250 trạm", said in July 2025
    if period is None and status == "target" and not c.no_period.search(dating):
        period = plan_period  # "… ban hành Kế hoạch phát triển xã hội số năm 2024": its targets'
    return status, period


def plan_period(title: str | None, published: str | None) -> Period | None:
    """The time of the plan an article's headline names ("Thái Bình đặt 12 chỉ tiêu phát
    triển xã hội số năm 2025", "… Kế hoạch … đến năm 2030"): its targets that name no time
    of their own are that time's."""
    if not title:
        return None
    c = cues()
    # "Xã hội số hoàn thành 9/10 chỉ tiêu năm 2024" names results against a plan
    words = c.plan_achievement.sub(lambda m: " " * len(m.group()), title)
    if not c.target.search(words):
        return None
    return _nearest_period(words, "target", published)


_OPENING_CLAUSES = regexes.compile(r"(?:[^\d,;:.]{1,40},\s*){1,2}")

_YEAR_OF = regexes.compile(r"^((?:19|20)\d\d)(?=$|-)")


def _year_earlier(
    host: Period | None, same_span: bool, named: str | None = None
) -> Period | None:
    """The period a year before `host`'s (or of the `named` year): the same span of it
    ("cùng kỳ", "cùng kỳ năm 2024") or its year."""
    if host is None:
        return None
    year = _YEAR_OF.match(host.value)
    if year is None:
        return None
    earlier = named or str(int(year.group(1)) - 1)
    return Period(earlier + host.value[4:] if same_span else earlier, host.inferred)


_PERIOD_START = regexes.compile(r"^((?:19|20)\d\d)(?:-(?:(\d\d)(?:-(\d\d))?|Q([1-4])))?$")


def _after(period: str, published: str | None) -> bool:
    """Does the period begin after the publication date? Then the figure is yet to come."""
    found = _PERIOD_START.match(period)
    if found is None or not published:
        return False
    year, month, day, quarter = found.groups()
    if quarter is not None:
        month = f"{(int(quarter) - 1) * 3 + 1:02d}"
    parts = [year] + [p for p in (month, day) if p is not None]
    return "-".join(parts) > published[: len("-".join(parts))]


_OPENING = regexes.compile(r"^[^,:;]{0,70}[,:]")


_DIGIT = regexes.compile(r"\d")
# The words before a sentence's first number that is not a year: where it frames its figures.
_HEAD = regexes.compile(
    r"^(?:[^\d;]|(?<![\d.,])(?:19|20)\d\d(?!\d)){0,200}?"
    r"(?=(?!(?<![\d.,])(?:19|20)\d\d(?!\d))\d|;|$)"
)
_AS_OF_REACH = 24  # how far after its cue an as-of date may end ("đến hết ngày 31/5/2025")


def opening_frame(sentence: str, published: str | None, has_figures: bool) -> TimeFrame | None:
    """The frame a sentence sets for the sentences after it, or None (the frame before
    holds). A target frame opening it ("Giai đoạn 2026–2030, tỉnh phấn đấu: …", "Mục tiêu
    đến năm 2025, …") reaches the figures after it with its status and period; a sentence
    whose only number is the date up to which data run ("Số liệu được tổng hợp đến hết
    ngày 31/5/2025.") dates the figures after it. Any other time opening a sentence with
    figures ("Năm 2024, …", "Đến nay, …") ends the frame before it and dates only its own."""
    c = cues()
    opening_match = _OPENING.match(sentence)
    head = _HEAD.match(sentence)
    if head is not None and head.group():
        target = _frame_is_target(head.group())
        period = _nearest_period(head.group(), "target" if target else "achieved", published)
        if target and period is not None:
            return TimeFrame(period, True)  # "Năm 2025, tỉnh đặt mục tiêu … 99% …"
    if opening_match is not None:
        opening = opening_match.group()
        if c.no_period.search(opening):
            return TimeFrame(None, False)  # "Đến nay, …": the time is now again
        target = _frame_is_target(opening)
        period = _nearest_period(opening, "target" if target else "achieved", published)
        if target and period is not None:
            return TimeFrame(period, True)
        if period is not None and has_figures:
            return TimeFrame(None, False)
    if has_figures:
        return None
    return dating_frame(sentence, published)


def dating_frame(text: str, published: str | None) -> TimeFrame | None:
    """The frame of a text whose only number is the date up to which data run ("Số liệu
    … tính đến ngày 30/9, cho thấy rõ điều đó."), or None."""
    c = cues()
    as_of = c.as_of.search(text)
    if as_of is None:
        return None
    end = as_of.end() + _AS_OF_REACH
    period = _nearest_period(text[as_of.start() : end], "achieved", published)
    if period is None or _DIGIT.search(text[: as_of.start()] + text[end:]):
        return None  # no date, or figures of its own: its date is theirs
    return TimeFrame(period, False)


def dating_paragraph(
    paragraph: str, published: Callable[[], str | None]
) -> TimeFrame | None:
    """The frame of a paragraph that only dates the data of the paragraphs after it ("Số
    liệu … tổng hợp từ Sở Y tế, tính đến ngày 30/9, cho thấy rõ điều đó."); a target's
    date ("Đến năm 2030, …") dates no data. `published` is asked for only then."""
    c = cues()
    if not c.as_of.search(paragraph) or c.target.search(paragraph):  # the rarer cue first
        return None
    return dating_frame(paragraph, published())


def opens_own_time(paragraph: str, published: str | None) -> bool:
    """Does the paragraph open with a time of its own ("Năm 2024, …", "Đến nay, …")?"""
    opening = _OPENING.match(paragraph)
    if opening is None:
        return False
    words = opening.group()
    return bool(cues().no_period.search(words)) or (
        _nearest_period(words, "achieved", published) is not None
    )


def inherited_period(
    text: str, start: int, end: int, last_period: Period | None,
    period_before: Period | None = None, paragraph_period: Period | None = None,
    opens_paragraph: bool = False,
) -> Period | None:
    """A breakdown sentence ("Trong đó, …") is dated like the total it breaks down, which
    the sentence before dated `last_period` (a paragraph opening with it breaks down the
    paragraph before, dated `period_before`); one opening with "Cùng
    thời điểm, …" takes the last period: of the sentence before, else the last achieved one
    of its paragraph (`paragraph_period`: "Tính đến 30/6, … Toàn huyện hiện có … Cùng
    thời điểm, …"), else that of the paragraph before."""
    c = cues()
    opening = _OPENING_CLAUSES.match(text, start, end)
    if c.same_time.match(text, start, end) or (
        opening is not None and c.same_time_inside.search(text, start, opening.end())
    ):
        # "Cùng thời điểm, …", "Trong khu vực miền Trung, cùng tháng, …"
        return last_period or paragraph_period or period_before
    if opens_paragraph:
        last_period = period_before
    if last_period is None:
        return None
    opening = text[start : min(end, start + layout.BREAKDOWN_OPENING)]
    return last_period if c.dated_breakdown.search(opening) else None
