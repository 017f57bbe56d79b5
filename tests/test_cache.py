"""The cache of what is derived from patterns/: same prefilter, rebuilt when a pattern file
changes, never trusted when damaged, harmless when it cannot be written."""

from __future__ import annotations

import functools
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from xhs_extract import cache
from xhs_extract import prefilter as pf
from xhs_extract.resources import patterns_dir
from xhs_extract.rules import ruleset

TEXT = "Tỷ lệ hộ gia đình có Internet cáp quang đạt 92%."


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    cache.source_key.cache_clear()
    yield tmp_path / "cache"
    cache.source_key.cache_clear()


def counting(body):
    calls = []

    def build():
        calls.append(1)
        return body

    return build, calls


def test_the_cached_prefilter_is_the_one_built_from_the_rules(folder: Path) -> None:
    built = pf.Prefilter.from_rules(ruleset())
    first = cache.cached("prefilter", built.to_json, pf.Prefilter.from_json)
    assert cache.entry_path("prefilter", cache.source_key()).is_file()
    again = cache.cached("prefilter", lambda: pytest.fail("rebuilt"), pf.Prefilter.from_json)
    for loaded in (first, again):
        assert loaded.rules == built.rules
        assert loaded._compiled == built._compiled
        assert loaded.candidates(TEXT) == built.candidates(TEXT)
        assert loaded.may_match("hai trạm") == built.may_match("hai trạm")
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary left


def test_a_changed_pattern_file_rebuilds(folder: Path, tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "patterns"
    shutil.copytree(patterns_dir(), copy)
    monkeypatch.setattr("xhs_extract.resources.patterns_dir", lambda: copy)
    cache.source_key.cache_clear()
    build, calls = counting({"n": 1})
    assert cache.cached("thing", build, dict) == {"n": 1}
    assert cache.cached("thing", build, dict) == {"n": 1}
    assert len(calls) == 1
    with (copy / "phrasings.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n# a comment is a change too\n")
    cache.source_key.cache_clear()
    assert cache.cached("thing", build, dict) == {"n": 1}
    assert len(calls) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"{not json",
        lambda data: data[: len(data) // 2],
        lambda data: data.replace(b'"n":1', b'"n":2'),  # the digest no longer matches
        lambda data: b"",
    ],
    ids=["not-json", "cut", "changed", "empty"],
)
def test_a_damaged_entry_is_rebuilt_never_trusted(folder: Path, damage) -> None:
    build, calls = counting({"n": 1})
    cache.cached("thing", build, dict)
    path = cache.entry_path("thing", cache.source_key())
    path.write_bytes(damage(path.read_bytes()))
    assert cache.cached("thing", build, dict) == {"n": 1}
    assert len(calls) == 2
    assert json.loads(path.read_bytes())["body"] == {"n": 1}  # written whole again


def test_a_body_that_does_not_hold_together_is_rebuilt(folder: Path) -> None:
    built = pf.Prefilter.from_rules(ruleset())
    body = built.to_json()
    body["patterns"] = body["patterns"][:-1]  # one pattern short of the clauses
    cache.store("prefilter", cache.source_key(), body)
    with pytest.raises(ValueError):
        pf.Prefilter.from_json(body)
    rebuilt = cache.cached("prefilter", built.to_json, pf.Prefilter.from_json)
    assert rebuilt._compiled == built._compiled


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_builds_in_memory(folder: Path) -> None:
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        build, calls = counting({"n": 1})
        assert cache.cached("thing", build, dict) == {"n": 1}
        assert cache.cached("thing", build, dict) == {"n": 1}
        assert len(calls) == 2
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(stat.S_IRWXU)


def test_a_cache_folder_that_cannot_be_made_builds_in_memory(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))
    build, calls = counting({"n": 1})
    assert cache.cached("thing", build, dict) == {"n": 1}
    assert cache.cached("thing", build, dict) == {"n": 1}
    assert len(calls) == 2


def test_an_empty_setting_turns_the_cache_off(monkeypatch) -> None:
    monkeypatch.setenv(cache.ENV_DIR, "")
    assert cache.cache_dir() is None
    assert cache.store("thing", "key", {"n": 1}) is False


def test_the_default_folder_follows_xdg(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "xhs-extract"


def test_the_project_prefilter_comes_from_the_cache(folder: Path, monkeypatch) -> None:
    pf.prefilter.cache_clear()
    try:
        first = pf.prefilter()
        assert cache.entry_path("prefilter", cache.source_key()).is_file()
        pf.prefilter.cache_clear()
        monkeypatch.setattr(pf, "_project_prefilter_json", lambda: pytest.fail("rebuilt"))
        second = pf.prefilter()
        assert second.rules == first.rules and second._compiled == first._compiled
    finally:
        pf.prefilter.cache_clear()


def test_a_cache_that_cannot_be_written_builds_in_memory(folder: Path, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
    build, calls = counting({"n": 1})
    assert cache.cached("thing", build, dict) == {"n": 1}
    assert cache.cached("thing", build, dict) == {"n": 1}
    assert len(calls) == 2


def test_two_installations_sharing_the_folder_keep_an_entry_each(folder: Path, monkeypatch) -> None:
    """Two versions (or working copies) using one cache folder in turn: each builds its
    entry once, not on every run of the other's."""
    build, calls = counting({"n": 1})
    keys = ["a" * 64, "b" * 64]
    for _turn in range(3):
        for key in keys:
            monkeypatch.setattr(cache, "source_key", functools.lru_cache(lambda key=key: key))
            assert cache.cached("thing", build, dict) == {"n": 1}
    assert len(calls) == 2
    assert sorted(p.name for p in folder.iterdir()) == ["thing-aaaaaaaaaaaa.json",
                                                       "thing-bbbbbbbbbbbb.json"]


def test_only_the_newest_entries_of_a_name_are_kept(folder: Path) -> None:
    folder.mkdir()
    (folder / "thing.json").write_text("{}")  # the layout before keys were in names
    (folder / "other-000000000000.json").write_text("{}")  # another name: not touched
    for number in range(cache.KEEP + 2):
        key = f"{number:x}" * 64
        assert cache.store("thing", key, {"n": number})
        os.utime(cache.entry_path("thing", key), (1000 + number, 1000 + number))
    kept = sorted(p.name for p in folder.glob("thing*"))
    newest = [f"thing-{f'{n:x}' * 12}.json" for n in range(2, cache.KEEP + 2)]
    assert kept == sorted(newest)
    assert (folder / "other-000000000000.json").is_file()
