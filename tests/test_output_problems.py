"""Output problems of the commands that read records: review, report, consolidate, gaps,
export, load. An output that is a folder, one inside a file, a full disk: each ends the
command with one line naming the path and its code (E400, E401), exit 2, no traceback.

As root every folder is writable, so a read-only folder is not among the cases; a file
standing where a folder should be, and a folder where a file should be, take its place.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xhs_extract.batch import BatchOptions, run_batch
from xhs_extract.cli import app

REPO = Path(__file__).resolve().parents[1]
ARTICLES = sorted((REPO / "corpus").glob("*.txt"))[:6]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """A small extract run: its folder holds statistics.jsonl and documents.jsonl."""
    base = tmp_path_factory.mktemp("outputs")
    corpus = base / "corpus"
    corpus.mkdir()
    for article in ARTICLES:
        shutil.copy(article, corpus / article.name)
    out = base / "run"
    run_batch(
        BatchOptions(
            corpus=corpus,
            output=out / "statistics.jsonl",
            documents=out / "documents.jsonl",
            manifest=out / "manifest.jsonl",
        )
    )
    assert (out / "statistics.jsonl").stat().st_size > 0
    return out


def _invoke(*args: object):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _refused(result, path: object, code: str = "E400") -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert str(path) in lines[0] and f"[{code}]" in lines[0], lines[0]
    assert "Traceback" not in result.output


def _file_as_parent(tmp_path: Path) -> Path:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    return blocker


def _full_disk(monkeypatch) -> None:
    """Every write of a file's content fails as on a full disk."""
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("xhs_extract.jsonl._sync", full)
    monkeypatch.setattr(Path, "write_text", full)


# --- consolidate and gaps: one JSONL file each


@pytest.mark.parametrize("command", ["consolidate", "gaps"])
def test_a_folder_as_the_output_is_refused(run, tmp_path, command):
    folder = tmp_path / "facts.jsonl"
    folder.mkdir()
    _refused(_invoke(command, run / "statistics.jsonl", "-o", folder), folder)


@pytest.mark.parametrize("command", ["consolidate", "gaps"])
def test_an_output_inside_a_file_is_refused(run, tmp_path, command):
    target = _file_as_parent(tmp_path) / "out" / "facts.jsonl"
    _refused(_invoke(command, run / "statistics.jsonl", "-o", target), target)


@pytest.mark.parametrize("command", ["consolidate", "gaps"])
def test_a_full_disk_names_the_output_and_keeps_the_old_file(run, tmp_path, monkeypatch, command):
    target = tmp_path / "facts.jsonl"
    target.write_text("old\n", encoding="utf-8")
    _full_disk(monkeypatch)
    result = _invoke(command, run / "statistics.jsonl", "-o", target)
    _refused(result, target)
    assert "No space left on device" in result.output
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.jsonl"]  # no temporary left


@pytest.mark.parametrize("command", ["consolidate", "gaps"])
def test_the_records_may_not_be_overwritten(run, tmp_path, command):
    records = tmp_path / "statistics.jsonl"
    shutil.copy(run / "statistics.jsonl", records)
    _refused(_invoke(command, records, "-o", records), records, "E401")


def test_consolidate_checks_the_merged_province_view_too(run, tmp_path):
    folder = tmp_path / "view.json"
    folder.mkdir()
    result = _invoke(
        "consolidate", run / "statistics.jsonl", "-o", tmp_path / "facts.jsonl",
        "--by-province-2025", folder,
    )
    _refused(result, folder)
    assert not (tmp_path / "facts.jsonl").exists()  # refused before any work


