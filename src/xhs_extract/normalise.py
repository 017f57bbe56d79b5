"""The normalise stage: one matching form for text and patterns, with exact offsets back.

Extractors match against `NormalisedText.text` and report spans through `raw_span`, so
that every record's offsets point into the original decoded text (`RawDocument.text`).

The matching form is built in four steps:

1. **NFC.** Decomposed input (NFD files, Windows-1258's combining tone marks) is composed.
   This is the only step that can change the length; it is done per line and, inside a
   changed line, per grapheme cluster, and only the changed clusters are recorded in a
   compact offset map. Text that is already NFC (nearly all of it) needs no map at all.
2. **Characters.** One character for one: curly quotes → straight, dashes and the minus
   sign → "-", no-break/zero-width/odd spaces, "\\r" and control characters → " " (tabs
   stay: they separate table cells; a lone "\\r" that ends a line → "\\n"),
   fullwidth ASCII → ASCII, Ð/ð (eth, a common typo) → Đ/đ.
3. **Tone-mark placement.** Vietnamese puts the tone of "oa", "oe", "uy" (without a final
   consonant) on either vowel: "hoà"/"hòa", "khoẻ"/"khỏe", "thuý"/"thúy", "uỷ"/"ủy",
   "toà"/"tòa". The matching form uses the style most news sites use, with the tone on the
   FIRST vowel ("hòa", "khỏe", "thúy", "ủy", "tòa"). "qu" is an onset, so "quý" stays.
   Two characters for two: offsets do not move.
4. **Page furniture** (related-news lists, comment boxes, counters, login and share
   buttons, site footers; cues in patterns/furniture.yaml) is blanked with spaces, line
   breaks kept, so that figures inside it never reach an extractor.

Patterns go through `normalise_phrase` (steps 1-3), so both sides of every match agree.

Offset guarantee (tested with hypothesis): let `composed = NFC(raw)` (step 1 alone). Then
`len(text) == len(composed)`, `to_raw` is monotonic with `to_raw(0) == 0` and
`to_raw(len(text)) == len(raw)`, it is the identity when `raw` is already NFC, and for
every span `(a, b)` of `text`, with `(ra, rb) = raw_span(a, b)` and
`(A, B) = norm_span(ra, rb)`: `A <= a <= b <= B` and `NFC(raw[ra:rb]) == composed[A:B]`.
A span that cuts through a composed cluster is widened to the whole cluster; any other span
maps to exactly the raw characters it was composed from.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from typing import Optional

from xhs_extract import regexes
from xhs_extract.language import furniture_data

__all__ = [
    "NormalisedText",
    "normalise",
    "normalise_phrase",
    "furniture_ranges",
    "compose",
    "fold_characters",
    "place_tone_marks",
]


# ---------------------------------------------------------------------------------------
# The offset map


@dataclass(frozen=True)
class NormalisedText:
    """A raw text and its matching form, with offsets mapped between the two.

    `_regions` lists the clusters that NFC composition changed, as four parallel arrays
    (normalised start, normalised end, raw start, raw end); everything between two
    regions is shifted by a constant. No regions: the offsets are the identity.
    """

    raw: str
    text: str
    _regions: Optional[tuple[array, array, array, array]] = field(
        default=None, repr=False, compare=False
    )

    @property
    def is_identity(self) -> bool:
        """True when every offset of `text` is the same offset in `raw`."""
        return self._regions is None

    def to_raw(self, i: int) -> int:
        """Normalised offset → raw offset (`i` may be `len(text)`).

        An offset strictly inside a composed cluster maps to the cluster's raw start.
        """
        return self._map(i, len(self.text), 0, 2, end=False)

    def from_raw(self, j: int) -> int:
        """Raw offset → normalised offset (`j` may be `len(raw)`), the inverse of to_raw.

        An offset strictly inside a cluster that was composed maps to the cluster's start.
        """
        return self._map(j, len(self.raw), 2, 0, end=False)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """A span of `text` (end exclusive) → the span of `raw` it was made from.

        A span that cuts through a composed cluster is widened to the whole cluster.
        """
        self._check_span(start, end, len(self.text))
        return self._map(start, len(self.text), 0, 2, end=False), self._map(
            end, len(self.text), 0, 2, end=True
        )

    def norm_span(self, start: int, end: int) -> tuple[int, int]:
        """A span of `raw` → the span of `text` made from it (widened like raw_span)."""
        self._check_span(start, end, len(self.raw))
        return self._map(start, len(self.raw), 2, 0, end=False), self._map(
            end, len(self.raw), 2, 0, end=True
        )

    @staticmethod
    def _check_span(start: int, end: int, length: int) -> None:
        if not 0 <= start <= end <= length:
            raise ValueError(f"span ({start}, {end}) is not inside a text of length {length}")

    def _map(self, i: int, length: int, src: int, dst: int, *, end: bool) -> int:
        if not 0 <= i <= length:
            raise ValueError(f"offset {i} is outside a text of length {length}")
        regions = self._regions
        if regions is None:
            return i
        src_start, src_end = regions[src], regions[src + 1]
        dst_start, dst_end = regions[dst], regions[dst + 1]
        k = bisect.bisect_right(src_start, i) - 1
        if k < 0:
            return i
        if i >= src_end[k]:
            return dst_end[k] + (i - src_end[k])
        if i == src_start[k]:
            return dst_start[k]
        return dst_end[k] if end else dst_start[k]


# ---------------------------------------------------------------------------------------
# Step 1: NFC with an offset map

_CLUSTER_RE = regexes.compile(r"\X")


def compose(raw: str) -> tuple[str, Optional[tuple[array, array, array, array]]]:
    """NFC of `raw` and the map of the clusters whose text changed (None if none did).

    Lines are independent ("\\n" never composes), so only lines that are not NFC are
    looked at, cluster by cluster. If composing clusters one by one ever disagrees with
    composing the line (it should not), the whole line becomes one region: still exact.
    """
    if unicodedata.is_normalized("NFC", raw):
        return raw, None
    n_start, n_end, r_start, r_end = array("q"), array("q"), array("q"), array("q")
    pieces: list[str] = []
    raw_pos = 0
    norm_pos = 0
    for line in raw.split("\n"):
        if unicodedata.is_normalized("NFC", line):
            pieces.append(line)
        else:
            composed_line = unicodedata.normalize("NFC", line)
            line_pieces: list[str] = []
            line_regions: list[tuple[int, int, int, int]] = []
            r = raw_pos
            n = norm_pos
            for match in _CLUSTER_RE.finditer(line):
                cluster = match.group()
                nfc = unicodedata.normalize("NFC", cluster)
                if nfc != cluster:
                    line_regions.append((n, n + len(nfc), r, r + len(cluster)))
                line_pieces.append(nfc)
                r += len(cluster)
                n += len(nfc)
            if "".join(line_pieces) != composed_line:
                line_regions = [
                    (norm_pos, norm_pos + len(composed_line), raw_pos, raw_pos + len(line))
                ]
            for a, b, c, d in line_regions:
                n_start.append(a)
                n_end.append(b)
                r_start.append(c)
                r_end.append(d)
            pieces.append(composed_line)
        raw_pos += len(line) + 1
        norm_pos += len(pieces[-1]) + 1
    text = "\n".join(pieces)
    if not n_start:
        return text, None
    return text, (n_start, n_end, r_start, r_end)


# ---------------------------------------------------------------------------------------
# Step 2: one character for one


def _character_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for ch in "\u2018\u2019\u201a\u201b\u2032\u02bc\u0060\u00b4":
        table[ord(ch)] = "'"
    for ch in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u2039\u203a":
        table[ord(ch)] = '"'
    for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d":
        table[ord(ch)] = "-"
    # Tabs stay: they separate the cells of tables pasted as text.
    spaces = "\r\x0b\x0c\u00a0\u1680\u180e\u202f\u205f\u3000\u200b\u200c\u200d\u2060\ufeff\u00ad"
    spaces += "".join(chr(c) for c in range(0x2000, 0x200B))
    spaces += "".join(chr(c) for c in range(0x20) if chr(c) not in "\n\t")
    spaces += "".join(chr(c) for c in range(0x7F, 0xA0))
    for ch in spaces:
        table[ord(ch)] = " "
    table[0x2028] = table[0x2029] = "\n"  # line and paragraph separators
    for code in range(0xFF01, 0xFF5F):  # fullwidth ASCII
        table[code] = chr(code - 0xFEE0)
    table[0xFF05] = "%"
    table[ord("\u00d0")] = "\u0110"  # Ð (eth) typed for Đ
    table[ord("\u00f0")] = "\u0111"  # ð typed for đ
    table[ord("\u2024")] = "."  # one dot leader
    table[ord("\u066b")] = ","  # Arabic decimal separator, seen in pasted figures
    return table


_CHAR_TABLE = _character_table()
# The variants news text is full of are replaced with str.replace (fast, C); only a text
# that still holds a rarer one pays for str.translate, which is slow on non-ASCII text.
_COMMON = ("\u201c", "\u201d", "\u2018", "\u2019", "\u2013", "\u2014", "\u00a0")
_RARE_RE = re.compile(
    "[" + re.escape("".join(chr(c) for c in _CHAR_TABLE if chr(c) not in _COMMON)) + "]"
)


def fold_characters(text: str) -> str:
    """Step 2: typographic variants unified, one character for one (length kept).

    "\r\n" becomes " \n"; a lone "\r" (old Mac line ends) becomes "\n", so that lines
    stay lines for the furniture step and the sentence splitter.
    """
    if "\r" in text:
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    for ch in _COMMON:
        if ch in text:
            text = text.replace(ch, _CHAR_TABLE[ord(ch)])
    if _RARE_RE.search(text) is not None:
        text = text.translate(_CHAR_TABLE)
    return text


# ---------------------------------------------------------------------------------------
# Step 3: tone-mark placement in oa, oe, uy


def _tone_tables() -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    tones = "\u0300\u0301\u0309\u0303\u0323"
    vowels = "aăâeêioôơuưy"  # code, not a word list: the vowel letters a tone mark sits on
    all_vowels = set()
    for v in vowels + vowels.upper():
        all_vowels.add(v)
        for t in tones:
            all_vowels.add(unicodedata.normalize("NFC", v + t))
    replace: dict[str, str] = {}
    for first, seconds in (("o", "ae"), ("u", "y")):
        for second in seconds:
            for t in tones:
                for f_case in (first, first.upper()):
                    for s_case in (second, second.upper()):
                        toned_second = unicodedata.normalize("NFC", s_case + t)
                        toned_first = unicodedata.normalize("NFC", f_case + t)
                        replace[f_case + toned_second] = toned_first + s_case
    # One character class per position (fast to scan); the pair and the letter before it
    # are checked in the callback, which runs only at the rare candidates.
    seconds_class = "".join(sorted({pair[1] for pair in replace}))
    pattern = re.compile(f"[oOuU][{seconds_class}]" + r"(?![^\W\d_])")
    return pattern, replace, frozenset(all_vowels | {"q", "Q"})


_TONE_RE, _TONE_REPLACE, _NOT_BEFORE_TONE = _tone_tables()


def place_tone_marks(text: str) -> str:
    """Step 3: "hoà" → "hòa", "khoẻ" → "khỏe", "thuý" → "thúy", "uỷ" → "ủy" (length kept).

    Only a final "oa", "oe", "uy" that is the whole vowel of its syllable moves its tone:
    "hoàn", "ngoài", "khuỷu", "quý" are left alone, and so is a pair with a combining mark
    after it (the mark belongs to its second vowel). Upper case too ("HOÀ" → "HÒA"). The one
    tone-mark folding of the package: place names and metadata are looked up through it.
    """
    def move(match: re.Match[str]) -> str:
        start, end = match.span()
        pair = match.group()
        if start and text[start - 1] in _NOT_BEFORE_TONE:
            return pair  # "qu" onset, or a longer vowel ("uoà")
        if end < len(text) and unicodedata.category(text[end])[0] == "M":
            return pair  # a combining mark follows: the pair is not what it seems
        return _TONE_REPLACE.get(pair, pair)

    return _TONE_RE.sub(move, text)


# Code, not language data: D with stroke is the one Vietnamese letter that NFD does not
# split into a base letter and a mark.
_D_STROKE = str.maketrans(
    "\N{LATIN CAPITAL LETTER D WITH STROKE}\N{LATIN SMALL LETTER D WITH STROKE}", "Dd"
)


def strip_marks(text: str) -> str:
    """The text with every diacritic taken off, case and spacing kept ("Đắk Lắk" -> "Dak
    Lak"): the one way keys without marks are made (place comparison, web addresses, sorting).

    >>> strip_marks("Đắk Lắk, Hòa Bình")
    'Dak Lak, Hoa Binh'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_phrase(s: str) -> str:
    """The character normalisation of the matching form (steps 1-3), for pattern strings."""
    return place_tone_marks(fold_characters(unicodedata.normalize("NFC", s)))


# ---------------------------------------------------------------------------------------
# Step 4: page furniture

_BULLET = r"(?:[•·▪▫◦‣⁃∙●○■□►▶➤→>*+'\"-]+ *)?"
_SENTENCE_END = re.compile(r"[.!?…:;\"')\]]\s*$")
# A list item: a bullet, or '" ' (how "» Title" reads once » is folded to a quote).
_BULLET_LINE = re.compile(r"^ *(?:[•·▪▫◦‣⁃∙●○■□►▶➤→*+'-]|\" )")
_PROSE_MIN_CHARS = 120


_MAX_CUE_LINE = 320  # furniture lines are short; longer lines are never looked at


@functools.lru_cache(maxsize=1)
def _furniture_res() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], tuple[str, ...]]:
    """(line cue regex with a `header` group, bracket-end regex, inline regex, triggers)."""
    data = furniture_data()
    headers = sorted((normalise_phrase(h) for h in data.block_headers), key=len, reverse=True)
    header_alt = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in headers)
    lines_alt = "|".join(f"(?:{normalise_phrase(p)})" for p in data.line_patterns)
    cue_re = re.compile(
        rf" *{_BULLET}(?:(?P<header>(?:{header_alt}) *(?:\(\d+\))? *[:>»…]*)|(?:{lines_alt})) *",
        re.I,
    )
    bracket_alt = "|".join(f"(?:{normalise_phrase(p)})" for p in data.bracket_end_patterns)
    bracket_re = re.compile(rf" *{_BULLET}(?:{bracket_alt}) *", re.I)
    inline_alt = "|".join(f"(?:{normalise_phrase(p)})" for p in data.inline_patterns)
    inline_re = re.compile(inline_alt, re.I)
    triggers: set[str] = set()
    for word in data.inline_triggers:
        word = normalise_phrase(word).lower()
        # word[1:] is in both "lượt xem" and "Lượt xem"; the upper-case form is the third.
        triggers.update((word[1:], word.upper()))
    return cue_re, bracket_re, inline_re, tuple(sorted(triggers))


