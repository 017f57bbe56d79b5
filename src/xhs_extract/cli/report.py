"""Commands from records to answers: review, consolidate, gaps, report (on the shared app)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from xhs_extract.cli.app import app, make_parent


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=code)


def _documents_beside(records: Path, documents: Optional[Path]) -> Optional[Path]:
    """The documents file given, else documents.jsonl beside the records when it exists."""
    if documents is not None:
        return documents
    beside = records.with_name("documents.jsonl")
    return beside if beside.exists() else None


@app.command()
def review(
    source: Path = typer.Argument(..., help="One article (.txt, .html) or a folder of them."),
    output: Optional[Path] = typer.Option(
        None,
        "--output",
        "-o",
        metavar="PATH",
        help="The page to write (default review.html); for a folder, the site's folder "
        "(default review/).",
    ),
    jobs: int = typer.Option(
        1, "--jobs", "-j", metavar="N", min=1,
        help="Worker processes for a folder."
    ),
) -> None:
    """Show articles with every extracted figure marked, for checking by eye.

    The article appears character for character; each record is a mark whose tooltip gives
    value, unit, qualifier, status, period, place and subject. Beside it: a legend of the
    indicators, the records, and the figures rejected with their reasons. For a folder,
    one page per article and an `index.html` listing them all.
    """
    from xhs_extract.pipeline import process_file
    from xhs_extract.report import write_review_site
    from xhs_extract.review import render_result

    if source.is_dir():
        site = output or Path("review")
        count = write_review_site(source, site, jobs)
        typer.echo(f"{count} documents reviewed: {site / 'index.html'}", err=True)
        return
    if not source.exists():
        _fail(f"{source}: no such file or folder", 2)
    result = process_file(source, source.parent)
    if result.status != "ok":
        _fail(result.reason or f"{source}: could not be read", 2)
    page = output or Path("review.html")
    make_parent(page).write_text(render_result(result), encoding="utf-8")
    typer.echo(f"{len(result.records)} records marked in {page}", err=True)


@app.command()
def consolidate(
    records: Path = typer.Argument(..., help="Statistic records (JSONL) from `extract`."),
    output: Path = typer.Option(
        Path("facts.jsonl"), "--output", "-o", metavar="FILE", help="Where the facts go (JSONL)."
    ),
    documents: Optional[Path] = typer.Option(
        None,
        "--documents", metavar="FILE",
        help="Documents JSONL of the same run (publication dates). "
        "Default: documents.jsonl beside RECORDS.",
    ),
    by_province_2025: Optional[Path] = typer.Option(
        None,
        "--by-province-2025", metavar="FILE",
        help="Also write the merged-province view (JSON): each province after 2025 with "
        "its old provinces' facts.",
    ),
    db: Optional[str] = typer.Option(
        None, "--db", metavar="URL", help="Also write the facts into this database's `facts` table."
    ),
) -> None:
    """One fact per place, indicator, unit, status and period, with its sources.

    The value is that of the latest published source; `conflict` marks facts whose sources
    disagree by more than 0.5 percentage points (shares) or 1 % (other units). Values are
    never summed or averaged.
    """
    from xhs_extract.consolidate import (
        consolidate as build,
    )
    from xhs_extract.consolidate import (
        province_2025_json,
        read_published,
        read_records,
        write_facts,
    )

    facts = build(read_records(records), read_published(_documents_beside(records, documents)))
    count = write_facts(facts, output)
    conflicts = sum(fact.conflict for fact in facts)
    if by_province_2025 is not None:
        view = province_2025_json(facts)
        text = json.dumps(view, ensure_ascii=False, indent=1) + "\n"
        make_parent(by_province_2025).write_text(text)
    if db is not None:
        from xhs_extract.consolidate import write_facts_table

        write_facts_table(db, facts)
    typer.echo(f"{count} facts ({conflicts} with conflicting sources) in {output}", err=True)


@app.command()
def gaps(
    records: Path = typer.Argument(..., help="Statistic records (JSONL) from `extract`."),
    output: Path = typer.Option(
        Path("gaps.jsonl"), "--output", "-o", metavar="FILE", help="The gap table (JSONL)."
    ),
    documents: Optional[Path] = typer.Option(
        None, "--documents", metavar="FILE",
        help="Documents JSONL (default: documents.jsonl beside RECORDS)."
    ),
) -> None:
    """For each province and indicator: the latest value, its own and the national target,
    and the gap to each."""
    from xhs_extract.consolidate import consolidate as build
    from xhs_extract.consolidate import read_published, read_records
    from xhs_extract.gaps import gap_table

    facts = build(read_records(records), read_published(_documents_beside(records, documents)))
    rows = gap_table(facts)
    with make_parent(output).open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row.to_json_dict(), ensure_ascii=False) + "\n")
    typer.echo(f"{len(rows)} province and indicator rows in {output}", err=True)


@app.command()
def report(
    records: Path = typer.Argument(..., help="Statistic records (JSONL) from `extract`."),
    documents: Optional[Path] = typer.Option(
        None, "--documents", metavar="FILE",
        help="Documents JSONL (default: documents.jsonl beside RECORDS)."
    ),
    output: Path = typer.Option(
        Path("report"), "--output", "-o", metavar="DIR",
        help="The report's folder."
    ),
    corpus: Optional[Path] = typer.Option(
        None,
        "--corpus", metavar="DIR",
        help="The articles the records came from: review pages are written beside the report "
        "and its sources link to them.",
    ),
    jobs: int = typer.Option(
        1, "--jobs", "-j", metavar="N", min=1, help="Worker processes for the review pages."
    ),
) -> None:
    """A static HTML report that opens offline: overview, heat map, charts against the
    national targets, and each province's facts, gaps and sources.

    Needs the `report` extra (plotly): pip install 'xhs-extract[report]'.
    """
    from xhs_extract.report import MissingExtra, write_report

    if not records.exists():
        _fail(f"{records}: no such file", 2)
    try:
        page = write_report(records, _documents_beside(records, documents), output, corpus, jobs)
    except MissingExtra as error:
        _fail(str(error))
        return
    typer.echo(f"report written: {page}")
