"""The figures finder: which numbers in a Vietnamese sentence are statistics, and what they say.

The rule extractor hands a sentence (or a whole text) to :func:`find_figures` and gets every
statistic-like figure in it, in order, with its normalised value, unit, span, denominator,
range end and qualifier. Deciding *which indicator* a figure measures is not done here.
All word lists live in ``patterns/numbers.yaml``; the regular expressions are built from it
once per process.

Supported forms (value is what :attr:`Figure.value` holds; the span is ``text[start:end]``):

==========================================  ==================  ===========  ==========================
Written                                     value               unit         span
==========================================  ==================  ===========  ==========================
``98,5%`` / ``77.3%`` / ``83.36 %``          98.5 / 77.3 / 83.36  percent      ``98,5%`` (sign included)
``hai mươi lăm phần trăm``                  25                  percent      ``hai mươi lăm phần trăm``
``706.105 người`` / ``880,000`` / ``10 000``  706105 / 880000 / …  count / None ``706.105`` (noun excluded)
``4.123,2`` / ``1,234.5``                   4123.2 / 1234.5     None         the number
``06 tổ`` / ``năm người``                   6 / 5               count        ``06`` / ``năm``
``1,2 triệu người`` / ``706 nghìn``         1200000 / 706000    count / None ``1,2 triệu`` (scale kept)
``8,5 tỷ đồng`` / ``500.000đ`` / ``2 tỷ 500 triệu đồng``  8.5e9 / … vnd   ``8,5 tỷ đồng`` (currency kept)
``87,07 thuê bao/100 dân`` (``trên 100 dân``)  87.07             per_100_people  ``87,07`` (per-100 excluded)
``100 Mbps`` / ``1 Gbps``                   100 / 1000          mbps         ``100 Mbps`` (unit kept)
``209/209 Tổ`` / ``697 tổ …/691 thôn``      209 / 697           count        ``209/209`` / ``697``;
                                                                             denominator 209 / 691
``27 – 34%`` / ``từ 27% đến 34%``           27 (value_max 34)   percent      ``27 – 34%`` / ``27% đến 34%``
==========================================  ==================  ===========  ==========================

Conventions: the span covers the number as written plus what is part of the measure — the
percent sign or words, a scale word, a currency, a speed unit, the slash and denominator of a
fraction written as one token ("209/209"). It never covers the counted noun, a per-100
denominator written after a noun, or the qualifier.

Separators: dots and commas are read by rule — with both present the last one is the decimal
mark ("4.123,2"); one separator followed by exactly three digits groups thousands ("1.500",
"880,000") and the figure is marked ``ambiguous`` unless its unit settles it (a count cannot be
fractional); any other single separator is a decimal mark ("98,5", "77.3"). A percent whose
thousands reading would be 1000 or more is read as a decimal instead ("12.345%" -> 12.345),
flagged ambiguous with a note.

Qualifiers come from the words right before the figure, optionally followed by fillers such
as "đạt", "là", "có", "tỷ lệ", "với": exact (default), approx (khoảng, ước đạt, xấp xỉ …),
nearly (gần), over (hơn, trên, vượt), under (dưới, chưa đến), at_least (ít nhất, tối thiểu,
"… trở lên" after the figure), at_most (tối đa, không quá).

Not figures: dates ("31/03/2022", "ngày 04/9", "30/4", "5/2024"), years and year ranges
("năm 2023", "2021-2025"), times ("8h30", "14 giờ"), durations ("3 tháng"), ages ("15 tuổi",
"từ 0 đến dưới 6 tuổi"), phone numbers, document numbers ("411/QĐ-TTg", "Quyết định số 500",
"Đề án 06"), technology names ("4G", "3G/4G", "chợ 4.0", "Web 3.0", "COVID-19"), URLs and
e-mails, ordinals and labels ("lần thứ 7", "lớp 10", "Quận 1"), list markers ("1.", "(2)").
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

import regex

from xhs_extract.resources import load_yaml

__all__ = ["Figure", "find_figures", "parse_number", "QUALIFIERS_ORDER"]

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
# one decimal mark. Alternatives are ordered so that the grouped readings are tried first;
# the trailing look-ahead stops "1.2345" from being read as "1.234" + "5".
_NUM = (
    r"(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?(?![\d]|[.,]\d)"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d]|[.,]\d)"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\d]|[.,]\d)"
    r"|\d+(?:[.,]\d+)?(?![\d]|[.,]\d))"
)
_NUM_RE = regex.compile(r"(?<![\w])(?<!\d[.,])" + _NUM)
_SPACES = " \u00a0\u202f"


@dataclass(frozen=True, slots=True)
class _Reading:
    """A digit token's value by the rule, and the other reading when the rule decided."""

    value: float
    ambiguous: bool
    thousands: bool = False         # the rule read a lone separator as thousands
    alternative: float | None = None  # the decimal reading of that separator


