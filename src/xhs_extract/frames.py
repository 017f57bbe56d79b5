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

import functools
from dataclasses import dataclass
from typing import Sequence

import regex

from xhs_extract.catalogue import load_catalogue
from xhs_extract.language import populations_data, properties_data
from xhs_extract.normalise import normalise_phrase
from xhs_extract.numbers import Figure

_FLAGS = regex.IGNORECASE | regex.UNICODE | regex.V0
_CLAUSE_BREAK = regex.compile(r"[;\n]")
NONE = "none"  # the population or property class of a frame that names none
ANY = "any"  # in an indicator's frame: any property, or none


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
    follows), or none.
    """

    population: str | None
    population_span: tuple[int, int] | None
    properties: tuple[str, ...]
    property_spans: tuple[tuple[int, int], ...]
    subject_span: tuple[int, int]
    how: str
    negative: bool = False  # the population lacks the property ("thôn chưa có sóng")
    opinion: bool = False  # a survey's answer about the population ("… cho rằng")

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
    groups = "|".join(f"(?P<c{i}>{_alternation(phrases)})" for i, (_, phrases) in enumerate(classes))
    pattern = regex.compile(head + r"(?<!\w)(?:" + groups + r")(?!\w)", _FLAGS)
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
    return regex.compile(
        r"(?<!\w)(?:" + _alternation(populations_data().rate_markers) + r")(?!\w)", _FLAGS
    )


@functools.cache
def _properties() -> _Lexicon:
    return _lexicon([(c.name, c.phrases) for c in properties_data().classes])


@functools.cache
def _implied() -> dict[str, str]:
    return {c.name: c.implies for c in populations_data().classes if c.implies}


@functools.cache
def _property_kinds() -> tuple[dict[str, tuple[str, ...]], frozenset[str], frozenset[str]]:
    classes = properties_data().classes
    return (
        {c.name: c.subsumes for c in classes},
        frozenset(c.name for c in classes if c.negative),
        frozenset(c.name for c in classes if c.opinion),
    )


def _class_of(lexicon: _Lexicon, m: regex.Match) -> Match:
    name = lexicon.names[int(m.lastgroup[1:])]
    return Match(name, m.start(m.lastgroup), m.end(m.lastgroup))


def populations_in(text: str, start: int, end: int) -> list[Match]:
    """The population phrases of text[start:end], left to right."""
    lexicon = _populations()
    return [_class_of(lexicon, m) for m in lexicon.pattern.finditer(text, start, end)]


def properties_in(text: str, start: int, end: int) -> list[Match]:
    """The property phrases of text[start:end], left to right."""
    lexicon = _properties()
    return [_class_of(lexicon, m) for m in lexicon.pattern.finditer(text, start, end)]


def clause_bounds(text: str, start: int, end: int, position: int) -> tuple[int, int]:
    """The clause of text[start:end] holding `position`: cut at semicolons and line breaks."""
    lo = start
    for m in _CLAUSE_BREAK.finditer(text, start, position):
        lo = m.end()
    found = _CLAUSE_BREAK.search(text, position, end)
    return lo, (found.start() if found else end)


def _head(text: str, figure: Figure, limit: int) -> Match | None:
    """The population named right after the figure (its head noun)."""
    after = figure.noun_start if figure.noun_start is not None else figure.end
    lexicon = _head_nouns()
    m = lexicon.pattern.match(text, min(after, figure.end), limit)
    if m is None and after != figure.end:
        m = lexicon.pattern.match(text, after, limit)
    return _class_of(lexicon, m) if m else None


def _left(text: str, lo: int, hi: int) -> tuple[Match | None, int | None]:
    """The population named in text[lo:hi] for a figure at hi, and where a rate's subject
    opens ("tỷ lệ …"): the first population after the last rate marker, else the last one."""
    marker = None
    for m in _rate_markers().finditer(text, lo, hi):
        marker = m.start()
    found = populations_in(text, marker if marker is not None else lo, hi)
    if marker is not None and found:
        return found[0], marker
    return (found[-1] if found else None), marker


def _bracket_host(text: str, lo: int, position: int) -> int | None:
    """Where the bracket holding `position` opens, if it opens within text[lo:position]."""
    depth = 0
    for i in range(position - 1, lo - 1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                return i
            depth -= 1
    return None


@dataclass
class _Found:
    population: Match | None
    how: str
    marker: int | None = None
    host: Figure | None = None  # the figure whose population this share inherits


def _population(text: str, lo: int, figure: Figure, before: Sequence[Figure], limit: int) -> _Found:
    head = _head(text, figure, limit)
    if head is not None:
        return _Found(head, "noun")
    start = before[-1].noun_end or before[-1].end if before else lo
    bracket = _bracket_host(text, start, figure.start)
    inner = bracket + 1 if bracket is not None else start
    left, marker = _left(text, inner, figure.start)
    if left is not None:
        return _Found(left, "rate" if marker is not None else "left", marker)
    for host in reversed(before):
        host_head = _head(text, host, figure.start)
        if host_head is not None:
            return _Found(host_head, "count", marker, host)
    wide, wide_marker = _left(text, lo, start)
    if wide is not None:
        return _Found(wide, "left", marker if marker is not None else wide_marker)
    return _Found(None, NONE, marker)


def _regions(
    found: _Found, figure: Figure, lo: int, hi: int, before: Sequence[Figure], nxt: int
) -> list[tuple[int, int]]:
    """Where to look for the property, nearest first."""
    start = before[-1].noun_end or before[-1].end if before else lo
    noun_end = found.population.end if found.population is not None else figure.end
    if found.how == "noun":
        return [(noun_end, nxt), (start, figure.start), (lo, figure.start), (noun_end, hi)]
    if found.how == "count" and found.host is not None:
        return [(found.host.end, figure.start), (lo, figure.start), (figure.end, nxt)]
    near = found.marker if found.marker is not None else start
    if found.population is not None:
        near = min(near, found.population.start)
    return [(near, figure.start), (lo, figure.start), (figure.end, nxt)]


def _pick_properties(
    text: str, regions: list[tuple[int, int]], population: Match | None
) -> list[Match]:
    """The properties of the nearest region holding any (outside the population phrase)."""
    for start, end in regions:
        if start >= end:
            continue
        found = [
            m for m in properties_in(text, start, end)
            if population is None or m.end <= population.start or m.start >= population.end
        ]
        if found:
            return found
    return []


def _reduce(found: list[Match]) -> list[Match]:
    """Distinct classes, in order, without those a more specific one present subsumes."""
    subsumes, _, _ = _property_kinds()
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
    lo, hi = clause_bounds(text, bounds[0], bounds[1], figure.start)
    before = [f for f in figures if lo <= f.start and f.end <= figure.start]
    later = [f.start for f in figures if f.start >= figure.end and f.end <= hi]
    nxt = min(later) if later else hi
    found = _population(text, lo, figure, before, nxt)
    population = found.population
    props = _reduce(_pick_properties(text, _regions(found, figure, lo, hi, before, nxt), population))
    names = [m.name for m in props]
    if not names and population is not None and population.name in _implied():
        names = [_implied()[population.name]]
    _, negatives, opinions = _property_kinds()
    spans = [s for s in (_span(population), *((m.start, m.end) for m in props)) if s is not None]
    if figure.noun_start is not None and figure.noun_end is not None:
        spans.append((figure.noun_start, figure.noun_end))
    if found.how == "rate" and found.marker is not None:
        spans.append((found.marker, found.marker))
    subject = (
        (min(s for s, _ in spans), max(e for _, e in spans)) if spans else (figure.start, figure.end)
    )
    return Frame(
        population=population.name if population is not None else None,
        population_span=_span(population),
        properties=tuple(names),
        property_spans=tuple((m.start, m.end) for m in props),
        subject_span=subject,
        how=found.how,
        negative=any(n in negatives for n in names),
        opinion=any(n in opinions for n in names),
    )


def _span(m: Match | None) -> tuple[int, int] | None:
    return (m.start, m.end) if m is not None else None


@functools.cache
def _accepting() -> dict[str, tuple[tuple[str, frozenset[str], frozenset[str]], ...]]:
    """population class -> (code, units, property classes) of the indicators accepting it."""
    table: dict[str, list[tuple[str, frozenset[str], frozenset[str]]]] = {}
    for code, indicator in load_catalogue().indicators.items():
        units = frozenset(indicator.units)
        for alternative in indicator.frame:
            properties = frozenset(alternative.get("properties", ()))
            for population in alternative.get("populations", ()):
                table.setdefault(population, []).append((code, units, properties))
    return {population: tuple(entries) for population, entries in table.items()}


def indicators_for(frame: Frame, unit: str | None) -> tuple[str, ...]:
    """The catalogue codes whose frame accepts this one and whose units hold `unit`
    (none for a population no indicator accepts, a lacking property or a survey answer)."""
    if frame.negative or frame.opinion:
        return ()
    unit = unit or "count"
    have = set(frame.properties) or {NONE}
    codes: list[str] = []
    for code, units, properties in _accepting().get(frame.population or NONE, ()):
        if unit in units and code not in codes and (ANY in properties or have & properties):
            codes.append(code)
    return tuple(codes)
