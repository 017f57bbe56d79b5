"""The run's settings reach every engine: --follow-symlinks, --file-timeout and the
--metadata side file give on the Dask engine and over URLs what they give on the local one.

The Dask tests use the in-process cluster (threads of the test process), where the time
budget is kept by the watchdog thread (SIGALRM only reaches a main thread).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from xhs_extract.batch import BatchOptions, run_batch
from xhs_extract.jsonl import read_lines
from xhs_extract.watchdog import within

ARTICLE = (
    "Huyện đẩy mạnh xây dựng xã hội số\n"
    "Đến nay, tỷ lệ hộ gia đình có Internet cáp quang trên địa bàn huyện Mộc Châu đạt 88,5%; "
    "gần 70% số thuê bao di động sử dụng điện thoại thông minh.\n"
)
NAMES = ("statistics.jsonl", "documents.jsonl", "manifest.jsonl")


def _options(corpus, out: Path, **kw) -> BatchOptions:
    return BatchOptions(
        corpus=corpus,
        output=out / "statistics.jsonl",
        documents=out / "documents.jsonl",
        manifest=out / "manifest.jsonl",
        **kw,
    )


def _outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in NAMES}


def _by_path(out: Path) -> dict[str, dict]:
    return {line["path"]: line for _, line in read_lines(out / "manifest.jsonl")}


def _one_clause(figures: int) -> str:
    items = ", ".join(f"xã Chiềng {i} đạt {i % 90 + 1},5%" for i in range(figures))
    return "Tin tức\nTỷ lệ hộ gia đình có Internet cáp quang tại tỉnh Sơn La đạt " + items + "\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture()
def side_file(tmp_path: Path) -> Path:
    rows = [
        {"doc_id": "a", "published": "2024-06-10", "source": "Báo Lai Châu",
         "province": "Lai Châu"},
        {"doc_id": "c", "url": "https://example.vn/tin/a-20220615221843937.htm"},
    ]
    path = tmp_path / "meta.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


# --- the watchdog


def test_watchdog_stops_a_call_over_budget_in_any_thread_and_only_that_call():
    class Late(BaseException):
        pass

    def spin() -> None:
        started = time.monotonic()
        while time.monotonic() - started < 10:
            pass

    seen: list[object] = []

    def work() -> None:
        started = time.monotonic()
        try:
            within(spin, 0.2, Late)
        except Late:
            seen.append(time.monotonic() - started)
        # Calls right at their budget: each is stopped inside its call or not at all,
        # never once it has returned (a stray exception would end this thread).
        for _ in range(500):
            try:
                within(lambda: None, 0.001, Late)
            except Late:
                pass  # overran on a busy machine
        time.sleep(0.05)
        seen.append("done")

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert seen.count("done") == 3
    assert all(0.15 < s < 5 for s in seen if s != "done")


# --- the Dask engine (an in-process cluster of threads)

distributed = pytest.importorskip("distributed", reason="needs the optional extra `dask`")


def _dask(**kw):
    from xhs_extract.distributed import IN_PROCESS

    return {"engine": "dask", "scheduler": IN_PROCESS, "jobs": 2, **kw}


def test_dask_engine_reads_the_metadata_side_file(corpus, side_file, tmp_path):
    local, dask, bare = tmp_path / "local", tmp_path / "dask", tmp_path / "bare"
    run_batch(_options(corpus, local, metadata=side_file))
    run_batch(_options(corpus, dask, metadata=side_file, **_dask()))
    run_batch(_options(corpus, bare, **_dask()))
    assert _outputs(dask) == _outputs(local)
    assert _outputs(dask)["documents.jsonl"] != _outputs(bare)["documents.jsonl"]
    documents = {d["doc_id"]: d for _, d in read_lines(dask / "documents.jsonl")}
    assert documents["a"]["published"] == "2024-06-10"
    assert documents["c"]["published"] == "2022-06-15"


def test_dask_engine_follows_symlinks_only_when_asked(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    (corpus / "link.txt").symlink_to(secret)
    out = tmp_path / "out"
    run_batch(_options(corpus, out, **_dask()))
    assert _by_path(out)["link.txt"]["code"] == "E013"
    run_batch(_options(corpus, out, follow_symlinks=True, **_dask()))
    assert _by_path(out)["link.txt"]["status"] == "ok"


def test_dask_engine_keeps_the_file_timeout(corpus, tmp_path):
    (corpus / "huge.txt").write_text(_one_clause(6000), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(_options(corpus, out, file_timeout=1.0, **_dask()))
    lines = _by_path(out)
    assert lines["huge.txt"]["code"] == "E015"
    assert "1 seconds" in lines["huge.txt"]["reason"]
    assert all(lines[n]["status"] == "ok" for n in ("a.txt", "b.txt", "c.txt"))
    # The same run without a budget reads the file: the budget was what stopped it.
    again = tmp_path / "again"
    run_batch(_options(corpus, again, **_dask()))
    assert _by_path(again)["a.txt"] == lines["a.txt"]


# --- URLs (memory://, in one process)

fsspec = pytest.importorskip("fsspec", reason="URLs need the optional extra `dask`")


def _to_memory(corpus: Path, name: str) -> str:
    fs = fsspec.filesystem("memory")
    root = f"memory://settings-{name}"
    for path in corpus.iterdir():
        fs.pipe(f"{root}/{path.name}", path.read_bytes())
    return root


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_url_input_reads_the_metadata_side_file(corpus, side_file, tmp_path, engine):
    local = tmp_path / "local"
    run_batch(_options(corpus, local, metadata=side_file))
    root = _to_memory(corpus, engine)
    out = tmp_path / engine
    extra = _dask() if engine == "dask" else {}
    run_batch(_options(root, out, metadata=side_file, **extra))
    assert _outputs(out)["documents.jsonl"] == _outputs(local)["documents.jsonl"]
    assert _outputs(out)["statistics.jsonl"] == _outputs(local)["statistics.jsonl"]


def test_url_input_keeps_the_file_timeout(corpus, tmp_path):
    (corpus / "huge.txt").write_text(_one_clause(6000), encoding="utf-8")
    root = _to_memory(corpus, "timeout")
    out = tmp_path / "out"
    run_batch(_options(root, out, file_timeout=1.0, **_dask()))
    lines = _by_path(out)
    assert lines["huge.txt"]["code"] == "E015"
    assert lines["a.txt"]["status"] == "ok"