def _read_digits(token: str) -> _Reading | None:
    """Value of a digit token ("706.105", "98,5", "4.123,2", "10 000"); None if malformed."""
    token = token.strip()
    if not token or not token[0].isdigit():
        return None
    if any(ch in token for ch in _SPACES):
        parts = regex.split(r"[ \u00a0\u202f]", token)
        last = parts[-1]
        decimal = ""
        for mark in ".,":
            if mark in last:
                last, decimal = last.split(mark, 1)
        groups = parts[:-1] + [last]
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        number = "".join(groups) + ("." + decimal if decimal else "")
        return _Reading(float(number), False)
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        dec_mark = "." if token.rfind(".") > token.rfind(",") else ","
        group_mark = "," if dec_mark == "." else "."
        if token.count(dec_mark) != 1:
            return None
        whole, decimal = token.split(dec_mark)
        groups = whole.split(group_mark)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        return _Reading(float("".join(groups) + "." + decimal), False)
    if dots + commas == 0:
        return _Reading(float(int(token)), False)
    mark = "." if dots else ","
    parts = token.split(mark)
    if len(parts) > 2:
        if not (1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
            return None
        return _Reading(float("".join(parts)), False)
    left, right = parts
    if not left or not right:
        return None
    decimal_value = float(left + "." + right)
    if len(right) == 3 and len(left) <= 3 and not (left.startswith("0")):
        return _Reading(float(left + right), True, thousands=True, alternative=decimal_value)
    return _Reading(decimal_value, False)


# --------------------------------------------------------------------------------------
# Numbers written with words


@functools.cache
def _word_tables() -> dict[str, Any]:
    """Number words from the YAML, as lookup tables for the word parser."""
    data = _data()["number_words"]
    scales = {k.lower(): float(v) for k, v in _data()["scales"].items()}
    return {
        "digits": {k.lower(): v for k, v in data["digits"].items()},
        "ten": data["ten"].lower(),
        "tens": data["tens"].lower(),
        "zero_tens": {w.lower() for w in data["zero_tens"]},
        "hundred": data["hundred"].lower(),
        "not_first": {w.lower() for w in data["not_first"]},
        "scales": {k: v for k, v in scales.items() if v >= 1000},
    }


def _parse_words(words: list[str]) -> float | None:
    """Value of Vietnamese number words ("hai mươi lăm" -> 25); None if not a well-formed number.

    Groups below a thousand are built digit by digit (trăm, mươi/mười, linh/lẻ) and closed by
    a scale word; scales may descend ("hai triệu ba trăm nghìn") or stack ("một nghìn tỷ").
    """
    t = _word_tables()
    if not words:
        return None
    words = [w.lower() for w in words]
    if words[0] in t["not_first"] or words[0] in t["scales"] or words[0] in (t["tens"], t["hundred"]):
        return None
    total = 0.0
    group = 0.0          # value of the group below a thousand built so far
    pending: int | None = None  # a digit waiting for its multiplier
    last = ""            # the previous word's role
    for word in words:
        if word in t["digits"]:
            if pending is not None:
                return None
            if last == "tens_done":
                return None
            pending = t["digits"][word]
            last = "digit"
        elif word == t["ten"]:
            if pending is not None or last in ("ten", "tens"):
                return None
            group += 10
            last = "ten"
        elif word == t["tens"]:
            if pending is None or pending < 2:
                return None
            group += pending * 10
            pending = None
            last = "tens"
        elif word == t["hundred"]:
            if pending is None or group % 1000 >= 100 and last != "scale":
                return None
            group += pending * 100
            pending = None
            last = "hundred"
        elif word in t["zero_tens"]:
            if last != "hundred":
                return None
            last = "zero"
        elif word in t["scales"]:
            scale = t["scales"][word]
            value = group + (pending or 0)
            if value == 0:
                if total == 0:
                    return None
                total *= scale
            else:
                total += value * scale
            group, pending = 0.0, None
            last = "scale"
        else:
            return None
        if last in ("ten", "tens") and pending is None:
            pass
    if last in ("zero",):
        return None
    return total + group + (pending or 0)


# --------------------------------------------------------------------------------------
# Language data and compiled expressions


@functools.cache
def _data() -> dict[str, Any]:
    """patterns/numbers.yaml, read once."""
    data = load_yaml("numbers.yaml")
    if not isinstance(data, dict):
        raise ValueError("patterns/numbers.yaml must be a mapping of named word lists")
    return data


def _alt(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, any whitespace between words."""
    unique = sorted({p.strip() for p in phrases if p and p.strip()}, key=len, reverse=True)
    return "(?:" + "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in unique) + ")"


_FLAGS = regex.IGNORECASE | regex.V1


def _hcompile(pattern: str, flags: int = 0) -> regex.Pattern:
    """Compile a pattern whose whitespace may not cross a line break (units stay on the line)."""
    return regex.compile(pattern.replace(r"\s", r"[^\S\n]"), flags)


@functools.cache
def _rx() -> dict[str, Any]:
    """Every regular expression the finder uses, compiled once from the YAML."""
    d = _data()
    nouns = _alt(d["count_nouns"])
    scales = {k.lower(): float(v) for k, v in d["scales"].items()}
    scale_alt = _alt(scales)
    scale_not = _alt(d["scale_not_followed_by"])
    dong_not = _alt(d["dong_not_followed_by"])
    vnd_words = [w for w in d["vnd_words"] if w.lower() not in ("đồng", "đ")]
    speed = {k.lower(): float(v) for k, v in d["speed_units"].items()}
    per100 = _alt(d["per_100_nouns"])
    qual_pairs = [(q, p) for q, ps in d["qualifiers"].items() for p in ps]
    qual_alt = _alt(p for _, p in qual_pairs)
    fillers = _alt(d["qualifier_fillers"])
    label_always = _alt(d["label_before"]["always"])
    label_unless = _alt(d["label_before"]["unless_unit"])
    time_after = _alt(d["time_after"])
    words = d["number_words"]
    number_word_list = (
        list(words["digits"]) + [words["ten"], words["tens"], words["hundred"]]
        + list(words["zero_tens"]) + list(scales)
    )
    after_q = [(q, p) for q, ps in d["after_qualifiers"].items() for p in ps]
    rx: dict[str, Any] = {
        "scales": scales,
        "speed_factor": speed,
        "qual_of": {" ".join(p.lower().split()): q for q, p in qual_pairs},
        "after_qual_of": {" ".join(p.lower().split()): q for q, p in after_q},
        "qual_not_after": {k.lower(): {w.lower() for w in v} for k, v in d["qualifier_not_after"].items()},
        "nam_year_after": regex.compile(r"(?<!\w)" + _alt(d["nam_year_after"]) + r"\s+$", _FLAGS),
        # What may follow a number.
        "percent": _hcompile(r"\s*(?:%|％)|\s+" + _alt(d["percent_words"]) + r"(?!\w)", _FLAGS),
        "scale": _hcompile(
            r"\s*(?P<w>" + scale_alt + r")(?!\w)(?!\s+" + scale_not + r"(?!\w))", _FLAGS
        ),
        "scale_more": _hcompile(
            r"\s+(?P<n>" + _NUM + r")\s*(?P<w>" + scale_alt + r")(?!\w)", _FLAGS
        ),
        "half": _hcompile(r"\s+rưỡi(?!\w)", _FLAGS),
        "vnd": _hcompile(
            r"\s*(?:đồng(?!\w)(?!\s+" + dong_not + r"(?!\w))|đ(?!\w)|" + _alt(vnd_words) + r"(?!\w))",
            _FLAGS,
        ),
        "other_currency": _hcompile(r"\s*(?P<c>" + _alt(d["other_currencies"]) + r")(?!\w)", _FLAGS),
        "speed": _hcompile(r"\s*(?P<u>" + _alt(d["speed_units"]) + r")(?!\w)", _FLAGS),
        "count": _hcompile(
            r"\s+(?:(?:các|những)\s+)?(?P<n>" + nouns + r")(?!\w)", _FLAGS
        ),
        "per100_after": _hcompile(
            r"(?P<np>(?:\s+[^\W\d][\w\-]*){0,8}?)\s*(?P<sep>/|\s+trên\s+|\s+cho\s+mỗi\s+)\s*"
            r"(?P<h>100)\s+(?P<who>" + per100 + r")(?!\w)",
            _FLAGS,
        ),
        "per100_marker": regex.compile(
            r"(?:/\s*|(?<!\w)(?:trên|cho\s+mỗi)\s+)(?P<h>100)\s+(?:dân\s+số|dân|người\s+dân)(?!\w)",
            _FLAGS,
        ),
        "slash_denominator": _hcompile(r"\s*/\s*(?P<n>" + _NUM + r")"),
        "noun_denominator": regex.compile(
            r"(?P<np>[^\d/;:.,()%\n]{0,60}?)/\s*(?P<n>" + _NUM + r")(?!\s*/)(?![\w])"
        ),
        "range_dash": _hcompile(
            r"(?P<u1>\s*(?:%|％))?\s*[-–—]\s*(?:(?:dưới|trên)\s+)?(?P<n>" + _NUM + r")", _FLAGS
        ),
        "range_word": _hcompile(
            r"(?P<u1>\s*(?:%|％))?\s+(?:đến|tới)\s+(?:(?:dưới|trên)\s+)?(?P<n>" + _NUM + r")", _FLAGS
        ),
        "time_after": _hcompile(r"\s*" + time_after + r"(?!\w)", _FLAGS),
        "after_qual": _hcompile(r"\s*(?P<q>" + _alt(p for _, p in after_q) + r")(?!\w)", _FLAGS),
        "qualifier": regex.compile(
            r"(?<!\w)(?P<q>" + qual_alt + r")(?P<f>(?:\s+" + fillers + r")*)\s*(?:từ\s*)?$", _FLAGS
        ),
        "label_always": regex.compile(r"(?<!\w)" + label_always + r"\s*[:.]?\s*$", _FLAGS),
        "label_unless": regex.compile(r"(?<!\w)" + label_unless + r"\s*[:.]?\s*$", _FLAGS),
        "from_before": regex.compile(r"(?<!\w)từ\s*$", _FLAGS),
        "number_words": regex.compile(
            r"(?<!\w)(?:" + _alt(number_word_list) + r")(?:\s+" + _alt(number_word_list) + r")*(?!\w)",
            _FLAGS,
        ),
        "glued_unit": regex.compile(
            r"(?:%|％|đ(?!\w)|" + _alt(d["speed_units"]) + r"(?!\w)|" + _alt(vnd_words) + r"(?!\w))",
            _FLAGS,
        ),
    }
    rx["masks"] = [regex.compile(p, _FLAGS) for p in _MASKS]
    return rx


# Text that is never a figure, found before numbers are read. Each pattern's whole match is
# masked: a number that overlaps it is skipped.
_MASKS: tuple[str, ...] = (
    # URLs, e-mail addresses, domain names
    r"(?:https?://|www\.)\S+",
    r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+",
    r"(?<![\w@.])[\w\-]+(?:\.[\w\-]+)*\.(?:vn|com|net|org|gov|edu|info|io)(?!\w)(?:/\S*)?",
    # phone numbers: 0xxx xxx xxx, +84 …, (0212) 3852 123, hotlines 1900/1800 …
    r"(?<![\w.,])(?:\+84|0)\d{2,3}[ .\-]?\d{3,4}[ .\-]?\d{3,4}(?![\w])",
    r"\(\s*0\d{2,3}\s*\)\s*\d{3,4}[ .\-]?\d{3,4}(?![\w])",
    r"(?<![\w.,])1[89]00[ .]?\d{3,4}(?:[ .]\d{2,4})?(?![\w.,]?\d)",
    # dates: 31/03/2022, 18-12-2023, 1.10.2023, 18 - 12 - 2023
    r"(?<![\d.,/])\d{1,2}(?:/\d{1,2}/|-\d{1,2}-|\.\d{1,2}\.)\d{2,4}(?![\d])",
    r"(?<![\d.,/])\d{1,2}\s+[/-]\s+\d{1,2}\s+[/-]\s+\d{4}(?![\d])",
    # month/year: 5/2024, 05-2023
    r"(?<![\d.,/])(?:0?[1-9]|1[0-2])[/\-](?:19|20)\d{2}(?![\d])",
    # year ranges and school years: 2021-2025, 2023 - 2024, 2023/2024
    r"(?<![\d.,])(?:19|20)\d{2}\s*[-–—/]\s*(?:19|20)\d{2}(?![\d])",
    # document numbers: 411/QĐ-TTg, 13/2023/NĐ-CP, 62/KH-UBND, 57-NQ/TW
    r"(?<![\w.,])\d+(?:/\d+)*\s*/\s*\p{Lu}[\p{L}\d\-]*(?:/[\p{L}\d\-]+)*",
    r"(?<![\w.,])\d+-\p{Lu}{2,}[\p{L}\d\-]*(?:/[\p{L}\d\-]+)*",
    # times: 8h30, 8:30, 14g15
    r"(?<![\w.,])\d{1,2}\s*[hHgG:]\s*\d{2}(?!\d)",
    # version numbers of technologies and eras: chợ 4.0, Công nghiệp 4.0, Web 3.0
    r"(?<![\w.,])\d{1,2}\.0(?![\d.,]*\d)(?!\s*(?:%|％|phần\s+trăm))",
)


# --------------------------------------------------------------------------------------
# Public API


def parse_number(token: str) -> tuple[float, bool] | None:
    """A written number (digits with separators, or Vietnamese number words) -> (value, ambiguous).

    ``ambiguous`` is True when a lone separator followed by three digits was read as
    thousands by rule ("1.500" -> 1500). Scale words are applied ("1,2 triệu" -> 1200000).
    Returns None when the token is not a number.
    """
    if not isinstance(token, str):
        return None
    token = unicodedata.normalize("NFC", token).strip()
    if not token:
        return None
    m = _NUM_RE.match(token)
    if m and m.start() == 0:
        reading = _read_digits(m.group())
        if reading is None:
            return None
        rest = token[m.end():]
        value = reading.value
        rx = _rx()
        if rest.strip():
            sm = rx["scale"].match(rest)
            if not sm or rest[sm.end():].strip():
                return None
            value *= rx["scales"][" ".join(sm.group("w").lower().split())]
        return (value, reading.ambiguous)
    words = token.split()
    value = _parse_words(words)
    if value is None:
        return None
    return (value, False)


def find_figures(text: str) -> list[Figure]:
    """Every statistic-like figure in `text`, in order, excluding dates, years, document numbers,
    times, phone numbers, technology names, URLs/e-mails, ages that define a population, etc.

    Offsets index `text` as given (code points, end exclusive); the figure's qualifier words
    are outside its span.
    """
    if not text:
        return []
    rx = _rx()
    masked = _mask_spans(text, rx)
    figures: list[Figure] = []
    consumed = 0
    for m in _NUM_RE.finditer(text):
        if m.start() < consumed or _overlaps(masked, m.start(), m.end()):
            continue
        result = _read_figure(text, m, rx, masked)
        if result is None:
            continue
        figure, until = result
        consumed = max(consumed, until)
        if figure is not None:
            figures.append(figure)
    figures.extend(_word_figures(text, rx, figures, masked))
    figures.sort(key=lambda f: (f.start, f.end))
    return figures


# --------------------------------------------------------------------------------------
# Reading one digit figure


def _mask_spans(text: str, rx: dict[str, Any]) -> list[tuple[int, int]]:
    """Spans of text that can hold no figure (dates, phones, URLs, document numbers …)."""
    spans: list[tuple[int, int]] = []
    for pattern in rx["masks"]:
        spans.extend(m.span() for m in pattern.finditer(text))
    # the "100" of a per-100 marker ("/100 dân", "trên 100 dân") is part of a unit
    spans.extend(m.span("h") for m in rx["per100_marker"].finditer(text))
    spans.sort()
    return spans


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps any of `spans`."""
    return any(s < end and start < e for s, e in spans)


def _is_year(token: str, value: float) -> bool:
    """A plain four-digit number that reads as a year (1900-2100)."""
    return token.isdigit() and len(token) == 4 and 1900 <= value <= 2100


def _date_like(a: str, b: str) -> bool:
    """"30/4", "04/9": a day and a month written as a fraction."""
    if not (a.isdigit() and b.isdigit()):
        return False
    return 1 <= int(a) <= 31 and 1 <= int(b) <= 12 and len(a) <= 2 and len(b) <= 2


def _read_figure(
    text: str, m: regex.Match, rx: dict[str, Any], masked: list[tuple[int, int]]
) -> tuple[Figure | None, int] | None:
    """The figure starting at digit token `m`, and how far the text it used reaches.

    Returns None to skip the token, or (None, end) to skip it and everything up to `end`
    (the rest of a date or an age range).
    """
    start, end = m.span()
    token = m.group()
    reading = _read_digits(token)
    if reading is None:
        return None
    before = text[max(0, start - 60):start]
    prev_char = text[start - 1] if start else ""
    next_char = text[end] if end < len(text) else ""

    # Glued to letters: "4G", "8h", "IPv6", "COVID-19" are names, not figures.
    if next_char.isalpha() and not rx["glued_unit"].match(text, end):
        return None
    if start >= 2 and prev_char == "-" and text[start - 2].isalpha():
        return None
    # Colon-joined numbers are times or ratios: "8:30", "1:500".
    if next_char == ":" and end + 1 < len(text) and text[end + 1].isdigit():
        return None
    if prev_char == ":" and start >= 2 and text[start - 2].isdigit():
        return None

    value = reading.value
    ambiguous = reading.ambiguous
    notes: list[str] = []
    span_end = end
    denominator: float | None = None
    value_max: float | None = None
    unit: str | None = None
    noun: tuple[int, int] | None = None
    consumed = end
    scaled = False

    # Fraction written as one token: "209/209", "45.158/53.571", or a date "30/4".
    fm = rx["slash_denominator"].match(text, end)
    if fm and not _overlaps(masked, fm.start("n"), fm.end("n")):
        den_token = fm.group("n")
        den_reading = _read_digits(den_token)
        after_den = fm.end()
        if den_reading is not None and not (after_den < len(text) and text[after_den].isalpha()):
            if after_den < len(text) and text[after_den] == "/":
                return (None, after_den)  # a date or a document number
            is_date = _date_like(token, den_token) and not (
                rx["count"].match(text, after_den) or rx["percent"].match(text, after_den)
            )
            if is_date or rx["label_always"].search(before):
                return (None, after_den)
            denominator = den_reading.value
            span_end = after_den
            consumed = after_den
            if den_reading.ambiguous and not reading.ambiguous:
                ambiguous = True

    # Scale words: "1,2 triệu", "8,5 tỷ", "2 tỷ 500 triệu", "2 triệu rưỡi".
    if denominator is None:
        sm = rx["scale"].match(text, span_end)
        if sm:
            scale = rx["scales"][" ".join(sm.group("w").lower().split())]
            value *= scale
            span_end = sm.end()
            scaled = True
            while True:
                # stacked scales: "nghìn tỷ" is a thousand billion
                stacked = rx["scale"].match(text, span_end)
                if stacked:
                    bigger = rx["scales"][" ".join(stacked.group("w").lower().split())]
                    if bigger > scale:
                        value *= bigger
                        scale = bigger
                        span_end = stacked.end()
                        continue
                more = rx["scale_more"].match(text, span_end)
                if not more:
                    break
                more_scale = rx["scales"][" ".join(more.group("w").lower().split())]
                more_reading = _read_digits(more.group("n"))
                if more_reading is None or more_scale >= scale:
                    break
                value += more_reading.value * more_scale
                scale = more_scale
                span_end = more.end()
            half = rx["half"].match(text, span_end)
            if half:
                value += scale / 2
                span_end = half.end()
            consumed = span_end

    # Ranges: "27 – 34%", "27% - 34%", "từ 27 đến 34%".
    if denominator is None and not scaled:
        rm = rx["range_dash"].match(text, span_end)
        from_word = bool(rx["from_before"].search(before))
        word_range = False
        if not rm:
            rm = rx["range_word"].match(text, span_end)
            word_range = rm is not None
        if rm and not _overlaps(masked, rm.start("n"), rm.end("n")):
            hi_reading = _read_digits(rm.group("n"))
            hi_end = rm.end()
            glued = hi_end < len(text) and (text[hi_end].isalpha() and not rx["glued_unit"].match(text, hi_end))
            if hi_reading is not None and not glued:
                if rx["time_after"].match(text, hi_end) and not rx["percent"].match(text, hi_end):
                    return (None, hi_end)  # an age or time range: "từ 0 đến dưới 6 tuổi"
                has_unit_after = bool(
                    rx["percent"].match(text, hi_end) or rx["count"].match(text, hi_end)
                    or rx["scale"].match(text, hi_end) or rx["vnd"].match(text, hi_end)
                )
                if _is_year(token, value) and _is_year(rm.group("n"), hi_reading.value):
                    return (None, hi_end)
                dash_date = (
                    not rm.group("u1") and "-" in rm.group() and not has_unit_after
                    and _date_like(token, rm.group("n"))
                )
                if dash_date:
                    return (None, hi_end)
                if word_range and not from_word:
                    pass  # "6 đến 14": a range only after "từ" (ages were dropped above)
                elif hi_reading.value > value and (has_unit_after or from_word or rm.group("u1")):
                    value_max = hi_reading.value
                    span_end = hi_end
                    consumed = hi_end
                    if rm.group("u1") and not rx["percent"].match(text, hi_end):
                        unit = "percent"
                    if hi_reading.ambiguous:
                        ambiguous = True

    # Time, age, duration: "14 giờ", "15 tuổi", "3 tháng".
    if unit is None and rx["time_after"].match(text, span_end) and not rx["count"].match(text, span_end):
        return (None, span_end)

    # Units.
    after_pos = span_end
    pm = rx["percent"].match(text, span_end)
    if pm:
        unit = "percent"
        span_end = pm.end()
    elif unit is None:
        vm = rx["vnd"].match(text, span_end)
        sp = rx["speed"].match(text, span_end)
        oc = rx["other_currency"].match(text, span_end)
        if vm:
            unit = "vnd"
            span_end = vm.end()
        elif sp:
            unit = "mbps"
            value *= rx["speed_factor"][" ".join(sp.group("u").lower().split())]
            if value_max is not None:
                value_max *= rx["speed_factor"][" ".join(sp.group("u").lower().split())]
            span_end = sp.end()
        elif oc:
            notes.append(f"currency: {oc.group('c')}")
        else:
            p100 = rx["per100_after"].match(text, span_end)
            if p100 and not regex.search(r"[\d,;.:()%]", p100.group("np")):
                unit = "per_100_people"
                consumed = max(consumed, p100.end())
                np_text = p100.group("np")
                if np_text.strip():
                    lead = len(np_text) - len(np_text.lstrip())
                    noun = (p100.start("np") + lead, p100.end("np"))
            else:
                cm = rx["count"].match(text, span_end)
                if cm:
                    unit = "count"
                    noun = cm.span("n")
    consumed = max(consumed, span_end)

    # A per-100 unit stated before the figure: "số thuê bao/100 dân đạt 87,07".
    if unit is None:
        clause_start = max(text.rfind(ch, 0, start) for ch in ".;\n")
        window_start = max(clause_start + 1, start - 80)
        for pm100 in rx["per100_marker"].finditer(text, window_start, start):
            if not regex.search(r"\d", text[pm100.end():start]):
                unit = "per_100_people"

    # Denominator after the counted noun: "697 tổ công nghệ số cộng đồng/691 thôn".
    if unit == "count" and denominator is None and noun is not None:
        dm = rx["noun_denominator"].match(text, noun[1])
        if dm and not _overlaps(masked, dm.start("n"), dm.end("n")):
            den_reading = _read_digits(dm.group("n"))
            rest = dm.end()
            if den_reading is not None and not rx["time_after"].match(text, rest):
                denominator = den_reading.value
                consumed = max(consumed, rest)

    # Labels and years: "năm 2023", "lần thứ 7", "Quyết định số 500", "Quận 1".
    if rx["label_always"].search(before):
        return (None, consumed) if denominator is not None or value_max is not None else None
    if unit is None and rx["label_unless"].search(before):
        return None
    if _is_year(token, reading.value) and unit in (None, "count") and denominator is None:
        if unit is None or regex.search(r"(?<!\w)(?:năm|đến|tới|từ|giai\s+đoạn)\s*$", before, _FLAGS):
            return None
    # Phone numbers that survived the masks: long digit strings with a leading zero.
    digits_only = regex.sub(r"\D", "", token)
    if token.startswith("0") and len(digits_only) >= 8 and unit is None:
        return None
    # List markers: "1. Tỷ lệ …", "(2)", "3)".
    line_start = text.rfind("\n", 0, start) + 1
    if unit is None and denominator is None and value_max is None:
        if not text[line_start:start].strip(" \t\u00a0(") and regex.match(r"[.)]\s", text[end:end + 2]):
            return None
        if prev_char == "(" and next_char == ")":
            return None

    # Percent sanity: a thousands reading of 1000% or more is a decimal ("12.345%").
    if unit == "percent" and reading.thousands and value >= 1000 and not scaled:
        value = reading.alternative if reading.alternative is not None else value
        notes.append(f"ambiguous-separator: '{token}' read as a decimal (a percent over 1000 is implausible)")
        ambiguous = True
    elif reading.thousands:
        if unit in ("count",) and not scaled:
            ambiguous = False  # a head count cannot be fractional
        else:
            notes.append(f"ambiguous-separator: '{token}' read as thousands")

    qualifier, qspan = _qualifier(text, start, span_end, noun, rx)
    figure = Figure(
        start=start,
        end=span_end,
        value=value,
        unit=unit,
        denominator=denominator,
        value_max=value_max,
        qualifier=qualifier,
        qualifier_span=qspan,
        ambiguous=ambiguous,
        noun_start=noun[0] if noun else None,
        noun_end=noun[1] if noun else None,
        notes=tuple(notes),
    )
    return (figure, consumed)


def _qualifier(
    text: str, start: int, end: int, noun: tuple[int, int] | None, rx: dict[str, Any]
) -> tuple[str, tuple[int, int] | None]:
    """The qualifier of a figure at [start, end) and where its words are."""
    window_start = max(0, start - 50)
    before = text[window_start:start]
    qm = rx["qualifier"].search(before)
    if qm:
        phrase = " ".join(qm.group("q").lower().split())
        q = rx["qual_of"].get(phrase)
        word_before = regex.search(r"(\w+)\s*$", before[: qm.start()])
        blocked = rx["qual_not_after"].get(phrase, set())
        if q and not (word_before and word_before.group(1).lower() in blocked):
            return q, (window_start + qm.start("q"), window_start + qm.end("q"))
    after = noun[1] if noun else end
    am = rx["after_qual"].match(text, after)
    if am:
        phrase = " ".join(am.group("q").lower().split())
        q = rx["after_qual_of"].get(phrase)
        if q:
            return q, am.span("q")
    return "exact", None


# --------------------------------------------------------------------------------------
# Figures written in words


def _word_figures(
    text: str, rx: dict[str, Any], found: list[Figure], masked: list[tuple[int, int]]
) -> list[Figure]:
    """Figures written in words ("hai mươi lăm phần trăm", "năm người"): only with a unit."""
    out: list[Figure] = []
    taken = [(f.start, f.end) for f in found]
    for m in rx["number_words"].finditer(text):
        words = m.group().split()
        # the longest leading run of words that parses as a number
        value = None
        n = len(words)
        while n > 0:
            value = _parse_words(words[:n])
            if value is not None:
                break
            n -= 1
        if value is None or n == 0:
            continue
        # end of the n-th word
        pos = m.start()
        for i, w in enumerate(words[:n]):
            pos = text.index(w, pos) + len(w)
        start, end = m.start(), pos
        if _overlaps(taken, start, end) or _overlaps(masked, start, end):
            continue
        if n == 1 and words[0].lower() == "một":
            continue  # "một" alone is an article: "một người", "một số"
        before = text[max(0, start - 60):start]
        if words[0].lower() == "năm" and (n == 1 and rx["nam_year_after"].search(before)):
            continue
        if rx["label_always"].search(before):
            continue
        if rx["time_after"].match(text, end):
            continue
        unit: str | None = None
        noun: tuple[int, int] | None = None
        span_end = end
        pm = rx["percent"].match(text, end)
        vm = rx["vnd"].match(text, end)
        cm = rx["count"].match(text, end)
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
