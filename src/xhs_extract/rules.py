"""Rule extractor: which catalogue indicator each figure of a sentence measures.

A sentence's figures come from the number grammar (`numbers.find_figures`). Each figure's
subject is looked for on one side first: on the left when the words before it link a
subject to it ("tỷ lệ … đạt 92%"), on the right otherwise ("73,1% hộ gia đình …",
"706.105 người …"). The phrasing rules of `patterns/phrasings.yaml` then name the
indicator(s). A figure with no subject of its own leans on other words: the figure before
it ("26.000 hộ …, đạt hơn 97%"), its bracket, a list's frame, the sentence before ("Trong
đó, …", "tỷ lệ này"); see `assign`. Everything here works on the normalised text.
"""

from __future__ import annotations

import bisect
import enum
import functools
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping

import regex

from xhs_extract import context as ctx
from xhs_extract import frames, layout, regexes
from xhs_extract.catalogue import Catalogue, load_catalogue
from xhs_extract.discourse import Discourse
from xhs_extract.language import PhrasingsData, context_data, phrasings_data
from xhs_extract.normalise import normalise_phrase
from xhs_extract.numbers import Figure, find_figures
from xhs_extract.sentences import LOOK_BACK, bracket_open, clause_start, look_back

_FLAGS = regex.IGNORECASE | regex.UNICODE
_CUE_REF = regexes.compile(r"@(\w+)")
_CLAUSE_BREAK = regexes.compile(r"[;]")
_FRAME_BREAK = regexes.compile(r"[;:]")
RIGHT_WINDOW = 160
LEFT_WINDOW = 240
PHRASE_AFTER_SHARE = 30


@dataclass(frozen=True)
class Rule:
    indicator: str
    all: tuple[regex.Pattern, ...]
    sentence: tuple[regex.Pattern, ...]
    none: tuple[regex.Pattern, ...]
    count_nouns: regex.Pattern | None
    overrides: frozenset[str]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]

    @functools.cached_property
    def by_code(self) -> dict[str, Rule]:
        return {rule.indicator: rule for rule in self.rules}


def _expand(expression: str, cues: dict[str, str]) -> str:
    def substitute(match: regex.Match) -> str:
        name = match.group(1)
        if name not in cues:
            raise KeyError(f"phrasings.yaml refers to an unknown cue @{name}")
        return f"(?:{cues[name]})"

    return _CUE_REF.sub(substitute, expression)


def compile_rules(data: PhrasingsData | Mapping[str, Any], catalogue: Catalogue) -> RuleSet:
    """Phrasing data (`language.phrasings_data()`, or a mapping as parsed from YAML) ->
    compiled rules; every indicator code must be in the catalogue."""
    if not isinstance(data, PhrasingsData):
        data = PhrasingsData.from_mapping(data)
    cues = {name: normalise_phrase(expr) for name, expr in data.cues.items()}
    count_noun_lead = r"^[\s\"'“”‘’]*" + context_data().count_noun_lead
    patterns: dict[str, regex.Pattern] = {}  # one compiled pattern per distinct expression

    def compiled(expressions: Iterable[str]) -> tuple[regex.Pattern, ...]:
        out = []
        for expression in expressions:
            expanded = _expand(normalise_phrase(expression), cues)
            if expanded not in patterns:
                patterns[expanded] = regexes.compile(ctx.word_pattern(expanded), _FLAGS)
            out.append(patterns[expanded])
        return tuple(out)

    rules: list[Rule] = []
    for code, spec in data.indicators.items():
        if code not in catalogue:
            raise KeyError(f"phrasings.yaml names indicator {code!r}, which the catalogue lacks")
        for other in spec.overrides:
            if other not in catalogue:
                raise KeyError(f"{code} overrides unknown indicator {other!r}")
        noun_pattern = None
        if spec.count_nouns:
            alternation = "|".join(_expand(normalise_phrase(n), cues) for n in spec.count_nouns)
            noun_pattern = regexes.compile(count_noun_lead + ctx.word_pattern(alternation), _FLAGS)
        rules.append(
            Rule(
                indicator=code,
                all=compiled(spec.all),
                sentence=compiled(spec.sentence),
                none=compiled(spec.none),
                count_nouns=noun_pattern,
                overrides=frozenset(spec.overrides),
            )
        )
    return RuleSet(rules=tuple(rules))


@functools.lru_cache(maxsize=1)
def ruleset() -> RuleSet:
    return compile_rules(phrasings_data(), load_catalogue())


def _hits(pattern: regex.Pattern, text: str, start: int, end: int) -> bool:
    return pattern.search(text, start, end) is not None


