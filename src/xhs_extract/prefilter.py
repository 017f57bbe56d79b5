"""A sound, fast prefilter for the rule cascade, derived automatically from the rules.

In the spirit of RE2's FilteredRE2: every cue regex of `patterns/phrasings.yaml` is walked
(through the standard library's regex parser) to a *requirement*: an AND/OR tree of literal
strings that any match of the cue must contain. A rule's requirement is the AND of
  - its `all` cues and its `sentence` cues (all must match inside the text to fire);
  - a figure in a unit the catalogue allows for its indicator (`rules.classify`): the OR,
    over those units, of what the number grammar's pattern for the unit needs ("%" or
    "phần trăm" for a percent, "Mbps"/"Gb/s"… for a speed, "100" and its nouns for a
    rate per 100 people; a count needs nothing). The rule with no `all` cue reads only
    speeds.

Each requirement is put in conjunctive normal form: a set of *clauses*, each an OR of
literals. All clauses of all rules are searched for in ONE pass of a multi-pattern engine
(RE2's Set; the standard library, slowly, for tests); a rule may
fire only if every one of its clauses was found. `may_match` also wants a figure: a digit,
"phần trăm", or (only when there is no digit) a whole number word of the grammar.

Soundness invariant (what "may fire" means). Let `T` be any text: raw (any case, NFC or
not, curly quotes, no-break spaces, tone marks on either vowel of "oa", "oe", "uy") or
already in the matching form. Let `M` be the matching form the pipeline builds from it
(`normalise.normalise(T).text`). If a cue regex `c` of rule `r` finds a match in `M`, then
every literal of some alternative of `c`'s requirement is found in `T`; and if all of
`r`'s cues match in `M` next to a figure in an allowed unit, `Prefilter.candidates(T)`
holds `r`'s indicator code (and `may_match(T)` is true). Proof sketch: the literals of a
requirement are substrings of every match, in the matching form; each literal is searched
in the NFC of `T` as a sequence of character classes, where the class of a character `p`
holds every character the pipeline may turn into one the case-insensitive regex equates
with `p`:
  - case: `p` in upper, lower and title case, and the few characters outside that
    (Kelvin sign, long s, dotted capital I) that the `regex` module folds to `p` (a test
    checks this against `regex` over all of Unicode);
  - character folding (`normalise.fold_characters`, one character for one): every
    character it maps onto one of those (no-break and zero-width spaces, curly quotes,
    "ð", ...), found by running the folding itself over all of Unicode, except the
    characters of `_RARE_BLOCKS` (fullwidth forms): those are left to the next step;
  - tone-mark placement (`normalise.place_tone_marks`, two characters for two): for a pair
    such as "óa" in the literal, the raw "oá"; at the literal's edges, a toned "o"/"u" may
    stand for a bare one and a bare "a"/"e"/"y" for a toned one.
NFC and rare forms: the same pass looks for any character outside a set that NFC
provably leaves alone and that is no rare form (`_STABLE_BLOCKS`, checked by a test); a
text holding one is composed and folded as the normalise stage composes and folds it
(`gate_text`), and matched again. Widening classes only adds matches, so each literal is
found in `T` whenever it occurs in `M`. One step can shrink `M` without being
mirrored: page furniture is blanked with spaces; a literal's letters never lie inside a
blanked span, and a space inside a literal could only fall on a blanked span of exactly
one character, which no furniture pattern produces (they are whole lines or phrases).

Literals shorter than `MIN_LITERAL` characters (except a lone symbol such as "%") say too
little and count as "no requirement"; anything the walker cannot analyse (back-references,
conditionals, `regex` syntax the standard parser does not know or reads differently) also
becomes "no requirement", which is sound.

Engine caveat: RE2's Set reports nothing if its DFA runs out of memory; the budget
(`_Re2Engine`, 256 MiB) is orders of magnitude above what these few hundred literals need.
"""

from __future__ import annotations

import functools
import itertools
import re
import sys
import unicodedata
import warnings
from array import array
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

try:  # Python >= 3.11
    import re._constants as _sre_c
    import re._parser as _sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _sre_c
    import sre_parse as _sre_parse

from xhs_extract.catalogue import Catalogue, load_catalogue
from xhs_extract.language import context_data
from xhs_extract.normalise import fold_characters, place_tone_marks
from xhs_extract.numbers import _rx
from xhs_extract.rules import RuleSet, ruleset

