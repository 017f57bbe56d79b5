"""What a figure counts and what it has: a figure's frame, and the indicators it fits.

A statistic in news text says what is counted (its population: "hộ gia đình", "thôn",
"hồ sơ", "cán bộ") and what they have (its property: "có Internet cáp quang", "được phủ
sóng 4G", "chưa có sóng"). `frame_of` finds that phrase for one figure of a clause:

- the head noun after the number ("73,1% hộ gia đình có …", "1.116 trạm");
- the subject of a rate before its figure ("tỷ lệ hộ gia đình có … đạt 80%"), a label
  before a colon ("Hộ gia đình có cáp quang: 80%"), any population named between the
  figure before it and this one;
- the count a share follows ("26.000 hộ …, đạt 97%"; "380 người … (chiếm 1,2%)");
- a population named earlier in the clause.

Its property is looked for in the nearest stretch first: after the noun up to the next
figure, then before the figure, then the whole clause. `indicators_for` then maps the frame
to the catalogue codes whose `frame:` (patterns/indicators.yaml) accepts its population and
property classes and whose units fit. The lexicons are patterns/populations.yaml and
patterns/properties.yaml; everything here is compiled once per process and reads a clause
a bounded number of times (linear in its length). Offsets are into the given text.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from dataclasses import dataclass
from typing import Sequence

import regex

from xhs_extract import regexes
from xhs_extract.catalogue import load_catalogue
from xhs_extract.language import populations_data, properties_data
from xhs_extract.normalise import normalise_phrase
from xhs_extract.numbers import Figure
from xhs_extract.sentences import LOOK_BACK, bracket_open

_FLAGS = regex.IGNORECASE | regex.UNICODE | regex.V0
_CLAUSE_BREAK = regexes.compile(r"[;\n]")
NONE = "none"  # the population or property class of a frame that names none
ANY = "any"  # in an indicator's frame: any property, or none
# Frames that say the figure is no level of anything a catalogue counts: a change, a number
# in a name, a survey's sample, the owner of what the clause names, a norm per unit, a
# survey's answer right after the figure, the whole a part is of ("trên tổng số …").
REFUSING = frozenset({"change", "name", "sample", "owner", "per", "said", "whole"})


@dataclass(frozen=True)
class Match:
    """One lexicon phrase found in a text: its class and offsets."""

    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Frame:
    """What a figure counts (population) and what it has (properties); offsets into the text.

    `how` says where the population was found: noun (the head noun after the number), rate
    (a rate's subject), left (named before the figure), count (the count this share
    follows), change (a change, not a level: "tăng 0,7%"), name (a number in a place's
    name: "xã Chiềng 10"), sample (a survey's sample: "khảo sát với 2.500 người"), owner
    ("… của 33 xã"), per (a norm per unit: "mỗi lớp khoảng 60 người"), said (a survey's
    answer: "81% tin rằng …"), whole (the whole a part is of: "trên tổng số 560 tỷ đồng"),
    or none.
    """

    population: str | None
    population_span: tuple[int, int] | None
    properties: tuple[str, ...]
    property_spans: tuple[tuple[int, int], ...]
    subject_span: tuple[int, int]
    how: str
    negative: bool = False  # the population lacks the property ("thôn chưa có sóng")
    opinion: bool = False  # a survey's answer about the population ("… cho rằng")
    populations: tuple[str, ...] = ()  # all classes of a list ("cơ sở giáo dục, cơ sở y tế")

    @property
    def main_property(self) -> str | None:
        return self.properties[0] if self.properties else None

    @property
    def main_property_span(self) -> tuple[int, int] | None:
        return self.property_spans[0] if self.property_spans else None


@dataclass(frozen=True)
class _Lexicon:
    pattern: regex.Pattern
    names: tuple[str, ...]  # the class of each group c0, c1, …


def _alternation(phrases: Sequence[str]) -> str:
    return "|".join(f"(?:{normalise_phrase(p)})" for p in phrases)


def _lexicon(classes: Sequence[tuple[str, Sequence[str]]], head: str = "") -> _Lexicon:
    groups = "|".join(
        f"(?P<c{i}>{_alternation(phrases)})" for i, (_, phrases) in enumerate(classes)
    )
    pattern = regexes.compile(head + r"(?<!\w)(?:" + groups + r")(?!\w)", _FLAGS)
    return _Lexicon(pattern, tuple(name for name, _ in classes))


@functools.cache
def _populations() -> _Lexicon:
    return _lexicon([(c.name, c.phrases) for c in populations_data().classes])


@functools.cache
def _head_nouns() -> _Lexicon:
    """A population right after a figure, past a unit mark and determiners ("% các xã")."""
    determiners = _alternation(populations_data().determiners)
    head = r"[\s%]*(?:(?:" + determiners + r")\s+){0,2}"
    return _lexicon([(c.name, c.phrases) for c in populations_data().classes], head)


@functools.cache
def _rate_markers() -> regex.Pattern:
    return regexes.compile(
        r"(?<!\w)(?:" + _alternation(populations_data().rate_markers) + r")(?!\w)", _FLAGS
    )


@functools.cache
def _properties() -> _Lexicon:
    return _lexicon([(c.name, c.phrases) for c in properties_data().classes])


@functools.cache
def _implied() -> dict[str, str]:
    return {c.name: c.implies for c in populations_data().classes if c.implies}


@functools.cache
def _property_kinds() -> tuple[
    dict[str, tuple[str, ...]], frozenset[str], frozenset[str], frozenset[str]
]:
    """(what each class subsumes, negative classes, opinion classes, context classes)."""
    classes = properties_data().classes
    return (
        {c.name: c.subsumes for c in classes},
        frozenset(c.name for c in classes if c.negative),
        frozenset(c.name for c in classes if c.opinion),
        frozenset(c.name for c in classes if c.context),
    )


def _class_of(lexicon: _Lexicon, m: regex.Match) -> Match:
    name = lexicon.names[int(m.lastgroup[1:])]
    return Match(name, m.start(m.lastgroup), m.end(m.lastgroup))


def populations_in(text: str, start: int, end: int) -> list[Match]:
    """The population phrases of text[start:end], left to right."""
    lexicon = _populations()
    return [
        _class_of(lexicon, m)
        for m in lexicon.pattern.finditer(text, start, end)
        if not _in_proper_name(text, m.start())
    ]


# A capitalised word after another one mid-sentence: "huyện Xuân Trường" is a place, not
# schools; "Các Tổ …" opening a sentence and "và Trường THCS …" stay what they say.
_NAME_WORD_BEFORE = regexes.compile(r"(?<=[\p{L}\p{M},;(] |^)\p{Lu}[\p{L}\p{M}]* $")


_UNIT_WORD_BEFORE = regexes.compile(
    r"(?<!\w)(?i:huyện|xã|thị xã|phường|thị trấn|thành phố|tp\.?|tỉnh|quận|thôn|bản|ấp) $"
)


def _in_proper_name(text: str, start: int) -> bool:
    """Is the phrase at `start` part of a place's proper name ("huyện Xuân Trường", "huyện
    Chợ Đồn", "xã Trường Xuân")?"""
    if start == 0 or not text[start].isupper():
        return False
    if _UNIT_WORD_BEFORE.search(text, max(0, start - 12), start):
        return True
    before = _NAME_WORD_BEFORE.search(text, max(0, start - 20), start)
    if before is None:
        return False
    opening = before.start()
    return opening > 0 and text[opening - 2 : opening - 1] not in (".", "!", "?", ":", "\n", "")


_POPULATIONS, _PROPERTIES = "populations", "properties"


@functools.lru_cache(maxsize=64)
def _scan(kind: str, text: str, lo: int, hi: int) -> tuple[Match, ...]:
    """The lexicon's phrases in a clause, found once for all its figures."""
    lexicon = _populations() if kind == _POPULATIONS else _properties()
    return tuple(
        _class_of(lexicon, m)
        for m in lexicon.pattern.finditer(text, lo, hi)
        if kind != _POPULATIONS or not _in_proper_name(text, m.start())
    )


def _within(
    c: _Clause, kind: str, start: int, end: int, limit: int | None = None
) -> list[Match]:
    """The clause's phrases of one lexicon starting in [start, end) and ending by `limit`."""
    limit = end if limit is None else limit
    return [m for m in _scan(kind, c.text, c.lo, c.hi) if start <= m.start < end and m.end <= limit]


def clause_bounds(text: str, start: int, end: int, position: int) -> tuple[int, int]:
    """The clause of text[start:end] holding `position`: cut at semicolons and line breaks."""
    lo = start
    for m in _CLAUSE_BREAK.finditer(text, start, position):
        lo = m.end()
    found = _CLAUSE_BREAK.search(text, position, end)
    return lo, (found.start() if found else end)


@dataclass(frozen=True)
class _Words:
    markers: regex.Pattern  # a rate's subject opens: "tỷ lệ …"
    share: regex.Pattern  # a share of the count just named: "…, chiếm 80,2%"
    change: regex.Pattern  # a change, not a level: "tăng 0,7%"
    having: regex.Pattern  # a population given a property: "… hộ có …"
    conjunction: regex.Pattern  # a list going on to its next item
    coordinated: regex.Pattern  # "…, " or " và " before a further population
    breaks: regex.Pattern  # where a noun's own phrase ends
    reporting: regex.Pattern  # a speaker's verb opening a segment: "…, cho biết …"
    denominator: regex.Pattern  # the whole a share is of: "… trên tổng số …"
    tied: regex.Pattern  # a property tied to the act before it: "… gắn với …"
    parts: regex.Pattern  # a segment opening the parts of what came before: ", trong đó …"
    parts_before: regex.Pattern  # the parts word right before a figure: "…, trong đó 9.420"
    sample: regex.Pattern  # a survey's sample: "khảo sát … với 2.500 người"
    possessive: regex.Pattern  # an owner, not what is counted: "… của 33 xã"
    per_unit: regex.Pattern  # a norm per unit: "mỗi lớp khoảng 60 người"
    whole_before: regex.Pattern  # the whole a share or part is of: "… trên tổng số 560"
    object_link: regex.Pattern  # a having verb right before its counted object: "… đã thành lập"


def _word_alt(words: Sequence[str]) -> str:
    return r"(?<!\w)(?:" + _alternation(sorted(words, key=len, reverse=True)) + r")(?!\w)"


@functools.cache
def _words() -> _Words:
    d = populations_data()
    return _Words(
        markers=regexes.compile(_word_alt(d.rate_markers), _FLAGS),
        share=regexes.compile(_word_alt(d.share_verbs) + r"[\s:]*$", _FLAGS),
        change=regexes.compile(_word_alt(d.change_words) + r"[\s:]*$", _FLAGS),
        having=regexes.compile(r"\s*(?:\w+\s+)?" + _word_alt(d.having), _FLAGS),
        conjunction=regexes.compile(_word_alt(d.conjunctions), _FLAGS),
        coordinated=regexes.compile(
            r"\s*(?:,|/|" + _word_alt(d.conjunctions) + r")\s*"
            + r"(?:" + _word_alt(d.determiners) + r"\s+)?",
            _FLAGS,
        ),
        breaks=regexes.compile(r"[,:]"),
        reporting=regexes.compile(r"[\s,:]*" + _word_alt(d.reporting), _FLAGS),
        denominator=regexes.compile(_word_alt(d.denominators) + r"\s*", _FLAGS),
        tied=regexes.compile(_word_alt(d.tied), _FLAGS),
        parts=regexes.compile(r"[\s,:]*" + _word_alt(d.parts), _FLAGS),
        parts_before=regexes.compile(_word_alt(d.parts) + r"\s*(?:có\s+)?$", _FLAGS),
        sample=regexes.compile(
            _word_alt(d.samples) + r"(?:\s+[^\s\d,;.:]+){0,5}\s+" + _word_alt(d.sample_links)
            + r"\s*$",
            _FLAGS,
        ),
        object_link=regexes.compile(
            r"\s*(?:" + _word_alt(d.going_on) + r"\s+)?" + _word_alt(d.having) + r"\s*$", _FLAGS
        ),
        whole_before=regexes.compile(_word_alt(d.denominators) + r"\s*$", _FLAGS),
        per_unit=regexes.compile(
            _word_alt(d.per_unit) + r"(?:\s+[^\s\d.;:()]+){1,6}\s*$", _FLAGS
        ),
        possessive=regexes.compile(
            r"(?<!" + _word_alt(d.possessive_parts) + r"\s+)" + _word_alt(d.possessive) + r"\s*$",
            _FLAGS,
        ),
    )


def _head(text: str, figure: Figure, limit: int) -> list[Match]:
    """The population named right after the figure (its head noun), with the ones
    coordinated with it ("100% cơ sở giáo dục, cơ sở y tế"); [] if none."""
    lexicon = _head_nouns()
    after = figure.end
    m = lexicon.pattern.match(text, after, limit)
    if m is None and figure.noun_start is not None and figure.noun_start > after:
        m = lexicon.pattern.match(text, figure.noun_start, limit)
    if m is None:
        return []
    found = [_class_of(lexicon, m)]
    plain = _populations()
    while True:
        joint = _words().coordinated.match(text, found[-1].end, limit)
        nxt = plain.pattern.match(text, joint.end(), limit) if joint else None
        if nxt is None:
            return found
        found.append(_class_of(plain, nxt))


def _before(text: str, lo: int, figure: Figure) -> tuple[int, int]:
    """The window of words just before the figure (and its qualifier)."""
    end = figure.start
    if figure.qualifier_span is not None and figure.qualifier_span[0] < end:
        end = max(lo, figure.qualifier_span[0])
    return max(lo, end - 30), end


def _left(c: _Clause, lo: int, hi: int) -> tuple[Match | None, int | None]:
    """The population named in text[lo:hi] for a figure at hi, and where a rate's subject
    opens ("tỷ lệ …"): the first population after the first rate marker, else the last one."""
    marker = _words().markers.search(c.text, lo, hi)
    start = marker.start() if marker is not None else lo
    # a noun inside a property's phrase ("nhận qua tài khoản") names how, not who
    props = _within(c, _PROPERTIES, start, hi)
    found = [
        m for m in _within(c, _POPULATIONS, start, hi)
        if m.name not in _head_only() and not _names_place(c.text, m)
        and not any(p.start < m.start and m.end <= p.end for p in props)
    ]
    whole = _words().denominator.search(c.text, start, hi)
    if whole is not None:  # "… trên tổng số người dùng điện thoại": the whole names it
        named = [m for m in found if m.start == whole.end()]
        if named:
            return named[0], (start if marker is not None else None)
    if marker is not None:
        return (found[0] if found else None), start
    if found and c.text[found[-1].end : hi].rstrip().endswith(":"):
        # a label names its subject first: "Trường học ứng dụng công nghệ số …: 98,2%"
        return found[0], None
    return (found[-1] if found else None), None


_NAME_AFTER = regexes.compile(r"\s+(?:\p{Lu}|\d)")
_NAME_WINDOW = 60  # characters before a number searched for a place's name
_NAME_BEFORE = regexes.compile(r"(?:\s+\p{Lu}\w*){1,3}\s+")


def _in_a_name(c: _Clause, figure: Figure) -> bool:
    """"xã Chiềng 10 đạt 11,5%": a bare number right after a place's name is part of the
    name ("huyện Bình Sơn 72%" is a label and its share)."""
    if figure.unit not in (None, "count"):
        return False
    window = max(c.lo, figure.start - _NAME_WINDOW)
    units = [m for m in populations_in(c.text, window, figure.start) if m.name in _places()]
    if not units:
        return False
    found = _NAME_BEFORE.fullmatch(c.text, units[-1].end, figure.start)
    return found is not None


def _names_place(text: str, m: Match) -> bool:
    """"xã Chiềng 1 đạt 2,5%": an administrative unit followed by its name is the place the
    figure is about, not what it counts."""
    return m.name in _places() and _NAME_AFTER.match(text, m.end) is not None


@functools.cache
def _places() -> frozenset[str]:
    return frozenset(c.name for c in populations_data().classes if c.place)


def names_a_place(population: str | None) -> bool:
    """Is this population class an administrative unit ("xã", "thị trấn")? Then a figure
    after it may be that unit's, not a count of units."""
    return population in _places()


@functools.cache
def _head_only() -> frozenset[str]:
    return frozenset(c.name for c in populations_data().classes if c.head_only)


@dataclass
class _Found:
    populations: list[Match]
    how: str
    marker: int | None = None
    host: Frame | None = None  # the frame of the count this share follows


@dataclass(frozen=True)
class _Clause:
    text: str
    lo: int
    hi: int
    start: int  # where this figure's own stretch begins (after the figure before it)
    nxt: int  # where the next figure begins
    before: tuple[Figure, ...]
    figures: tuple[Figure, ...]  # all figures of the sentence


def _population(c: _Clause, figure: Figure, hosts: int) -> _Found:
    text, w = c.text, _words()
    b_lo, b_hi = _before(text, c.start, figure)
    if w.change.search(text, b_lo, b_hi):
        return _Found([], "change")
    if _in_a_name(c, figure):
        return _Found([], "name")
    if w.sample.search(text, max(c.start, figure.start - _SAMPLE_REACH), b_hi):
        return _Found([], "sample")
    if w.whole_before.search(text, b_lo, b_hi):
        return _Found([], "whole")  # "… 412 tỷ đồng, trên tổng số hơn 560 tỷ đồng"
    if figure.unit in (None, "count") and w.per_unit.search(
        text, max(c.start, figure.start - _SAMPLE_REACH), b_hi
    ):
        return _Found([], "per")
    opinions = _property_kinds()[2]
    after = _within(c, _PROPERTIES, figure.end, figure.end + 2, c.hi)
    if any(m.name in opinions for m in after):
        return _Found([], "said")  # "… cho thấy 81% tin rằng …": a survey's answer
    head = _head(text, figure, c.nxt)
    if figure.unit in (None, "count") and w.possessive.search(text, b_lo, b_hi):
        # "… tổ công nghệ số cộng đồng của 33 xã": the communes own the teams named before;
        # "vai trò của 2.990 tổ Chuyển đổi số cộng đồng" names its own property
        owner = head and head[0].name in populations_data().possessive_heads
        if owner and not _names_own_property(c, head):
            return _Found([], "owner")
    host = _host(c, figure) if hosts > 0 else None
    if host is not None and w.share.search(text, b_lo, b_hi):
        # "1,1 triệu người dùng Internet, chiếm 80,2% dân số": the head names the whole
        if head and w.having.match(text, head[-1].end, c.nxt):
            return _Found(head, "noun")  # "…, đạt tỷ lệ 48% hộ gia đình có kết nối Internet"
        if not head or head[0].name not in _head_only():
            return _Found([], "count", host=_host_frame(c, host, hosts - 1))
    if host is not None and head and figure.unit == "percent":
        frame = _host_frame(c, host, hosts - 1)
        # "164 trạm y tế xã …, đạt 93% số trạm"; "688.912 tài khoản đã được kích hoạt, đạt
        # 85,9% số tài khoản được cấp": the head names the whole, the count what is had
        whole = host.unit in (None, "count") and (
            _WHOLE_WORD.fullmatch(text, figure.end, head[0].start) is not None
        )
        if _repeats(text, head[0], frame) or (whole and frame.properties):
            return _Found([], "count", host=frame)
    if head and not (len(head) == 1 and head[0].name in generic()):
        return _Found(head, "noun")
    bracket = bracket_open(text, c.start, figure.start)
    inner = bracket + 1 if bracket >= 0 else c.start
    left, marker = _left(c, inner, figure.start)
    if head:
        # "tổng số đối tượng … là 45.158 người": a generic head noun, a rate's subject
        if left is not None and marker is not None:
            return _Found([left], "rate", marker)
        return _Found(head, "noun")
    if left is not None:
        return _Found([left], "rate" if marker is not None else "left", marker)
    if marker is not None and _within(c, _PROPERTIES, marker, figure.start):
        return _Found([], "rate", marker)
    if bracket >= 0:  # "tỷ lệ hộ dùng cáp quang (87,5%)": the bracket's host clause
        outer, outer_marker = _left(c, c.start, bracket)
        if outer is not None or outer_marker is not None:
            how = "rate" if outer_marker is not None else "left"
            return _Found([outer] if outer else [], how, outer_marker)
    if host is not None:
        return _Found([], "count", marker, _host_frame(c, host, hosts - 1))
    wide, wide_marker = _left(c, c.lo, c.start)
    if wide is not None:
        return _Found([wide], "left", marker if marker is not None else wide_marker)
    return _Found([], NONE, marker)


def _repeats(text: str, head: Match, host: Frame) -> bool:
    """Does a share's head noun shorten the noun of the count it follows ("số trạm" after
    "164 trạm y tế xã")? Then it names that count's population, not its own."""
    if host.population_span is None:
        return False
    words = text[head.start:head.end].casefold().split()
    named = text[host.population_span[0]:host.population_span[1]].casefold().split()
    return bool(words) and named[: len(words)] == words and len(named) > len(words)


def _names_own_property(c: _Clause, head: list[Match]) -> bool:
    if any(m.name in _implied() for m in head):
        return True
    return bool(_within(c, _PROPERTIES, head[0].start, _segment_end(c, head[-1].end)))


_WHOLE_WORD = regexes.compile(r"\s*(?:tổng số|số)\s+", _FLAGS)
_SAMPLE_REACH = 60  # how far before a figure a survey's word may stand


def _host(c: _Clause, figure: Figure) -> Figure | None:
    """The figure a share may follow: the last one before it, not a number in a name; for
    an amount of money, the last count ("58.760 người …, chiếm 36,2%, với tổng số tiền 412
    tỷ đồng": the money is the count's, not the share's)."""
    money = figure.unit not in (None, "count", "percent")
    for before in reversed(c.before):
        if _in_a_name(c, before) or (money and before.unit == "percent"):
            continue
        return before
    return None


def _host_frame(c: _Clause, host: Figure, hosts: int) -> Frame:
    """The frame of the count a share follows, read in its own place in the clause. A host
    that is itself a part in a bracket after its whole ("23 dịch vụ công trực tuyến (3 thuộc
    quận và 20 thuộc sở)") has the whole's frame: the parts count what the whole counts."""
    clause = _clause(c.text, c.lo, c.hi, host, c.figures)
    bracket = bracket_open(c.text, clause.start, host.start)
    frame = _frame(clause, host, hosts if bracket >= 0 and clause.before else 0)
    whole = _whole_in_clause(clause, host)  # "…, trong đó 9.420 người …, đạt 73,3%"
    return _as_part(frame, whole) if whole is not None else frame


@functools.cache
def generic() -> frozenset[str]:
    """The population classes a rate's subject before the figure names better ("người")."""
    return frozenset(c.name for c in populations_data().classes if c.generic)


def _own_phrase_end(c: _Clause, end: int) -> tuple[int, bool]:
    """Where the phrase of a head noun ending at `end` stops: at a comma or colon, unless
    what follows goes on naming what it has ("…, phủ sóng 4G", "…, đã có …"); or before the
    next figure (and before a conjunction leading to it: then True, the list goes on)."""
    w = _words()
    stop = w.breaks.search(c.text, end, c.nxt)
    for _ in range(_MAX_GOING_ON):
        if stop is None or not _goes_on(c.text, stop.end(), c.nxt):
            break
        further = w.breaks.search(c.text, stop.end(), c.nxt)
        if further is None and c.nxt < c.hi:
            break  # that segment leads to the next figure: its words are that figure's
        if further is None:
            return c.hi, False
        stop = further
    if stop is not None:
        return stop.start(), False
    last = None
    for m in w.conjunction.finditer(c.text, end, c.nxt):
        last = m.start()
    if last is not None and c.nxt < c.hi:
        return last, True
    return c.nxt, False


_MAX_GOING_ON = 3  # segments a noun's phrase may run on over


def _goes_on(text: str, start: int, limit: int) -> bool:
    """Does the segment at `start` go on naming a property ("…, phủ sóng 4G", "…, đã có")?"""
    return bool(
        _words().having.match(text, start, limit) or _going_on().pattern.match(text, start, limit)
    )


@functools.cache
def _going_on() -> _Lexicon:
    """A property opening a segment, after at most one word saying it goes on ("…, đã phủ
    sóng 4G"); not a further item of a list ("…, mạng truyền số liệu chuyên dùng")."""
    words = _word_alt(populations_data().going_on)
    lead = r"\s*(?:" + words + r"\s+)?(?=" + words + ")"
    return _lexicon([(c.name, c.phrases) for c in properties_data().classes], lead)


_Region = tuple[int, int, int]  # phrases starting in [start, end), read up to limit


def _regions(c: _Clause, found: _Found, figure: Figure) -> list[_Region]:
    """Where to look for the property, nearest first."""
    pops = found.populations
    before = figure.start
    if found.how == "noun":
        return _noun_regions(c, pops, before)
    if found.how == "rate" and found.marker is not None:
        return [(found.marker, before, before), (c.lo, before, before)]
    near = pops[0].start if pops else c.start
    return [(near, before, before), (c.lo, before, before), (figure.end, c.nxt, c.nxt)]


def _noun_regions(c: _Clause, pops: list[Match], before: int) -> list[_Region]:
    """For a head noun: its own phrase, then the words before the figure (from the last
    comma, from the figure before, from the clause start), then the words after."""
    end, listed = _own_phrase_end(c, pops[-1].end)
    whole = _words().denominator.search(c.text, pops[-1].end, end)
    if whole is not None:  # "28.218 người cài ứng dụng trên tổng số 41.447 người dùng …"
        end, listed = whole.start(), False
    own: _Region = (pops[0].start, end, c.nxt)
    comma = None
    for m in _words().breaks.finditer(c.text, c.start, before):
        comma = m.end()
    near: _Region = (comma if comma is not None else c.start, before, before)
    if any(p.name in _implied() for p in pops):
        return [own, near]
    if _words().having.match(c.text, pops[-1].end, end):
        return [own, *_object_region(c, pops[-1].end, end)]
    regions = [own, near, (c.start, before, before)]
    if c.before:
        # "… phủ sóng 4G đạt 100% ở trung tâm các xã và 98,7% ở các bản": an item
        # going on from the figure before takes what that figure's segment says it has
        regions.append((_segment_start(c, c.before[-1].start), before, before))
    regions.append((c.lo, before, before))
    if listed:  # "85% A và 100% B có P": P said once for both
        stop = _words().breaks.search(c.text, c.nxt, c.hi)
        regions.append((end, stop.start() if stop else c.hi, c.hi))
    elif end < c.nxt and not _opens_other(c.text, end, c.nxt):
        regions.append((end, c.nxt, c.nxt))
    return regions


def _object_region(c: _Clause, start: int, end: int) -> list[_Region]:
    """"106 xã đã thành lập 960 Tổ công nghệ số …": a having verb whose object is counted
    by the next figure; what that figure counts is what the noun has (not in a ratio:
    "Cứ 10 người thì có 9 người …")."""
    if end != c.nxt or c.nxt >= c.hi or not _words().object_link.match(c.text, start, end):
        return []
    following = next((f for f in c.figures if f.start == c.nxt), None)
    if following is None:
        return []
    stop = _words().breaks.search(c.text, following.end, c.hi)
    limit = stop.start() if stop else c.hi
    return [(following.end, limit, limit)]


def _opens_other(text: str, start: int, end: int) -> bool:
    """Do the words after a noun's phrase say something else than what it has: a speaker's
    verb ("…, cho biết …"), or the parts of it ("…, trong đó …")?"""
    w = _words()
    return bool(w.reporting.match(text, start, end) or w.parts.match(text, start, end))


def _segment_start(c: _Clause, position: int) -> int:
    """Where the segment holding `position` starts: after the last comma or colon before it."""
    start = c.lo
    for m in _words().breaks.finditer(c.text, c.lo, position):
        start = m.end()
    return start


def _pick_properties(
    c: _Clause, regions: list[_Region], pops: list[Match], anchors: frozenset[int]
) -> list[Match]:
    """The properties of the nearest region holding any (not inside a population phrase);
    one holding only context ("an sinh xã hội") adds to what the next region holds. A class
    that restricts the population ("… cho biết") counts only in a region opening at one of
    `anchors` (the population, a rate's marker): the counted phrase itself."""
    context, restricting = _property_kinds()[3], _restricting()
    kept: list[Match] = []
    for start, end, limit in regions:
        if start >= end:
            continue
        found = [
            m for m in _within(c, _PROPERTIES, start, end, limit)
            if not any(p.start <= m.start and m.end <= p.end for p in pops)
            and (start in anchors or m.name not in restricting)
        ]
        kept.extend(m for m in found if m not in kept)
        if any(m.name not in context for m in found):
            return kept
    return kept


def _tied_to(c: _Clause, props: list[Match], figure: Figure) -> list[Match]:
    """"cấp tài khoản định danh gắn với cấp căn cước cho 81.600 công dân": a property tied
    to an act named before it in the clause goes with that act; the act is the figure's."""
    if not props or props[0].start >= figure.start:
        return props
    tie = None
    for m in _words().tied.finditer(c.text, c.lo, figure.start):
        tie = m
    if tie is None:
        return props
    kept = [m for m in props if m.end <= tie.start()]
    if kept:
        return kept
    negatives = _property_kinds()[1]
    first = [m for m in _within(c, _PROPERTIES, c.lo, tie.start()) if m.name not in negatives]
    return first[-1:] or props


def _segment_end(c: _Clause, start: int) -> int:
    """Where the words right after a figure stop being its own: a comma, colon or closing
    bracket, a conjunction, or the next figure."""
    w = _words()
    ends = [m.start() for m in (
        w.breaks.search(c.text, start, c.nxt),
        _CLOSING.search(c.text, start, c.nxt),
        w.conjunction.search(c.text, start, c.nxt),
    ) if m is not None]
    return min(ends, default=c.nxt)


_CLOSING = regexes.compile(r"\)")


def _refined(c: _Clause, props: list[Match], figure: Figure) -> list[Match]:
    """A vague property ("phủ sóng") made specific by a class subsuming it named before, in
    the clause: "lắp đặt 320 trạm 5G, phủ sóng 45% dân số" is 5G coverage."""
    if len(props) != 1 or props[0].name not in _vague():
        return props
    earlier = _subsuming(c.text, c.lo, c.hi, props[0].name, min(props[0].start, figure.start))
    return [earlier] if earlier is not None else props


def _subsuming(text: str, lo: int, hi: int, vague: str, before: int) -> Match | None:
    """The last property of text[lo:hi] ending by `before` whose class subsumes `vague`."""
    subsumes = _property_kinds()[0]
    found = [
        m for m in _scan(_PROPERTIES, text, lo, hi)
        if m.end <= before and vague in subsumes.get(m.name, ())
    ]
    return found[-1] if found else None


@functools.cache
def _restricting() -> frozenset[str]:
    return frozenset(c.name for c in properties_data().classes if c.restricts)


@functools.cache
def _vague() -> frozenset[str]:
    return frozenset(c.name for c in properties_data().classes if c.vague)


@functools.cache
def _requests() -> frozenset[str]:
    return frozenset(c.name for c in populations_data().classes if c.requests)


def _reduce(found: list[Match]) -> list[Match]:
    """Distinct classes, in order, without those a more specific one present subsumes."""
    subsumes = _property_kinds()[0]
    names = {m.name for m in found}
    dropped = {general for name in names for general in subsumes.get(name, ())}
    out: list[Match] = []
    seen: set[str] = set()
    for m in found:
        if m.name not in dropped and m.name not in seen:
            seen.add(m.name)
            out.append(m)
    return out


def frame_of(
    text: str, bounds: tuple[int, int], figure: Figure, figures: Sequence[Figure] = ()
) -> Frame:
    """The frame of `figure` in the sentence (or clause) text[bounds[0]:bounds[1]].

    `figures`: the figures of that sentence (offsets into `text`), for the count a share
    follows and for where the next figure's own words begin; may be empty.
    """
    # A figure's frame lies near it: the clause is read at most LOOK_BACK characters before
    # and after the figure, so that a clause of thousands of figures (a table flattened
    # into one line) costs time linear in its length, not its square.
    start, end = _near(bounds, figure)
    lo, hi = clause_bounds(text, start, end, figure.start)
    if (lo == start and start > bounds[0]) or (hi == end and end < bounds[1]):
        # A clause longer than the window has its subject out of sight: the frame says
        # nothing, and the rules' chain from figure to figure carries the subject.
        return Frame(None, None, (), (), (figure.start, figure.end), "none")
    first = bisect.bisect_left(figures, lo, key=_start_of)
    last = bisect.bisect_right(figures, hi, key=_start_of)
    clause = _clause(text, lo, hi, figure, tuple(figures[first:last]))
    frame = _frame(clause, figure, 2)
    whole = _whole_frame(clause, start, figure, figures, first)
    if whole is not None:
        frame = _as_part(frame, whole)
    return _refined_by_sentence(text, start, lo, frame)


def _refined_by_sentence(text: str, start: int, lo: int, frame: Frame) -> Frame:
    """A vague property ("phủ sóng") left unrefined in its clause takes the class subsuming
    it named in an earlier clause of the sentence: "… 11.800 trạm 5G, phủ sóng 26% dân số;
    mục tiêu năm 2025 là phủ sóng 90% dân số" is 5G coverage twice."""
    if len(frame.properties) != 1 or frame.properties[0] not in _vague() or lo <= start:
        return frame
    earlier = _subsuming(text, start, lo, frame.properties[0], lo)
    if earlier is None:
        return frame
    return dataclasses.replace(frame, properties=(earlier.name,))


_PARTS_BEFORE = regexes.compile(r"[,:]\s*$")


def _whole_frame(
    c: _Clause, start: int, figure: Figure, figures: Sequence[Figure], first: int
) -> Frame | None:
    """The frame of the whole a part belongs to: "33.870 người hưởng lương hưu …; trong đó
    27.640 người nhận qua tài khoản" (the clause opens with the parts word) or "… cho
    12.860 người, trong đó 9.420 người …" (the word stands right before the figure)."""
    text, w = c.text, _words()
    parts = w.parts.match(text, c.lo, figure.start) is not None
    if first > 0 and c.lo > start and (parts or _repeats_head(c, figure, figures[first - 1])):
        whole = figures[first - 1]
        w_lo, w_hi = clause_bounds(text, start, c.lo, whole.start)
        w_first = bisect.bisect_left(figures, w_lo, key=_start_of)
        return _frame(_clause(text, w_lo, w_hi, whole, tuple(figures[w_first:first])), whole, 0)
    return _whole_in_clause(c, figure)


def _repeats_head(c: _Clause, figure: Figure, before: Figure) -> bool:
    """"41.260 người hưởng trợ cấp …; 37.950 người đã nhận tiền qua tài khoản": a count
    opening its clause with the generic noun of the count closing the clause before."""
    if figure.unit not in (None, "count") or before.unit not in (None, "count"):
        return False
    if c.text[c.lo : figure.start].strip(" ,"):
        return False
    mine, theirs = _head(c.text, figure, c.hi), _head(c.text, before, figure.start)
    return bool(mine and theirs) and mine[0].name in generic() and (
        c.text[mine[0].start : mine[0].end].casefold()
        == c.text[theirs[0].start : theirs[0].start + mine[0].end - mine[0].start].casefold()
    )


def _whole_in_clause(c: _Clause, figure: Figure) -> Frame | None:
    """"… cho 12.860 người, trong đó 9.420 người …": the figure before is the whole."""
    if not c.before:
        return None
    whole = c.before[-1]
    gap = (whole.noun_end or whole.end, figure.start)
    parts = _words().parts_before.search(c.text, *gap)
    if parts is None or not _PARTS_BEFORE.search(c.text, gap[0], parts.start()):
        return None
    return _frame(_clause(c.text, c.lo, c.hi, whole, c.figures), whole, 0)


def _as_part(part: Frame, whole: Frame) -> Frame:
    """A part's frame given its whole's: the whole's population where the part names none
    or a generic one ("người"), and the field the whole names ("an sinh xã hội") added."""
    if whole.population is None or part.how in REFUSING:
        return part
    context = _property_kinds()[3]
    added = tuple(n for n in whole.properties if n in context and n not in part.properties)
    if part.population is not None and part.population not in generic():
        return dataclasses.replace(part, properties=part.properties + added)
    return dataclasses.replace(
        part,
        population=whole.population,
        populations=whole.populations,
        properties=part.properties + added,
    )


def _start_of(figure: Figure) -> int:
    return figure.start


_GRID = 512  # windows start and end on a grid, so neighbouring figures share their scans


def _near(bounds: tuple[int, int], figure: Figure) -> tuple[int, int]:
    """The part of text[bounds[0]:bounds[1]] within LOOK_BACK characters of the figure
    (all of it, for any clause of ordinary length)."""
    start, end = bounds
    if figure.start - start > LOOK_BACK:
        start = max(start, (figure.start - LOOK_BACK) // _GRID * _GRID)
    if end - figure.end > LOOK_BACK:
        end = min(end, -(-(figure.end + LOOK_BACK) // _GRID) * _GRID)
    return start, end


def _clause(
    text: str, lo: int, hi: int, figure: Figure, figures: tuple[Figure, ...]
) -> _Clause:
    before = tuple(f for f in figures if lo <= f.start and f.end <= figure.start)
    # the next figure outside a bracket opened after this one: figures come in order, so
    # the first found is the nearest, and the later ones are never scanned
    nxt = next(
        (
            f.start for f in figures
            if f.start >= figure.end and f.end <= hi
            and bracket_open(text, figure.end, f.start) < 0
        ),
        hi,
    )
    start = (before[-1].noun_end or before[-1].end) if before else lo
    return _Clause(text, lo, hi, min(start, figure.start), nxt, before, figures)


def _frame(c: _Clause, figure: Figure, hosts: int) -> Frame:
    """`hosts`: how many counts back a share may follow (a part's whole: at most two)."""
    found = _population(c, figure, hosts)
    if found.host is not None:
        host_end = found.host.population_span[1] if found.host.population_span else c.start
        own_start = max(c.start, host_end)
        whole = _words().denominator.search(c.text, own_start, figure.start)
        # "… trên tổng số 41.447 người dùng điện thoại thông minh, đạt tỷ lệ 68%": words
        # naming the whole are not the share's own
        own = [] if whole else _reduce(_within(c, _PROPERTIES, own_start, figure.start))
        if all(m.name in _property_kinds()[3] for m in own):
            # "…, trong đó 71% có đăng ký dịch vụ thanh toán điện tử"; "18.300 đối tượng
            # hưởng trợ cấp hằng tháng, 61,2% đã nhận qua tài khoản"
            own += _reduce(_within(c, _PROPERTIES, figure.end, _segment_end(c, figure.end)))
        return _adopt(found.host, figure, own)
    pops = found.populations
    marker = [found.marker] if found.marker is not None else []
    anchors = frozenset([p.start for p in pops] + marker)
    props = _tied_to(c, _pick_properties(c, _regions(c, found, figure), pops, anchors), figure)
    implied = [Match(_implied()[p.name], p.start, p.end) for p in pops if p.name in _implied()]
    props = _refined(c, _reduce(implied + props), figure)
    _, negatives, opinions, _ = _property_kinds()
    if pops and pops[0].name in _requests():  # "hồ sơ … chưa cấp căn cước": asked for
        props = [m for m in props if m.name not in negatives]
    elif props and props[0].name not in negatives:
        # "… đã sử dụng bệnh án điện tử, không dùng phim": what it replaces, not a lack
        props = [m for m in props if m.name not in negatives]
    names = [m.name for m in props]
    spans = [(p.start, p.end) for p in pops] + [(m.start, m.end) for m in props]
    if figure.noun_start is not None and figure.noun_end is not None:
        spans.append((figure.noun_start, figure.noun_end))
    if found.marker is not None and found.how == "rate":
        spans.append((found.marker, found.marker))
    return Frame(
        population=pops[0].name if pops else None,
        population_span=(pops[0].start, pops[0].end) if pops else None,
        properties=tuple(names),
        property_spans=tuple((m.start, m.end) for m in props),
        subject_span=_hull(spans, figure),
        how=found.how,
        negative=any(n in negatives for n in names),
        opinion=any(n in opinions for n in names),
        populations=tuple(p.name for p in pops),
    )


def _hull(spans: list[tuple[int, int]], figure: Figure) -> tuple[int, int]:
    if not spans:
        return (figure.start, figure.end)
    return (min(s for s, _ in spans), max(e for _, e in spans))


def _adopt(host: Frame, figure: Figure, own: list[Match]) -> Frame:
    """A share's frame taken from the count it follows ("26.000 hộ …, đạt 97%"); the
    property its own words name, if they name one ("…, Internet cáp quang đạt 100%")."""
    spans = [host.subject_span] + [(m.start, m.end) for m in own]
    if figure.noun_start is not None and figure.noun_end is not None:
        spans.append((figure.noun_start, figure.noun_end))
    _, negatives, opinions, context = _property_kinds()
    names = tuple(m.name for m in own)
    if all(name in context for name in names):  # "… với số tiền": the host's, and more
        names = tuple(dict.fromkeys(host.properties + names))
    else:  # the field the count names stays the share's ("an sinh xã hội")
        names = tuple(dict.fromkeys(names + tuple(n for n in host.properties if n in context)))
    return Frame(
        population=host.population,
        population_span=host.population_span,
        properties=names,
        property_spans=tuple((m.start, m.end) for m in own) or host.property_spans,
        subject_span=_hull(spans, figure),
        how="count",
        negative=any(n in negatives for n in names),
        opinion=any(n in opinions for n in names),
        populations=host.populations,
    )


def warm() -> None:
    """Compile every lexicon and table once, before the first text (a process's warm-up)."""
    _populations(), _head_nouns(), _rate_markers(), _properties(), _going_on(), _words()
    _implied(), _property_kinds(), generic(), _head_only(), _requests(), _vague(), _places()
    _restricting()
    _accepting()


_Entry = tuple[str, frozenset[str], frozenset[str], frozenset[str], frozenset[str]]


@functools.cache
def _accepting() -> dict[str, tuple[_Entry, ...]]:
    """population class -> (code, units, property classes, excluded classes, properties
    also needed) of the indicators accepting it."""
    table: dict[str, list[_Entry]] = {}
    for code, indicator in load_catalogue().indicators.items():
        for alternative in indicator.frame:
            units = frozenset(alternative.get("units", indicator.units))
            properties = frozenset(alternative.get("properties", ()))
            excluded = frozenset(alternative.get("not", ()))
            needed = frozenset(alternative.get("with", ()))
            for population in alternative.get("populations", ()):
                entry = (code, units, properties, excluded, needed)
                table.setdefault(population, []).append(entry)
    return {population: tuple(entries) for population, entries in table.items()}


def accepted_populations() -> frozenset[str]:
    """The population classes some indicator's frame accepts."""
    return frozenset(_accepting())


def indicators_for(frame: Frame, unit: str | None) -> tuple[str, ...]:
    """The catalogue codes whose frame accepts this one and whose units hold `unit`: none
    for a change, a population no indicator accepts, a lacking property or a survey answer
    (a frame accepting `any` property ignores the last two)."""
    if frame.how in REFUSING:
        return ()
    unit = unit or "count"
    have = set(frame.properties) or {NONE}
    codes: list[str] = []
    for population in frame.populations or (NONE,):
        entries = _accepting().get(population, ()) + _accepting().get(ANY, ())
        for code, units, properties, excluded, needed in entries:
            if unit not in units or code in codes or excluded & (have | {population}):
                continue
            if not needed <= have:
                continue
            if ANY in properties or (
                have & properties and not frame.negative and not frame.opinion
            ):
                codes.append(code)
    return tuple(codes)


def excluded(frame: Frame, unit: str | None) -> bool:
    """Would an indicator take this frame but for a property it names under `not:`
    ("upload tới 640 Kbps", "dung lượng đường truyền … 135 Mbps" for a speed)? The
    catalogue then says what the figure is not: no record."""
    have = set(frame.properties)
    if not have:
        return False
    unit = unit or "count"
    for population in frame.populations or (NONE,):
        entries = _accepting().get(population, ()) + _accepting().get(ANY, ())
        for _, units, properties, excluded, _ in entries:
            fits = ANY in properties or have & properties
            if unit in units and fits and excluded & have:
                return True
    return False
