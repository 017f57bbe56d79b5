"""Compiled patterns kept on disk (`regexes.py`): a rebuilt pattern is the compiled one,
a second process's warm-up compiles nothing the first kept, a damaged or foreign program
is compiled again, and outside the warm-up nothing is kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import hypothesis.strategies as st
import pytest
import regex
from hypothesis import given, settings

from xhs_extract import cache, regexes

PATTERNS = [
    (r"(?P<value>\d+(?:[.,]\d+)?)\s*(?:%|phần trăm)", regex.IGNORECASE),
    (r"(?<=[\p{L}\p{M},;(] |^)\p{Lu}[\p{L}\p{M}]* $", 0),
    (r"\X", 0),
    (r"[[\p{L}]--[a-z]]+", regex.V1),
    (r"^(?:Tính đến|Đến)\s+(?:hết\s+)?(?:ngày|tháng|năm)\b", regex.IGNORECASE | regex.MULTILINE),
    (r"(a)(?:b|c)*\1(?!d)", 0),
    (r"(?i)xã\s+(?P<name>\w+(?:\s\w+)?)", 0),
    (r"\b(?:hộ gia đình|người dân){e<=1}", 0),
    (r".", regex.DOTALL),
]
TEXTS = [
    "Tỷ lệ hộ gia đình có Internet cáp quang đạt 92,5 %, tăng 3 phần trăm.",
    "Tại xã Định Hóa, Tổ công nghệ số cộng đồng: 209/209.",
    "abcacbad abba Ánh ÁNH\nTính đến hết năm 2024, hộ gia dình",
    "",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    cache.source_key.cache_clear()
    made = dict(regexes._made)
    regexes._made.clear()
    yield tmp_path / "cache"
    regexes._made.clear()
    regexes._made.update(made)
    cache.source_key.cache_clear()


def _same(one: regex.Pattern, other: regex.Pattern) -> None:
    assert one._pickled_data == other._pickled_data
    for text in TEXTS:
        assert [m.span() for m in one.finditer(text)] == [m.span() for m in other.finditer(text)]
        found, again = one.search(text), other.search(text)
        assert (found and found.groupdict()) == (again and again.groupdict())


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_rebuilt_program_is_the_compiled_pattern(pattern: str, flags: int) -> None:
    compiled = regex.compile(pattern, flags)
    kept = regexes.program(compiled)
    assert kept is not None
    kept = json.loads(json.dumps(kept))  # as it comes back from the cache file
    _same(regexes.rebuild(kept, regexes._rebuilder()), compiled)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "ă", "\\d", "\\s", "(x)", "[a-c]", "|", "?", "+"]),
                min_size=1, max_size=12))
def test_any_pattern_comes_back_as_it_was(parts: list[str]) -> None:
    pattern = "".join(parts)
    try:
        compiled = regex.compile(pattern)
    except regex.error:
        return
    kept = json.loads(json.dumps(regexes.program(compiled)))
    _same(regexes.rebuild(kept, regexes._rebuilder()), compiled)


def test_a_second_warm_up_compiles_nothing_the_first_kept(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with regexes.kept():
        first = [regexes.compile(p, f) for p, f in PATTERNS]
    entry = cache.entry_path(regexes.ENTRY, regexes.entry_key())
    assert entry is not None and entry.is_file()

    regexes._made.clear()
    monkeypatch.setattr(regexes.regex, "compile", _no_compile)
    with regexes.kept():
        again = [regexes.compile(p, f) for p, f in PATTERNS]
    for one, other in zip(first, again, strict=True):
        _same(one, other)


def _no_compile(*_args, **_kwargs):  # noqa: ANN202
    raise AssertionError("compiled again although its program was kept")


def test_within_a_warm_up_a_pattern_is_made_once(folder: Path) -> None:
    with regexes.kept():
        one = regexes.compile(*PATTERNS[0])
        assert regexes.compile(*PATTERNS[0]) is one
    assert regexes.compile(*PATTERNS[0]) is one


def test_outside_a_warm_up_nothing_is_kept(folder: Path) -> None:
    compiled = regexes.compile(r"(?P<n>\d+) trạm BTS", regex.IGNORECASE)
    assert compiled.search("có 12 trạm BTS")["n"] == "12"
    assert regexes._made == {}
    assert not folder.exists() or not list(folder.iterdir())


def test_a_damaged_program_is_compiled_again_and_replaced(folder: Path) -> None:
    pattern, flags = PATTERNS[0]
    with regexes.kept():
        regexes.compile(pattern, flags)
    entry = cache.entry_path(regexes.ENTRY, regexes.entry_key())
    data = json.loads(entry.read_text(encoding="utf-8"))
    program = data["body"]["programs"][0][2]
    program[0] = "another pattern"  # a program that rebuilds into another pattern
    data["digest"] = cache._digest(data["body"])  # whole as a file, wrong as a program
    entry.write_text(json.dumps(data), encoding="utf-8")

    regexes._made.clear()
    with regexes.kept():
        compiled = regexes.compile(pattern, flags)
    assert compiled.pattern == pattern
    assert compiled.search("đạt 92 %")["value"] == "92"
    repaired = json.loads(entry.read_text(encoding="utf-8"))["body"]["programs"]
    assert repaired[0][2][0] == pattern


def test_the_key_changes_with_the_regex_version(monkeypatch: pytest.MonkeyPatch) -> None:
    key = regexes.entry_key()
    monkeypatch.setattr(regexes.regex, "__version__", "0.0.0")
    assert regexes.entry_key() != key


def test_without_a_cache_folder_patterns_are_compiled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_DIR, "")
    regexes._made.pop(PATTERNS[2], None)
    with regexes.kept():
        compiled = regexes.compile(*PATTERNS[2])
    assert [m.group() for m in compiled.finditer("ế")] == ["ế"]


def test_a_regex_without_its_pickling_keeps_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(regexes.copyreg.dispatch_table, regex.Pattern)
    regexes._rebuilder.cache_clear()
    try:
        with regexes.kept():
            compiled = regexes.compile(*PATTERNS[0])
    finally:
        regexes._rebuilder.cache_clear()
    assert compiled.search("92%") is not None
    assert not folder.exists() or not list(folder.iterdir())


_WARM_UP_PATTERNS = """
import json, sys
from xhs_extract import pipeline, regexes
pipeline._warm()
json.dump(sorted([pattern, int(flags)] for pattern, flags in regexes._made), sys.stdout)
"""


def test_the_warm_up_makes_the_same_patterns_in_every_process(tmp_path: Path) -> None:
    """A pattern built from a set in the set's order would be another string in each
    process (str hashes are salted per process): its program would be added again on
    every run and the entry would grow without end."""
    made = []
    for seed in ("1", "2"):
        environment = {**os.environ, "PYTHONHASHSEED": seed, cache.ENV_DIR: ""}
        done = subprocess.run(
            [sys.executable, "-c", _WARM_UP_PATTERNS], env=environment,
            capture_output=True, text=True, check=True, cwd=tmp_path,
        )
        made.append(json.loads(done.stdout))
    assert len(made[0]) > 200
    assert made[0] == made[1]
