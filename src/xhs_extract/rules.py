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

import functools
import re
from dataclasses import dataclass, field
from typing import Iterable

import regex

from xhs_extract import context as ctx
from xhs_extract.catalogue import Catalogue, load_catalogue
from xhs_extract.numbers import Figure, find_figures
from xhs_extract.resources import load_yaml

_FLAGS = regex.IGNORECASE | regex.UNICODE
_CUE_REF = regex.compile(r"@(\w+)")
_CLAUSE_BREAK = regex.compile(r"[;]")
_FRAME_BREAK = regex.compile(r"[;:]")
RIGHT_WINDOW = 160
LEFT_WINDOW = 240
PHRASE_AFTER_SHARE = 30


def _normalise_pattern(text: str) -> str:
    try:
        from xhs_extract.normalise import normalise_phrase
    except ImportError:  # the normalise stage is optional for pattern loading in tests
        return text
    return normalise_phrase(text)


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


def compile_rules(data: dict, catalogue: Catalogue) -> RuleSet:
    """Phrasing data -> compiled rules; every indicator code must be in the catalogue."""
    cues = {name: _normalise_pattern(expr) for name, expr in data["cues"].items()}
    patterns: dict[str, regex.Pattern] = {}  # one compiled pattern per distinct expression

    def compiled(expressions: Iterable[str]) -> tuple[regex.Pattern, ...]:
        out = []
        for expression in expressions:
            expanded = _expand(_normalise_pattern(expression), cues)
            if expanded not in patterns:
                patterns[expanded] = regex.compile(ctx.word_pattern(expanded), _FLAGS)
            out.append(patterns[expanded])
        return tuple(out)

    rules: list[Rule] = []
    for code, spec in data["indicators"].items():
        if code not in catalogue:
            raise KeyError(f"phrasings.yaml names indicator {code!r}, which the catalogue lacks")
        for other in spec.get("overrides", []) or []:
            if other not in catalogue:
                raise KeyError(f"{code} overrides unknown indicator {other!r}")
        nouns = spec.get("count_nouns")
        noun_pattern = None
        if nouns:
            alternation = "|".join(_expand(_normalise_pattern(n), cues) for n in nouns)
            noun_pattern = regex.compile(
                r"^[\s\"'“”‘’]*(?:các |những |lượt )?" + ctx.word_pattern(alternation), _FLAGS
            )
        rules.append(
            Rule(
                indicator=code,
                all=compiled(spec.get("all", []) or []),
                sentence=compiled(spec.get("sentence", []) or []),
                none=compiled(spec.get("none", []) or []),
                count_nouns=noun_pattern,
                overrides=frozenset(spec.get("overrides", []) or []),
            )
        )
    return RuleSet(rules=tuple(rules))


@functools.lru_cache(maxsize=1)
def ruleset() -> RuleSet:
    return compile_rules(load_yaml("phrasings.yaml"), load_catalogue())


_DIGIT = re.compile(r"\d|phần trăm", re.IGNORECASE)


def gate(text: str, utf8: bytes | None = None) -> bool:
    """May this text hold a catalogue statistic at all? (The prefilter derived from the
    rules: sound, and one pass over the text; `utf8` is the text's UTF-8 bytes, if known.)"""
    from xhs_extract.prefilter import prefilter

    return prefilter().may_match(text, utf8)


@dataclass
class Assignment:
    """A figure with the indicators it measures, before status, period and place."""

    figure: Figure
    indicators: tuple[str, ...]
    how: str  # left | right | both | shared | bracket | frame | continued | breakdown | anaphor
    noun: str | None = None


@dataclass
class SentenceState:
    """What a sentence leaves for the next ones: the words around its last classified count
    (a later "Trong đó" breaks that total down) and its period."""

    last_count: str | None = None
    last_context: str | None = None
    last_period: str | None = None
    previous_sentence: str | None = None  # the paragraph's last two sentences, joined
    previous_paragraph: str | None = None  # the last figure's words in the paragraph before
    paragraph_before: str | None = None  # that paragraph, when figures were read in it
    recent: list[str] = field(default_factory=list)
    columns: tuple[str, ...] | None = None  # the header cells of a table being read
    row_start: int = 0
    list_frame: str | None = None  # the paragraph ending in ":" above a list of lines

    def reset(self) -> None:
        """A new paragraph: nothing carries over (a table's header excepted), but a
        reference at its start may reach the last figure of the paragraph just before
        ("…\nCon số này chiếm tỷ trọng 78,3% …")."""
        self.previous_paragraph = self.last_context
        self.last_count = self.last_context = self.last_period = self.previous_sentence = None
        self.recent = []

    def remember(self, sentence: str) -> None:
        """The paragraph's last two sentences: the topic a later figure may refer back to
        ("Điểm mới là dịch vụ tư vấn sức khoẻ từ xa. … đã có 1.150 người dân sử dụng dịch
        vụ này")."""
        self.recent = (self.recent + [sentence])[-2:]
        self.previous_sentence = " ".join(self.recent)