def _is_prose(line: str) -> bool:
    """A paragraph of running text: long, not indented, not a list item, ends a sentence."""
    return (
        len(line) >= _PROSE_MIN_CHARS
        and not line.startswith(" ")
        and _BULLET_LINE.match(line) is None
        and _SENTENCE_END.search(line) is not None
    )


def _block_end(text: str, after_header: int) -> int:
    """Where a related-news block that starts with a header ends.

    At the end of the text, unless the article resumes: two or more consecutive prose
    paragraphs (blank lines between them allowed) with no headline-like list item and no
    indented line anywhere after them. Then the block ends where the first of those
    paragraphs starts. A list item that ends a sentence ("- Tỷ lệ … đạt 92%.") is the
    article's own list, not a related headline, and does not keep the block going.
    """
    lines: list[tuple[int, str]] = []
    pos = after_header
    length = len(text)
    while pos < length:
        nl = text.find("\n", pos)
        stop = length if nl < 0 else nl
        line = text[pos:stop]
        if line.strip():
            lines.append((pos, line))
        pos = stop + 1
    # Forward: remember the first run of two prose paragraphs after the last list item.
    resume: Optional[int] = None
    run_start: Optional[int] = None
    run_length = 0
    for start, line in lines:
        if _is_prose(line):
            if run_length == 0:
                run_start = start
            run_length += 1
            if run_length >= 2 and resume is None:
                resume = run_start
        else:
            run_length = 0
            headline_item = _BULLET_LINE.match(line) and not _SENTENCE_END.search(line)
            if headline_item or line.startswith(" "):
                resume = None  # related headlines after the prose: still inside the block
    return resume if resume is not None else length


