"""Compiling the project's regular expressions, with their compiled programs kept on disk.

`regex` parses and compiles a pattern in Python: the warm-up of a process (the number
grammar, the frame lexicons, the rules, about 280 patterns) spent 0.3 s of its 0.4 s
there, in every process of every run. A compiled `regex.Pattern` is fully described by
the program its pickling support exports (`copyreg`: the pattern, its flags, its code and
group tables), and rebuilding a pattern from that program takes about 10 µs.

So the warm-up runs inside `kept()`: the patterns compiled there are rebuilt from the
program cache (`cache.py`, entry `regexes`) when it holds them, compiled and added to it
otherwise. The entry is keyed by everything the programs depend on: the pattern files, the
package's code, the Python version (as every entry) and the `regex` version. A program
that cannot be rebuilt, or rebuilds into another pattern, is compiled again, never
trusted. Outside `kept()`, `compile` is `regex.compile` behind a dictionary of the
patterns already made (bounded: only those of the warm-up).

Patterns compiled with named lists (keyword arguments) are not kept: their program depends
on the lists' contents.
"""

from __future__ import annotations

import base64
import contextlib
import copyreg
import functools
import hashlib
import threading
from typing import Any, Callable, Iterator, Optional

import regex

from xhs_extract import cache

ENTRY = "regexes"

#: Patterns made so far, by (pattern, flags): those compiled or rebuilt within `kept()`.
_made: dict[tuple[str, int], regex.Pattern] = {}
_session: Optional["_Session"] = None
_session_lock = threading.Lock()


def compile(pattern: str, flags: int = 0) -> regex.Pattern:  # noqa: A001 - regex's own name
    """`regex.compile(pattern, flags)`, from the programs kept on disk within `kept()`."""
    found = _made.get((pattern, flags))
    if found is not None:
        return found
    session = _session
    if session is None or not isinstance(pattern, str):
        return regex.compile(pattern, flags)
    return session.compile(pattern, flags)


def longest_first(word: str) -> tuple[int, str]:
    """The sort key of an alternation's words: longest first (a longer word wins over its
    prefix), then in a fixed order, so that a pattern built from a set is the same string in
    every process (its program is kept on disk under that string)."""
    return -len(word), word


def search(pattern: str, string: str, flags: int = 0) -> Optional[regex.Match]:
    return compile(pattern, flags).search(string)


def match(pattern: str, string: str, flags: int = 0) -> Optional[regex.Match]:
    return compile(pattern, flags).match(string)


def findall(pattern: str, string: str, flags: int = 0) -> list:
    return compile(pattern, flags).findall(string)


def split(pattern: str, string: str, flags: int = 0) -> list:
    return compile(pattern, flags).split(string)


def sub(pattern: str, replacement: Any, string: str, flags: int = 0) -> str:
    return compile(pattern, flags).sub(replacement, string)


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """Within: patterns come from the program cache, and those it lacks are added to it
    at the end. One session at a time: a `kept()` entered while another is open (another
    thread's warm-up) runs its block within the open one."""
    global _session
    if not _session_lock.acquire(blocking=False):
        yield
        return
    try:
        session = _Session.open()
        _session = session
        try:
            yield
        finally:
            _session = None
            session.close()
    finally:
        _session_lock.release()


def entry_key() -> str:
    """The program cache's key: the project's sources (`cache.source_key`) and the
    `regex` version and default syntax version, which shape the programs."""
    digest = hashlib.sha256()
    for part in (cache.source_key(), regex.__version__, str(regex.DEFAULT_VERSION)):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _reduced(compiled: regex.Pattern) -> Optional[tuple[Any, tuple]]:
    """The constructor and arguments `regex` pickles a pattern with; None when it has
    none of that shape (a `regex` whose pickling changed: no programs are kept)."""
    reduce = copyreg.dispatch_table.get(regex.Pattern)
    if reduce is None:
        return None
    try:
        reduced: Any = reduce(compiled)
    except Exception:
        return None
    if not isinstance(reduced, tuple) or len(reduced) != 2 or not callable(reduced[0]):
        return None
    constructor, arguments = reduced
    if not isinstance(arguments, tuple) or len(arguments) != 11:
        return None
    return constructor, arguments


@functools.lru_cache(maxsize=1)
def _rebuilder() -> Optional[Callable[..., regex.Pattern]]:
    """The constructor patterns are rebuilt with; None if `regex` exports none."""
    reduced = _reduced(regex.compile(""))
    return None if reduced is None else reduced[0]


def program(compiled: regex.Pattern) -> Optional[list]:
    """A compiled pattern's program as JSON values; None when it cannot be kept."""
    reduced = _reduced(compiled)
    if reduced is None:
        return None
    pattern, flags, code, group_index, index_group, lists, list_indexes, *rest = reduced[1]
    req_offset, req_chars, req_flags, group_count = rest
    if lists or list_indexes or not isinstance(pattern, str) or not isinstance(code, bytes):
        return None
    return [
        pattern,
        flags,
        base64.b64encode(code).decode("ascii"),
        sorted(group_index.items()),
        sorted(index_group.items()),
        req_offset,
        list(req_chars),
        req_flags,
        group_count,
    ]


def rebuild(kept_program: list, constructor: Callable[..., regex.Pattern]) -> regex.Pattern:
    """The pattern a program describes (raises on a program of the wrong shape)."""
    pattern, flags, code, group_index, index_group, req_offset, req_chars, *rest = kept_program
    req_flags, group_count = rest
    return constructor(
        pattern,
        flags,
        base64.b64decode(code, validate=True),
        {name: number for name, number in group_index},
        {number: name for number, name in index_group},
        {},
        [],
        req_offset,
        tuple(req_chars),
        req_flags,
        group_count,
    )


class _Session:
    """The programs of the cache entry, and the patterns compiled while it is open."""

    def __init__(self, key: str, stored: dict, constructor: Any) -> None:
        self.key = key
        self.stored = stored  # (pattern, flags) -> program, from the entry
        self.constructor = constructor
        self.added = False

    @classmethod
    def open(cls) -> "_Session":
        constructor = _rebuilder()
        key = entry_key()
        body = cache.load(ENTRY, key) if constructor is not None else None
        stored: dict = {}
        if isinstance(body, dict) and isinstance(body.get("programs"), list):
            for item in body["programs"]:
                if isinstance(item, list) and len(item) == 3 and isinstance(item[0], str):
                    stored[(item[0], item[1])] = item[2]
        return cls(key, stored, constructor)

    def compile(self, pattern: str, flags: int) -> regex.Pattern:
        key = (pattern, flags)
        compiled = self._rebuilt(key)
        if compiled is None:
            compiled = regex.compile(pattern, flags)
            kept_program = program(compiled) if self.constructor is not None else None
            if kept_program is not None:
                self.stored[key] = kept_program
                self.added = True
        _made[key] = compiled
        return compiled

    def _rebuilt(self, key: tuple[str, int]) -> Optional[regex.Pattern]:
        kept_program = self.stored.get(key)
        if kept_program is None or self.constructor is None:
            return None
        try:
            compiled = rebuild(kept_program, self.constructor)
        except Exception:  # a damaged or foreign program: compiled again and replaced
            compiled = None
        if compiled is None or compiled.pattern != key[0]:
            self.stored.pop(key, None)
            return None
        return compiled

    def close(self) -> None:
        if self.added:
            programs = [[pattern, flags, kept] for (pattern, flags), kept in self.stored.items()]
            programs.sort(key=lambda item: (item[0], item[1]))
            cache.store(ENTRY, self.key, {"programs": programs})