_CELL_BREAK = regex.compile(r"\||\t")


def column_header(state: SentenceState | None, text: str, position: int) -> str:
    """The header of the table column a position falls in, or ""."""
    if state is None or state.columns is None:
        return ""
    column = len(_CELL_BREAK.findall(text, state.row_start, position))
    return state.columns[column] if column < len(state.columns) else ""


def may_continue(state: SentenceState, text: str, start: int, end: int) -> bool:
    """A text with no cue of its own may still lean on the sentence before it: a breakdown
    ("… 11.907 hồ sơ. Trong đó, 3.979 hồ sơ …") or a reference ("tỷ lệ này")."""
    if _DIGIT.search(text, start, end) is None:
        return False
    c = ctx.cues()
    if state.columns is not None or state.list_frame is not None:
        return True  # a table's row or a list's line: its subject is above it
    if state.last_context is None and state.previous_sentence is None:
        return state.previous_paragraph is not None and (
            c.anaphor.search(text, start, end) is not None
            or c.breakdown.search(text, start, min(end, start + 24)) is not None
        )
    return bool(
        c.breakdown.search(text, start, end)
        or c.anaphor.search(text, start, end)
        or c.specific_noun.search(text, start, end)
    )


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


_STARTS_WITH_WORD = regex.compile(r"^[\s\"'“”‘’]*[^\W\d_]", regex.UNICODE)  # a letter, not a number


def _noun_text(text: str, figure: Figure, hi: int) -> str:
    """The words a count counts, within its sentence; empty when none follow ("… 2G only
    còn 85.000.")."""
    if figure.noun_start is not None and figure.noun_end is not None:
        return text[figure.noun_start : min(hi, figure.noun_end + 40)]
    following = text[figure.end : min(hi, figure.end + 60)]
    return following if _STARTS_WITH_WORD.match(following) else ""


def _bracket_open(text: str, lo: int, position: int) -> int:
    """Start of the bracket the position is inside (within text[lo:position]), or -1."""
    depth = 0
    for i in range(position - 1, lo - 1, -1):
        char = text[i]
        if char == ")":
            depth += 1
        elif char == "(":
            if depth == 0:
                return i
            depth -= 1
    return -1


def _left_start(text: str, lo: int, figures: list[Figure], index: int) -> int:
    figure = figures[index]
    start = max(lo, figure.start - LEFT_WINDOW)
    if index > 0:
        start = max(start, figures[index - 1].end)
    for match in _FRAME_BREAK.finditer(text, start, figure.start):
        start = match.end()
    bracket = _bracket_open(text, start, figure.start)
    if bracket >= 0:
        start = bracket + 1
    return start


def _right_end(text: str, hi: int, figures: list[Figure], index: int, c: ctx.ContextCues) -> int:
    figure = figures[index]
    end = min(hi, figure.end + RIGHT_WINDOW)
    stop = _CLAUSE_BREAK.search(text, figure.end, end)
    if stop:
        end = stop.start()
    if _bracket_open(text, max(0, figure.start - 80), figure.start) >= 0:
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


@dataclass
class _Context:
    """The words around one figure that may name its subject."""

    figure: Figure
    unit: str
    noun: str
    left_start: int
    left_end: int
    right_end: int
    text: str = ""  # the words its indicators were read from