def furniture_ranges(text: str) -> list[tuple[int, int]]:
    """Spans of `text` (sorted, disjoint, end exclusive) that are page furniture.

    `text` should be in the matching form (the cues are written for it); the spans are
    offsets into `text`. Short lines are matched against the line cues; a block header
    starts a block (see `_block_end`); inline cues are searched only in texts that hold
    one of their trigger words, which keeps this fast on large corpora.
    """
    cue_re, bracket_re, inline_re, triggers = _furniture_res()
    ranges: list[tuple[int, int]] = []
    pos = 0
    block_end = -1
    for line in text.split("\n"):
        end = pos + len(line)
        if pos >= block_end and len(line) <= _MAX_CUE_LINE:
            match = cue_re.fullmatch(line)
            if match is not None:
                if match.group("header") is not None:
                    block_end = _block_end(text, end)
                    ranges.append((pos, block_end))
                else:
                    ranges.append((pos, end))
            elif line.rstrip().endswith(")") and bracket_re.fullmatch(line) is not None:
                ranges.append((pos, end))
        pos = end + 1
    if any(word in text for word in triggers):
        pos = 0
        for line in text.split("\n"):
            if any(word in line for word in triggers):
                ranges.extend(
                    (pos + m.start(), pos + m.end())
                    for m in inline_re.finditer(line)
                    if m.end() > m.start()
                )
            pos += len(line) + 1
    return _merge(ranges)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


_NOT_NEWLINE = re.compile(r"[^\n]")


def blank_ranges(text: str, ranges: list[tuple[int, int]]) -> str:
    """`text` with every character but "\\n" inside `ranges` replaced by a space."""
    if not ranges:
        return text
    pieces: list[str] = []
    pos = 0
    for start, end in ranges:
        pieces.append(text[pos:start])
        pieces.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


# ---------------------------------------------------------------------------------------
# The stage


def normalise(raw: str) -> NormalisedText:
    """The matching form of `raw` (steps 1-4) with the offset map back to `raw`."""
    composed, regions = compose(raw)
    text = place_tone_marks(fold_characters(composed))
    text = blank_ranges(text, furniture_ranges(text))
    return NormalisedText(raw=raw, text=text, _regions=regions)
