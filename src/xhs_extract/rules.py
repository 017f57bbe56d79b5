"""Rule extractor: which catalogue indicator each figure of a sentence measures.

A sentence's figures come from the number grammar (`numbers.find_figures`). Each figure's
subject is looked for on one side first: on the left when the words before it link a
subject to it ("tỷ lệ … đạt 92%"), on the right otherwise ("73,1% hộ gia đình …",
"706.105 người …"). The phrasing rules of `patterns/phrasings.yaml` then name the
indicator(s). A figure with no subject of its own may share the subject of the figure
before it ("26.000 hộ …, đạt hơn 97%"; "(cuối năm 2021 là 71%)"; breakdowns after
"Trong đó"). Everything here works on the normalised text of one sentence.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Iterable

import regex

from xhs_extract import context as ctx
from xhs_extract.catalogue import Catalogue, load_catalogue
from xhs_extract.numbers import Figure, find_figures
from xhs_extract.resources import load_yaml

_FLAGS = regex.IGNORECASE | regex.UNICODE
_CUE_REF = regex.compile(r"@(\w+)")
_WORD = regex.compile(r"\w+", regex.UNICODE)
_CLAUSE_BREAK = regex.compile(r"[;]")
_FRAME_BREAK = regex.compile(r"[;:]")
RIGHT_WINDOW = 160
LEFT_WINDOW = 240


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
    gate: regex.Pattern


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
    rules: list[Rule] = []
    literals: list[str] = []
    for code, spec in data["indicators"].items():
        if code not in catalogue:
            raise KeyError(f"phrasings.yaml names indicator {code!r}, which the catalogue lacks")
        for other in spec.get("overrides", []) or []:
            if other not in catalogue:
                raise KeyError(f"{code} overrides unknown indicator {other!r}")

        def compiled(expressions: Iterable[str]) -> tuple[regex.Pattern, ...]:
            out = []
            for expression in expressions:
                expanded = _expand(_normalise_pattern(expression), cues)
                out.append(regex.compile(ctx.word_pattern(expanded), _FLAGS))
            return tuple(out)

        nouns = spec.get("count_nouns")
        noun_pattern = None
        if nouns:
            alternation = "|".join(_expand(_normalise_pattern(n), cues) for n in nouns)
            noun_pattern = regex.compile(
                r"^[\s\"'“”‘’]*(?:các |những |lượt )?" + ctx.word_pattern(alternation), _FLAGS
            )
        rule = Rule(
            indicator=code,
            all=compiled(spec.get("all", []) or []),
            sentence=compiled(spec.get("sentence", []) or []),
            none=compiled(spec.get("none", []) or []),
            count_nouns=noun_pattern,
            overrides=frozenset(spec.get("overrides", []) or []),
        )
        rules.append(rule)
        literals.extend(_expand(_normalise_pattern(e), cues) for e in spec.get("all", []) or [])
    gate = regex.compile(ctx.word_pattern("|".join(f"(?:{x})" for x in literals)), _FLAGS)
    return RuleSet(rules=tuple(rules), gate=gate)


@functools.lru_cache(maxsize=1)
def ruleset() -> RuleSet:
    return compile_rules(load_yaml("phrasings.yaml"), load_catalogue())


_DIGIT_OR_WORD = regex.compile(r"\d|phần trăm", _FLAGS)


def gate(text: str) -> bool:
    """Cheap test: may this text hold a catalogue statistic at all?"""
    return bool(_DIGIT_OR_WORD.search(text)) and bool(ruleset().gate.search(text))


@dataclass
class Assignment:
    """A figure with the indicators it measures, before status, period and place."""

    figure: Figure
    indicators: tuple[str, ...]
    how: str  # left | right | shared | breakdown
    noun: str | None = None
    extras: dict = field(default_factory=dict)


@dataclass
class SentenceState:
    """What a sentence leaves for the next one: its last classified counts, for breakdowns."""

    counts: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


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
) -> tuple[str, ...]:
    """Indicators whose rules match a figure with its subject in text[start:end], in the
    sentence text[sentence[0]:sentence[1]]."""
    catalogue = load_catalogue()
    matched: list[Rule] = []
    for rule in rules.rules:
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


def _noun_text(text: str, figure: Figure) -> str:
    if figure.noun_start is not None and figure.noun_end is not None:
        return text[figure.noun_start : figure.noun_end + 40]
    return text[figure.end : figure.end + 60]


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
        before_next = text[figure.end : (nxt.qualifier_span or (nxt.start, 0))[0]]
        if (
            _unit_of(nxt) == unit
            or c.linking_end.search(before_next)
            or "(" in between
        ):
            end = nxt.start
            break
    opener = regex.search(r",\s*(?=" + c.subject_opener.pattern + ")", text[figure.end : end], _FLAGS)
    if opener:
        end = figure.end + opener.start()
    return end


def assign(
    text: str, lo: int, hi: int, state: SentenceState | None = None
) -> list[Assignment]:
    """Indicators for every figure of the sentence text[lo:hi]."""
    rules = ruleset()
    c = ctx.cues()
    figures = [f for f in find_figures(text[lo:hi])]
    figures = [_shift(f, lo) for f in figures]
    out: list[Assignment] = []
    previous: list[Assignment] = []
    for index, figure in enumerate(figures):
        unit = _unit_of(figure)
        after = text[figure.end : figure.end + 40]
        qualifier_start = figure.qualifier_span[0] if figure.qualifier_span else figure.start
        if c.not_level_after.search(after) and unit == "percent":
            continue
        left_start = _left_start(text, lo, figures, index)
        left_text = text[left_start:qualifier_start]
        if unit == "percent" and c.not_level_before.search(left_text):
            continue
        right_end = _right_end(text, hi, figures, index, c)
        noun = _noun_text(text, figure) if unit == "count" else ""
        left_first = bool(c.linking_end.search(left_text) or c.subject_opener.search(left_text))
        # The subject's side first; failing that, both sides at once, for subjects whose
        # words stand on either side of the figure ("… định danh điện tử, trong đó 300.000
        # tài khoản đã kích hoạt").
        primary = ("left", left_start, qualifier_start) if left_first else ("right", figure.end, right_end)
        sides = [primary, ("both", left_start, right_end)]
        indicators: tuple[str, ...] = ()
        how = ""
        for name, a, b in sides:
            indicators = classify(text, a, b, (lo, hi), unit, noun, rules)
            if indicators:
                how = name
                break
        if not indicators and previous:
            in_bracket = _bracket_open(text, lo, figure.start) >= 0
            if in_bracket or c.share_link_end.search(left_text):
                source = previous[-1]
                catalogue = load_catalogue()
                indicators = tuple(i for i in source.indicators if catalogue.allows(i, unit))
                how = "shared"
        if not indicators and unit == "count" and state is not None:
            if c.breakdown.search(text, lo, figure.start):
                head = _head_noun(noun)
                for noun_head, source_indicators in reversed(state.counts):
                    if head and noun_head == head:
                        indicators = source_indicators
                        how = "breakdown"
                        break
        if not indicators:
            continue
        assignment = Assignment(figure=figure, indicators=indicators, how=how, noun=noun or None)
        out.append(assignment)
        previous.append(assignment)
        if state is not None and unit == "count":
            head = _head_noun(noun)
            if head:
                state.counts.append((head, indicators))
    return out


def _head_noun(noun_text: str) -> str:
    words = _WORD.findall(noun_text.lower())[:2]
    return " ".join(words)


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