def assign(
    text: str, lo: int, hi: int, state: SentenceState | None = None
) -> list[Assignment]:
    """Indicators for every figure of the sentence text[lo:hi].

    A figure's own words decide first (see `_own_subject`). A figure whose own words name
    no indicator is read together with the words it leans on, in this order: its table
    column's header; the figure before it when a share follows its count ("68.000 công dân
    kích hoạt …, đạt tỷ lệ 83,36%", explicit, so it wins even over the figure's own words);
    the words before its bracket ("phủ kín khu vực dân cư (99,6%)"); the frame before a
    colon ("tỷ lệ hồ sơ … phân hóa rõ: huyện Bình Sơn 72%") or above a list of lines; the
    figure before it in the sentence ("…; con số tài khoản đã kích hoạt tăng lên 486.600");
    and, for a sentence that breaks down or refers back ("Trong đó, …", "tỷ lệ này") or a
    figure that names only a specific thing ("1.706 tổ"), the sentences before.
    """
    rules = ruleset()
    c = ctx.cues()
    figures = [_shift(f, lo) for f in find_figures(text[lo:hi])]
    if not figures:
        return []
    from xhs_extract.prefilter import prefilter

    candidates = prefilter().candidates
    allowed = candidates(text[lo:hi])
    out: list[Assignment] = []
    previous: list[tuple[Assignment, _Context]] = []
    sentence_refers_back = bool(c.breakdown.search(text[lo : lo + 24]))
    for index, figure in enumerate(figures):
        unit = _unit_of(figure)
        qualifier_start = figure.qualifier_span[0] if figure.qualifier_span else figure.start
        left_start = _left_start(text, lo, figures, index)
        left_text = text[left_start:qualifier_start]
        right_end = _right_end(text, hi, figures, index, c)
        noun = _noun_text(text, figure, hi) if unit == "count" else ""
        if _no_level(text, lo, figure, unit, left_text, right_end, noun, c):
            continue
        here = _Context(figure, unit, noun, left_start, qualifier_start, right_end)
        own_text = text[left_start:right_end]
        here.text = own_text
        indicators, how = _own_subject(text, here, (lo, hi), left_text, rules, c, allowed)

        def leaning_on(other: str, name: str) -> tuple[tuple[str, ...], str]:
            combined = own_text + " ; " + other
            found = classify(
                combined, 0, len(combined), (0, len(combined)), unit, noun, rules, candidates(combined)
            )
            if found:
                here.text = combined
            return found, name

        if not indicators and state is not None and state.columns is not None:
            # A table's cell takes its subject from its column's header.
            header = column_header(state, text, figure.start)
            if header.strip():
                indicators, how = leaning_on(header, "column")
        source = previous[-1] if previous else None
        same_clause = source is not None and _same_clause(text, source[0].figure, figure)
        if same_clause and c.share_link_end.search(left_text) and source[1].unit != unit:
            inherited = _inherit(rules, source[0].indicators, unit, noun, left_text)
            if inherited:
                indicators, how = inherited, "shared"
                here.text = own_text + " ; " + source[1].text
        bracket = _bracket_open(text, lo, figure.start)
        if not indicators and bracket >= 0:
            # "tỷ lệ hộ dùng cáp quang (87,5%), tỷ lệ … được phủ sóng 4G (100%)": the words
            # right before the bracket, back to the figure before, are its subject.
            start = _clause_start_before(text, lo, bracket)
            if previous:
                start = max(start, previous[-1][0].figure.end)
            indicators, how = leaning_on(text[start:bracket], "bracket")
        if not indicators and bracket >= 0:
            if same_clause:
                indicators = _inherit(rules, source[0].indicators, unit, noun, left_text)
                how = "shared"
                here.text = own_text + " ; " + source[1].text
            else:
                clause = text[_clause_start_before(text, lo, bracket) : bracket]
                indicators, how = leaning_on(clause, "bracket")
        if not indicators:
            frame = _colon_frame(text, lo, figure.start)
            if frame:
                indicators, how = leaning_on(frame, "frame")
        if not indicators:
            head = _list_head(text, lo, figure.start)
            if head:
                indicators, how = leaning_on(head, "frame")
        if not indicators and state is not None and state.list_frame:
            # "Tỷ lệ … đã kích hoạt, theo từng đơn vị:" then "– Huyện Hoa Lư: 88,3%".
            indicators, how = leaning_on(state.list_frame, "list")
        # Across a semicolon a clause continues the one before only when it says so
        # ("…; con số tài khoản đã kích hoạt …"): otherwise it has a subject of its own.
        partial, noun = _partial_subject(text, here, left_text, c)
        refers_back = c.anaphor.search(own_text) is not None
        if not indicators and source is not None and (
            same_clause
            or (partial and unit == "count")
            or refers_back
            or c.breakdown.search(left_text)
        ):
            indicators, how = leaning_on(source[1].text, "continued")
        if not indicators and state is not None and (sentence_refers_back or refers_back):
            earlier = state.last_count if unit == "count" and state.last_count else state.last_context
            if earlier:
                indicators, how = leaning_on(earlier, "breakdown" if sentence_refers_back else "anaphor")
        if not indicators and partial and unit == "count":
            # "… đưa vào vận hành 27 trạm mới, nâng số trạm BTS … lên 96 trạm": the rest of
            # the sentence names what the counted thing is (up to a breakdown: what follows
            # "trong đó" is a part, not the whole).
            rest = text[figure.end : hi]
            part = c.breakdown.search(rest)
            indicators, how = leaning_on(rest[: part.start()] if part else rest, "sentence")
        if not indicators and state is not None and state.previous_sentence and (partial or refers_back):
            # "Đó là các Tổ công nghệ số cộng đồng. Hiện toàn tỉnh có 1.706 tổ …"
            indicators, how = leaning_on(state.previous_sentence, "topic")
        if not indicators and state is not None and state.previous_paragraph and refers_back:
            # "…\nCon số này chiếm tỷ trọng 78,3% dân số từ 15 tuổi trở lên."
            indicators, how = leaning_on(state.previous_paragraph, "anaphor")
        if not indicators and state is not None and state.paragraph_before and sentence_refers_back:
            # "… có 104 tổ với 1.126 thành viên.\nTrong đó, thị trấn A có 9 tổ với 112 thành
            # viên; …": the parts take the subjects of the paragraph they break down.
            indicators, how = leaning_on(state.paragraph_before, "breakdown")
        if not indicators:
            continue
        assignment = Assignment(figure=figure, indicators=indicators, how=how, noun=noun or None)
        out.append(assignment)
        previous.append((assignment, here))
    if state is not None:
        # What the next sentences of the paragraph may lean on: this sentence's last
        # figure, and its last count (a "Trong đó" sentence breaks a total count down).
        if previous:
            state.last_context = previous[-1][1].text
            counts = [ctx_ for _, ctx_ in previous if ctx_.unit == "count"]
            state.last_count = counts[-1].text if counts else None
    return out


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
    clause_start = _clause_start_before(text, lo, figure.start)
    if c.threshold.search(text, clause_start, figure.start):
        return True  # "3/11 đơn vị có tỷ lệ … trên 70%", "cứ 10 người … có 9 người"
    if unit == "count" and c.per_unit.search(text, clause_start, figure.start):
        return True  # "mỗi tỉnh có chưa tới mười trạm": a count for each unit, not a total
    if c.remaining_before.search(left_text) and c.negation_after.search(after):
        return True  # "vẫn còn 37 thôn chưa có sóng": what is missing
    if ctx.abroad(text[clause_start:right_end]):
        return True  # "5% người dùng Internet trên toàn thế giới"
    if unit == "count" and figure.denominator and figure.denominator <= 12 and c.people.match(noun):
        return True  # "1/3 người dùng Internet" is a share of people, not a count
    return False