def classify(
    text: str,
    start: int,
    end: int,
    sentence: tuple[int, int],
    unit: str,
    noun_text: str,
    rules: RuleSet,
    allowed: frozenset[str] | None = None,
) -> tuple[str, ...]:
    """Indicators whose rules match a figure with its subject in text[start:end], in the
    sentence text[sentence[0]:sentence[1]]. `allowed`, when given, holds the only codes
    whose cues occur at all (the prefilter's candidates): the others are not tried."""
    catalogue = load_catalogue()
    matched: list[Rule] = []
    for rule in rules.rules:
        if allowed is not None and rule.indicator not in allowed:
            continue
        if not catalogue.allows(rule.indicator, unit):
            continue
        if not rule.all and unit != "mbps":
            continue
        if not all(_hits(p, text, start, end) for p in rule.all):
            continue
        if rule.none and any(_hits(p, text, start, end) for p in rule.none):
            continue
        if rule.sentence and not all(p.search(text, *sentence) for p in rule.sentence):
            continue
        if unit == "count" and rule.count_nouns is not None and noun_text:
            if not rule.count_nouns.search(noun_text):
                continue
        matched.append(rule)
    overridden = set().union(*(r.overrides for r in matched)) if matched else set()
    return tuple(r.indicator for r in matched if r.indicator not in overridden)


def _unit_of(figure: Figure) -> str:
    return figure.unit or "count"


# a letter, not a number
_STARTS_WITH_WORD = regexes.compile(r"^[\s\"'“”‘’]*[^\W\d_]", regex.UNICODE)


def _noun_text(text: str, figure: Figure, hi: int) -> str:
    """The words a count counts, within its sentence; empty when none follow ("… 2G only
    còn 85.000.")."""
    if figure.noun_start is not None and figure.noun_end is not None:
        return text[figure.noun_start : min(hi, figure.noun_end + 40)]
    following = text[figure.end : min(hi, figure.end + 60)]
    return following if _STARTS_WITH_WORD.match(following) else ""


def _left_start(text: str, lo: int, figures: list[Figure], index: int) -> int:
    figure = figures[index]
    start = max(lo, figure.start - LEFT_WINDOW)
    if index > 0:
        start = max(start, figures[index - 1].end)
    for match in _FRAME_BREAK.finditer(text, start, figure.start):
        start = match.end()
    bracket = bracket_open(text, start, figure.start)
    if bracket >= 0:
        start = bracket + 1
    return start


def _right_end(text: str, hi: int, figures: list[Figure], index: int, c: ctx.ContextCues) -> int:
    figure = figures[index]
    end = min(hi, figure.end + RIGHT_WINDOW)
    stop = _CLAUSE_BREAK.search(text, figure.end, end)
    if stop:
        end = stop.start()
    if bracket_open(text, max(0, figure.start - 80), figure.start) >= 0:
        close = text.find(")", figure.end, end)
        if close >= 0:
            end = close
    unit = _unit_of(figure)
    for nxt in figures[index + 1 :]:
        if nxt.start >= end:
            break
        between = text[figure.end : nxt.start]
        if _short_bracket(text, figure.end, nxt):
            continue  # an aside such as "(226 cơ sở)" does not end the subject
        before_next = text[figure.end : (nxt.qualifier_span or (nxt.start, 0))[0]]
        if c.linking_end.search(before_next):
            # The next figure's subject is its own: stop where its clause begins.
            comma = max(between.rfind(","), between.rfind(";"))
            end = figure.end + comma if comma >= 0 else nxt.start
            break
        if _unit_of(nxt) == unit or "(" in between:
            end = nxt.start
            break
    opener = c.next_subject.search(text, figure.end, end)
    if opener:
        end = opener.start()
    if unit in ("count", "vnd"):
        # A count's subject is its noun phrase: "8.930 người trong độ tuổi lao động, tập
        # trung vào …" ends at a comma that opens another clause (not at "xã, phường").
        opener = c.clause_after_comma.search(text, figure.end, end)
        if opener:
            end = opener.start()
    opener = c.clause_opener.search(text, figure.end, end)
    if opener:
        end = opener.start()
    return end


def _short_bracket(text: str, after: int, figure: Figure) -> bool:
    """Is `figure` alone in a short bracket opened after `after`: "… (226 cơ sở) …"?"""
    opening = text.rfind("(", after, figure.start)
    if opening < 0 or text[opening + 1 : figure.start].strip():
        return False
    closing = text.find(")", figure.end, figure.end + 40)
    return closing >= 0 and "(" not in text[figure.end : closing]


