"""The command line explains itself: help pages, a resumed run, failures, new folders,
the progress bar."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from xhs_extract.batch import BatchOptions, _entry, run_batch
from xhs_extract.cli import app
from xhs_extract.jsonl import writer
from xhs_extract.pipeline import process_file

REPO = Path(__file__).resolve().parents[1]
WIDE = {"COLUMNS": "200", "TERMINAL_WIDTH": "200"}


def commands() -> list[list[str]]:
    """Every command path of the app: ["extract"], ["gold", "check"] …"""
    from typer.main import get_command

    group = get_command(app)
    out = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            out.extend([name, sub] for sub in subcommands)
        out.append([name])
    return out


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted((REPO / "corpus").glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("command", commands(), ids=" ".join)
def test_help_shows_flags_as_flags_and_names_in_capitals(runner, command) -> None:
    result = runner.invoke(app, [*command, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    text = result.output
    assert "<bool>" not in text and not re.search(r"<\w+[^>]*>", text), text
    assert not re.search(r"\{\w+\}", text), text  # no "{corpus}" on the usage line
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert not re.search(r"\b[a-z_]+\b(?=\s*$)", usage.split("[OPTIONS]")[-1]), usage


def test_help_lists_choices_and_says_what_a_value_is(runner) -> None:
    def help_of(*command: str) -> str:
        result = runner.invoke(app, [*command, "--help"], env=WIDE)
        return result.output

    assert re.search(r"Usage: \S*xhs-extract extract \[OPTIONS\] CORPUS", help_of("extract"))
    extract = help_of("extract")
    assert re.search(r"--output\s+-o\s+FILE", extract)
    assert re.search(r"--save-text\s+DIR", extract)
    assert re.search(r"--db\s+URL", extract)
    assert re.search(r"--resume\s+Pick up", extract)  # a flag: no value after it
    assert "[csv|parquet]" in help_of("export")
    assert "[statistic|document]" in help_of("schema")
    assert "[strict|relaxed]" in help_of("evaluate")
    assert "[xhs|labelstudio|doccano|brat]" in help_of("gold", "convert")


def test_a_flag_takes_no_value(runner, corpus, tmp_path) -> None:
    out = tmp_path / "out" / "statistics.jsonl"
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--resume", "true"])
    assert result.exit_code == 2  # "true" is taken as a second corpus, which is refused


def test_a_resumed_run_says_how_many_files_it_skipped(runner, corpus, tmp_path) -> None:
    out = tmp_path / "out" / "statistics.jsonl"
    options = BatchOptions(
        corpus, out, out.with_name("documents.jsonl"), out.with_name("manifest.jsonl")
    )
    options.journal.parent.mkdir(parents=True)
    with options.journal.open("w", encoding="utf-8") as handle, writer(handle) as journal:
        for path in sorted(corpus.iterdir())[:2]:  # two files were done before the crash
            journal.write(_entry(process_file(path, corpus)))
    result = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--resume"])
    assert result.exit_code == 0, result.output
    assert "resumed: 2 of 3 files were done already and were skipped" in result.output


def test_each_failure_is_printed_once_on_one_line(runner, corpus, tmp_path) -> None:
    out = tmp_path / "out" / "statistics.jsonl"
    result = runner.invoke(
        app,
        ["extract", str(corpus), "-o", str(out), "--max-bytes", "10"],
        env={"COLUMNS": "40"},
    )
    assert result.exit_code == 1
    manifest = [json.loads(line) for line in out.with_name("manifest.jsonl").open()]
    assert len(manifest) == 3
    for line in manifest:
        reason = line["reason"]
        assert re.search(r"\[E\d{3}\]", reason)
        # the whole reason on one line however narrow the terminal, and only once
        assert result.output.count(reason) == 1, result.output
        assert result.output.count(line["path"]) == 1, result.output
    assert "3 files failed: see" in result.output


def test_export_creates_its_folder(runner, tmp_path) -> None:
    records = tmp_path / "statistics.jsonl"
    records.write_text("", encoding="utf-8")
    target = tmp_path / "new" / "folder" / "records.csv"
    result = runner.invoke(app, ["export", str(records), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_bench_json_and_evaluate_reports_create_their_folders(runner, tmp_path) -> None:
    gold = REPO / "gold" / "corpus-gold.jsonl"
    if not gold.is_file():
        pytest.skip("no gold file for corpus/")
    report = tmp_path / "a" / "b" / "eval.json"
    markdown = tmp_path / "c" / "eval.md"
    result = runner.invoke(
        app,
        ["evaluate", "--gold", str(gold), "--corpus", str(REPO / "corpus"),
         "--json", str(report), "--markdown", str(markdown)],
    )
    assert result.exit_code == 0, result.output
    assert report.is_file() and markdown.is_file()


def test_the_progress_bar_shows_count_rate_elapsed_and_remaining(corpus, tmp_path) -> None:
    out = tmp_path / "out" / "statistics.jsonl"
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=160, soft_wrap=True)
    options = BatchOptions(
        corpus, out, out.with_name("documents.jsonl"), out.with_name("manifest.jsonl"),
        progress=True,
    )
    summary = run_batch(options, log=console)
    assert summary.files == 3
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "3/3" in shown
    assert "files/s" in shown
    assert re.search(r"\d:\d\d:\d\d", shown)  # elapsed and remaining times
