"""The figures finder: which numbers in a Vietnamese sentence are statistics, and what they say.

The rule extractor hands a sentence (or a whole text) to :func:`find_figures` and gets every
statistic-like figure in it, in order, with its normalised value, unit, span, denominator,
range end and qualifier. Deciding *which indicator* a figure measures is not done here.
All word lists live in ``patterns/numbers.yaml``; the regular expressions are built from it
once per process (first call), so a call costs only the matching.

Supported forms (the qualifier is never inside the span):

Written -> value, unit; the span (text[start:end]):

- `98,5%` · `77.3%` · `83.36 %` -> 98.5 · 77.3 · 83.36, percent; `98,5%` (sign kept)
- `hai mươi lăm phần trăm` · `25 phần trăm` -> 25, percent; the words, `phần trăm` kept
- `706.105 người` · `880,000 hộ` · `10 000 thuê bao` -> 706105 · 880000 · 10000, count;
  `706.105` (the noun is not in the span; `noun_start`/`noun_end` point at it)
- `7.898 các đối tượng` · `06 tổ` · `năm người` -> 7898 · 6 · 5, count; `7.898` · `06` · `năm`
- `4.123,2` · `1,234.5` · `1.500` (no unit) -> 4123.2 · 1234.5 · 1500, None; the number
- `1,2 triệu người` · `706 nghìn` · `2 triệu rưỡi` -> 1200000 · 706000 · 2500000,
  count · None; `1,2 triệu` (scale kept)
- `8,5 tỷ đồng` · `500.000đ` · `2 tỷ 500 triệu đồng` · `1,5 nghìn tỷ đồng` -> 8.5e9 · 5e5 ·
  2.5e9 · 1.5e12, vnd; `8,5 tỷ đồng` (scale and currency kept)
- `87,07 thuê bao/100 dân` · `… trên 100 dân` · `…/100 dân đạt 21,3` -> 87.07 · 21.3,
  per_100_people; `87,07`
- `100 Mbps` · `1 Gbps` · `45,5Mb/s` -> 100 · 1000 · 45.5, mbps; `100 Mbps` (unit kept)
- `209/209 Tổ` · `45.158/53.571 người` -> 209 (denominator 209), count; `209/209`
- `697 tổ …/691 thôn` · `45.158 người trên tổng số 53.571` -> 697 (denominator 691), count;
  `697`
- `27 – 34%` · `27-34%` · `từ 27% đến 34%` · `7 - 8 triệu đồng` -> 27 (value_max 34),
  percent · vnd; `27 – 34%` · `27% đến 34%`

Separators are read by rule: with both marks present the last one is the decimal mark
("4.123,2"); a single mark followed by exactly three digits groups thousands ("1.500",
"880,000"); any other single mark is a decimal mark ("98,5", "77.3", "0,125"). When the rule
decided, ``ambiguous`` is True with a note, unless the unit settles it (a head count cannot
be fractional). A percent whose thousands reading would be 1000 or more is read as a decimal
("12.345%" -> 12.345, "100.000%" -> 100), flagged ambiguous. Text that is not in Unicode NFC
(combining accents) is read through a normalised copy; offsets still index the given text.

Qualifiers come from the words right before the figure, optionally followed by fillers such
as "đạt", "là", "có", "tỷ lệ", "với", "chiếm": exact (default), approx (khoảng, ước, ước
đạt, ước tính, xấp xỉ, chừng, độ, trên dưới), nearly (gần, ngót; not "gần như"), over (hơn,
trên, vượt), under (dưới, chưa đến, chưa tới), at_least (ít nhất, tối thiểu, "… trở lên"
after the figure or its noun), at_most (tối đa, không quá, không vượt quá).

Not figures (never returned): dates ("31/03/2022", "ngày 04/9", "30/4", "5/2024",
"21-22/3"), years and year ranges ("năm 2023", "2021-2025", "năm học 2023-2024", "2003/04"),
times ("8h30", "14 giờ", "08:30"), durations ("3 tháng"), ages ("15 tuổi", "từ 0 đến dưới 6
tuổi", "độ tuổi 15-64"), phone numbers, document numbers ("411/QĐ-TTg", "13/2023/NĐ-CP",
"Quyết định số 500", "Đề án 06"), technology names ("4G", "3G/4G", "chợ 4.0", "Web 3.0",
"IPv6", "COVID-19"), URLs, domains and e-mails, ordinals, ranks and labels ("lần thứ 7", "số
1", "lớp 10", "Quận 1", "Q.1", "mức độ 2"), list markers ("1.", "(2)"), page counters
("Lượt xem: 32"), scores ("4-0"), vague quantities ("hàng trăm", "một số"), and amounts in
units the records never hold (foreign currencies, km, ha, tấn, kg, độ …).

A number with no unit word ("3 trụ cột", "9 đặc trưng", "1.500") is still returned with
``unit=None``: the extractor drops figures whose context maps to no indicator.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, replace
from typing import Any, Iterable

import regex

from xhs_extract import regexes
from xhs_extract.language import NumbersData, numbers_data

__all__ = ["Figure", "find_figures", "parse_written_number", "QUALIFIERS_ORDER"]

QUALIFIERS_ORDER: tuple[str, ...] = (
    "exact", "approx", "nearly", "over", "under", "at_least", "at_most",
)


@dataclass(frozen=True, slots=True)
class Figure:
    """One statistic-like figure found in a text; offsets are code points, end exclusive."""

    start: int
    end: int
    value: float
    unit: str | None
    denominator: float | None = None
    value_max: float | None = None
    qualifier: str = "exact"
    qualifier_span: tuple[int, int] | None = None
    ambiguous: bool = False
    noun_start: int | None = None
    noun_end: int | None = None
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------------------
# Numbers written with digits

# A number as written: thousands grouped by dots, commas or spaces, or a plain number with
# one decimal mark. Grouped readings are tried first; the trailing look-ahead stops
# "1.2345" from being read as "1.234" + "5".
_END = r"(?![\d]|[.,]\d)"
_NUM = (
    r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?" + _END
    + r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?" + _END
    + r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?" + _END
    + r"|\d+(?:[.,]\d+)?" + _END + ")"
)
# Letters before a number are checked in code (garbled text glues words: "đạt98,5%").
_NUM_RE = regexes.compile(r"(?=\d)(?<!\d)(?<!\d[.,])" + _NUM)
# The same number without space grouping: used when "tháng 12 100%" must not read 12100.
_PLAIN_RE = regexes.compile(
    r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?" + _END + r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?" + _END
    + r"|\d+(?:[.,]\d+)?" + _END + ")"
)
_SPACES = " \u00a0\u202f"
_DIGIT_RE = regexes.compile(r"\d")


@dataclass(frozen=True, slots=True)
class _Reading:
    """A digit token's value by the rule, and the other reading when the rule decided."""

    value: float
    ambiguous: bool
    thousands: bool = False           # the rule read a lone separator as thousands
    alternative: float | None = None  # the decimal reading of that separator