__all__ = [
    "ANY",
    "Req",
    "lit",
    "req_and",
    "req_or",
    "requirement",
    "clauses",
    "literal_classes",
    "render_literal",
    "Prefilter",
    "prefilter",
    "gate",
    "MIN_LITERAL",
    "UNITS",
    "unit_requirement",
]

MIN_LITERAL = 2  # literals shorter than this filter nothing useful
MAX_EXACT = 32  # largest set of exact strings kept before it becomes an OR of literals
MAX_CLASS = 10  # largest character class expanded to single characters
MAX_CLAUSES = 64  # CNF expansion cap (dropping clauses only weakens: still sound)


# ---------------------------------------------------------------------------------------
# Requirement trees


@dataclass(frozen=True)
class Req:
    """A requirement: `op` is "any" (nothing required), "lit" (the lower-cased literal
    `text` must occur), "and" or "or" over `args`."""

    op: str
    text: str = ""
    args: tuple["Req", ...] = ()

    def __str__(self) -> str:
        if self.op == "any":
            return "ANY"
        if self.op == "lit":
            return repr(self.text)
        inner = (" & " if self.op == "and" else " | ").join(str(a) for a in self.args)
        return f"({inner})"

    def holds(self, present: Callable[[str], bool]) -> bool:
        """Evaluate with `present(literal)` telling which literals occur."""
        if self.op == "any":
            return True
        if self.op == "lit":
            return present(self.text)
        if self.op == "and":
            return all(a.holds(present) for a in self.args)
        return any(a.holds(present) for a in self.args)

    def literals(self) -> set[str]:
        if self.op == "lit":
            return {self.text}
        return set().union(*(a.literals() for a in self.args)) if self.args else set()


ANY = Req("any")


def _order(r: Req) -> str:
    """A canonical order of arguments, so that equal requirements compare equal."""
    return str(r)


def lit(text: str) -> Req:
    """A literal requirement; too short (after trimming spaces, which is sound since a
    substring of a required string is required) means no requirement."""
    text = text.strip()
    if len(text) < MIN_LITERAL and not (len(text) == 1 and _is_symbol(text)):
        return ANY
    return Req("lit", text)


def _is_symbol(ch: str) -> bool:
    """A lone symbol such as "%" is rare enough to filter on; a lone letter is not."""
    return unicodedata.category(ch)[0] in "SP"


def req_and(items: Iterable[Req]) -> Req:
    """AND, simplified: ANY dropped, nested ANDs flattened, and a literal dropped when
    another required literal contains it."""
    flat: list[Req] = []
    for item in items:
        if item.op == "any":
            continue
        flat.extend(item.args if item.op == "and" else (item,))
    # A literal inside another required literal is found with it.
    return _combine("and", flat, lambda mine, other: mine in other)


def req_or(items: Iterable[Req]) -> Req:
    """OR, simplified: ANY absorbs everything, nested ORs flattened, and a literal dropped
    when another alternative literal is inside it (the shorter one is found anyway)."""
    flat: list[Req] = []
    for item in items:
        if item.op == "any":
            return ANY
        flat.extend(item.args if item.op == "or" else (item,))
    # An alternative that contains another alternative is found through the shorter one.
    return _combine("or", flat, lambda mine, other: other in mine)


def _combine(op: str, flat: list[Req], redundant: Callable[[str, str], bool]) -> Req:
    """`flat` joined by `op`, without repeats and without literals made redundant by
    another literal of the list."""
    lits = {r.text for r in flat if r.op == "lit"}
    out: list[Req] = []
    seen: set[Req] = set()
    for r in flat:
        if r.op == "lit" and any(r.text != other and redundant(r.text, other) for other in lits):
            continue
        if r not in seen:
            seen.add(r)
            out.append(r)
    if not out:
        return ANY
    if len(out) == 1:
        return out[0]
    return Req(op, args=tuple(sorted(out, key=_order)))


# ---------------------------------------------------------------------------------------
# Walking a parsed regex


@dataclass(frozen=True)
class _Info:
    """What a regex node guarantees: either the exact (lower-cased) strings it can match,
    or, when there are too many or they are unknown, a requirement on its matches."""

    exact: frozenset[str] | None
    match: Req = ANY

    def req(self) -> Req:
        if self.exact is None:
            return self.match
        return req_or(lit(s) for s in self.exact)


_EMPTY = _Info(frozenset({""}))
_UNKNOWN = _Info(None, ANY)


def _lower(ch: str) -> str:
    low = ch.lower()
    return low if len(low) == 1 else ch


