"""The Dask engine and fsspec URLs: the same outputs as a plain run, byte for byte.

The tests marked `dask` start a real cluster on 127.0.0.1 (`dask scheduler` and two
`dask worker` processes on free ports, torn down afterwards). memory:// exists in one process
only, so its tests use the in-process engine (a cluster of threads in the test process).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip(
    "distributed",
    reason="the Dask engine needs the optional extra `dask`: pip install 'xhs-extract[dask]'",
)
fsspec = pytest.importorskip("fsspec", reason="URLs need the optional extra `dask`")

from typer.testing import CliRunner  # noqa: E402

from xhs_extract.batch import BatchOptions, run_batch  # noqa: E402
from xhs_extract.cli import app  # noqa: E402
from xhs_extract.distributed import IN_PROCESS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
NAMES = ("statistics.jsonl", "documents.jsonl", "manifest.jsonl")


def _options(corpus, out, **kw) -> BatchOptions:
    if isinstance(out, str):
        return BatchOptions(
            corpus=corpus,
            output=f"{out}/statistics.jsonl",  # type: ignore[arg-type]
            documents=f"{out}/documents.jsonl",  # type: ignore[arg-type]
            manifest=f"{out}/manifest.jsonl",  # type: ignore[arg-type]
            **kw,
        )
    return BatchOptions(
        corpus=corpus,
        output=out / "statistics.jsonl",
        documents=out / "documents.jsonl",
        manifest=out / "manifest.jsonl",
        **kw,
    )


def _outputs(out) -> dict[str, bytes]:
    if isinstance(out, str):
        fs = fsspec.filesystem(out.split("://")[0])
        return {name: fs.cat(f"{out}/{name}") for name in NAMES}
    return {name: (out / name).read_bytes() for name in NAMES}


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory) -> Path:
    """The bundled corpus plus files that fail: empty, binary, over the size limit."""
    root = tmp_path_factory.mktemp("mixed") / "corpus"
    shutil.copytree(CORPUS, root)
    bad = root / "zz-bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "large.txt").write_bytes(b"x" * 300_000)
    return root


MAX_BYTES = 200_000  # large.txt is refused (E004)
N_FILES = len(list(CORPUS.glob("*.txt"))) + 3  # the bundled articles and the three bad files


@pytest.fixture(scope="module")
def plain(mixed_corpus, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("plain")
    summary = run_batch(_options(mixed_corpus, out, max_bytes=MAX_BYTES))
    assert summary.failed == 3 and summary.ok == N_FILES - 3
    return _outputs(out)


# --- in-process engine (threads): partitions, memory:// and resume


@pytest.mark.parametrize("partition", [1, 7, 64])
def test_in_process_cluster_gives_the_plain_outputs_for_any_partition(
    mixed_corpus, plain, tmp_path, partition
):
    run_batch(
        _options(
            mixed_corpus,
            tmp_path,
            max_bytes=MAX_BYTES,
            scheduler=IN_PROCESS,
            jobs=2,
            partition=partition,
        )
    )
    assert _outputs(tmp_path) == plain


def _named(plain: dict[str, bytes], corpus: Path, url: str) -> dict[str, bytes]:
    """The plain outputs as they read when the corpus is named by `url`: failure reasons
    name the file as the user named it, everything else is the same."""
    return {name: data.replace(str(corpus).encode(), url.encode()) for name, data in plain.items()}


def _to_memory(local: Path, url: str) -> None:
    fs = fsspec.filesystem("memory")
    for path in sorted(local.rglob("*")):
        if path.is_file():
            fs.pipe(f"{url}/{path.relative_to(local).as_posix()}", path.read_bytes())


def test_memory_urls_in_and_out_on_the_in_process_engine(mixed_corpus, plain):
    _to_memory(mixed_corpus, "memory://dask-test/corpus")
    summary = run_batch(
        _options(
            "memory://dask-test/corpus",
            "memory://dask-test/out",
            max_bytes=MAX_BYTES,
            scheduler=IN_PROCESS,
            jobs=2,
            partition=5,
        )
    )
    assert summary.files == N_FILES and summary.failed == 3
    assert _outputs("memory://dask-test/out") == _named(
        plain, mixed_corpus, "memory://dask-test/corpus"
    )


def test_memory_url_input_on_the_local_engine(mixed_corpus, plain, tmp_path):
    _to_memory(mixed_corpus, "memory://local-engine/corpus")
    run_batch(_options("memory://local-engine/corpus", tmp_path, max_bytes=MAX_BYTES))
    assert _outputs(tmp_path) == _named(plain, mixed_corpus, "memory://local-engine/corpus")


def test_file_urls_on_the_local_engine(mixed_corpus, plain, tmp_path):
    run_batch(_options(mixed_corpus.as_uri(), tmp_path.as_uri(), max_bytes=MAX_BYTES, jobs=2))
    assert _outputs(tmp_path) == _named(plain, mixed_corpus, mixed_corpus.as_uri())


class _Stop(Exception):
    pass


def test_resume_on_the_dask_engine_equals_a_clean_run(mixed_corpus, plain, tmp_path):
    seen = []

    def crash(entry):
        seen.append(entry)
        if len(seen) == 40:
            raise _Stop

    options = _options(
        mixed_corpus, tmp_path, max_bytes=MAX_BYTES, scheduler=IN_PROCESS, partition=3
    )
    with pytest.raises(_Stop):
        run_batch(options, on_result=crash)
    assert not (tmp_path / "statistics.jsonl").exists()
    assert options.journal.exists()
    again = []
    options.resume = True
    run_batch(options, on_result=again.append)
    assert _outputs(tmp_path) == plain
    assert len(again) == N_FILES


def test_cli_says_which_extra_and_refuses_unknown_engines(tmp_path):
    result = CliRunner().invoke(
        app, ["extract", str(CORPUS), "-o", str(tmp_path / "s.jsonl"), "--engine", "spark"]
    )
    assert result.exit_code == 2
    assert "--engine must be one of local, dask" in result.output


# --- a real cluster: `dask scheduler` and two `dask worker` processes on 127.0.0.1


def _dask_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "distributed.cli.dask_" + args[0], *args[1:]]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The address of a scheduler on 127.0.0.1 with two single-threaded workers."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("cluster")
    scheduler_file = folder / "scheduler.json"
    logs = open(folder / "cluster.log", "wb")
    processes = [
        subprocess.Popen(
            _dask_command(
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ),
            stdout=logs,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        for number in (1, 2):
            processes.append(
                subprocess.Popen(
                    _dask_command(
                        "worker",
                        "--scheduler-file",
                        str(scheduler_file),
                        "--host",
                        "127.0.0.1",
                        "--nworkers",
                        "1",
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--name",
                        f"worker-{number}",
                    ),
                    stdout=logs,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        with Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
            address = client.scheduler.address
        yield address
    finally:
        for process in reversed(processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        logs.close()


@pytest.mark.slow
@pytest.mark.dask
@pytest.mark.parametrize("partition", [2, None])
def test_real_cluster_gives_the_plain_outputs(cluster, mixed_corpus, plain, tmp_path, partition):
    run_batch(
        _options(
            mixed_corpus, tmp_path, max_bytes=MAX_BYTES, scheduler=cluster, partition=partition
        )
    )
    assert _outputs(tmp_path) == plain


@pytest.mark.slow
@pytest.mark.dask
def test_a_worker_killed_mid_run_loses_and_doubles_nothing(cluster, mixed_corpus, plain, tmp_path):
    from distributed import Client

    seen: list[str] = []
    held: list[int] = []  # tasks the killed worker was running or holding when it died

    with Client(cluster, timeout=30) as watcher:
        pids = watcher.run(os.getpid)  # address -> worker process (its nanny restarts it)
        assert len(pids) == 2
        address, victim = sorted(pids.items())[0]

        def kill_once(entry):
            seen.append(entry["manifest"]["path"])
            if len(seen) == 6:
                held.append(len(watcher.processing([address])[address]))
                os.kill(victim, signal.SIGKILL)

        summary = run_batch(
            _options(mixed_corpus, tmp_path, max_bytes=MAX_BYTES, scheduler=cluster, partition=2),
            on_result=kill_once,
        )
    assert held and held[0] > 0, "the worker had no task when it was killed: nothing was tested"
    assert summary.files == N_FILES
    assert len(seen) == len(set(seen)) == N_FILES
    assert _outputs(tmp_path) == plain
    with pytest.raises(ProcessLookupError):
        os.kill(victim, 0)


@pytest.mark.slow
@pytest.mark.dask
def test_cli_with_scheduler_and_file_urls(cluster, mixed_corpus, plain, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "extract",
            mixed_corpus.as_uri(),
            "-o",
            (tmp_path / "statistics.jsonl").as_uri(),
            "--scheduler",
            cluster,
            "--max-bytes",
            str(MAX_BYTES),
            "--allow-failures",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert _outputs(tmp_path) == _named(plain, mixed_corpus, mixed_corpus.as_uri())


@pytest.mark.slow
@pytest.mark.dask
def test_engine_dask_without_address_starts_a_local_cluster(mixed_corpus, plain, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "extract",
            str(mixed_corpus),
            "-o",
            str(tmp_path / "statistics.jsonl"),
            "--engine",
            "dask",
            "--jobs",
            "2",
            "--max-bytes",
            str(MAX_BYTES),
            "--allow-failures",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert _outputs(tmp_path) == plain


@pytest.mark.parametrize("missing", ["distributed", "fsspec"])
def test_without_the_extra_the_message_names_it(monkeypatch, missing):
    from xhs_extract.cli.engines import EngineChoice

    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed
    with pytest.raises(ValueError, match=r"xhs-extract\[dask\]"):
        EngineChoice.of("dask", None, "s3://bucket/articles", "out/s.jsonl", None, None)


def test_threads_in_one_worker_give_the_plain_outputs(mixed_corpus, plain, tmp_path):
    """Several threads per worker (what reading from S3 wants) change nothing."""
    options = _options(mixed_corpus, tmp_path, max_bytes=MAX_BYTES, scheduler=IN_PROCESS)
    options.jobs, options.partition = 4, 1
    run_batch(options)
    assert _outputs(tmp_path) == plain


@pytest.mark.slow
@pytest.mark.dask
def test_real_cluster_keeps_the_run_settings(cluster, tmp_path):
    """--file-timeout (the watchdog in a worker process), --follow-symlinks and --metadata
    reach the workers of a real cluster."""
    import json

    corpus = tmp_path / "in"
    corpus.mkdir()
    for name in ("a.txt", "b.txt"):  # an article that names no date
        (corpus / name).write_text(
            "Huyện đẩy mạnh xây dựng xã hội số\nĐến nay, tỷ lệ hộ gia đình có Internet cáp "
            "quang trên địa bàn huyện Mộc Châu đạt 88,5%.\n",
            encoding="utf-8",
        )
    items = ", ".join(f"xã Chiềng {i} đạt {i % 90 + 1},5%" for i in range(6000))
    (corpus / "huge.txt").write_text(
        "Tin tức\nTỷ lệ hộ gia đình có Internet cáp quang tại tỉnh Sơn La đạt " + items + "\n",
        encoding="utf-8",
    )
    outside = tmp_path / "outside.txt"
    shutil.copy(corpus / "a.txt", outside)
    (corpus / "link.txt").symlink_to(outside)
    side = tmp_path / "meta.jsonl"
    side.write_text(json.dumps({"doc_id": "b", "published": "2021-03-04"}) + "\n", "utf-8")
    out = tmp_path / "out"
    run_batch(
        _options(corpus, out, scheduler=cluster, file_timeout=1.0, metadata=side,
                 follow_symlinks=True)
    )
    lines = {line["path"]: line for line in map(json.loads, (out / NAMES[2]).open())}
    assert lines["huge.txt"]["code"] == "E015"
    assert lines["link.txt"]["status"] == "ok"
    documents = {d["doc_id"]: d for d in map(json.loads, (out / NAMES[1]).open())}
    assert documents["b"]["published"] == "2021-03-04"
