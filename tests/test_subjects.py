"""Every record's `subject`: the phrase saying what its figure counts and what they have.

For every record of corpus/, the seeds and real-dev: `text[start:end] == subject.text`
(offsets into the original text, as for `value_span`), and the subject is a faithful
phrase: not empty, within the figure's paragraph, near the figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xhs_extract import extract_text
from xhs_extract.pipeline import process_text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
FOLDERS = [ROOT / "corpus", SHARED / "seeds", SHARED / "real-dev"]
NEAR = 200  # characters between a subject and its figure, at most


def _check(raw: str, doc_id: str) -> int:
    records = process_text(raw, doc_id).records
    for record in records:
        subject = record.subject
        assert subject is not None, (doc_id, record.indicator, record.value_span)
        assert raw[subject.start : subject.end] == subject.text
        assert subject.text.strip() and subject.text == subject.text.strip()
        start, end = record.value_span
        lo, hi = min(subject.start, start), max(subject.end, end)
        assert "\n" not in raw[lo:hi], (doc_id, subject.text)  # within its paragraph
        assert max(subject.start - end, start - subject.end) <= NEAR, (doc_id, subject.text)
    return len(records)


@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_every_record_has_a_faithful_subject(folder: Path):
    if not folder.is_dir():
        pytest.skip(f"{folder} is not beside this checkout")
    total = sum(
        _check(path.read_text(encoding="utf-8"), path.stem) for path in sorted(folder.glob("*.txt"))
    )
    assert total > 50


def test_the_subject_is_the_frame_in_the_original_text():
    text = "Đến nay, toàn tỉnh có 81,5% hộ gia đình có Internet cáp quang."
    (record,) = extract_text(text)
    assert record.subject is not None
    assert record.subject.text == "hộ gia đình có Internet cáp quang"
    assert text[record.subject.start : record.subject.end] == record.subject.text
    assert record.to_json_dict()["subject"] == {
        "start": record.subject.start, "end": record.subject.end, "text": record.subject.text
    }


def test_offsets_point_into_the_raw_text_before_normalising():
    text = "Toàn  tỉnh có 81,5%  hộ\u00a0gia đình có Internet cáp quang."
    (record,) = extract_text(text)
    assert record.subject is not None
    assert text[record.subject.start : record.subject.end] == record.subject.text
    assert record.subject.text.startswith("hộ")