def _concat(a: _Info, b: _Info) -> _Info:
    if a.exact is not None and b.exact is not None and len(a.exact) * len(b.exact) <= MAX_EXACT:
        return _Info(frozenset(x + y for x in a.exact for y in b.exact))
    return _Info(None, req_and((a.req(), b.req())))


def _alternate(infos: Sequence[_Info]) -> _Info:
    if all(i.exact is not None for i in infos):
        union = frozenset().union(*(i.exact for i in infos))  # type: ignore[arg-type]
        if len(union) <= MAX_EXACT:
            return _Info(union)
    return _Info(None, req_or(i.req() for i in infos))


def _class_chars(items: list) -> frozenset[str] | None:
    """The characters of a small positive class, lower-cased; None if not small/positive."""
    chars: set[str] = set()
    for op, av in items:
        if op is _sre_c.LITERAL:
            chars.add(_lower(chr(av)))
        elif op is _sre_c.RANGE:
            lo, hi = av
            if hi - lo + 1 > MAX_CLASS:
                return None
            chars.update(_lower(chr(c)) for c in range(lo, hi + 1))
        else:  # NEGATE, CATEGORY, ...: too broad to say anything
            return None
        if len(chars) > MAX_CLASS:
            return None
    return frozenset(chars)


def _walk_seq(items) -> _Info:
    """A concatenation. Exact strings of neighbouring items are multiplied out while the
    set stays small; a part that cannot be (or whose product grows too large) closes the
    run, whose requirement is kept, and a new run starts after it."""
    done: list[Req] = []
    run = _EMPTY
    for op, av in items:
        item = _walk(op, av)
        if run.exact is not None and item.exact is not None:
            if len(run.exact) * len(item.exact) <= MAX_EXACT:
                run = _concat(run, item)
                continue
        done.append(run.req())
        run = item
    if not done:
        return run
    return _Info(None, req_and([*done, run.req()]))


def _walk(op, av) -> _Info:
    c = _sre_c
    if op is c.LITERAL:
        return _Info(frozenset({_lower(chr(av))}))
    if op is c.IN:
        chars = _class_chars(av)
        return _Info(chars) if chars else _UNKNOWN
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        # zero-width: the text it looks at is not part of the match
        return _EMPTY
    if op is c.SUBPATTERN:
        return _walk_seq(av[-1])
    if op is c.BRANCH:
        return _alternate([_walk_seq(branch) for branch in av[1]])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) or op is getattr(c, "POSSESSIVE_REPEAT", None):
        lo, hi, sub = av
        inner = _walk_seq(sub)
        if lo == 0:
            if inner.exact is not None and hi == 1:
                return _Info(inner.exact | {""}) if len(inner.exact) < MAX_EXACT else _UNKNOWN
            return _UNKNOWN
        if lo == hi == 1:
            return inner
        return _Info(None, inner.req())  # at least one copy: its requirement holds
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _walk_seq(av)
    # NOT_LITERAL, ANY, CATEGORY, GROUPREF, GROUPREF_EXISTS, ...: nothing known
    return _UNKNOWN


def _parse(pattern: str):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return _sre_parse.parse(pattern, re.IGNORECASE | re.UNICODE)
    except (re.error, FutureWarning, DeprecationWarning, RecursionError, OverflowError, ValueError):
        return None


