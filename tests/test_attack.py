"""The attack suite: hostile input and hostile surroundings never crash, hang or escape.

Each test is named after the failure it keeps fixed (F1-F16 of the attack on the batch
runner, and the unnumbered ones). The soak test (marked slow) kills a run over real
articles mixed with hostile files several times and checks that --resume gives exactly
what a clean run gives.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xhs_extract.batch import BatchOptions, run_batch
from xhs_extract.errors import ERRORS, OutputError
from xhs_extract.jsonl import TEMPORARY_NAME, atomic_path, atomic_paths, read_lines
from xhs_extract.read import cap_nesting, file_sha256, original_name, read_document

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
ARTICLE = (
    "Huyện đẩy mạnh xây dựng xã hội số\n"
    "Đến nay, tỷ lệ hộ gia đình có Internet cáp quang trên địa bàn huyện Mộc Châu đạt 88,5%; "
    "gần 70% số thuê bao di động sử dụng điện thoại thông minh.\n"
)
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def options(corpus: Path, out: Path, **kw) -> BatchOptions:
    return BatchOptions(
        corpus=corpus,
        output=out / "statistics.jsonl",
        documents=out / "documents.jsonl",
        manifest=out / "manifest.jsonl",
        **kw,
    )


def manifest(out: Path) -> list[dict]:
    return [line for _, line in read_lines(out / "manifest.jsonl")]


def by_path(out: Path) -> dict[str, dict]:
    return {line["path"]: line for line in manifest(out)}


def cli(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "xhs_extract", *args],
        capture_output=True, text=True, timeout=300, **kw,
    )


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_every_new_code_is_registered():
    for code in ("E013", "E014", "E015", "E016", "E400", "E401", "E402", "E403", "E404",
                 "E405"):
        assert code in ERRORS


# ---------------------------------------------------------------------------------------
# Crashes that lost the whole run


def test_f1_long_path_is_reported_not_fatal(corpus, tmp_path):
    # Folders nested past the system's path limit (4096 bytes on Linux).
    descriptor = os.open(corpus, os.O_RDONLY)
    try:
        for _ in range(25):
            os.mkdir("d" * 200, dir_fd=descriptor)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = inner
        handle = os.open("deep.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(handle, ARTICLE.encode("utf-8"))
        os.close(handle)
    finally:
        os.close(descriptor)
    summary = run_batch(options(corpus, tmp_path / "out"))
    lines = by_path(tmp_path / "out")
    assert lines["good.txt"]["status"] == "ok"
    assert summary.failed >= 1
    assert all(line["code"] == "E010" for line in lines.values() if line["status"] != "ok")


def test_f2_name_with_invalid_utf8_is_escaped_reversibly(corpus, tmp_path):
    raw = os.fsencode(corpus) + b"/bad\xffname.txt"
    with open(raw, "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    out = tmp_path / "out"
    run_batch(options(corpus, out))
    line = by_path(out)["bad\\xffname.txt"]
    assert line["status"] == "ok" and line["doc_id"] == "bad\\xffname"
    assert os.fsencode(original_name(line["path"])) == b"bad\xffname.txt"
    # --resume reads the journal back: no crash, same output.
    before = (out / "manifest.jsonl").read_bytes()
    run_batch(options(corpus, out, resume=True))
    assert (out / "manifest.jsonl").read_bytes() == before


def test_f5_long_input_name_with_save_text(corpus, tmp_path):
    (corpus / ("x" * 250 + ".txt")).write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch(options(corpus, out, save_text=tmp_path / "texts"))
    assert summary.failed == 0
    assert (tmp_path / "texts" / ("x" * 250 + ".txt")).read_text(encoding="utf-8") == ARTICLE


def test_f5_saved_text_whose_name_cannot_be_written_fails_only_its_file(corpus, tmp_path):
    # 120 bytes that are not UTF-8 become 480 characters of escapes: too long a name.
    with open(os.fsencode(corpus) + b"/" + b"\xff" * 120 + b".txt", "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    out = tmp_path / "out"
    run_batch(options(corpus, out, save_text=tmp_path / "texts"))
    lines = by_path(out)
    assert lines["\\xff" * 120 + ".txt"]["code"] == "E016"
    assert lines["good.txt"]["status"] == "ok"


def test_f5_temporary_name_stays_within_the_name_limit(tmp_path):
    target = tmp_path / ("y" * 254)
    with atomic_path(target) as tmp:
        assert len(os.fsencode(tmp.name)) <= 255
        assert TEMPORARY_NAME.match(tmp.name)
        tmp.write_text("z", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "z"


def test_f11_output_that_is_a_folder(corpus, tmp_path):
    out = tmp_path / "out"
    (out / "statistics.jsonl").mkdir(parents=True)
    with pytest.raises(OutputError) as caught:
        run_batch(options(corpus, out))
    assert caught.value.code == "E400" and "statistics.jsonl" in str(caught.value)


def test_f11_output_parent_that_is_a_file(corpus, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        run_batch(options(corpus, tmp_path / "file" / "sub"))
    assert caught.value.code == "E400"


@pytest.mark.skipif(IS_ROOT, reason="root can write any folder")
def test_f11_read_only_output_folder(corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o500)
    try:
        with pytest.raises(OutputError) as caught:
            run_batch(options(corpus, out))
        assert caught.value.code == "E400"
    finally:
        out.chmod(0o700)


def test_f11_full_disk_names_the_path_and_keeps_old_outputs(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_batch(options(corpus, out))
    before = (out / "statistics.jsonl").read_bytes()

    def full(*_args, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "statistics.jsonl"))

    monkeypatch.setattr("xhs_extract.jsonl._sync", full)
    with pytest.raises(OutputError) as caught:
        run_batch(options(corpus, out))
    assert caught.value.code == "E400"
    assert "No space left on device" in str(caught.value) and "statistics.jsonl" in str(
        caught.value
    )
    assert (out / "statistics.jsonl").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_f11_cli_gives_one_line_and_no_traceback(corpus, tmp_path):
    out = tmp_path / "out"
    (out / "statistics.jsonl").mkdir(parents=True)
    done = cli("extract", str(corpus), "-o", str(out / "statistics.jsonl"), "-q")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "[E400]" in done.stderr


# ---------------------------------------------------------------------------------------
# Hangs


def _one_clause(figures: int) -> str:
    items = ", ".join(f"xã Chiềng {i} đạt {i % 90 + 1},5%" for i in range(figures))
    return (
        "Tin tức\nTỷ lệ hộ gia đình có Internet cáp quang tại tỉnh Sơn La đạt " + items + "\n"
    )


def test_f3_many_figures_in_one_clause_all_read():
    from xhs_extract.pipeline import extract_text

    records = extract_text(_one_clause(600))
    assert len(records) == 600  # the bounded look-back loses no figure


def test_f3_deep_html_nesting_is_capped():
    depth = 100_000
    html = "<html><body>" + "<div>" * depth + "Nội dung bài." + "</div>" * depth + "</body></html>"
    started = time.perf_counter()
    capped = cap_nesting(html)
    assert capped.count("<div>") == 512 and "Nội dung bài." in capped
    from xhs_extract.read import extract_html_text

    assert extract_html_text(html) == "Nội dung bài."
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize("jobs", [1, 2])
def test_f3_file_timeout_fails_the_file_and_the_run_goes_on(corpus, tmp_path, jobs):
    (corpus / "huge.txt").write_text(_one_clause(6000), encoding="utf-8")
    (corpus / "other.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    run_batch(options(corpus, out, file_timeout=1.0, jobs=jobs))
    lines = by_path(out)
    assert lines["huge.txt"]["code"] == "E015"
    assert lines["good.txt"]["status"] == "ok" and lines["other.txt"]["status"] == "ok"


def test_f7_resume_after_a_file_became_a_fifo(corpus, tmp_path):
    out = tmp_path / "out"
    opts = options(corpus, out)
    journal = opts.journal
    run_batch(opts)
    entry = {"manifest": by_path(out)["good.txt"], "records": [], "document": None,
             "rejections": []}
    journal.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    (corpus / "good.txt").unlink()
    os.mkfifo(corpus / "good.txt")
    assert file_sha256(corpus / "good.txt", corpus) is None  # does not block
    run_batch(options(corpus, out, resume=True))
    assert by_path(out)["good.txt"]["code"] == "E009"


def test_f8_resume_hash_respects_max_bytes(corpus):
    (corpus / "big.txt").write_bytes(b"a" * 5000)
    assert file_sha256(corpus / "big.txt", corpus, max_bytes=4999) is None
    assert file_sha256(corpus / "big.txt", corpus, max_bytes=5000) is not None


# ---------------------------------------------------------------------------------------
# Escapes and silent damage


def test_f15_gold_convert_refuses_doc_ids_leading_out(tmp_path):
    for doc_id in ("../escaped/pwn", "/tmp/xhs-attack-pwn"):
        source = tmp_path / "in.jsonl"
        source.write_text(
            json.dumps({"id": 1, "text": "đạt 90%", "label": [], "doc_id": doc_id}) + "\n",
            encoding="utf-8",
        )
        target = tmp_path / "brat"
        done = cli("gold", "convert", str(source), str(target), "--from", "doccano",
                   "--to", "brat")
        assert done.returncode != 0 and "[E404]" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "escaped").exists()
    assert not Path("/tmp/xhs-attack-pwn.txt").exists()


def test_f16_symlink_leaving_the_input_folder_is_refused(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    (corpus / "inner.txt").symlink_to(corpus / "good.txt")
    out = tmp_path / "out"
    run_batch(options(corpus, out, save_text=tmp_path / "texts"))
    lines = by_path(out)
    assert lines["link.txt"]["code"] == "E013"
    assert lines["inner.txt"]["status"] == "ok"  # a link inside the folder is fine
    assert not (tmp_path / "texts" / "link.txt").exists()
    run_batch(options(corpus, out, follow_symlinks=True))
    assert by_path(out)["link.txt"]["status"] == "ok"


def test_f13_manifest_equal_to_output_is_refused(corpus, tmp_path):
    out = tmp_path / "out"
    opts = options(corpus, out)
    opts.manifest = opts.output
    with pytest.raises(OutputError) as caught:
        run_batch(opts)
    assert caught.value.code == "E402"


def test_f13_output_on_an_input_article_is_refused(corpus, tmp_path):
    opts = options(corpus, tmp_path / "out")
    opts.output = corpus / "good.txt"
    with pytest.raises(OutputError) as caught:
        run_batch(opts)
    assert caught.value.code == "E401"
    assert (corpus / "good.txt").read_text(encoding="utf-8") == ARTICLE


def test_f12_a_failed_rename_puts_the_old_set_back(tmp_path):
    paths = [tmp_path / "a", tmp_path / "b"]
    for path in paths:
        path.write_text("old", encoding="utf-8")
    real_replace = os.replace
    calls = []

    def flaky(source, target):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.EISDIR, "Is a directory")
        real_replace(source, target)

    with pytest.raises(OSError):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(os, "replace", flaky)
            with atomic_paths(paths) as temporary:
                for tmp in temporary:
                    tmp.write_text("new", encoding="utf-8")
    assert [p.read_text(encoding="utf-8") for p in paths] == ["old", "old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_f12_documents_path_a_folder_keeps_the_old_set(corpus, tmp_path):
    out = tmp_path / "out"
    run_batch(options(corpus, out))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    opts = options(corpus, out)
    opts.documents = tmp_path / "folder"
    opts.documents.mkdir()
    with pytest.raises(OutputError):
        run_batch(opts)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_two_runs_on_one_output_set_do_not_both_write(corpus, tmp_path):
    import fcntl

    out = tmp_path / "out"
    out.mkdir()
    lock = out / ".statistics.jsonl.lock"
    with open(lock, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        with pytest.raises(OutputError) as caught:
            run_batch(options(corpus, out))
    assert caught.value.code == "E403"
    run_batch(options(corpus, out))  # free again


def test_f14_duplicate_doc_ids_name_both_files(corpus, tmp_path):
    (corpus / "dup.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "dup.html").write_text(
        "<html><body><p>" + ARTICLE + "</p></body></html>", encoding="utf-8"
    )
    out = tmp_path / "out"
    run_batch(options(corpus, out))
    lines = [line for line in manifest(out) if line["doc_id"] == "dup"]
    assert [line["status"] for line in lines] == ["ok", "failed"]
    assert lines[1]["code"] == "E014"
    assert "dup.html" in lines[1]["reason"] and "dup.txt" in lines[1]["reason"]
    doc_ids = [line["doc_id"] for _, line in read_lines(out / "documents.jsonl")]
    assert len(doc_ids) == len(set(doc_ids))
    from xhs_extract.db import load_files

    report = load_files(f"sqlite:///{tmp_path / 'x.db'}", out / "statistics.jsonl",
                        out / "documents.jsonl")
    assert report is not None


def test_f6_undefined_meta_charset_falls_back(corpus, tmp_path):
    page = '<html><head><meta charset="undefined"></head><body><p>{}</p></body></html>'
    (corpus / "page.html").write_bytes(page.format(ARTICLE).encode("cp1258", "replace"))
    (corpus / "page2.html").write_bytes(page.format(ARTICLE).encode("utf-8"))
    out = tmp_path / "out"
    run_batch(options(corpus, out))
    lines = by_path(out)
    assert lines["page2.html"]["status"] == "ok"
    assert lines["page.html"]["code"] != "E900"


def _big_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "in"
    for copy in range(8):
        shutil.copytree(CORPUS, corpus / str(copy))
    return corpus


def test_f10_sigterm_prints_the_resume_hint_and_leftovers_are_cleaned(tmp_path):
    corpus = _big_corpus(tmp_path)
    out = tmp_path / "out"
    args = [sys.executable, "-m", "xhs_extract", "extract", str(corpus), "-o",
            str(out / "statistics.jsonl"), "-q", "--allow-failures"]
    process = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    journal = out / "statistics.jsonl.journal"
    deadline = time.monotonic() + 60
    while not journal.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert "--resume" in stderr and "[E405]" in stderr and "Traceback" not in stderr
    # A leftover of a killed run (SIGKILL leaves them) is removed by the next run.
    stale = out / ".statistics.jsonl.abcd1234.part"
    stale.write_text("half", encoding="utf-8")
    other = out / "notes.part"
    other.write_text("mine", encoding="utf-8")
    done = subprocess.run(args + ["--resume"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert not stale.exists() and other.exists()


def test_f10_ctrl_c_exits_130_with_one_line(tmp_path):
    corpus = _big_corpus(tmp_path)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "xhs_extract", "extract", str(corpus), "-o",
         str(out / "statistics.jsonl"), "-q"],
        stderr=subprocess.PIPE, text=True,
        # A test run in the background inherits SIGINT ignored; a terminal's does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    journal = out / "statistics.jsonl.journal"
    deadline = time.monotonic() + 60
    while not journal.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_nul_bytes_inside_an_article_are_dropped(corpus, tmp_path):
    path = corpus / "nul.txt"
    path.write_bytes(ARTICLE.encode("utf-8").replace(b"Huy", b"Hu\x00y"))
    document = read_document(path, corpus)
    assert "\x00" not in document.text and document.text.startswith("Huyện")
    assert any(w.startswith("W010") for w in document.warnings)
    path.write_bytes(b"\x00" * 100 + ARTICLE.encode("utf-8"))
    with pytest.raises(Exception) as caught:
        read_document(path, corpus)
    assert getattr(caught.value, "code", "") == "E003"


def test_folders_named_like_articles_and_links_to_folders_are_reported(corpus, tmp_path):
    (corpus / "x.txt").mkdir()
    (corpus / "sub").mkdir()
    (corpus / "sub" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "folder-link").symlink_to(corpus / "sub")
    out = tmp_path / "out"
    run_batch(options(corpus, out))
    lines = by_path(out)
    assert lines["x.txt"]["code"] == "E009"
    assert lines["folder-link"]["code"] == "E009"
    assert lines["sub/a.txt"]["status"] == "ok"


def test_review_site_writes_nothing_outside_its_folder(tmp_path):
    from xhs_extract.jsonl import inside_folder

    site = tmp_path / "site"
    with pytest.raises(OutputError):
        inside_folder(site / "../x.html", site)
    with pytest.raises(OutputError):
        inside_folder(site / "/etc/x.html", site)
    assert inside_folder(site / "a__b.html", site) == site / "a__b.html"


# ---------------------------------------------------------------------------------------
# Soak: a hostile folder among real articles, killed at random moments, then resumed


def _hostile(folder: Path) -> None:
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 10)
    (folder / "nul.txt").write_bytes(ARTICLE.encode("utf-8").replace(b"Huy", b"Hu\x00y"))
    with open(os.fsencode(folder) + b"/bad\xffname.txt", "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    (folder / ("n" * 240 + ".txt")).write_text(ARTICLE, encoding="utf-8")
    (folder / "dup.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "dup.html").write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    (folder / "deep.html").write_text(
        "<html><body>" + "<div>" * 20000 + ARTICLE + "</div>" * 20000 + "</body></html>",
        encoding="utf-8",
    )
    (folder / "charset.html").write_text(
        '<html><head><meta charset="undefined"></head><body><p>' + ARTICLE + "</p></body></html>",
        encoding="utf-8",
    )
    (folder / "dir.txt").mkdir()
    (folder / "broken.txt").symlink_to(folder / "nowhere")
    (folder / "outside.txt").symlink_to("/etc/hostname")
    os.mkfifo(folder / "fifo.txt")
    (folder / "table.txt").write_text(_one_clause(300), encoding="utf-8")


@pytest.mark.slow
def test_soak_killed_runs_resume_to_the_clean_output(tmp_path):
    real = REPO.parent / "shared" / "bench-corpus" / "articles"
    if not real.is_dir():
        pytest.skip("the bench corpus is not beside the work tree")
    corpus = tmp_path / "in"
    corpus.mkdir()
    files = sorted(real.glob("*.txt"))[:2000]
    for path in files:
        target = corpus / "real" / path.relative_to(real)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    _hostile(corpus / "hostile")

    def command(out: Path, *extra: str) -> list[str]:
        return [sys.executable, "-m", "xhs_extract", "extract", str(corpus), "-o",
                str(out / "statistics.jsonl"), "-q", "--allow-failures", "-j", "2", *extra]

    clean = tmp_path / "clean"
    done = subprocess.run(command(clean), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    killed = tmp_path / "killed"
    rng = random.Random(7)
    for _ in range(4):
        process = subprocess.Popen(command(killed, "--resume"), stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.0, 6.0))
        process.send_signal(rng.choice([signal.SIGKILL, signal.SIGTERM, signal.SIGINT]))
        process.wait(timeout=120)
    done = subprocess.run(command(killed, "--resume"), capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, done.stderr
    for name in ("statistics.jsonl", "documents.jsonl", "manifest.jsonl"):
        assert (killed / name).read_bytes() == (clean / name).read_bytes(), name
    assert not [p for p in killed.iterdir() if p.name.endswith(".part")]


# ---------------------------------------------------------------------------------------
# Streams, not loads


def test_load_streams_in_batches_with_the_same_result(tmp_path, monkeypatch):
    # `load` held every record as a model at once (1.5 GB for 180,000 records); it now
    # reads the files twice in batches. Same report and rows as the in-memory load.
    from xhs_extract import db

    out = tmp_path / "out"
    run_batch(options(CORPUS, out))
    stats, docs = out / "statistics.jsonl", out / "documents.jsonl"
    monkeypatch.setattr(db, "_BATCH", 7)
    monkeypatch.setattr(db, "read_jsonl", None)  # the whole-file reader is not used
    streamed = db.load_files(f"sqlite:///{tmp_path / 'a.db'}", stats, docs)
    monkeypatch.undo()
    whole = db.load_records(
        f"sqlite:///{tmp_path / 'b.db'}", db.read_statistics_file(stats),
        db.read_documents_file(docs),
    )
    assert streamed == whole and streamed.inserted > 100
    # A second run without half the records: the same deletions either way.
    kept = stats.read_text(encoding="utf-8").splitlines()[::2]
    stats.write_text("\n".join(kept) + "\n", encoding="utf-8")
    monkeypatch.setattr(db, "_BATCH", 5)
    again = db.load_files(f"sqlite:///{tmp_path / 'a.db'}", stats, docs)
    monkeypatch.undo()
    other = db.load_records(
        f"sqlite:///{tmp_path / 'b.db'}", db.read_statistics_file(stats),
        db.read_documents_file(docs),
    )
    assert again == other and again.deleted > 0
    read_a = db.read_statistics(f"sqlite:///{tmp_path / 'a.db'}")
    read_b = db.read_statistics(f"sqlite:///{tmp_path / 'b.db'}")
    assert read_a == read_b
