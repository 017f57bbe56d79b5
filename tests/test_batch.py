"""Batch runs: every file accounted for, deterministic output, crash and resume."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from tests.legacy import encode_legacy
from xhs_extract.batch import BatchOptions, run_batch
from xhs_extract.jsonl import read_lines

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"

ARTICLE = (
    "Huyện đẩy mạnh xây dựng xã hội số\n"
    "Đến nay, tỷ lệ hộ gia đình có Internet cáp quang trên địa bàn huyện Mộc Châu đạt 88,5%; "
    "gần 70% số thuê bao di động sử dụng điện thoại thông minh.\n"
    "Toàn huyện có 118 tổ công nghệ số cộng đồng với 650 thành viên.\n"
)


TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 writes a toned vowel as its base letter plus a combining tone mark."""
    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            tone = "".join(c for c in parts if c in TONES)
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


def options(corpus: Path, out: Path, **kw) -> BatchOptions:
    return BatchOptions(
        corpus=corpus,
        output=out / "statistics.jsonl",
        documents=out / "documents.jsonl",
        manifest=out / "manifest.jsonl",
        **kw,
    )


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in ("statistics.jsonl", "documents.jsonl", "manifest.jsonl")}


@pytest.mark.slow
def test_rerun_is_byte_identical_and_jobs_do_not_change_output(tmp_path):
    first, second, parallel = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    run_batch(options(CORPUS, first))
    run_batch(options(CORPUS, second))
    run_batch(options(CORPUS, parallel, jobs=2))
    assert outputs(first) == outputs(second) == outputs(parallel)
    assert (first / "statistics.jsonl").stat().st_size > 0
    assert not (first / "statistics.jsonl.journal").exists()


def test_hostile_folder_every_file_accounted_for(tmp_path):
    corpus = tmp_path / "in"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "sub" / "nfd.txt").write_text(unicodedata.normalize("NFD", ARTICLE), encoding="utf-8")
    (corpus / "utf16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (corpus / "cp1258.txt").write_bytes(cp1258_bytes(ARTICLE))
    (corpus / "page.html").write_text(
        "<html><head><script>var x = '99% hộ gia đình có Internet cáp quang';</script></head>"
        f"<body><nav>Trang chủ</nav><article><p>{ARTICLE.splitlines()[1]}</p></article></body></html>",
        encoding="utf-8",
    )
    (corpus / "vni.txt").write_bytes(encode_legacy(ARTICLE, "vni"))
    (corpus / "tcvn3.txt").write_bytes(encode_legacy(ARTICLE.lower(), "tcvn3"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "random.txt").write_bytes(bytes(range(256)) * 40)
    (corpus / "huge.txt").write_text(ARTICLE * 400, encoding="utf-8")
    (corpus / "broken.txt").symlink_to(corpus / "missing-target.txt")
    out = tmp_path / "out"
    summary = run_batch(options(corpus, out, max_bytes=50_000))
    manifest = {line["path"]: line for _, line in read_lines(out / "manifest.jsonl")}
    assert set(manifest) == {
        "good.txt", "sub/nfd.txt", "utf16.txt", "cp1258.txt", "vni.txt", "tcvn3.txt", "page.html",
        "empty.txt", "random.txt", "huge.txt", "broken.txt",
    }
    for ok in ("good.txt", "sub/nfd.txt", "utf16.txt", "cp1258.txt", "vni.txt", "tcvn3.txt"):
        assert manifest[ok]["status"] == "ok" and manifest[ok]["records"] == 4, manifest[ok]
    assert manifest["page.html"]["status"] == "ok" and manifest["page.html"]["records"] == 2
    for bad in ("empty.txt", "random.txt", "huge.txt", "broken.txt"):
        assert manifest[bad]["status"] == "failed", manifest[bad]
        assert bad.split(".")[0] in manifest[bad]["reason"] or manifest[bad]["path"] in manifest[bad]["reason"]
    assert summary.files == 11 and summary.failed == 4 and summary.ok == 7
    assert manifest["sub/nfd.txt"]["doc_id"] == "sub/nfd"
    # Offsets of every record point into each file's own decoded text.
    from xhs_extract.read import read_document

    for line in (out / "statistics.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        path = next(p for p, m in manifest.items() if m["doc_id"] == record["doc_id"])
        raw = read_document(corpus / path, corpus).text
        start, end = record["value_span"]
        assert raw[record["evidence"]["start"] : record["evidence"]["end"]] == record["evidence"]["text"]
        assert raw[start:end] in record["evidence"]["text"]


def test_cli_exit_code_reflects_failures(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    command = [sys.executable, "-m", "xhs_extract", "extract", str(corpus), "-o", str(tmp_path / "o" / "s.jsonl"), "-q"]
    failed = subprocess.run(command, capture_output=True, text=True)
    assert failed.returncode == 1
    allowed = subprocess.run(command + ["--allow-failures"], capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr


def test_crash_leaves_no_complete_looking_output(tmp_path, monkeypatch):
    import xhs_extract.batch as batch

    out = tmp_path / "out"
    calls = {"n": 0}
    real = batch._entry

    def failing(result):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(result)

    monkeypatch.setattr(batch, "_entry", failing)
    with pytest.raises(KeyboardInterrupt):
        run_batch(options(CORPUS, out))
    assert not (out / "statistics.jsonl").exists()
    assert not (out / "manifest.jsonl").exists()
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]
    assert len((out / "statistics.jsonl.journal").read_text(encoding="utf-8").splitlines()) == 2


@pytest.mark.slow
def test_sigkill_then_resume_equals_a_clean_run(tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    sources = sorted(CORPUS.glob("*.txt"))
    for copy in range(12):
        for source in sources:
            shutil.copy(source, corpus / f"{copy:02d}-{source.name}")
    total = len(list(corpus.iterdir()))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "xhs_extract", "extract", str(corpus), "-o", str(out / "statistics.jsonl"), "-q"]
    journal = out / "statistics.jsonl.journal"
    process = subprocess.Popen(command, start_new_session=True)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and process.poll() is None:
        if journal.exists():
            done = len(journal.read_text(encoding="utf-8").splitlines())
            if done >= 5:
                break
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / "statistics.jsonl").exists()
    assert 5 <= done < total

    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    clean = tmp_path / "clean"
    subprocess.run(
        [sys.executable, "-m", "xhs_extract", "extract", str(corpus), "-o", str(clean / "statistics.jsonl"), "-q"],
        check=True,
    )
    assert outputs(out) == outputs(clean)


def test_resume_skips_a_journal_line_cut_inside_a_letter(tmp_path):
    # A crash may cut the journal's last line inside a multi-byte letter; resuming used to
    # stop on the UTF-8 error instead of doing that file again.
    from xhs_extract.batch import _journal_entries

    entry = {"manifest": {"path": "a.txt", "status": "ok", "sha256": "x"}, "records": []}
    whole = json.dumps(entry, ensure_ascii=False).encode("utf-8")
    cut = json.dumps({"manifest": {"path": "Sơn La.txt"}}, ensure_ascii=False).encode("utf-8")
    journal = tmp_path / "statistics.jsonl.journal"
    journal.write_bytes(whole + b"\n" + cut[: cut.index("ơ".encode()) + 1])
    assert list(_journal_entries(journal)) == ["a.txt"]
