"""Each output line is encoded once: the journal line put together from the parts is the
line the JSONL writer would have written for the whole entry."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from xhs_extract.batch import _Encoded, _entry
from xhs_extract.jsonl import writer
from xhs_extract.pipeline import process_file

REPO = Path(__file__).resolve().parents[1]


def written(entry: dict) -> str:
    handle = io.StringIO()
    with writer(handle) as out:
        out.write(entry)
    return handle.getvalue()


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "corpus").glob("*.txt"))[:3])
def test_the_journal_line_is_the_writers_line(name: str) -> None:
    entry = _entry(process_file(REPO / "corpus" / name, REPO / "corpus"))
    assert entry["records"] and entry["document"] is not None
    encoded = _Encoded(entry)
    assert encoded.journal() == written(entry)
    assert [line + "\n" for line in encoded.records] == [written(r) for r in entry["records"]]
    assert encoded.document + "\n" == written(entry["document"])
    assert encoded.manifest + "\n" == written(entry["manifest"])


def test_a_failed_file_has_no_document_and_no_records(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Tỷ lệ hộ gia đình có Internet cáp quang đạt 92%.\n" * 10, encoding="utf-8")
    entry = _entry(process_file(path, tmp_path, max_bytes=10))
    assert entry["document"] is None and entry["records"] == []
    encoded = _Encoded(entry)
    assert encoded.journal() == written(entry)
    assert encoded.document is None and encoded.records == []
