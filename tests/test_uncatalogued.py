"""`extract --uncatalogued FILE`: the figures whose frame fits no catalogue entry."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from xhs_extract.cli import app
from xhs_extract.pipeline import process_text
from xhs_extract.uncatalogued import uncatalogued

# Staff trained in a skill are no population of the catalogue; households with fibre are.
TEXT = (
    "Chuyển đổi số của huyện có nhiều kết quả. Toàn huyện có 82% hộ gia đình có Internet "
    "cáp quang, tăng 12% so với năm trước; 1.250 cán bộ, công chức được cấp chữ ký số."
)


def test_a_figure_of_a_population_the_catalogue_lacks_is_listed_with_its_phrases():
    records = process_text(TEXT, "d").records
    assert [r.indicator for r in records] == ["household_fiber_broadband_rate"]
    (line,) = uncatalogued(TEXT, "d", records)
    start, end = line["value_span"]
    assert TEXT[start:end] == "1.250" and line["value"] == 1250 and line["unit"] == "count"
    population, prop = line["population"], line["property"]
    assert population["class"] == "staff"
    assert TEXT[population["start"] : population["end"]] == population["text"]
    assert population["text"].startswith("cán bộ")
    assert prop["class"] == "digital_signature" and prop["text"] == "chữ ký số"


def test_records_and_changes_are_not_listed():
    records = process_text(TEXT, "d").records
    spans = {tuple(line["value_span"]) for line in uncatalogued(TEXT, "d", records)}
    assert all(TEXT[s:e] not in ("82%", "12%") for s, e in spans)


def test_extract_writes_the_uncatalogued_figures(tmp_path: Path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    gaps = tmp_path / "gaps.jsonl"
    result = CliRunner().invoke(
        app, ["extract", str(corpus), "-o", str(tmp_path / "out.jsonl"), "-q",
              "--uncatalogued", str(gaps)],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in gaps.read_text(encoding="utf-8").splitlines()]
    assert [(line["doc_id"], line["population"]["class"]) for line in lines] == [("a", "staff")]