@pytest.mark.parametrize("command", ["consolidate", "gaps"])
def test_a_missing_input_is_not_called_an_output_problem(tmp_path, command):
    result = _invoke(command, tmp_path / "missing.jsonl", "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 2 and "no such file" in result.output
    assert "cannot write" not in result.output


# --- export


def test_export_refuses_a_folder_a_file_as_parent_and_a_full_disk(run, tmp_path, monkeypatch):
    records = run / "statistics.jsonl"
    folder = tmp_path / "out.csv"
    folder.mkdir()
    _refused(_invoke("export", records, "-o", folder), folder)
    inside = _file_as_parent(tmp_path) / "out.csv"
    _refused(_invoke("export", records, "-o", inside), inside)
    target = tmp_path / "full.csv"
    _full_disk(monkeypatch)
    _refused(_invoke("export", records, "-o", target), target)
    assert not target.exists()


# --- review: one page, or a site


def test_review_of_one_article_refuses_bad_pages(tmp_path, monkeypatch):
    article = ARTICLES[0]
    folder = tmp_path / "page.html"
    folder.mkdir()
    _refused(_invoke("review", article, "-o", folder), folder)
    inside = _file_as_parent(tmp_path) / "page.html"
    _refused(_invoke("review", article, "-o", inside), inside)
    copy = tmp_path / "article.txt"
    shutil.copy(article, copy)
    _refused(_invoke("review", copy, "-o", copy), copy, "E401")
    _full_disk(monkeypatch)
    _refused(_invoke("review", article, "-o", tmp_path / "full.html"), tmp_path / "full.html")


def test_review_of_a_folder_refuses_a_bad_site(run, tmp_path, monkeypatch):
    corpus = run.parent / "corpus"
    site = tmp_path / "site"
    site.write_text("a file where the site's folder should be\n", encoding="utf-8")
    _refused(_invoke("review", corpus, "-o", site), site)
    inside = _file_as_parent(tmp_path) / "site"
    _refused(_invoke("review", corpus, "-o", inside), inside)
    _full_disk(monkeypatch)
    result = _invoke("review", corpus, "-o", tmp_path / "full")
    _refused(result, tmp_path / "full")


# --- report (the extra `report`)


def test_report_refuses_a_bad_folder_and_a_full_disk(run, tmp_path, monkeypatch):
    pytest.importorskip("plotly", reason="the report needs the extra `report`")
    records = run / "statistics.jsonl"
    folder = tmp_path / "report"
    folder.write_text("a file where the report's folder should be\n", encoding="utf-8")
    _refused(_invoke("report", records, "-o", folder), folder)
    inside = _file_as_parent(tmp_path) / "report"
    _refused(_invoke("report", records, "-o", inside), inside)
    _full_disk(monkeypatch)
    _refused(_invoke("report", records, "-o", tmp_path / "full"), tmp_path / "full")


# --- load: the database file


def test_load_refuses_a_folder_a_file_as_parent_and_a_full_disk(run, tmp_path, monkeypatch):
    records = run / "statistics.jsonl"
    folder = tmp_path / "x.db"
    folder.mkdir()
    _refused(_invoke("load", records, "--db", f"sqlite:///{folder}"), folder)
    inside = _file_as_parent(tmp_path) / "x.db"
    _refused(_invoke("load", records, "--db", f"sqlite:///{inside}"), inside)

    def full(*_args, **_kwargs):
        from xhs_extract.db import LoadError

        try:
            raise sqlite3.OperationalError("database or disk is full")
        except sqlite3.OperationalError as error:
            raise LoadError("database failed: database or disk is full") from error

    monkeypatch.setattr("xhs_extract.db.load_files", full)
    target = tmp_path / "full.db"
    result = _invoke("load", records, "--db", str(target))
    _refused(result, target)
    assert "disk is full" in result.output


# --- extract: the --metadata side file and the --save-text folder in the output checks


def _extract(corpus: Path, out: Path, *args: object):
    return _invoke("extract", corpus, "-o", out / "statistics.jsonl", "-q", *args)


def test_extract_never_writes_over_the_metadata_side_file(run, tmp_path):
    corpus = run.parent / "corpus"
    side = tmp_path / "meta.jsonl"
    side.write_text('{"doc_id": "x", "province": "Sơn La"}\n', encoding="utf-8")
    result = _invoke("extract", corpus, "-o", side, "--metadata", side, "-q")
    _refused(result, side, "E401")
    result = _extract(corpus, tmp_path / "out", "--manifest", side, "--metadata", side)
    _refused(result, side, "E401")
    assert side.read_text(encoding="utf-8") == '{"doc_id": "x", "province": "Sơn La"}\n'
    # a --save-text folder holding the side file might overwrite it with a text
    texts = tmp_path / "texts"
    texts.mkdir()
    inner = texts / "meta.csv"
    inner.write_text("doc_id,province\nx,Sơn La\n", encoding="utf-8")
    result = _extract(corpus, tmp_path / "out", "--save-text", texts, "--metadata", inner)
    _refused(result, texts, "E401")


def test_extract_save_text_folder_is_checked_and_created_as_needed(run, tmp_path):
    corpus = run.parent / "corpus"
    inside = _file_as_parent(tmp_path) / "texts"
    _refused(_extract(corpus, tmp_path / "out", "--save-text", inside), inside)
    texts = tmp_path / "a" / "b" / "texts"
    result = _extract(corpus, tmp_path / "out", "--save-text", texts)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in texts.iterdir()) == sorted(a.stem + ".txt" for a in ARTICLES)
    _refused(_extract(corpus, tmp_path / "out", "--save-text", tmp_path / "out"),
             tmp_path / "out", "E402")
    _refused(_extract(corpus, tmp_path / "out", "--save-text", corpus), corpus, "E401")
