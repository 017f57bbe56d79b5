"""Screenshots of a review page and of the report for the README (docs/*.png).

    .venv/bin/python scripts/screenshots.py [OUT]

Extracts corpus/ into OUT (default out/), writes the report with its review pages, and has
headless Chromium (Debian's `chromium`) take 1400-pixel-wide shots of both.
"""

from __future__ import annotations

import sys
from pathlib import Path

from typer.testing import CliRunner

from xhs_extract.browser import Browser
from xhs_extract.cli import app

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = "01-laocai-ha-tang-so"


def main(out: Path) -> None:
    runner = CliRunner()
    for args in (
        ["extract", str(ROOT / "corpus"), "-o", str(out / "statistics.jsonl"), "-q"],
        ["report", str(out / "statistics.jsonl"), "--corpus", str(ROOT / "corpus"),
         "-o", str(out / "report")],
    ):
        result = runner.invoke(app, args)
        if result.exit_code:
            sys.exit(result.output)
    docs = ROOT / "docs"
    with Browser(1400, 900) as browser:
        browser.open(out / "report" / "review" / f"{ARTICLE}.html")
        browser.screenshot(docs / "review.png", full_page=True)
        browser.open(out / "report" / "index.html", settle=1.5)
        browser.screenshot(docs / "report.png")
        for section, name in (("shares", "report-heatmap.png"), ("indicators", "report-charts.png"),
                              ("provinces", "report-provinces.png")):
            browser.evaluate(f"document.getElementById('{section}').scrollIntoView()")
            browser.evaluate("0")
            browser.screenshot(docs / name)
        if browser.errors:
            sys.exit(f"the pages logged errors: {browser.errors}")
    print(f"screenshots in {docs}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out")
