"""The report: one self-contained page over a run, and the commands that write it."""

import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser
from typer.testing import CliRunner

from tests.reviewkit import DISTRICT_A, PROVINCE_B, record
from xhs_extract import report as report_module
from xhs_extract.cli import app

pytest.importorskip("plotly", reason="the report needs the report extra (plotly)")


def write_records(folder: Path, records) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "statistics.jsonl"
    path.write_text(
        "".join(json.dumps(r.to_json_dict(), ensure_ascii=False) + "\n" for r in records)
    )
    (folder / "documents.jsonl").write_text(
        json.dumps({"doc_id": "d1", "published": "2024-05-01", "title": "Bài một"}) + "\n"
    )
    return path


RECORDS = [
    record(value=74.5, start=0),
    record(value=85.0, status="target", period="2025", start=10),
    record(indicator="mobile_base_stations", unit="count", value=900, start=20, geo=PROVINCE_B),
    record(indicator="ehr_population_rate", value=60.0, start=30, geo=DISTRICT_A),
]


def test_report_is_one_page_that_needs_no_network(tmp_path):
    statistics = write_records(tmp_path / "out", RECORDS)
    page = report_module.write_report(
        statistics, tmp_path / "out" / "documents.jsonl", tmp_path / "r"
    )
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html)
    tree = LexborHTMLParser(html)
    scripts = [s.text() for s in tree.css("script")]
    assert any("Plotly" in s and len(s) > 1_000_000 for s in scripts)  # plotly.js inlined
    provinces = {n.attributes["data-province"] for n in tree.css(".old-province")}
    assert provinces == {"Hà Giang", "Tuyên Quang"}
    merged = {n.attributes["data-province-2025"] for n in tree.css("section.province")}
    assert merged == {"Tuyên Quang"}
    charts = {n.attributes["data-indicator"] for n in tree.css(".chart")}
    assert charts == {"adult_smartphone_rate", "mobile_base_stations"}
    assert "national target 2025: 80" in html
    (gap_row,) = tree.css("table.gaps tr[data-indicator='adult_smartphone_rate']")
    assert "5.5" in gap_row.text() and "10.5" in gap_row.text()


def test_report_links_sources_to_review_pages(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = "Lào Cai: tỷ lệ hộ gia đình có Internet cáp quang đạt 84,6%.\n"
    (corpus / "lc.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    assert (
        runner.invoke(
            app, ["extract", str(corpus), "-o", str(out / "statistics.jsonl"), "-q"]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        app,
        [
            "report",
            str(out / "statistics.jsonl"),
            "--corpus",
            str(corpus),
            "-o",
            str(tmp_path / "r"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "report written" in result.output
    tree = LexborHTMLParser((tmp_path / "r" / "index.html").read_text(encoding="utf-8"))
    links = [a.attributes["href"] for a in tree.css("table.facts a")]
    assert links and all(link.startswith("review/lc.html#m-") for link in links)
    review = LexborHTMLParser((tmp_path / "r" / "review" / "lc.html").read_text(encoding="utf-8"))
    assert review.css_first("#" + links[0].split("#")[1]) is not None
    assert review.css_first("article").text(deep=True) == text


def test_report_says_which_extra_is_missing(tmp_path, monkeypatch):
    statistics = write_records(tmp_path / "out", RECORDS)

    def missing():
        raise report_module.MissingExtra(report_module.MISSING_EXTRA)

    monkeypatch.setattr(report_module, "_plotly", missing)
    result = CliRunner().invoke(app, ["report", str(statistics), "-o", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "xhs-extract[report]" in result.output


def test_a_run_without_records_still_gives_a_report(tmp_path):
    empty = tmp_path / "statistics.jsonl"
    empty.write_text("")
    page = report_module.write_report(empty, None, tmp_path / "r")
    tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
    assert tree.css(".chart") == [] and tree.css("section.province") == []
