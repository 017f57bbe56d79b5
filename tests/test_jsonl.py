"""JSON Lines in and out, and atomic replacement of output files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xhs_extract.jsonl import atomic_output, read_lines, write_jsonl


def test_lines_split_on_newline_only_and_blank_lines_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"t": "a\u2028b\u0085c"}\n\n   \n{"t": 2}\r\n', encoding="utf-8")
    assert list(read_lines(path)) == [(1, {"t": "a\u2028b\u0085c"}), (4, {"t": 2})]


def test_a_bad_line_is_reported_with_its_number_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"a": 1}\n\xff\xfe\n{oops\nnull\n')
    bad: list[tuple[int, str]] = []
    lines = list(read_lines(path, lambda number, error: bad.append((number, type(error).__name__))))
    assert lines == [(1, {"a": 1}), (4, None)]
    assert bad == [(2, "UnicodeDecodeError"), (3, "JSONDecodeError")]


def test_a_bad_line_raises_by_default(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("[1]\n{oops\n", encoding="utf-8")
    with pytest.raises(json.JSONDecodeError):
        list(read_lines(path))


def test_written_lines_read_back(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "out.jsonl"
    objects = [{"tên": "Sơn La", "n": 1}, [1, 2]]
    assert write_jsonl(path, objects) == 2
    assert path.read_text(encoding="utf-8") == '{"tên":"Sơn La","n":1}\n[1,2]\n'
    assert [value for _, value in read_lines(path)] == objects
    write_jsonl(path, objects[:1], compact=False)
    assert path.read_text(encoding="utf-8") == '{"tên": "Sơn La", "n": 1}\n'


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(path) as handle:
        handle.write("new")
        raise RuntimeError("stop")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
