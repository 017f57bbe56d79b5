"""Sentence stage: underthesea's splitter, with offsets, paragraph lines and abbreviations.

underthesea returns sentence strings, not positions; each is found again in the text so
that every sentence is a (start, end) span of the text it came from.
"""

from __future__ import annotations

import functools

import regex

from xhs_extract import regexes
from xhs_extract.language import abbreviations_data

_PARAGRAPH = regexes.compile(r"[^\n]+")
_SPACE = regexes.compile(r"\s+")


@functools.lru_cache(maxsize=1)
def _abbreviation_tail() -> regex.Pattern:
    words = sorted(abbreviations_data().abbreviations, key=len, reverse=True)
    alternation = "|".join(regex.escape(w) for w in words)
    # An abbreviation is a whole word: preceded by a space, a bracket or the start.
    return regexes.compile(rf"(?:^|[\s(\[\"'])(?:{alternation})$")


@functools.lru_cache(maxsize=1)
def _tokenizer():
    """underthesea's `sent_tokenize`, loaded when the first paragraph needs splitting.

    Importing the `underthesea` package loads all its pipelines (joblib, its text
    normaliser, ...: about half a second); its sentence splitter is a module of its own that
    needs none of them, so that module alone is loaded from the installed package. Should a
    release lay it out otherwise, the package is imported as usual."""
    splitter = _sent_tokenize_alone()
    if splitter is not None:
        return splitter
    from underthesea import sent_tokenize

    return sent_tokenize


def _sent_tokenize_alone():
    import importlib.util
    import os

    try:
        package = importlib.util.find_spec("underthesea")
        if package is None or not package.submodule_search_locations:
            return None
        folder = list(package.submodule_search_locations)[0]
        path = os.path.join(folder, "pipeline", "sent_tokenize", "__init__.py")
        if not os.path.isfile(path):
            return None
        spec = importlib.util.spec_from_file_location("_xhs_extract_sent_tokenize", path)
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.sent_tokenize
    except Exception:  # any surprise: the package's own import path instead
        return None


def _align(text: str, pieces: list[str], offset: int) -> list[tuple[int, int]]:
    """Find each piece again in `text`, in order; spans are relative to `offset`."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = text.find(piece, pos)
        if found < 0:
            # The splitter may have changed inner whitespace: match it loosely.
            pattern = r"\s*".join(regex.escape(part) for part in _SPACE.split(piece) if part)
            match = regexes.compile(pattern).search(text, pos)
            if match is None:
                continue
            found, end = match.start(), match.end()
        else:
            end = found + len(piece)
        spans.append((offset + found, offset + end))
        pos = end
    return spans


def _join_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    tail = _abbreviation_tail()
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and tail.search(text[joined[-1][0] : joined[-1][1]]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def split_paragraph(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph text[start:end] (no newlines inside)."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    if not chunk.strip():
        return []
    spans = _align(chunk, _tokenizer()(chunk), start)
    return _join_abbreviations(text, spans)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Each non-blank line is a paragraph: news files keep one paragraph per line."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if not m.group().isspace()]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Every sentence of `text` as a (start, end) span, in order."""
    spans: list[tuple[int, int]] = []
    for start, end in paragraphs(text):
        spans.extend(split_paragraph(text, start, end))
    return spans


#: How far before a figure its own words are looked for, in characters: its status, period,
#: place and brackets are read from at most this much of its sentence, so that a sentence
#: of thousands of figures (a table flattened into one line) costs linear time, not square.
LOOK_BACK: int = 1500


def look_back(text: str, lo: int, position: int) -> int:
    """`lo`, or where the last LOOK_BACK characters before `position` start (at a word's
    start) when the text from `lo` to `position` is longer than that."""
    if position - lo <= LOOK_BACK:
        return lo
    cut = position - LOOK_BACK
    space = text.find(" ", cut, position)
    return space + 1 if space >= 0 else cut


def bracket_open(text: str, lo: int, position: int) -> int:
    """Where the bracket holding `position` opens, if it opens within text[lo:position];
    else -1."""
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


def clause_start(text: str, lo: int, position: int) -> int:
    """Where the clause holding `position` starts within the sentence starting at `lo`:
    after the last semicolon before it, else the sentence start."""
    semicolon = text.rfind(";", lo, position)
    return lo if semicolon < 0 else semicolon + 1


def clause_end(text: str, position: int, hi: int) -> int:
    """Where the clause holding `position` ends: its semicolon (kept) or the sentence end `hi`."""
    semicolon = text.find(";", position, hi)
    return hi if semicolon < 0 else semicolon + 1