def _partial_subject(text: str, here: _Context, left_text: str, c) -> tuple[bool, str]:
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


def _clause_start_before(text: str, lo: int, position: int) -> int:
    semicolon = text.rfind(";", lo, position)
    return lo if semicolon < 0 else semicolon + 1


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
    start = _clause_start_before(text, lo, colon)
    if start > colon:  # the colon opened a list whose items are separated by ";"
        start = lo
    frame = text[start:colon]
    if not frame.strip():
        # "…; băng rộng di động: 89,1 …" has its label after the semicolon only.
        frame = text[lo:colon]
    return frame


def _own_subject(
    text: str,
    here: _Context,
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
        joint = _LAST_AND.search(text, here.left_start, here.left_end)
        if joint:
            both_start = joint.end()
    first = classify(text, primary[1], primary[2], sentence, here.unit, here.noun, rules, allowed)
    both = classify(text, both_start, here.right_end, sentence, here.unit, here.noun, rules, allowed)
    if first and both and _refines(rules, both, first):
        return both, "both"
    if first:
        return first, primary[0]
    return (both, "both") if both else ((), "")


_LAST_AND = regex.compile(r"(?:\svà\s|;)(?!.*(?:\svà\s|;))", regex.DOTALL)


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
    from dataclasses import replace

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