class How(enum.Enum):
    """The way a figure's subject was found: the `<how>` of its records' extractor
    (`rule:<indicator>/<how>`)."""

    LEFT = "left"  # its own words, the subject before it ("tỷ lệ … đạt 92%")
    RIGHT = "right"  # its own words, the subject after it ("73,1% hộ gia đình …")
    BOTH = "both"  # its own words on both sides
    COLUMN = "column"  # the header of its table column
    SHARED = "shared"  # the subject of the figure before it ("26.000 hộ …, đạt hơn 97%")
    BRACKET = "bracket"  # the words before its bracket
    FRAME = "frame"  # the words before a colon of its sentence
    LIST = "list"  # the frame ending in ":" above its list of lines
    CONTINUED = "continued"  # the words of the figure before it in the sentence
    BREAKDOWN = "breakdown"  # the total a "Trong đó" sentence or paragraph breaks down
    ANAPHOR = "anaphor"  # what "tỷ lệ này", "con số này" refers back to
    SENTENCE = "sentence"  # the rest of its sentence
    TOPIC = "topic"  # the sentences before it in the paragraph
    RANKED = "ranked"  # a place alone before it: the share before it ("thị xã Giá Rai 91,3%")


@dataclass
class Assignment:
    """A figure with the indicators it measures, before status, period and place."""

    figure: Figure
    indicators: tuple[str, ...]
    how: How
    noun: str | None = None
    subject: str = ""  # the words its indicators were read from
    subject_span: tuple[int, int] | None = None  # its frame's phrase, offsets into the text

    @property
    def unit(self) -> str:
        return _unit_of(self.figure)


Candidates = Callable[[str], frozenset[str]]


@dataclass
class _Sentence:
    """One sentence text[lo:hi] being read, and what its figures may lean on."""

    text: str
    lo: int
    hi: int
    discourse: Discourse | None
    rules: RuleSet
    cues: ctx.ContextCues
    candidates: Candidates | None  # the codes whose cues occur in a text (the prefilter's)
    allowed: frozenset[str] | None  # those of the sentence
    breaks_down: bool  # it opens with a breakdown cue ("Trong đó, …")
    done: list[Assignment]  # its figures classified so far
    figures: tuple[Figure, ...] = ()  # all its figures
    ends: tuple[int, ...] = ()  # where each of them ends, in order
    # the last figure classified so far of each unit a ranking measures (a share, a speed)
    last_measured: dict[str, Assignment] = field(default_factory=dict)


@dataclass
class _Figure:
    """One figure of a sentence and the words around it that may name its subject."""

    figure: Figure
    unit: str
    noun: str  # the words a count counts, after it
    left_start: int
    left_end: int
    right_end: int
    left_text: str
    own_text: str  # text[left_start:right_end], the figure's own words
    source: Assignment | None  # the last figure of the sentence classified before it
    same_clause: bool  # no ";" between `source` and this figure
    bracket: int  # the start of the bracket the figure stands in, or -1
    partial: bool  # it names a specific thing but not what about it ("1.706 tổ")
    subject_noun: str  # the noun a count is checked against (see `_partial_subject`)
    refers_back: bool  # its words refer back ("tỷ lệ này")
    frame: frames.Frame | None = None  # what it counts and what they have (`frames.frame_of`)


_Reading = tuple[tuple[str, ...], How, str]  # indicators, how, the words they were read from