def _valid_groups(groups: list[str]) -> bool:
    """Thousands groups: a first group of 1-3 digits, then groups of exactly 3."""
    return 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


def _read_digits(token: str) -> _Reading | None:
    """Value of a digit token ("706.105", "98,5", "4.123,2", "10 000"); None if malformed.

    With both marks the last one is the decimal mark; one mark followed by exactly three
    digits groups thousands (by rule, so ambiguous); any other single mark is a decimal.
    """
    token = token.strip()
    if not token or not token[0].isdigit() or not token[-1].isdigit():
        return None
    if any(ch in token for ch in _SPACES):
        parts = regexes.split(r"[ \u00a0\u202f]", token)
        last, decimal = parts[-1], ""
        for mark in ".,":
            if mark in last:
                last, decimal = last.split(mark, 1)
        groups = parts[:-1] + [last]
        if not _valid_groups(groups) or not all(g.isdigit() for g in groups):
            return None
        return _Reading(float("".join(groups) + ("." + decimal if decimal else "")), False)
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        dec_mark = "." if token.rfind(".") > token.rfind(",") else ","
        group_mark = "," if dec_mark == "." else "."
        if token.count(dec_mark) != 1:
            return None
        whole, decimal = token.split(dec_mark)
        groups = whole.split(group_mark)
        if not _valid_groups(groups):
            return None
        return _Reading(float("".join(groups) + "." + decimal), False)
    if dots + commas == 0:
        return _Reading(float(int(token)), False)
    mark = "." if dots else ","
    parts = token.split(mark)
    if len(parts) > 2:
        if not _valid_groups(parts):
            return None
        return _Reading(float("".join(parts)), False)
    left, right = parts
    decimal_value = float(left + "." + right)
    if len(right) == 3 and len(left) <= 3 and not left.startswith("0"):
        return _Reading(float(left + right), True, thousands=True, alternative=decimal_value)
    return _Reading(decimal_value, False)


# --------------------------------------------------------------------------------------
# Numbers written with words


@dataclass(frozen=True, slots=True)
class _WordTables:
    """Number words from the YAML, as lookup tables for the word parser (lower case)."""

    digits: dict[str, int]
    ten: str
    tens: str
    zero_tens: frozenset[str]
    hundred: str
    not_first: frozenset[str]
    scales: dict[str, float]  # the scales of a thousand and more


@functools.cache
def _word_tables() -> _WordTables:
    """The word parser's tables, built once from patterns/numbers.yaml."""
    d = numbers_data()
    w = d.number_words
    scales = {k.lower(): v for k, v in d.scales.items()}
    return _WordTables(
        digits={k.lower(): v for k, v in w.digits.items()},
        ten=w.ten.lower(),
        tens=w.tens.lower(),
        zero_tens=frozenset(x.lower() for x in w.zero_tens),
        hundred=w.hundred.lower(),
        not_first=frozenset(x.lower() for x in w.not_first),
        scales={k: v for k, v in scales.items() if v >= 1000},
    )


@dataclass(slots=True)
class _WordGroup:
    """The state of the word parser: what is built so far and the previous word's role."""

    total: float = 0.0
    group: float = 0.0          # the group below a thousand built so far
    pending: int | None = None  # a digit waiting for its multiplier
    last: str = ""              # the previous word's role


def _take_word(s: _WordGroup, word: str, t: _WordTables) -> bool:
    """Add one number word to the parser state; False when the number is malformed."""
    if word in t.digits:
        if s.pending is not None:
            return False
        s.pending, s.last = t.digits[word], "digit"
    elif word == t.ten:
        if s.pending is not None or s.last in ("ten", "tens"):
            return False
        s.group += 10
        s.last = "ten"
    elif word == t.tens:
        if s.pending is None or s.pending < 2 or s.last != "digit" or s.group % 100:
            return False
        s.group += s.pending * 10
        s.pending, s.last = None, "tens"
    elif word == t.hundred:
        if s.pending is None or s.group:
            return False
        s.group += s.pending * 100
        s.pending, s.last = None, "hundred"
    elif word in t.zero_tens:
        if s.last != "hundred":
            return False
        s.last = "zero"
    elif word in t.scales:
        return _take_scale(s, t.scales[word])
    else:
        return False
    return True


def _take_scale(s: _WordGroup, scale: float) -> bool:
    """A scale word closes the group below it, or stacks on the one before ("nghìn tỷ")."""
    value = s.group + (s.pending or 0)
    if value == 0:
        if s.total == 0 or s.last != "scale":
            return False
        s.total *= scale
    else:
        s.total += value * scale
    s.group, s.pending, s.last = 0.0, None, "scale"
    return True


def _parse_words(words: list[str]) -> float | None:
    """Value of Vietnamese number words ("hai mươi lăm" -> 25); None if not a well-formed number.

    Groups below a thousand are built digit by digit (trăm, mươi/mười, linh/lẻ) and closed by
    a scale word; scales may descend ("hai triệu ba trăm nghìn") or stack ("một nghìn tỷ").
    """
    t = _word_tables()
    if not words:
        return None
    words = [w.lower() for w in words]
    first = words[0]
    if first in t.not_first or first in t.scales or first in (t.tens, t.hundred):
        return None
    state = _WordGroup()
    for word in words:
        if not _take_word(state, word, t):
            return None
    if state.last == "zero":
        return None
    return state.total + state.group + (state.pending or 0)


# --------------------------------------------------------------------------------------
# Language data and compiled expressions


