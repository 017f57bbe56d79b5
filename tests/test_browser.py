"""The review page and the report in a real browser: headless Chromium (Debian's package)
through the DevTools protocol. The DOM is read back and the console must stay clean."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xhs_extract.browser import Browser, find_chromium
from xhs_extract.cli import app
from xhs_extract.review import marks, page_name

pytest.importorskip("websocket", reason="the browser tests need websocket-client (dev extra)")
pytest.importorskip("plotly", reason="the report needs the report extra (plotly)")
if find_chromium() is None:
    pytest.skip(
        "no Chromium here (apt-get install chromium; .ci/run installs it)", allow_module_level=True
    )

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ARTICLE = "01-laocai-ha-tang-so"  # about 3,000 characters
WIDTH, HEIGHT = 1400, 900


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    runner = CliRunner()
    result = runner.invoke(app, ["extract", str(CORPUS), "-o", str(out / "statistics.jsonl"), "-q"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app,
        [
            "report",
            str(out / "statistics.jsonl"),
            "--corpus",
            str(CORPUS),
            "-o",
            str(out / "report"),
        ],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in (out / "statistics.jsonl").read_text().splitlines()]
    return out, records


@pytest.fixture(scope="module")
def browser():
    with Browser(WIDTH, HEIGHT) as chromium:
        yield chromium


def test_review_page_shows_the_article_exactly_with_one_mark_per_record(run, browser):
    out, records = run
    browser.errors.clear()
    browser.open(out / "report" / "review" / page_name(ARTICLE))
    text = (CORPUS / f"{ARTICLE}.txt").read_text(encoding="utf-8")
    assert browser.evaluate("document.querySelector('article').textContent") == text
    found = browser.evaluate(
        "[...document.querySelectorAll('article mark[data-indicator]')]"
        ".map(m => [m.dataset.records, m.textContent, m.title])"
    )
    mine = [r for r in records if r.get("doc_id") == ARTICLE]
    ids = [i for ids, _, _ in found for i in ids.split()]
    assert sorted(ids) == sorted(r["id"] for r in mine)  # every record in exactly one mark
    by_id = {r["id"]: r for r in mine}
    for ids, shown, title in found:
        first = by_id[ids.split()[0]]
        assert shown.startswith(text[first["value_span"][0] : first["value_span"][1]])
        assert first["indicator"] in title and first["unit"] in title
    assert browser.errors == []


def test_a_page_of_three_thousand_characters_fits_in_three_screens(run, browser):
    out, _ = run
    browser.open(out / "report" / "review" / page_name(ARTICLE))
    assert browser.evaluate("document.querySelector('article').textContent.length") >= 3000
    height = browser.evaluate("document.documentElement.scrollHeight")
    assert height < 3 * HEIGHT, f"{height} px"
    sizes = browser.evaluate(
        "[...document.querySelectorAll('article mark')].map(m => m.getBoundingClientRect().height)"
    )
    assert sizes and max(sizes) < 40 and min(sizes) > 14  # marks are inline, labels readable


def test_every_review_page_in_the_browser_keeps_its_text(run, browser):
    out, records = run
    for path in sorted(CORPUS.glob("*.txt"))[::10]:
        browser.open(out / "report" / "review" / page_name(path.stem), settle=0)
        text = path.read_text(encoding="utf-8")
        assert browser.evaluate("document.querySelector('article').textContent") == text
        expected = len(marks_of(records, path.stem))
        assert browser.evaluate("document.querySelectorAll('article mark').length") == expected
    assert browser.errors == []


def marks_of(records, doc_id):
    from xhs_extract.models import Statistic

    return marks(Statistic.model_validate(r) for r in records if r["doc_id"] == doc_id)


def test_report_renders_every_province_and_indicator_without_errors(run, browser):
    out, records = run
    browser.errors.clear()
    browser.open(out / "report" / "index.html", settle=1.0)
    assert browser.errors == []
    provinces = {r["geo"]["province"] for r in records if r.get("geo") and r["geo"].get("province")}
    shown = set(
        browser.evaluate(
            "[...document.querySelectorAll('[data-province]')].map(e => e.dataset.province)"
        )
    )
    assert provinces <= shown
    indicators = {r["indicator"] for r in records}
    listed = set(
        browser.evaluate(
            "[...document.querySelectorAll('table.per-indicator [data-indicator]')]"
            ".map(e => e.dataset.indicator)"
        )
    )
    assert listed == indicators
    charts = browser.evaluate("document.querySelectorAll('.plotly-graph-div').length")
    drawn = browser.evaluate("document.querySelectorAll('.plotly-graph-div .main-svg').length")
    assert charts > 10 and drawn >= charts  # every chart drawn (each has two svg layers)
    remote = browser.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => !n.startsWith('file:') && !n.startsWith('data:'))"
    )
    assert remote == []