def _lean(s: _Sentence, f: _Figure, other: str, how: How, noun: str) -> _Reading | None:
    """The figure's own words read together with `other`, the words it leans on. A chain of
    figures leaning on each other would read ever longer words (square time): of a long
    `other`, its head (the nearest figure's words) and its tail (the chain's first
    subject) are kept, LOOK_BACK characters in all."""
    if len(other) > LOOK_BACK:
        other = other[: LOOK_BACK // 2] + " ; " + other[-LOOK_BACK // 2 :]
    combined = f.own_text + " ; " + other
    allowed = s.candidates(combined) if s.candidates is not None else None
    found = classify(combined, 0, len(combined), (0, len(combined)), f.unit, noun, s.rules, allowed)
    return (found, how, combined) if found else None


_FRAME_HOW = {"noun": How.RIGHT, "rate": How.LEFT, "left": How.LEFT, "count": How.SHARED}
_REFUSED: _Reading = ((), How.RIGHT, "")  # the figure is settled as no record


def _by_frame(s: _Sentence, f: _Figure) -> _Reading | None:
    """What the figure counts and what they have (`frames.frame_of`): where that names
    indicators they are its reading; where it refuses for a reason (a change, a lacking
    property, a survey answer, a population no indicator counts) the figure is no record;
    else (no frame, or a population with no property) the later strategies decide."""
    if s.allowed is not None and not s.allowed:
        # A sentence without any rule's cues (read only as a discourse's continuation)
        # names nothing by its frame either: so the prefilter's gates change no result.
        return None
    frame = _frame_of(s, f)
    found = frames.indicators_for(frame, f.unit)
    if found:
        how = _FRAME_HOW.get(frame.how, How.RIGHT)
        span = frame.population_span
        if f.bracket >= 0 and frame.how != "count" and span is not None and span[1] <= f.bracket:
            how = How.BRACKET
        return found, how, f.own_text
    if frame.how in frames.REFUSING or frame.negative or frame.opinion:
        return _REFUSED
    if frames.excluded(frame, f.unit):  # "upload tới 640 Kbps": what the catalogue is not
        return _REFUSED
    if frame.population is not None and frame.population not in frames.accepted_populations():
        return _REFUSED
    population = frame.population_span
    if frame.properties and frame.how in ("noun", "count") and population is not None and (
        frame.population not in frames.generic() or frame.property_spans[0][0] >= population[1]
    ):
        # "75,3% giao dịch … không dùng tiền mặt": the figure's own noun and what it has are
        # both named, and no indicator counts that pair; other words nearby must not lend one
        # (a generic noun, "người", only with what its own phrase says it has or does).
        return _REFUSED
    return None


def _by_own_words(s: _Sentence, f: _Figure) -> _Reading | None:
    indicators, how = _own_subject(s.text, f, (s.lo, s.hi), f.left_text, s.rules, s.cues, s.allowed)
    return (indicators, How(how), f.own_text) if indicators else None


def _by_column(s: _Sentence, f: _Figure) -> _Reading | None:
    """A table's cell takes its subject from its column's header."""
    if s.discourse is None or s.discourse.columns is None:
        return None
    header = s.discourse.column_header(s.text, f.figure.start)
    return _lean(s, f, header, How.COLUMN, f.noun) if header.strip() else None


def _shared_with(s: _Sentence, f: _Figure) -> _Reading | None:
    """"68.000 công dân kích hoạt …, đạt tỷ lệ 83,36%": a share linked to the count before
    it in its clause (explicit, so it wins even over the figure's own words)."""
    source = f.source
    if source is None or not f.same_clause or source.unit == f.unit:
        return None
    if not s.cues.share_link_end.search(f.left_text):
        return None
    return _inherited(s, f, source)


def _inherited(s: _Sentence, f: _Figure, source: Assignment) -> _Reading | None:
    inherited = _inherit(s.rules, source.indicators, f.unit, f.noun, f.left_text)
    return (inherited, How.SHARED, f.own_text + " ; " + source.subject) if inherited else None


def _by_bracket(s: _Sentence, f: _Figure) -> _Reading | None:
    """"tỷ lệ hộ dùng cáp quang (87,5%), tỷ lệ … được phủ sóng 4G (100%)": the words right
    before the bracket, back to the figure before, are its subject."""
    if f.bracket < 0:
        return None
    start = clause_start(s.text, s.lo, f.bracket)
    if s.done:
        start = max(start, s.done[-1].figure.end)
    return _lean(s, f, s.text[start : f.bracket], How.BRACKET, f.noun)


def _by_bracket_clause(s: _Sentence, f: _Figure) -> _Reading | None:
    """A bracket in the clause of the figure before shares its subject; elsewhere, the
    whole clause before the bracket is its subject."""
    if f.bracket < 0:
        return None
    if f.same_clause and f.source is not None:
        return _inherited(s, f, f.source)
    clause = s.text[clause_start(s.text, s.lo, f.bracket) : f.bracket]
    return _lean(s, f, clause, How.BRACKET, f.noun)


def _by_colon_frame(s: _Sentence, f: _Figure) -> _Reading | None:
    frame = _colon_frame(s.text, s.lo, f.figure.start)
    return _lean(s, f, frame, How.FRAME, f.noun) if frame else None


def _by_list_head(s: _Sentence, f: _Figure) -> _Reading | None:
    head = _list_head(s.text, s.lo, f.figure.start)
    return _lean(s, f, head, How.FRAME, f.noun) if head else None


def _by_list_frame(s: _Sentence, f: _Figure) -> _Reading | None:
    """"Tỷ lệ … đã kích hoạt, theo từng đơn vị:" then "– Huyện Hoa Lư: 88,3%"."""
    frame = s.discourse.list_frame if s.discourse is not None else None
    return _lean(s, f, frame, How.LIST, f.noun) if frame else None


def _continued(s: _Sentence, f: _Figure) -> _Reading | None:
    """The figure before it in the sentence ("…; con số tài khoản đã kích hoạt tăng lên
    486.600"). Across a semicolon a clause continues the one before only when it says so;
    otherwise it has a subject of its own."""
    if f.source is None:
        return None
    if not (
        f.same_clause
        or (f.partial and f.unit == "count")
        or f.refers_back
        or s.cues.breakdown.search(f.left_text)
    ):
        return None
    return _lean(s, f, f.source.subject, How.CONTINUED, f.subject_noun)


def _by_earlier_figure(s: _Sentence, f: _Figure) -> _Reading | None:
    """A sentence that breaks down or refers back: the last count (for a count) or figure
    of the sentences before in the paragraph."""
    d = s.discourse
    if d is None or not (s.breaks_down or f.refers_back):
        return None
    earlier = d.last_count if f.unit == "count" and d.last_count else d.last_context
    if not earlier:
        return None
    return _lean(s, f, earlier, How.BREAKDOWN if s.breaks_down else How.ANAPHOR, f.subject_noun)


#: Units of the figures a ranking of places measures.
_RANKED_UNITS = ("percent", "mbps")


def _by_ranked_place(s: _Sentence, f: _Figure) -> _Reading | None:
    """"Thành phố Bạc Liêu đạt 94,2%; thị xã Giá Rai 91,3%", "xếp sau Cần Thơ (86,2%)": a
    share that only a place stands before measures what the share before it measured, in
    its sentence or, failing that, in the sentences before it in the paragraph; so does a
    speed ("Đứng thứ hai là Hưng Yên (140,5 Mbps)")."""
    if f.unit not in _RANKED_UNITS:
        return None
    start = clause_start(s.text, s.lo, f.figure.start)
    before = bisect.bisect_right(s.ends, f.figure.start)  # the figures ending before it
    if before:
        start = max(start, s.ends[before - 1])
    ranked = s.cues.ranked_place
    if not ranked.match(s.text, start, f.figure.start):
        comma = s.text.rfind(",", start, f.figure.start)  # "… thứ 8/13 tỉnh, sau Long An ("
        if comma < 0 or not ranked.match(s.text, comma + 1, f.figure.start):
            return None
        start = comma + 1
    frame = _frame_of(s, f)
    own = frame.population_span
    if frame.properties or (
        own is not None and own[0] >= f.figure.end and not frames.names_a_place(frame.population)
    ):
        return None  # "thị xã Giá Rai 91,3% hộ có …": its own words name what it measures
    d = s.discourse
    # its sentence before it ("Bắc Ninh đứng đầu về hộ dùng cáp quang; Bắc Giang đạt 84,5%"),
    # the paragraph's figures before it, or (a ranking opening a paragraph) the last before
    earlier = (d.last_context, d.previous_sentence, d.previous_paragraph) if d else ()
    return _measured_before(s, f, (s.text[s.lo : start], *earlier))


def _by_quota(s: _Sentence, f: _Figure) -> _Reading | None:
    """"… đạt 71,8% …, đã vượt chỉ tiêu 70% mà BHXH Việt Nam giao": a share naming nothing,
    right after the quota word, is the quota of what the share before it measured."""
    if f.unit != "percent" or not ctx.names_a_quota_at(s.text, s.lo, f.figure.start):
        return None
    frame = _frame_of(s, f)
    if frame.properties or frame.population is not None:
        return None
    d = s.discourse
    return _measured_before(s, f, (d.last_context, d.previous_sentence) if d else ())


def _measured_before(s: _Sentence, f: _Figure, earlier: Iterable[str | None]) -> _Reading | None:
    """What a share whose own words name nothing (a place and a rank, a quota word) measures:
    what the last share of its sentence measured ("sau Long An (82,5%) và Bến Tre (80,1%)"),
    else the first of the `earlier` words that names something. Those words alone are its
    subject, so that a long ranking does not pile up places for the next figure to read."""
    share = s.last_measured.get(f.unit)
    if share is not None:
        inherited = _inherited(s, f, share)
        return (inherited[0], How.RANKED, share.subject) if inherited else None
    bare = replace(f, own_text="")  # "huyện Xuân Trường" names no schools
    for words in earlier:
        if words:
            found = _lean(s, bare, words, How.RANKED, f.subject_noun)
            if found:
                # words naming two things ("người hưởng trợ cấp … qua tài khoản … VNeID")
                # do not say which one the share measures
                return (found[0], How.RANKED, words) if len(found[0]) == 1 else None
    return None


def _by_sentence_rest(s: _Sentence, f: _Figure) -> _Reading | None:
    """"… đưa vào vận hành 27 trạm mới, nâng số trạm BTS … lên 96 trạm": the rest of the
    sentence names what the counted thing is (up to a breakdown: what follows "trong đó"
    is a part, not the whole)."""
    if not (f.partial and f.unit == "count"):
        return None
    rest = s.text[f.figure.end : s.hi]
    part = s.cues.breakdown.search(rest)
    return _lean(s, f, rest[: part.start()] if part else rest, How.SENTENCE, f.subject_noun)


def _by_topic(s: _Sentence, f: _Figure) -> _Reading | None:
    """"Đó là các Tổ công nghệ số cộng đồng. Hiện toàn tỉnh có 1.706 tổ …"."""
    d = s.discourse
    if d is None or not d.previous_sentence or not (f.partial or f.refers_back):
        return None
    return _lean(s, f, d.previous_sentence, How.TOPIC, f.subject_noun)


def _by_previous_paragraph(s: _Sentence, f: _Figure) -> _Reading | None:
    """"…\\nCon số này chiếm tỷ trọng 78,3% dân số từ 15 tuổi trở lên."."""
    d = s.discourse
    if d is None or not d.previous_paragraph or not f.refers_back:
        return None
    return _lean(s, f, d.previous_paragraph, How.ANAPHOR, f.subject_noun)


def _by_paragraph_before(s: _Sentence, f: _Figure) -> _Reading | None:
    """"… có 104 tổ với 1.126 thành viên.\\nTrong đó, thị trấn A có 9 tổ với 112 thành
    viên; …": the parts take the subjects of the paragraph they break down."""
    d = s.discourse
    if d is None or not d.paragraph_before or not s.breaks_down:
        return None
    return _lean(s, f, d.paragraph_before, How.BREAKDOWN, f.subject_noun)


_Strategy = Callable[[_Sentence, _Figure], "_Reading | None"]

# The ways to a figure's subject, in order: the first that finds one wins, except that a
# strategy marked True overrides what the ones before it found.
_STRATEGIES: tuple[tuple[_Strategy, bool], ...] = (
    (_by_frame, False),
    (_by_ranked_place, False),
    (_by_quota, False),
    (_by_own_words, False),
    (_by_column, False),
    (_shared_with, True),
    (_by_bracket, False),
    (_by_bracket_clause, False),
    (_by_colon_frame, False),
    (_by_list_head, False),
    (_by_list_frame, False),
    (_continued, False),
    (_by_earlier_figure, False),
    (_by_sentence_rest, False),
    (_by_topic, False),
    (_by_previous_paragraph, False),
    (_by_paragraph_before, False),
)
_LAST_OVERRIDE = max(i for i, (_, overrides) in enumerate(_STRATEGIES) if overrides)


def _subject(s: _Sentence, f: _Figure) -> _Reading | None:
    """The figure's indicators by the first strategy of `_STRATEGIES` that finds some."""
    reading: _Reading | None = None
    for index, (strategy, overrides) in enumerate(_STRATEGIES):
        if reading is not None:
            if index > _LAST_OVERRIDE:
                break
            if not overrides:
                continue
        found = strategy(s, f)
        if found is _REFUSED:
            return None
        if found is not None:
            reading = found
    return reading


def assign(
    text: str,
    lo: int,
    hi: int,
    discourse: Discourse | None = None,
    candidates: Candidates | None = None,
) -> list[Assignment]:
    """Indicators for every figure of the sentence text[lo:hi].

    A figure's own words decide first (see `_own_subject`). A figure whose own words name
    no indicator is read together with the words it leans on, in the order of
    `_STRATEGIES`: its table column's header; the figure before it when a share follows
    its count (explicit, so it wins even over the figure's own words); the words before
    its bracket; the frame before a colon or above a list of lines; the figure before it
    in the sentence; and, for a sentence that breaks down or refers back ("Trong đó, …",
    "tỷ lệ này") or a figure that names only a specific thing ("1.706 tổ"), the sentences
    and paragraph before, as `discourse` remembers them. `candidates`, when given, tells
    the codes whose cues occur in a text (`prefilter.Prefilter.candidates`): only their
    rules are tried.
    """
    figures = [_shift(f, lo) for f in find_figures(text[lo:hi])]
    if not figures:
        return []
    allowed = candidates(text[lo:hi]) if candidates is not None else None
    # The opening is read up to BREAKDOWN_OPENING characters even past the end of a short
    # sentence (as the pipeline and the gate do not): the records depend on it.
    s = _Sentence(
        text, lo, hi, discourse, ruleset(), ctx.cues(), candidates, allowed,
        layout.opens_breakdown(text, lo, len(text)), [], tuple(figures),
        tuple(figure.end for figure in figures),
    )
    for index in range(len(figures)):
        f = _figure_words(s, figures, index)
        if f is None:
            continue
        reading = _subject(s, f)
        if reading is None:
            continue
        indicators, how, words = reading
        noun = f.subject_noun or None
        done = Assignment(f.figure, indicators, how, noun, words, _subject_span(s, f))
        s.done.append(done)
        if done.unit in _RANKED_UNITS:
            s.last_measured[done.unit] = done
    return s.done


def _figure_words(s: _Sentence, figures: list[Figure], index: int) -> _Figure | None:
    """The words around a figure, or None when it is no level of anything (`_no_level`)."""
    text, lo, hi, c = s.text, s.lo, s.hi, s.cues
    figure = figures[index]
    unit = _unit_of(figure)
    qualifier_start = figure.qualifier_span[0] if figure.qualifier_span else figure.start
    left_start = _left_start(text, lo, figures, index)
    left_text = text[left_start:qualifier_start]
    right_end = _right_end(text, hi, figures, index, c)
    noun = _noun_text(text, figure, hi) if unit == "count" else ""
    if _no_level(text, lo, figure, unit, left_text, right_end, noun, c):
        return None
    own_text = text[left_start:right_end]
    source = s.done[-1] if s.done else None
    f = _Figure(
        figure, unit, noun, left_start, qualifier_start, right_end, left_text, own_text,
        source, source is not None and _same_clause(text, source.figure, figure),
        bracket_open(text, look_back(text, lo, figure.start), figure.start), False, noun,
        c.anaphor.search(own_text) is not None,
    )
    f.partial, f.subject_noun = _partial_subject(text, f, left_text, c)
    return f


def _frame_of(s: _Sentence, f: _Figure) -> frames.Frame:
    """The figure's frame, read once and only when asked for."""
    if f.frame is None:
        f.frame = frames.frame_of(s.text, (s.lo, s.hi), f.figure, s.figures)
    return f.frame


def _subject_span(s: _Sentence, f: _Figure) -> tuple[int, int]:
    """The phrase naming what the figure is about: its frame's, or, when the frame names
    nothing, its own words."""
    frame = _frame_of(s, f)
    if frame.population_span or frame.property_spans:
        return frame.subject_span
    return f.left_start, f.right_end


def _no_level(
    text: str, lo: int, figure: Figure, unit: str, left_text: str, right_end: int, noun: str, c
) -> bool:
    """Is this figure no level of anything: a change, a threshold, what is missing, a
    figure abroad, a fraction of people?"""
    after = text[figure.end : figure.end + 40]
    if unit == "percent" and c.not_level_after.search(after):
        return True  # "đạt 164% kế hoạch", "tăng 12% so với cùng kỳ"
    if c.not_level_before.search(left_text):
        return True  # "tăng 12%", "lãi suất 0%", "dân số khoảng 2,76 triệu người"
    start = look_back(text, clause_start(text, lo, figure.start), figure.start)
    if c.threshold.search(text, start, figure.start):
        return True  # "3/11 đơn vị có tỷ lệ … trên 70%", "cứ 10 người … có 9 người"
    if unit == "count" and c.per_unit.search(text, start, figure.start):
        return True  # "mỗi tỉnh có chưa tới mười trạm": a count for each unit, not a total
    if c.remaining_before.search(left_text) and c.negation_after.search(after):
        return True  # "vẫn còn 37 thôn chưa có sóng": what is missing
    if ctx.abroad(text[start:right_end]):
        return True  # "5% người dùng Internet trên toàn thế giới"
    if unit == "count" and figure.denominator and figure.denominator <= 12 and c.people.match(noun):
        return True  # "1/3 người dùng Internet" is a share of people, not a count
    return False


def _partial_subject(text: str, here: _Figure, left_text: str, c) -> tuple[bool, str]:
    """Does the figure name a specific thing but not what about it ("1.706 tổ", "100% thôn
    có tổ hoạt động"), so that the words before may complete it? Also the noun the rules
    should check a count against, which for "số tài khoản đã được kích hoạt là 311.900"
    stands before the figure."""
    figure, noun = here.figure, here.noun
    if here.unit == "count" and noun:
        return c.specific_noun.match(noun.lstrip(" \"'“”")) is not None, noun
    if here.unit == "count":
        named = c.specific_noun.search(left_text)
        return named is not None, (left_text[named.start() :] if named else noun)
    phrase_end = min(here.right_end, figure.end + PHRASE_AFTER_SHARE)
    comma = text.find(",", figure.end, phrase_end)
    found = c.specific_noun.search(text, figure.end, comma if comma >= 0 else phrase_end)
    return found is not None, noun


def _inherit(
    rules: RuleSet, indicators: tuple[str, ...], unit: str, noun: str, left_text: str
) -> tuple[str, ...]:
    """The indicators a figure may take from another: its unit allowed, its noun fitting,
    and none of the indicator's exclusions in the words before the figure."""
    catalogue = load_catalogue()
    out = []
    for code in indicators:
        rule = rules.by_code[code]
        if not catalogue.allows(code, unit) or not _noun_fits(rules, code, unit, noun):
            continue
        if any(p.search(left_text) for p in rule.none):
            continue
        out.append(code)
    return tuple(out)


def _list_head(text: str, lo: int, position: int) -> str:
    """The words before a sentence's first colon, for a figure in a later item of the
    inline list that colon opens ("… như sau: Thị trấn Yên Thế: 98,2%; xã Khánh Thiện: 95%"):
    an item whose own label names no subject ("xã Khánh Thiện") takes the list's."""
    semicolon = text.rfind(";", lo, position)
    if semicolon < 0:
        return ""
    colon = text.find(":", lo, semicolon)
    return text[lo:colon] if colon >= 0 else ""


def _colon_frame(text: str, lo: int, position: int) -> str:
    """The words before the last colon ahead of a figure, back to the clause start: a label
    ("Số thuê bao băng rộng cố định: 28,4 …") or a list's frame ("… phân hóa rõ: …")."""
    colon = text.rfind(":", lo, position)
    if colon < 0:
        return ""
    start = clause_start(text, lo, colon)
    if start > colon:  # the colon opened a list whose items are separated by ";"
        start = lo
    frame = text[start:colon]
    if not frame.strip():
        # "…; băng rộng di động: 89,1 …" has its label after the semicolon only.
        frame = text[lo:colon]
    return frame


def _own_subject(
    text: str,
    here: _Figure,
    sentence: tuple[int, int],
    left_text: str,
    rules: RuleSet,
    c,
    allowed: frozenset[str] | None = None,
) -> tuple[tuple[str, ...], str]:
    """The figure's indicators from its own words: the subject's side first, then both
    sides at once, for subjects whose words stand on either side of the figure. Both sides
    also win when they refine the first reading ("kích hoạt 158.400 tài khoản định danh
    điện tử": activated accounts, not accounts)."""
    figure = here.figure
    openers = list(c.subject_opener.finditer(left_text))
    left_first = bool(c.linking_end.search(left_text) or openers)
    both_start = here.left_start
    if left_first:
        # The subject starts at its opener: "Thông qua chương trình của các doanh nghiệp …,
        # số người dân được cấp chữ ký số … đã tăng lên" is about people, not businesses.
        start = here.left_start + openers[-1].start() if openers else here.left_start
        primary = ("left", start, here.left_end)
    else:
        primary = ("right", figure.end, here.right_end)
        # Before a figure whose subject follows it, words before "và" belong to the figure
        # before ("100% trường thu học phí … và tối thiểu 60 trường dạy học kết hợp …").
        joint = c.last_joint.search(text, here.left_start, here.left_end)
        if joint:
            both_start = joint.end()
    first = classify(text, primary[1], primary[2], sentence, here.unit, here.noun, rules, allowed)
    both = classify(
        text, both_start, here.right_end, sentence, here.unit, here.noun, rules, allowed
    )
    if first and both and _refines(rules, both, first):
        return both, "both"
    if first:
        return first, primary[0]
    return (both, "both") if both else ((), "")


def _refines(rules: RuleSet, finer: tuple[str, ...], coarser: tuple[str, ...]) -> bool:
    """Every coarser reading is overridden by one of the finer readings."""
    overrides = set().union(*(r.overrides for r in rules.rules if r.indicator in finer))
    return all(code in overrides for code in coarser)


def _same_clause(text: str, first: Figure, second: Figure) -> bool:
    return ";" not in text[first.end : second.start]


def _noun_fits(rules: RuleSet, indicator: str, unit: str, noun: str) -> bool:
    if unit != "count" or not noun:
        return True
    rule = rules.by_code[indicator]
    return rule.count_nouns is None or rule.count_nouns.search(noun) is not None


def _shift(figure: Figure, offset: int) -> Figure:
    """The figure with every offset moved by `offset` (figures are found per sentence)."""

    def moved(span):
        return None if span is None else (span[0] + offset, span[1] + offset)

    return replace(
        figure,
        start=figure.start + offset,
        end=figure.end + offset,
        qualifier_span=moved(figure.qualifier_span),
        noun_start=None if figure.noun_start is None else figure.noun_start + offset,
        noun_end=None if figure.noun_end is None else figure.noun_end + offset,
    )