def _alt(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, any whitespace between words."""
    cleaned = {str(p).strip() for p in phrases if p and str(p).strip()}
    unique = sorted(cleaned, key=regexes.longest_first)
    return "(?:" + "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in unique) + ")"


def _key(phrase: str) -> str:
    """A phrase as a lookup key: lower case, single spaces."""
    return " ".join(phrase.lower().split())


_FLAGS = regex.IGNORECASE | regex.V1
_PERCENT = r"(?:%|％)"


def _hcompile(pattern: str, flags: int = _FLAGS) -> regex.Pattern:
    """Compile a pattern whose whitespace may not cross a line break (units stay on the line)."""
    return regexes.compile(pattern.replace(r"\s", r"[^\S\n]"), flags)


def _tail(pattern: str) -> regex.Pattern:
    """A pattern that must end where the text before a figure ends."""
    return regexes.compile(r"(?<!\w)" + pattern + r"\s*[:.]?\s*$", _FLAGS)


@dataclass(frozen=True, slots=True)
class _Grammar:
    """Every table and regular expression the finder uses, built once from the YAML.

    Patterns are also read by name (``grammar["percent"]``) by the prefilter, which derives
    from them what a text must hold for a figure of a unit to be found.
    """

    # lookup tables
    scales: dict[str, float]
    speed_factor: dict[str, float]
    qual_of: dict[str, str]
    after_qual_of: dict[str, str]
    reversed_qualifier: dict[str, str]
    qual_not_after: dict[str, set[str]]
    not_alone: frozenset[str]   # number words that alone are no figure ("một": an article)
    year_word: str              # the number word that also means "year" ("năm")
    # what may follow a number (on the same line)
    percent: regex.Pattern
    scale: regex.Pattern
    scale_more: regex.Pattern
    half: regex.Pattern
    vnd: regex.Pattern
    not_ours: regex.Pattern
    speed: regex.Pattern
    count: regex.Pattern
    glued_unit: regex.Pattern
    per100_after: regex.Pattern
    per100_marker: regex.Pattern
    # fractions and ranges
    slash_denominator: regex.Pattern
    noun_denominator: regex.Pattern
    range_dash: regex.Pattern
    range_word: regex.Pattern
    from_before: regex.Pattern
    # qualifiers
    negated_comparison: regex.Pattern
    after_qual: regex.Pattern
    qualifier: regex.Pattern
    # labels, years, times
    label_always: regex.Pattern
    label_time: regex.Pattern
    label_so: regex.Pattern
    label_unless: regex.Pattern
    counter_label: regex.Pattern
    year_before: regex.Pattern
    fraction_verbs: regex.Pattern
    nam_year_after: regex.Pattern
    time_after: regex.Pattern
    # numbers written in words
    number_words: regex.Pattern
    word: regex.Pattern
    masks: tuple[regex.Pattern, ...]

    def __getitem__(self, name: str) -> Any:
        return getattr(self, name)


def _lookup_tables(d: NumbersData) -> dict[str, Any]:
    """Words to values: scales, speed factors, qualifiers and the words that block them."""
    return {
        "scales": {_key(k): v for k, v in d.scales.items()},
        "speed_factor": {_key(k): v for k, v in d.speed_units.items()},
        "qual_of": {_key(p): q for q, ps in d.qualifiers.items() for p in ps},
        "after_qual_of": {_key(p): q for q, ps in d.after_qualifiers.items() for p in ps},
        "reversed_qualifier": dict(d.negated_reverse),
        "qual_not_after": {
            _key(k): {_key(w) for w in v} for k, v in d.qualifier_not_after.items()
        },
        "not_alone": frozenset(_key(w) for w in d.number_words_not_alone),
        "year_word": _key(d.number_word_year),
    }


def _unit_patterns(d: NumbersData) -> dict[str, regex.Pattern]:
    """What may follow a number: a percent, a scale, a currency, a speed, a counted noun."""
    scale_alt = _alt(d.scales)
    vnd_alt = _alt(d.vnd_words)
    speed_alt = _alt(d.speed_units)
    return {
        "percent": _hcompile(r"\s*" + _PERCENT + r"|\s+" + _alt(d.percent_words) + r"(?!\w)"),
        "scale": _hcompile(
            r"\s*(?P<w>" + scale_alt + r")(?!\w)(?!\s+" + _alt(d.scale_not_followed_by)
            + r"(?!\w))"
        ),
        "scale_more": _hcompile(r"\s+(?P<n>" + _NUM + r")\s*(?P<w>" + scale_alt + r")(?!\w)"),
        "half": _hcompile(r"\s+" + _alt(d.half_words) + r"(?!\w)"),
        "vnd": _hcompile(
            r"\s*" + vnd_alt + r"(?!\w)(?!\s+" + _alt(d.dong_not_followed_by) + r"(?!\w))"
        ),
        "not_ours": _hcompile(
            r"\s*(?P<c>" + _alt(d.other_currencies + d.measure_units) + r")(?!\w)"
        ),
        # Case decides bits from bytes: "Mb/s" is a speed, "MB/s" (megabytes) is not.
        "speed": _hcompile(r"\s*(?P<u>(?-i:" + speed_alt + r"))(?!\w)"),
        "count": _hcompile(
            r"\s+(?:" + _alt(d.noun_determiners) + r"\s+)?(?P<n>" + _alt(d.count_nouns)
            + r")(?!\w)"
        ),
        "glued_unit": regexes.compile(
            r"(?:" + _PERCENT + "|" + speed_alt + r"(?!\w)|" + vnd_alt + r"(?!\w))", _FLAGS
        ),
    }


def _per100_patterns(d: NumbersData) -> dict[str, regex.Pattern]:
    """Per 100 people, after the figure ("87,07 thuê bao/100 dân") or before it."""
    per100_not = _alt(d.per_100_not_followed_by)
    per100_who = _alt(d.per_100_nouns) + r"(?!\w)(?!\s+" + per100_not + r"(?!\w))"
    per100_conn = _alt(d.per_100_connectors)
    return {
        "per100_after": _hcompile(
            r"(?P<np>(?:\s+[^\W\d][\w\-]*){0,8}?)\s*(?:/|\s+" + per100_conn + r"\s+)\s*"
            r"(?P<h>100)\s+" + per100_who
        ),
        "per100_marker": regexes.compile(
            r"(?:/\s*(?P<h>100)\s+" + per100_who + r"|(?<!\w)" + per100_conn + r"\s+(?P<h>100)\s+"
            + _alt(d.per_100_marker_nouns) + r"(?!\w)(?!\s+" + per100_not + r"(?!\w)))",
            _FLAGS,
        ),
    }


def _fraction_range_patterns(d: NumbersData) -> dict[str, regex.Pattern]:
    """Denominators ("209/209", "… trên tổng số 53.571") and ranges ("27 – 34%", "từ … đến")."""
    range_inner = r"(?:" + _alt(d.range_inner) + r"\s+)?"
    return {
        "slash_denominator": _hcompile(r"\s*/\s*(?P<n>" + _NUM + r")"),
        "noun_denominator": _hcompile(
            r"(?P<np>[^\d/;:.,()%\n]{0,60}?)(?:/|(?<=\s)" + _alt(d.denominator_words)
            + r"\s+)\s*"
            r"(?P<n>" + _NUM + r")(?!\s*/)(?!\w)"
        ),
        "range_dash": _hcompile(
            r"(?P<u1>\s*" + _PERCENT + r")?\s*[-–—]\s*" + range_inner + r"(?P<n>" + _NUM + r")"
        ),
        "range_word": _hcompile(
            r"(?P<u1>\s*" + _PERCENT + r")?\s+" + _alt(d.range_words) + r"\s+" + range_inner
            + r"(?P<n>" + _NUM + r")"
        ),
        "from_before": _tail(_alt(d.range_from)),
    }


def _qualifier_patterns(d: NumbersData) -> dict[str, regex.Pattern]:
    """Qualifier words before the figure (with fillers) and after it ("… trở lên")."""
    before = (p for ps in d.qualifiers.values() for p in ps)
    after = (p for ps in d.after_qualifiers.values() for p in ps)
    return {
        "negated_comparison": regexes.compile(
            r"(?<!\w)" + d.negated_comparison + r"\s*$", _FLAGS
        ),
        "after_qual": _hcompile(r"\s*(?P<q>" + _alt(after) + r")(?!\w)"),
        "qualifier": regexes.compile(
            r"(?<!\w)(?P<q>" + _alt(before) + r")(?:\s+"
            + _alt(d.qualifier_fillers) + r")*\s*(?:" + _alt(d.range_from) + r"\s*)?$",
            _FLAGS,
        ),
    }


def _label_patterns(d: NumbersData) -> dict[str, regex.Pattern]:
    """Words that make a number a label, a year, a time or an age, not a statistic."""
    labels = d.label_before
    return {
        "label_always": _tail(_alt(labels.always)),
        "label_time": _tail(_alt(labels.time)),
        "label_so": regexes.compile(
            r"(?<!\w)(?<!" + _alt(d.so_label_not_after) + r"\s+)" + _alt(d.so_label)
            + r"\s*$",
            _FLAGS,
        ),
        "label_unless": _tail(_alt(labels.unless_unit)),
        "counter_label": regexes.compile(
            r"(?<!\w)" + _alt(d.counter_labels) + r"\s*:\s*$", _FLAGS
        ),
        "year_before": _tail(_alt(d.year_before)),
        "fraction_verbs": _tail(_alt(d.fraction_verbs)),
        "nam_year_after": _tail(_alt(d.nam_year_after) + r"\s+"),
        "time_after": _hcompile(r"\s*" + _alt(d.time_after) + r"(?!\w)"),
    }


def _word_patterns(d: NumbersData) -> dict[str, regex.Pattern]:
    """A run of number words ("hai mươi lăm"), and one word of it."""
    one = _alt(d.all_number_words)
    return {
        "number_words": regexes.compile(
            r"(?<!\w)" + one + r"(?:\s+" + one + r")*(?!\w)", _FLAGS
        ),
        "word": regexes.compile(r"\w+"),
    }


@functools.cache
def _rx() -> _Grammar:
    """The finder's grammar, compiled once per process from patterns/numbers.yaml."""
    d = numbers_data()
    masks = _MASKS + (_place_name_mask(d.place_name_heads),)
    return _Grammar(
        **_lookup_tables(d),
        **_unit_patterns(d),
        **_per100_patterns(d),
        **_fraction_range_patterns(d),
        **_qualifier_patterns(d),
        **_label_patterns(d),
        **_word_patterns(d),
        masks=tuple(regexes.compile(p, _FLAGS) for p in masks),
    )


def _place_name_mask(heads: tuple[str, ...]) -> str:
    """A number that ends a place's name: "xã Quế Xuân 1", "phường Tân Định 2"."""
    head_alt = "|".join(regex.escape(h) for h in heads)
    return (
        r"(?=\d)(?-i:(?<=(?i:" + head_alt + r")\s+(?:\p{Lu}[\p{L}\p{M}]*\s+){1,3})"
        r"\d{1,2}(?![\d.,]?\d|\s*%|\s*/))"
    )


# Text that is never a figure, found before numbers are read. Each pattern's whole match is
# masked: a number that overlaps it is skipped. Patterns open with their first character or
# a look-ahead for it, so that the scan passes over most positions cheaply. The mask of
# numbers ending a place's name is built from numbers.yaml (`_place_name_mask`).
_MASKS: tuple[str, ...] = (
    # URLs and e-mail addresses (domain names are found by _domain_spans)
    r"(?:https?://|www\.)\S+",
    r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+",
    # phone numbers: 0xxx xxx xxx, +84 …, (0212) 3852 123, hotlines 1900/1800 …
    r"(?:\+84|0)(?<![\w.,](?:\+84|0))\d{2,3}[ .\-]?\d{3,4}[ .\-]?\d{3,4}(?![\w])",
    r"\(\s*0\d{2,3}\s*\)\s*\d{3,4}[ .\-]?\d{3,4}(?![\w])",
    r"(?=1)(?<![\w.,])1[89]00[ .]?\d{3,4}(?:[ .]\d{2,4})?(?![\w.,]?\d)",
    # dates: 31/03/2022, 18-12-2023, 1.10.2023, 18 - 12 - 2023
    r"(?=\d)(?<![\d.,/])\d{1,2}(?:/\d{1,2}/|-\d{1,2}-|\.\d{1,2}\.)\d{2,4}(?![\d])",
    r"(?=\d)(?<![\d.,/])\d{1,2}\s+[/-]\s+\d{1,2}\s+[/-]\s+\d{4}(?![\d])",
    # month/year: 5/2024, 05-2023
    r"(?=\d)(?<![\d.,/])(?:0?[1-9]|1[0-2])[/\-](?:19|20)\d{2}(?![\d])",
    # year ranges and school years: 2021-2025, 2023 - 2024, 2023/2024, seasons 2003/04
    r"(?=\d)(?<![\d.,])(?:19|20)\d{2}\s*[-–—/]\s*(?:19|20)\d{2}(?![\d])",
    r"(?=\d)(?<![\d.,])(?:19|20)\d{2}[-–/]\d{2}(?![\d.,]?\d)",
    # document numbers: 411/QĐ-TTg, 13/2023/NĐ-CP, 62/KH-UBND, 57-NQ/TW
    r"(?=\d)(?<![\w.,])\d+(?:/\d+)*\s*/\s*\p{Lu}[\p{L}\d\-]*(?:/[\p{L}\d\-]+)*",
    r"(?=\d)(?<![\w.,])\d+-\p{Lu}{2,}[\p{L}\d\-]*(?:/[\p{L}\d\-]+)*",
    # times: 8h30, 8:30, 14g15
    # (no space after "h"/"g": "4G 46,8 Mbps" and "2G\t31.200" are no times)
    r"(?=\d)(?<![\w.,])\d{1,2}(?:\s*[hg]|\s*:\s*)\d{2}(?!\d)",
    # round the clock: "truy cập 24/24", "hỗ trợ 24/7" (hours of the day, days of the week)
    r"(?=2)(?<![\w.,/])24\s*/\s*(?:24|7)(?![\w.,/]?\d)(?!\s*(?:%|％))",
    # version numbers of technologies and eras: chợ 4.0, Công nghiệp 4.0, Web 3.0
    r"(?=\d)(?<![\w.,])\d{1,2}\.0(?![\d.,]*\d)(?!\s*(?:%|％))",
    # registration codes of boats and vehicles: "tàu PY 2626 BTS", "BĐ-90123-TS" (a count
    # is not written between two capital-letter codes, nor without separators so long)
    # (code, not a word: the look-ahead names the capitals a code opens with, A-Z and Đ)
    r"(?=[A-ZĐ])(?-i:(?<!\w)\p{Lu}[\p{Lu}\p{Ll}]?\p{Lu}?[ \-]\d{4,6}[ \-]\p{Lu}{2,4}(?!\w))",
)

_TLD_RE = regexes.compile(r"\.(?:vn|com|net|org|gov|edu|info|io|asia|biz)(?!\w)", regex.IGNORECASE)


def _domain_spans(text: str) -> list[tuple[int, int]]:
    """Domain names ("tinhuy24h.vn", "dichvucong.gov.vn/abc"), found from their ending and
    widened to the whole name: much faster than trying a name at every word."""
    spans = []
    for m in _TLD_RE.finditer(text):
        start = m.start()
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._-"):
            start -= 1
        end = m.end()
        if end < len(text) and text[end] == "/":
            while end < len(text) and not text[end].isspace():
                end += 1
        if start < m.start():
            spans.append((start, end))
    return spans


# --------------------------------------------------------------------------------------
# Public API


def parse_written_number(token: str) -> tuple[float, bool] | None:
    """A number as news text writes it (digits with separators, or Vietnamese number words)
    -> (value, ambiguous).

    Not a value typed into a field (`convert.parse_number`: "1.500" is 1.5 there, the
    decimal point of a machine-written number); here "1.500" is fifteen hundred.
    ``ambiguous`` is True when a lone separator followed by three digits was read as
    thousands by rule ("1.500" -> 1500). A trailing scale word is applied ("1,2 triệu" ->
    1200000). Returns None when the token is not a number.
    """
    if not isinstance(token, str):
        return None
    token = unicodedata.normalize("NFC", token).strip()
    if not token:
        return None
    rx = _rx()
    m = _NUM_RE.match(token)
    if m:
        reading = _read_digits(m.group())
        if reading is None:
            return None
        rest = token[m.end():]
        value = reading.value
        if rest.strip():
            sm = rx.scale.match(rest)
            if not sm or rest[sm.end():].strip():
                return None
            value *= rx.scales[_key(sm.group("w"))]
        return (value, reading.ambiguous)
    spelled = _parse_words(token.split())
    return None if spelled is None else (spelled, False)


def find_figures(text: str) -> list[Figure]:
    """Every statistic-like figure in `text`, in order, excluding dates, years, document numbers,
    times, phone numbers, technology names, URLs/e-mails, ages that define a population, etc.

    Offsets index `text` as given (code points, end exclusive), also when the text is not in
    Unicode NFC form (it is then read through a normalised copy and the offsets mapped back).
    The qualifier words are never inside a figure's span.
    """
    if not text:
        return []
    if unicodedata.is_normalized("NFC", text):
        return _find(text)
    normal, origin = _nfc_with_origin(text)
    return [_remap(f, origin) for f in _find(normal)]


# --------------------------------------------------------------------------------------
# Unicode normal form


def _nfc_with_origin(text: str) -> tuple[str, list[int]]:
    """NFC form of `text` and, for each of its code points, the original offset.

    Each base character with its combining marks is normalised on its own, so every
    output position maps to the start of its cluster; the extra last entry is len(text).
    """
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        chunk = unicodedata.normalize("NFC", text[i:j])
        out.append(chunk)
        origin.extend([i] * len(chunk))
        i = j
    origin.append(n)
    return "".join(out), origin


def _remap(f: Figure, origin: list[int]) -> Figure:
    """A figure found in the NFC copy, with offsets into the original text."""
    def at(i: int | None) -> int | None:
        return None if i is None else origin[i]

    qspan = (origin[f.qualifier_span[0]], origin[f.qualifier_span[1]]) if f.qualifier_span else None
    return replace(
        f, start=origin[f.start], end=origin[f.end], qualifier_span=qspan,
        noun_start=at(f.noun_start), noun_end=at(f.noun_end),
    )


# --------------------------------------------------------------------------------------
# Finding digit figures


def _find(text: str) -> list[Figure]:
    """find_figures on NFC text."""
    rx = _rx()
    has_digits = _DIGIT_RE.search(text) is not None
    masked = _mask_spans(text, rx) if has_digits else []
    figures: list[Figure] = []
    consumed = 0
    pos = 0
    while has_digits:
        m = _NUM_RE.search(text, pos)
        if m is None:
            break
        start, end = m.span()
        token = m.group()
        pos = end
        if start < consumed or _overlaps(masked, start, end):
            continue
        if any(ch in token for ch in _SPACES) and _split_spaced(text, start, end, rx):
            plain = _PLAIN_RE.match(text, start)
            if plain is None:
                continue
            end, token = plain.end(), plain.group()
            pos = end
        result = _read_figure(text, start, end, token, rx, masked)
        if result is None:
            continue
        figure, until = result
        consumed = max(consumed, until)
        pos = max(pos, until)
        if figure is not None:
            figures.append(figure)
    figures.extend(_word_figures(text, rx, figures, masked))
    figures.sort(key=lambda f: (f.start, f.end))
    return figures


def _split_spaced(text: str, start: int, end: int, rx: _Grammar) -> bool:
    """True when a space-grouped number ("12 100") is really two numbers: after a label
    ("tháng 12 100%") or before a percent sign (no share is written in the thousands)."""
    before = text[max(0, start - 60):start]
    return bool(
        rx.label_always.search(before) or rx.label_unless.search(before)
        or rx.label_time.search(before) or rx.percent.match(text, end)
    )


def _mask_spans(text: str, rx: _Grammar) -> list[tuple[int, int]]:
    """Spans of text that can hold no figure (dates, phones, URLs, document numbers …)."""
    spans: list[tuple[int, int]] = []
    for pattern in rx.masks:
        spans.extend(m.span() for m in pattern.finditer(text))
    spans.extend(_domain_spans(text))
    # the "100" of a per-100 unit ("/100 dân", "trên 100 dân") belongs to the unit
    spans.extend(m.span("h") for m in rx.per100_marker.finditer(text))
    spans.sort()
    return spans


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps any of `spans`."""
    return any(s < end and start < e for s, e in spans)


def _is_year(token: str, value: float) -> bool:
    """A plain four-digit number that reads as a year (1900-2100)."""
    return token.isdigit() and len(token) == 4 and 1900 <= value <= 2100


def _date_like(a: str, b: str) -> bool:
    """"30/4", "04/9": a day and a month written like a fraction."""
    if not (a.isdigit() and b.isdigit() and len(a) <= 2 and len(b) <= 2):
        return False
    return 1 <= int(a) <= 31 and 1 <= int(b) <= 12


@dataclass(slots=True)
class _Draft:
    """A figure being read: the digit token, its reading, and what the phases found so far.

    `span_end` is where the figure's span ends (units and scales included); `consumed` is how
    far its text reaches (a counted noun, a denominator); `skip_to` is where a dropped
    figure's text ends (the far end of a range).
    """

    token: str
    start: int
    end: int
    reading: _Reading
    before: str
    value: float
    ambiguous: bool
    span_end: int
    consumed: int
    skip_to: int
    denominator: float | None = None
    value_max: float | None = None
    unit: str | None = None
    noun: tuple[int, int] | None = None
    scaled: bool = False


def _read_figure(
    text: str, start: int, end: int, token: str, rx: _Grammar, masked: list[tuple[int, int]]
) -> tuple[Figure | None, int] | None:
    """The figure written at text[start:end] (a digit token), and how far its text reaches.

    Returns None to skip the token, or (None, until) to skip it and everything up to
    `until` (the rest of a date, an age range or a label range). The phases run in order;
    each reads on from where the one before stopped, or says how far to drop the text.
    """
    reading = _read_digits(token)
    if reading is None or _is_name_or_code(text, start, end, rx):
        return None
    f = _Draft(
        token, start, end, reading, text[max(0, start - 60):start], reading.value,
        reading.ambiguous, end, end, end,
    )
    drop = _read_fraction(f, text, rx, masked)
    if drop is None and f.denominator is None:
        _read_scale(f, text, rx)
        if not f.scaled:
            drop = _read_range(f, text, rx, masked)
    if drop is None:
        drop = _read_unit(f, text, rx)
    if drop is None:
        if f.unit is None:
            _read_unit_before(f, text, start, rx)
        elif f.unit == "count" and f.noun is not None and f.denominator is None:
            _read_noun_denominator(f, text, rx, masked)
        drop = _drop_label(f, text, rx)
    if drop is not None:
        return (None, drop)
    return (_build_figure(f, text, rx), f.consumed)


def _is_name_or_code(text: str, start: int, end: int, rx: _Grammar) -> bool:
    """A number glued to letters or marks that make it a name, a code or a time."""
    prev_char = text[start - 1] if start else ""
    next_char = text[end] if end < len(text) else ""
    # Glued to letters: "4G", "8h", "IPv6", "COVID-19" are names, not figures. Garbled
    # text may glue a word to a share ("đạt98,5%"): a percent sign keeps it.
    if next_char.isalpha() and not rx.glued_unit.match(text, end):
        return True
    if prev_char.isalpha() and not (next_char and next_char in "%％"):
        return True
    if prev_char and prev_char in "-+." and start >= 2 and text[start - 2].isalpha():
        return True  # "COVID-19", "GMT+7", abbreviations "Q.1", "P.8", "U.19"
    if prev_char == "/" and start >= 2 and text[start - 2].isdigit():
        return True  # the tail of a date or code whose head was dropped: "21-22/3"
    if next_char and next_char in "'′’" and not (end + 1 < len(text) and text[end + 1].isalpha()):
        return True  # minutes of a match: "(28')"
    # Colon-joined numbers are times or ratios: "8:30", "1:500".
    if next_char == ":" and end + 1 < len(text) and text[end + 1].isdigit():
        return True
    return prev_char == ":" and start >= 2 and text[start - 2].isdigit()


def _read_fraction(
    f: _Draft, text: str, rx: _Grammar, masked: list[tuple[int, int]]
) -> int | None:
    """A fraction written as one token ("209/209", "45.158/53.571"); a date ("30/4") or a
    labelled number is dropped (the position returned)."""
    fm = rx.slash_denominator.match(text, f.end)
    if not fm or _overlaps(masked, fm.start("n"), fm.end("n")):
        return None
    den_token = fm.group("n")
    den_reading = _read_digits(den_token)
    after_den = fm.end()
    if den_reading is None or (after_den < len(text) and text[after_den].isalpha()):
        return None
    if after_den < len(text) and text[after_den] == "/":
        return after_den  # the rest of a date or a document number
    is_date = (
        _date_like(f.token, den_token)
        and not (rx.count.match(text, after_den) or rx.percent.match(text, after_den))
        and not rx.fraction_verbs.search(f.before)
    )
    if is_date or rx.label_always.search(f.before) or rx.label_time.search(f.before):
        return after_den
    f.denominator = den_reading.value
    f.span_end = f.consumed = after_den
    f.ambiguous = f.ambiguous or den_reading.ambiguous
    return None


def _read_scale(f: _Draft, text: str, rx: _Grammar) -> None:
    """Scale words: "1,2 triệu", "8,5 tỷ", "1,5 nghìn tỷ", "2 tỷ 500 triệu", "2 triệu rưỡi"."""
    sm = rx.scale.match(text, f.span_end)
    if not sm:
        return
    scale = rx.scales[_key(sm.group("w"))]
    value = f.value * scale
    span_end = sm.end()
    while True:
        stacked = rx.scale.match(text, span_end)
        if stacked and rx.scales[_key(stacked.group("w"))] > scale:
            scale = rx.scales[_key(stacked.group("w"))]
            value *= scale
            span_end = stacked.end()
            continue
        more = rx.scale_more.match(text, span_end)
        if not more:
            break
        more_scale = rx.scales[_key(more.group("w"))]
        more_reading = _read_digits(more.group("n"))
        if more_reading is None or more_scale >= scale:
            break
        value += more_reading.value * more_scale
        scale = more_scale
        span_end = more.end()
    half = rx.half.match(text, span_end)
    if half:
        value += scale / 2
        span_end = half.end()
    f.value, f.span_end, f.consumed, f.scaled = value, span_end, span_end, True


def _has_unit_at(text: str, pos: int, rx: _Grammar) -> bool:
    """A unit, a counted noun or a scale right at `pos`."""
    return bool(
        rx.percent.match(text, pos) or rx.count.match(text, pos)
        or rx.scale.match(text, pos) or rx.vnd.match(text, pos)
        or rx.speed.match(text, pos)
    )


def _read_range(
    f: _Draft, text: str, rx: _Grammar, masked: list[tuple[int, int]]
) -> int | None:
    """Ranges: "27 – 34%", "27% - 34%", "từ 27 đến 34%"; age, year and date ranges and
    scores are dropped whole (the position returned)."""
    from_word = bool(rx.from_before.search(f.before))
    rm = rx.range_dash.match(text, f.span_end)
    word_range = False
    if not rm:
        rm = rx.range_word.match(text, f.span_end)
        word_range = rm is not None
    if not rm or _overlaps(masked, rm.start("n"), rm.end("n")):
        return None
    hi_token = rm.group("n")
    hi_reading = _read_digits(hi_token)
    hi_end = rm.end()
    glued = (
        hi_end < len(text) and text[hi_end].isalpha()
        and not rx.glued_unit.match(text, hi_end)
    )
    if hi_reading is None or glued:
        return None
    f.skip_to = hi_end
    if rx.time_after.match(text, hi_end) and not rx.percent.match(text, hi_end):
        return hi_end  # "từ 0 đến dưới 6 tuổi", "15-60 tuổi"
    if _is_year(f.token, f.value) and _is_year(hi_token, hi_reading.value):
        return hi_end
    has_unit_after = _has_unit_at(text, hi_end, rx)
    unit_before = bool(rm.group("u1"))
    if not unit_before and not word_range and not has_unit_after:
        if _date_like(f.token, hi_token):
            return hi_end  # "30-4": a day and a month
        if not from_word:
            return hi_end  # "4-0", "20-25": scores and codes, not a statistic
    if word_range and not from_word and not has_unit_after:
        return None  # "6 đến 14" is a range only after "từ" or before a unit
    if hi_reading.value > f.value and (has_unit_after or from_word or unit_before):
        _take_range_end(f, text, rx, hi_reading, hi_end, unit_before)
    return None


def _take_range_end(
    f: _Draft, text: str, rx: _Grammar, hi: _Reading, hi_end: int, unit_before: bool
) -> None:
    """The upper end of a range joins the figure; a scale after it applies to both ends."""
    f.value_max = hi.value
    f.span_end = f.consumed = hi_end
    if unit_before and not rx.percent.match(text, hi_end):
        f.unit = "percent"
    f.ambiguous = f.ambiguous or hi.ambiguous
    # a scale after the range applies to both ends: "7 - 8 triệu đồng"
    sm = rx.scale.match(text, f.span_end)
    if sm and f.unit is None:
        scale = rx.scales[_key(sm.group("w"))]
        f.value, f.value_max = f.value * scale, f.value_max * scale
        f.span_end = f.consumed = sm.end()
        f.scaled = True


def _read_unit(f: _Draft, text: str, rx: _Grammar) -> int | None:
    """The unit after the figure: percent, money, speed, per 100 people or a counted noun.

    Times, ages and durations ("14 giờ", "15 tuổi", "3 tháng") and units the records never
    hold ("7.000 USD", "15 km") drop the figure (the position returned).
    """
    pos = f.span_end
    if f.unit is None and rx.time_after.match(text, pos) and not rx.count.match(text, pos):
        return pos
    pm = rx.percent.match(text, pos)
    if pm:
        f.unit, f.span_end = "percent", pm.end()
    elif f.unit is None:
        vm = rx.vnd.match(text, pos)
        sp = rx.speed.match(text, pos)
        # the longer reading wins: "km cáp quang" is counted, "điểm phần trăm" is a measure
        oc = rx.not_ours.match(text, pos)
        counted = rx.count.match(text, pos)
        if oc and counted and counted.end() >= oc.end():
            oc = None
        if vm:
            f.unit, f.span_end = "vnd", vm.end()
        elif sp:
            factor = rx.speed_factor[_key(sp.group("u"))]
            f.unit, f.span_end = "mbps", sp.end()
            f.value *= factor
            f.value_max = f.value_max * factor if f.value_max is not None else None
        elif oc:
            return oc.end()
        else:
            _read_per100_or_count(f, text, rx)
    f.consumed = max(f.consumed, f.span_end)
    return None


def _read_per100_or_count(f: _Draft, text: str, rx: _Grammar) -> None:
    """"87,07 thuê bao/100 dân" (per 100 people), else "706.105 người" (a count)."""
    pos = f.span_end
    p100 = rx.per100_after.match(text, pos)
    if p100 and not _PER100_NOUN_STOP.search(p100.group("np")):
        f.unit = "per_100_people"
        f.consumed = max(f.consumed, p100.end())
        np_text = p100.group("np")
        if np_text.strip():
            lead = len(np_text) - len(np_text.lstrip())
            f.noun = (p100.start("np") + lead, p100.end("np"))
        return
    cm = rx.count.match(text, pos)
    if cm:
        f.unit, f.noun = "count", cm.span("n")


_PER100_NOUN_STOP = regexes.compile(r"[\d,;.:()%]")


def _read_unit_before(f: _Draft, text: str, start: int, rx: _Grammar) -> None:
    """A per-100 unit stated before the figure: "số thuê bao/100 dân đạt 87,07"."""
    if f.unit is not None:
        return
    clause_start = max(text.rfind(ch, 0, start) for ch in ".;\n")
    for marker in rx.per100_marker.finditer(text, max(clause_start + 1, start - 80), start):
        if not _DIGIT_RE.search(text[marker.end():start]):
            f.unit = "per_100_people"


def _read_noun_denominator(
    f: _Draft, text: str, rx: _Grammar, masked: list[tuple[int, int]]
) -> None:
    """A denominator after the counted noun: "697 tổ …/691 thôn", "… trên tổng số 53.571"."""
    if f.unit != "count" or f.denominator is not None or f.noun is None:
        return
    dm = rx.noun_denominator.match(text, f.noun[1])
    if dm and not _overlaps(masked, dm.start("n"), dm.end("n")):
        den_reading = _read_digits(dm.group("n"))
        if den_reading is not None and not rx.time_after.match(text, dm.end()):
            f.denominator = den_reading.value
            f.consumed = max(f.consumed, dm.end())


def _drop_label(f: _Draft, text: str, rx: _Grammar) -> int | None:
    """Labels and years ("năm 2023", "lần thứ 7", "Quyết định số 500", "Quận 1"), phone
    numbers and list markers are no figures: the position to drop to, or None."""
    before = f.before
    far = max(f.consumed, f.skip_to)
    if rx.label_always.search(before) or rx.counter_label.search(before):
        return far
    if rx.label_time.search(before) and f.unit != "percent":
        return far  # "năm 2023", "ngày 15", but "cả năm 95%" is a share
    if f.unit is None and (rx.label_unless.search(before) or rx.label_so.search(before)):
        return far
    token, unit, start, end = f.token, f.unit, f.start, f.end
    if _is_year(token, f.reading.value) and unit in (None, "count") and f.denominator is None:
        if unit is None or rx.year_before.search(before):
            return end
    # Phone numbers that survived the masks: long digit strings with a leading zero.
    if token.startswith("0") and sum(ch.isdigit() for ch in token) >= 8 and unit is None:
        return end
    # List markers: "1. Tỷ lệ …", "(2)", "3)".
    if unit is None and f.denominator is None and f.value_max is None:
        line_start = text.rfind("\n", 0, start) + 1
        at_line_start = not text[line_start:start].strip(" \t\u00a0(")
        if at_line_start and _LIST_MARK_RE.match(text[end:end + 2]):
            return end
        if start and text[start - 1] == "(" and end < len(text) and text[end] == ")":
            return end
    return None


_LIST_MARK_RE = regexes.compile(r"[.)]\s")


def _separator_notes(f: _Draft) -> tuple[str, ...]:
    """Separator readings checked against the unit: notes, and the value corrected."""
    reading, token = f.reading, f.token
    if not reading.thousands:
        return ()
    if f.unit == "percent" and not f.scaled and f.value >= 1000:
        f.value = reading.alternative if reading.alternative is not None else f.value
        f.ambiguous = True
        return (
            f"ambiguous-separator: '{token}' read as a decimal"
            " (a share of 1000% or more is implausible)",
        )
    if f.unit == "count" and not f.scaled:
        f.ambiguous = False  # a head count cannot be fractional: thousands is the only reading
        return ()
    return (f"ambiguous-separator: '{token}' read as thousands",)


def _build_figure(f: _Draft, text: str, rx: _Grammar) -> Figure:
    """The figure the phases read, with its qualifier."""
    notes = _separator_notes(f)
    noun = f.noun
    qualifier, qspan = _qualifier(text, f.start, f.span_end, noun, rx)
    return Figure(
        start=f.start,
        end=f.span_end,
        value=f.value,
        unit=f.unit,
        denominator=f.denominator,
        value_max=f.value_max,
        qualifier=qualifier,
        qualifier_span=qspan,
        ambiguous=f.ambiguous,
        noun_start=noun[0] if noun else None,
        noun_end=noun[1] if noun else None,
        notes=notes,
    )


def _qualifier(
    text: str, start: int, end: int, noun: tuple[int, int] | None, rx: _Grammar
) -> tuple[str, tuple[int, int] | None]:
    """The qualifier of a figure at [start, end) and where its words are."""
    window_start = max(0, start - 50)
    before = text[window_start:start]
    qm = rx.qualifier.search(before)
    if qm:
        phrase = _key(qm.group("q"))
        q = rx.qual_of.get(phrase)
        word_before = regexes.search(r"(\w+)\s*$", before[: qm.start()])
        blocked = rx.qual_not_after.get(phrase, set())
        if q and not (word_before and word_before.group(1).lower() in blocked):
            if q in rx.reversed_qualifier and rx.negated_comparison.search(before[: qm.start()]):
                q = rx.reversed_qualifier[q]  # "không xã nào dưới 80%": at least 80%
            return q, (window_start + qm.start("q"), window_start + qm.end("q"))
    am = rx.after_qual.match(text, noun[1] if noun else end)
    if am:
        q = rx.after_qual_of.get(_key(am.group("q")))
        if q:
            return q, am.span("q")
    return "exact", None


# --------------------------------------------------------------------------------------
# Figures written in words


def _word_figures(
    text: str, rx: _Grammar, found: list[Figure], masked: list[tuple[int, int]]
) -> list[Figure]:
    """Figures written in words ("hai mươi lăm phần trăm", "năm người"): only with a unit,
    since bare number words are mostly not figures ("năm 2023", "một số", "hai bên")."""
    out: list[Figure] = []
    taken = [(f.start, f.end) for f in found]
    for m in rx.number_words.finditer(text):
        words = list(rx.word.finditer(text, m.start(), m.end()))
        # the longest leading run of words that reads as a number
        n, value = len(words), None
        while n > 0:
            value = _parse_words([w.group() for w in words[:n]])
            if value is not None:
                break
            n -= 1
        if value is None:
            continue
        start, end = m.start(), words[n - 1].end()
        first = words[0].group().lower()
        if _overlaps(taken, start, end) or _overlaps(masked, start, end):
            continue
        before = text[max(0, start - 60):start]
        if n == 1 and first in rx.not_alone:
            continue  # "một" alone is an article: "một người", "một số"
        if n == 1 and first == rx.year_word and rx.nam_year_after.search(before):
            continue  # "trong năm người dân …": the year
        if rx.label_always.search(before) or rx.label_time.search(before):
            continue
        if rx.time_after.match(text, end):
            continue
        unit: str | None = None
        noun: tuple[int, int] | None = None
        span_end = end
        pm = rx.percent.match(text, end)
        vm = rx.vnd.match(text, end)
        cm = rx.count.match(text, end)
        if pm:
            unit, span_end = "percent", pm.end()
        elif vm:
            unit, span_end = "vnd", vm.end()
        elif cm:
            unit, noun = "count", cm.span("n")
        else:
            continue
        qualifier, qspan = _qualifier(text, start, span_end, noun, rx)
        out.append(Figure(
            start=start, end=span_end, value=value, unit=unit, qualifier=qualifier,
            qualifier_span=qspan, noun_start=noun[0] if noun else None,
            noun_end=noun[1] if noun else None, notes=("number-words",),
        ))
    return out