def _unname_groups(pattern: str) -> str:
    """`(?P<name>` -> `(` outside character classes and escapes (numbering kept)."""
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]" or (bool(out) and out[-1] in ("[", "[^"))
        elif ch == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
                continue
        elif pattern.startswith("(?P<", i):
            close = pattern.find(">", i)
            if close > 0:
                out.append("(")
                i = close + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def requirement(pattern: str) -> Req:
    """The literals any match of `pattern` (a case-insensitive `regex` cue) must contain.

    Anything the standard parser rejects or warns about (syntax of the `regex` module it
    reads differently, such as POSIX classes) yields ANY, which is always sound.
    """
    parsed = _parse(pattern)
    if parsed is None:
        parsed = _parse(_unname_groups(pattern))  # `regex` allows a name twice, `re` not
    if parsed is None:
        return ANY
    if parsed.state.flags & re.VERBOSE:
        return ANY  # whitespace would need re-reading; never used by the cues
    return _walk_seq(parsed.data).req()


# ---------------------------------------------------------------------------------------
# Conjunctive normal form


Clause = frozenset  # of literal strings: one of them must occur


def clauses(req: Req) -> frozenset[Clause]:
    """`req` as a set of clauses (AND of ORs of literals). May be weaker than `req` when
    the expansion is capped, never stronger. No clauses: no requirement."""
    if req.op == "any":
        return frozenset()
    if req.op == "lit":
        return frozenset({Clause({req.text})})
    if req.op == "and":
        return _minimal(frozenset().union(*(clauses(a) for a in req.args)))
    parts = [clauses(a) for a in req.args]
    if any(not p for p in parts):
        return frozenset()
    out: set[Clause] = set()
    for combo in itertools.product(*parts):
        out.add(Clause().union(*combo))
        if len(out) >= MAX_CLAUSES:
            break
    return _minimal(frozenset(out))


def _minimal(cs: frozenset[Clause]) -> frozenset[Clause]:
    """Drop clauses implied by others (a superset clause), and within a clause, literals
    that contain another literal of the same clause."""
    tidy = set()
    for clause in cs:
        tidy.add(Clause(x for x in clause if not any(y != x and y in x for y in clause)))
    return frozenset(c for c in tidy if not any(o < c for o in tidy))


# ---------------------------------------------------------------------------------------
# From a literal in the matching form to character classes over raw text

# Characters the `regex` module's case-insensitive matching equates with a letter, beyond
# what str.upper/lower/title give (tests check this against `regex` over all of Unicode).
_EXTRA_CASE: dict[str, str] = {
    "k": "\u212a", "s": "\u017f", "i": "\u0130", "å": "\u212b", "ω": "\u2126"
}


def _case_variants(ch: str) -> set[str]:
    out = {ch}
    for f in (str.lower, str.upper, str.title, str.casefold):
        v = f(ch)
        if len(v) == 1:
            out.add(v)
    for v in list(out):
        if v in _EXTRA_CASE:
            out.add(_EXTRA_CASE[v])
        low = v.lower()
        if low in _EXTRA_CASE:
            out.add(_EXTRA_CASE[low])
    return out


@functools.lru_cache(maxsize=1)
def _fold_sources() -> dict[str, frozenset[str]]:
    """target -> the characters `normalise.fold_characters` turns into it, found by
    running the folding itself over every code point (so it can never drift)."""
    sources: dict[str, set[str]] = {}
    step = 0x10000
    for base in range(0, 0x110000, step):
        codes = array("I", (c for c in range(base, base + step) if not 0xD800 <= c < 0xE000))
        chunk = codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
        folded = fold_characters(chunk)
        if folded == chunk:
            continue
        if len(folded) != len(chunk):  # pragma: no cover - the folding keeps length
            raise RuntimeError("fold_characters changed the length of a text")
        for raw, new in zip(chunk, folded, strict=True):
            if raw != new:
                sources.setdefault(new, set()).add(raw)
    # "\r\n" becomes " \n" and a lone "\r" becomes "\n": "\r" may stand for either.
    sources.setdefault(" ", set()).add("\r")
    sources.setdefault("\n", set()).add("\r")
    return {k: frozenset(v) for k, v in sources.items()}


@functools.lru_cache(maxsize=1)
def _tone_pairs() -> tuple[dict[str, str], dict[str, set[str]], dict[str, set[str]]]:
    """From `normalise.place_tone_marks` itself: matching-form pair -> raw pair ("óa" ->
    "oá"); first vowels that may stand for a bare one ("ó" -> {"o"}); second vowels that
    may stand for toned ones ("a" -> {"á", "à", ...})."""
    pairs: dict[str, str] = {}
    firsts: dict[str, set[str]] = {}
    seconds: dict[str, set[str]] = {}
    for first, second_vowels in (("o", "ae"), ("u", "y")):
        for second in second_vowels:
            for tone in "\u0300\u0301\u0309\u0303\u0323":
                raw = first + unicodedata.normalize("NFC", second + tone)
                moved = place_tone_marks(raw)
                if moved != raw:
                    pairs[moved] = raw
                    firsts.setdefault(moved[0], set()).add(raw[0])
                    seconds.setdefault(moved[1], set()).add(raw[1])
    return pairs, firsts, seconds


def literal_classes(literal: str) -> tuple[frozenset[str], ...]:
    """One class per character of a lower-cased matching-form literal: the raw characters
    (after NFC) that the normalise stage and case-insensitive matching may turn into it."""
    pairs, firsts, seconds = _tone_pairs()
    tone: list[set[str]] = [{ch} for ch in literal]
    n = len(literal)
    for i in range(n - 1):
        raw = pairs.get(literal[i : i + 2])
        if raw:
            tone[i].add(raw[0])
            tone[i + 1].add(raw[1])
    if n and literal[-1] in firsts:  # the pair's second vowel lies after the literal
        tone[-1] |= firsts[literal[-1]]
    if n and literal[0] in seconds:  # the pair's first vowel lies before the literal
        tone[0] |= seconds[literal[0]]
    sources = _fold_sources()
    out = []
    for chars in tone:
        cls: set[str] = set()
        for ch in chars:
            for v in _case_variants(ch):
                cls.add(v)
                cls |= {s for s in sources.get(v, ()) if not _rare(s)}
        out.append(frozenset(cls))
    return tuple(out)


def _escape_pcre(ch: str) -> str:
    return ch if ch.isalnum() and ch.isascii() else f"\\x{{{ord(ch):x}}}"


def _escape_re(ch: str) -> str:
    return re.escape(ch)


def _ranges(chars: Iterable[str]) -> list[tuple[str, str]]:
    """Sorted characters grouped into runs of consecutive code points."""
    out: list[tuple[str, str]] = []
    for ch in sorted(chars):
        if out and ord(ch) == ord(out[-1][1]) + 1:
            out[-1] = (out[-1][0], ch)
        else:
            out.append((ch, ch))
    return out


def render_literal(literal: str, escape: Callable[[str], str] = _escape_pcre) -> str:
    """A literal as a regex over raw text: a sequence of character classes."""
    parts = []
    for cls in literal_classes(literal):
        if len(cls) == 1:
            parts.append(escape(next(iter(cls))))
            continue
        body = []
        for lo, hi in _ranges(cls):
            if lo == hi:
                body.append(escape(lo))
            elif ord(hi) == ord(lo) + 1:
                body.append(escape(lo) + escape(hi))
            else:
                body.append(f"{escape(lo)}-{escape(hi)}")
        parts.append("[" + "".join(body) + "]")
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# Multi-pattern engines: which of a list of regexes occur somewhere in a text


class _Engine:
    name = "abstract"

    def __init__(self, patterns: list[str]) -> None:  # pragma: no cover
        raise NotImplementedError

    def found(self, text: str, utf8: bytes | None = None) -> set[int]:  # pragma: no cover
        """Ids of the patterns found in `text`; `utf8`, when given, is its UTF-8 encoding."""
        raise NotImplementedError


class _Re2Engine(_Engine):
    """RE2's Set: one DFA pass over UTF-8, reporting every pattern that matches."""

    name = "re2"

    def __init__(self, patterns: list[str]) -> None:
        import re2

        options = re2.Options()
        options.max_mem = 256 << 20
        self._set = re2.Set.SearchSet(options)
        for p in patterns:
            self._set.Add(p)
        self._set.Compile()
        # the compiled set itself, past the wrapper's type checks (bytes in, list out)
        self._match = getattr(getattr(self._set, "_set", None), "Match", self._set.Match)

    def found(self, text: str, utf8: bytes | None = None) -> set[int]:
        if utf8 is None:
            utf8 = text.encode("utf-8", "surrogatepass")
        return set(self._match(utf8) or ())  # None: no match


class _StdlibEngine(_Engine):
    """The standard library, one search per pattern: slow, but needs nothing installed.
    Also the reference the faster engines are tested against."""

    name = "re"

    def __init__(self, patterns: list[str]) -> None:
        self._patterns = [re.compile(p) for p in patterns]

    def found(self, text: str, utf8: bytes | None = None) -> set[int]:
        return {i for i, p in enumerate(self._patterns) if p.search(text) is not None}


_ENGINES: dict[str, tuple[type[_Engine], Callable[[str], str]]] = {
    "re2": (_Re2Engine, _escape_pcre),
    "re": (_StdlibEngine, _escape_re),
}
ENGINE_ORDER = ("re2", "re")


# Blocks of the characters news text is made of. Inside them, the characters NFC can
# never change (`_nfc_stable`) are left alone by the gate; a text holding any other
# character is composed and folded (`gate_text`) before it is matched. Checking for
# those characters in the same pass as the literals is cheaper than a separate NFC test.
_STABLE_BLOCKS = (
    (0x0000, 0x02FF),  # ASCII, Latin-1, Latin Extended-A/B, IPA, spacing modifiers
    (0x0370, 0x04FF),  # Greek, Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional: the precomposed Vietnamese letters
    (0x2000, 0x2BFF),  # punctuation, currency, letterlike, arrows, maths, shapes, dingbats
    (0x1F000, 0x1FAFF),  # pictographs and emoji
)
# Forms the normalise stage folds but Vietnamese news almost never holds. In the literal
# classes they would double every letter's alternatives and make the automaton several
# times slower to warm up on each run; a text that holds one is folded first instead.
_RARE_BLOCKS = (
    (0x3000, 0x303F),  # CJK symbols and punctuation (the ideographic space)
    (0xFE50, 0xFE6F),  # small form variants
    (0xFF00, 0xFFEF),  # half- and fullwidth forms
)


def _rare(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _RARE_BLOCKS)

def _nfc_stable(ch: str) -> bool:
    """True if NFC leaves `ch` alone and never joins it to the character before it.

    Characters of combining class 0 that join the one before them (Hangul vowels, a few
    Indic signs) are not in `_STABLE_BLOCKS`; a test checks this over all of Unicode."""
    if unicodedata.combining(ch):
        return False
    decomposition = unicodedata.decomposition(ch)
    if decomposition and not decomposition.startswith("<"):
        return unicodedata.normalize("NFC", ch) == ch  # a primary composite is stable
    return True


@functools.lru_cache(maxsize=1)
def _stable_chars() -> frozenset[str]:
    return frozenset(
        chr(c) for lo, hi in _STABLE_BLOCKS for c in range(lo, hi + 1) if _nfc_stable(chr(c))
    )


def gate_text(text: str) -> str:
    """`text` as the literal classes are matched against it when it holds a character
    outside the stable set: composed (NFC), then folded as the normalise stage folds it."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return fold_characters(text)


def _nfc_trigger(escape: Callable[[str], str]) -> str:
    """A pattern for any character outside the stable set."""
    body = []
    for lo, hi in _ranges(_stable_chars()):
        body.append(escape(lo) if lo == hi else f"{escape(lo)}-{escape(hi)}")
    return "[^" + "".join(body) + "]"


def _engine_patterns(literal_sets: list[frozenset[str]], engine: str) -> list[str]:
    """One pattern per literal set, plus the NFC trigger as the last one, in the syntax
    of `engine`. (The costly part of building a prefilter: what the cache keeps.)"""
    escape = _ENGINES[engine][1]
    patterns = [
        "|".join(render_literal(x, escape) for x in sorted(group)) for group in literal_sets
    ]
    patterns.append(_nfc_trigger(escape))
    return patterns


# ---------------------------------------------------------------------------------------
# The prefilter

# A figure needs a digit, or a percent word (`percent_words` of `patterns/context.yaml`),
# or a number word of the grammar's (`numbers._word_figures`: "hai trạm", "năm người"):
# the cascade's other condition.
_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=1)
def _figure_clause() -> Clause:
    """The clause of the words that make a figure without a digit."""
    return Clause(context_data().percent_words.split("|"))


def _number_words_pattern() -> str | None:
    """A pattern for any whole number word of the number grammar, over the text as the
    gate matches it (`Prefilter._found`: raw when all its characters are stable, else
    `gate_text`) (None: unknown).

    Whole words are sound here: the normalise stage never joins two words into one (what
    it turns into a space, a quote or a dash is not a word character before it either)."""
    words = requirement(_rx()["number_words"].pattern)
    if words.op != "or" or any(a.op != "lit" for a in words.args):
        return None
    alternation = "|".join(render_literal(w.text, re.escape) for w in words.args)
    return rf"(?<!\w)(?:{alternation})(?!\w)"


@functools.lru_cache(maxsize=1)
def _number_words() -> re.Pattern | None:
    """`_number_words_pattern`, compiled."""
    pattern = _number_words_pattern()
    return None if pattern is None else re.compile(pattern)


@dataclass(frozen=True)
class RuleRequirement:
    indicator: str
    requirement: Req
    clauses: frozenset[Clause]


@dataclass(frozen=True)
class _Compiled:
    """What a prefilter derives from its rules before it can run: the distinct clauses (a
    clause's id is its place here), the figure clause's id, and the engine's patterns (one
    per clause, then the NFC trigger), plus the number-word pattern of `may_match`."""

    clauses: tuple[Clause, ...]
    figure: int
    engine: str
    patterns: tuple[str, ...]
    number_words: str | None


def _compile(rules: Sequence[RuleRequirement], prefer: Sequence[str]) -> _Compiled:
    figure_clause = _figure_clause()
    distinct = sorted({c for r in rules for c in r.clauses} | {figure_clause}, key=sorted)
    engine = prefer[0]
    return _Compiled(
        tuple(distinct),
        distinct.index(figure_clause),
        engine,
        tuple(_engine_patterns(distinct, engine)),
        _number_words_pattern(),
    )


class Prefilter:
    """Which rules may fire in a text, found in one multi-pattern pass (see module doc)."""

    def __init__(
        self,
        rules: Sequence[RuleRequirement],
        prefer: Sequence[str] = ENGINE_ORDER,
        compiled: _Compiled | None = None,
    ) -> None:
        self.rules = tuple(rules)
        self._compiled = compiled if compiled is not None else _compile(self.rules, prefer)
        distinct = self._compiled.clauses
        self._clause_ids = {c: i for i, c in enumerate(distinct)}
        self._figure_id = self._compiled.figure
        self._engine = _ENGINES[self._compiled.engine][0](list(self._compiled.patterns))
        self._nfc_id = len(distinct)
        self._number_words: re.Pattern | None = None  # compiled when first needed
        # rules whose requirement is empty always pass; the rest need all their clauses
        self._always = frozenset(r.indicator for r in self.rules if not r.clauses)
        self._verdicts: dict[frozenset[int], bool] = {}
        # Each rule is filed under one of its clauses, the one least likely to be found
        # (its shortest literal is the longest): only rules filed under a clause that was
        # found are looked at.
        self._by_key: dict[int, list[tuple[str, frozenset[int]]]] = {}
        for r in self.rules:
            if not r.clauses:
                continue
            key = max(r.clauses, key=lambda c: (min(len(x) for x in c), sorted(c)))
            needs = frozenset(self._clause_ids[c] for c in r.clauses)
            self._by_key.setdefault(self._clause_ids[key], []).append((r.indicator, needs))

    @property
    def engine(self) -> str:
        return self._engine.name

    @classmethod
    def from_rules(
        cls,
        rules: RuleSet,
        catalogue: Catalogue | None = None,
        prefer: Sequence[str] = ENGINE_ORDER,
    ) -> "Prefilter":
        """Requirements of every rule of a `rules.RuleSet`: its `all` and `sentence` cues,
        and a figure in a unit the catalogue allows for its indicator (see `unit_requirement`)."""
        if catalogue is None:
            catalogue = load_catalogue()
        out = []
        for rule in rules.rules:
            units = [u for u in UNITS if catalogue.allows(rule.indicator, u)]
            if not rule.all:  # the rule with no cue reads only speeds (rules.classify)
                units = [u for u in units if u == "mbps"] or ["mbps"]
            parts = [requirement(p.pattern) for p in (*rule.all, *rule.sentence)]
            if units:  # no unit allowed at all: leave it to the rules, assume nothing
                parts.append(req_or(unit_requirement(u) for u in units))
            req = req_and(parts)
            out.append(RuleRequirement(rule.indicator, req, clauses(req)))
        return cls(out, prefer)

    def _found(self, text: str, utf8: bytes | None = None) -> tuple[set[int], str]:
        """Ids of the clauses found in `text`, and the text they were found in: `text`
        itself, or its `gate_text` when it holds a character NFC may change or a rare form."""
        found = self._engine.found(text, utf8)
        if self._nfc_id in found:
            prepared = gate_text(text)
            if prepared != text:
                found = self._engine.found(prepared)
                text = prepared
            found.discard(self._nfc_id)
        return found, text

    def _codes(self, found: set[int]) -> frozenset[str]:
        codes = set(self._always)
        for key in found:
            for code, needs in self._by_key.get(key, ()):
                if needs <= found:
                    codes.add(code)
        return frozenset(codes)

    def _some_rule_needs_only(self, found: set[int]) -> bool:
        """Whether every clause of some rule is among `found`. Texts of a crawl find the
        same few sets of clauses again and again, so the answer is kept per set."""
        key = frozenset(found)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = any(needs <= found for k in found for _, needs in self._by_key.get(k, ()))
            if len(self._verdicts) < 65536:  # bounded, whatever the corpus
                self._verdicts[key] = verdict
        return verdict

    def candidates(self, text: str) -> frozenset[str]:
        """Indicator codes whose rules may fire somewhere in `text` (any case, NFC or not)."""
        return self._codes(self._found(text)[0])

    def may_match(self, text: str, utf8: bytes | None = None) -> bool:
        """Some rule may fire, and the text may hold a figure: a digit, "phần trăm", or
        a number word of the grammar (checked only when there is no digit). `utf8`, when
        the caller has it, must be `text.encode("utf-8")`: it spares encoding the text."""
        found, text = self._found(text, utf8)
        if not self._always and not self._some_rule_needs_only(found):
            return False
        if self._figure_id in found or _DIGIT.search(text) is not None:
            return True
        # no digit: a figure may still be written in words ("hai trạm", "năm người")
        words = self._number_words
        if words is None:
            if self._compiled.number_words is None:
                return True
            words = self._number_words = re.compile(self._compiled.number_words)
        return words.search(text) is not None

    def to_json(self) -> dict:
        """Everything this prefilter derived from its rules, as JSON data (`from_json`)."""
        compiled = self._compiled
        return {
            "rules": [
                [r.indicator, _req_to_json(r.requirement), _clauses_to_json(r.clauses)]
                for r in self.rules
            ],
            "clauses": _clauses_to_json(compiled.clauses, keep_order=True),
            "figure": compiled.figure,
            "engine": compiled.engine,
            "patterns": list(compiled.patterns),
            "number_words": compiled.number_words,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Prefilter":
        """The prefilter `to_json` described, its engine compiled again (no rule is read).
        Data that does not hold together raises ValueError, KeyError or TypeError."""
        rules = [
            RuleRequirement(_str(code), _req_from_json(req), _clauses_from_json(cs))
            for code, req, cs in data["rules"]
        ]
        clauses = tuple(_clauses_from_json(data["clauses"], keep_order=True))
        patterns = tuple(_str(p) for p in data["patterns"])
        words = data["number_words"]
        figure = data["figure"]
        known = set(clauses)
        if (
            len(patterns) != len(clauses) + 1
            or not isinstance(figure, int)
            or not 0 <= figure < len(clauses)
            or data["engine"] not in _ENGINES
            or not all(r.clauses <= known for r in rules)
            or not (words is None or isinstance(words, str))
        ):
            raise ValueError("prefilter data that does not hold together")
        return cls(rules, compiled=_Compiled(clauses, figure, data["engine"], patterns, words))


UNITS = ("count", "percent", "mbps", "per_100_people", "vnd")

# The number grammar's patterns a figure of each unit needs next to it (numbers._rx keys).
_UNIT_PATTERNS = {
    "percent": ("percent",),
    "mbps": ("speed",),
    "per_100_people": ("per100_after", "per100_marker"),
    "vnd": ("vnd",),
}


@functools.lru_cache(maxsize=None)
def unit_requirement(unit: str) -> Req:
    """What a text must hold for the number grammar to give a figure in `unit`: the OR of
    the requirements of the grammar's patterns that assign that unit. A count is any
    number, so it needs nothing; so does a unit this table does not know."""
    keys = _UNIT_PATTERNS.get(unit)
    if not keys:
        return ANY
    grammar = _rx()
    return req_or(requirement(grammar[key].pattern) for key in keys)


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"a string expected, not {type(value).__name__}")
    return value


def _req_to_json(req: Req) -> list:
    if req.op == "lit":
        return ["lit", req.text]
    return [req.op, [_req_to_json(a) for a in req.args]]


def _req_from_json(data: list) -> Req:
    op = data[0]
    if op == "any" and len(data) == 2 and not data[1]:
        return ANY
    if op == "lit":
        return Req("lit", _str(data[1]))
    if op not in ("and", "or"):
        raise ValueError(f"unknown requirement {op!r}")
    return Req(op, args=tuple(_req_from_json(a) for a in data[1]))


def _clauses_to_json(clauses: Iterable[Clause], keep_order: bool = False) -> list[list[str]]:
    listed = [sorted(c) for c in clauses]
    return listed if keep_order else sorted(listed)


def _clauses_from_json(data: list, keep_order: bool = False) -> Any:
    listed = [Clause(_str(x) for x in clause) for clause in data]
    return listed if keep_order else frozenset(listed)


def _project_prefilter_json() -> dict:
    return Prefilter.from_rules(ruleset()).to_json()


@functools.lru_cache(maxsize=1)
def prefilter() -> Prefilter:
    """The prefilter of the project's rules, built once per process: taken from the cache
    on disk (`cache.py`) when it holds one made from the same pattern files and program,
    else derived from the rules and kept there. A failure to build it is raised: a gate
    that cannot be built must not let everything through."""
    from xhs_extract.cache import cached

    return cached("prefilter", _project_prefilter_json, Prefilter.from_json)


def gate(text: str, utf8: bytes | None = None) -> bool:
    """May this text hold a catalogue statistic at all? (The prefilter derived from the
    rules: sound, and one pass over the text; `utf8` is the text's UTF-8 bytes, if known.)"""
    return prefilter().may_match(text, utf8)
