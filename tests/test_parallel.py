"""The process scheduler: results in order whoever computed them, nothing lost in silence."""

import os
import pickle
import time
from pathlib import Path

import pytest

from xhs_extract import pipeline
from xhs_extract.parallel import WorkerLost, ordered_map

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PARENT = os.getpid()


def square_all(chunk):
    return [(x * x, os.getpid()) for x in chunk]


@pytest.mark.parametrize("jobs", [1, 2, 3])
@pytest.mark.parametrize("n_chunks", [0, 1, 2, 37])
def test_results_come_in_order_whatever_the_number_of_processes(jobs, n_chunks):
    chunks = [list(range(i * 5, i * 5 + 5)) for i in range(n_chunks)]
    results = list(ordered_map(square_all, chunks, jobs, window=2))
    assert [[value for value, _ in r] for r in results] == [[x * x for x in c] for c in chunks]


@pytest.mark.slow
def test_many_tiny_chunks_and_a_narrow_window():
    # Workers take chunks faster than the caller looks: the caller must never read a
    # chunk's owner before the chunk is taken (a race once seen here).
    for _ in range(5):
        chunks = [[i] for i in range(3000)]
        results = list(ordered_map(square_all, chunks, 3, window=1))
        assert [r[0][0] for r in results] == [i * i for i in range(3000)]


def test_the_caller_works_too():
    def slow(chunk):
        time.sleep(0.002)
        return square_all(chunk)

    chunks = [[i] for i in range(60)]
    pids = {pid for result in ordered_map(slow, chunks, 2) for _, pid in result}
    assert os.getpid() in pids and len(pids) == 2


def _crash_in_worker(chunk):
    if os.getpid() != PARENT:
        os._exit(3)  # as a worker killed by the system would
    time.sleep(0.01)
    return chunk


def test_a_lost_worker_is_reported_with_its_files():
    chunks = [[f"file-{i}.txt"] for i in range(40)]
    with pytest.raises(WorkerLost) as info:
        list(ordered_map(_crash_in_worker, chunks, 2, describe=lambda chunk: ", ".join(chunk)))
    message = str(info.value)
    assert "exit code 3" in message and "file-" in message
    _assert_no_children_left()


def _fail_in_worker(chunk):
    if os.getpid() != PARENT:
        raise ValueError("broken")
    time.sleep(0.01)
    return chunk


def test_an_error_in_a_worker_is_reported(capfd):
    with pytest.raises(WorkerLost) as info:
        list(ordered_map(_fail_in_worker, [[i] for i in range(40)], 2))
    assert "exit code 1" in str(info.value)
    assert "ValueError: broken" in capfd.readouterr().err  # the worker's traceback


def test_stopping_early_ends_the_workers():
    results = ordered_map(square_all, [[i] for i in range(500)], 3, window=4)
    assert next(results)[0][0] == 0
    results.close()
    _assert_no_children_left()


def test_an_error_in_the_caller_ends_the_workers():
    def fail_here(chunk):
        if os.getpid() == PARENT:
            raise KeyError("caller")
        return chunk

    with pytest.raises(KeyError):
        list(ordered_map(fail_here, [[i] for i in range(50)], 2))
    _assert_no_children_left()


def _children() -> set[int]:
    """This process's child processes, zombies included (Linux)."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


_BEFORE: set[int] = set()


_PROC = Path(f"/proc/{os.getpid()}/task").is_dir()


@pytest.fixture(autouse=True)
def _children_before():
    _BEFORE.clear()
    if _PROC:
        _BEFORE.update(_children())


def _assert_no_children_left():
    # Workers are waited for, not only signalled: none is left running or as a zombie.
    # (Where there is no /proc to list them, this one check is not made.)
    if _PROC:
        assert _children() <= _BEFORE


@pytest.mark.slow
def test_file_results_cross_processes_unchanged():
    results = list(pipeline.run_folder(CORPUS))
    for result in results:
        assert pickle.loads(pickle.dumps(result)) == result
    assert list(pipeline.run_folder(CORPUS, jobs=2)) == [
        pipeline.FileResult(**{**r.__dict__, "text": None}) for r in results
    ]


@pytest.mark.slow
def test_extract_reports_a_lost_worker_and_resume_finishes(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from xhs_extract.cli.app import app

    corpus = tmp_path / "in"
    corpus.mkdir()
    for copy in range(3):
        for source in sorted(CORPUS.glob("*.txt")):
            (corpus / f"{copy}-{source.name}").write_bytes(source.read_bytes())
    out = tmp_path / "out" / "statistics.jsonl"
    real = pipeline._process_chunk
    parent = os.getpid()

    def dies_in_a_worker(items):
        if os.getpid() != parent:
            os._exit(9)
        return real(items)

    monkeypatch.setattr(pipeline, "_process_chunk", dies_in_a_worker)
    runner = CliRunner()
    failed = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--jobs", "2", "--quiet"])
    assert failed.exit_code == 1
    assert "ended (exit code 9)" in failed.output and "--resume" in failed.output
    assert not out.exists()  # nothing that looks complete
    _assert_no_children_left()

    monkeypatch.setattr(pipeline, "_process_chunk", real)
    resumed = runner.invoke(app, ["extract", str(corpus), "-o", str(out), "--jobs", "2", "--quiet", "--resume"])
    clean = tmp_path / "clean" / "statistics.jsonl"
    runner.invoke(app, ["extract", str(corpus), "-o", str(clean), "--quiet"])
    assert resumed.exit_code == 0
    assert out.read_bytes() == clean.read_bytes() and out.stat().st_size > 0


def test_one_process_freezes_the_loaded_objects_for_the_run_only(tmp_path):
    """After the first file, what is loaded is frozen from the collector's full passes; the
    run unfreezes it at its end, and leaves alone a program that froze objects itself."""
    import gc

    files = sorted(CORPUS.glob("*.txt"))[:3]
    seen = []
    for _result in pipeline.run_files(files, CORPUS):
        seen.append(gc.get_freeze_count() > 0)
    assert seen == [False, True, True]  # frozen after the first file is done
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert len(list(pipeline.run_files(files, CORPUS))) == 3
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_the_default_is_the_cpus_this_process_may_use(monkeypatch):
    from xhs_extract import parallel

    monkeypatch.delenv(parallel.JOBS_ENV, raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2}, raising=False)
    assert parallel.default_jobs() == 3
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(64)), raising=False)
    assert parallel.default_jobs() == parallel.MAX_DEFAULT_JOBS
    monkeypatch.setenv(parallel.JOBS_ENV, "12")
    assert parallel.default_jobs() == 12  # told: not capped


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5", "²"])
def test_a_wrong_number_of_jobs_in_the_environment_is_refused(value, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from xhs_extract import parallel
    from xhs_extract.cli.app import app

    monkeypatch.setenv(parallel.JOBS_ENV, value)
    out = tmp_path / "out" / "statistics.jsonl"
    done = CliRunner().invoke(app, ["extract", str(CORPUS), "-o", str(out), "--quiet"])
    assert done.exit_code == 2
    assert f"XHS_EXTRACT_JOBS must be a whole number of at least 1, not '{value}'" in done.output
    assert "Traceback" not in done.output and not out.exists()


def test_by_default_extract_runs_on_the_cpus_with_the_same_output(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from xhs_extract import parallel
    from xhs_extract.cli.app import app

    monkeypatch.delenv(parallel.JOBS_ENV, raising=False)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 2)  # whatever this machine has
    started = []
    forked = parallel._forked

    def counting(function, chunks, jobs, *rest):  # noqa: ANN001, ANN202
        started.append(jobs)
        return forked(function, chunks, jobs, *rest)

    monkeypatch.setattr(parallel, "_forked", counting)
    runner = CliRunner()
    by_default = tmp_path / "default" / "statistics.jsonl"
    one = tmp_path / "one" / "statistics.jsonl"
    done = runner.invoke(app, ["extract", str(CORPUS), "-o", str(by_default), "--quiet"])
    assert done.exit_code == 0
    assert started == [2]
    done = runner.invoke(app, ["extract", str(CORPUS), "-o", str(one), "--quiet", "-j", "1"])
    assert done.exit_code == 0
    assert started == [2]
    for name in ("statistics.jsonl", "documents.jsonl", "manifest.jsonl"):
        assert (by_default.parent / name).read_bytes() == (one.parent / name).read_bytes()


def test_a_run_collects_young_objects_less_often_and_sets_it_back(tmp_path):
    import gc

    before = gc.get_threshold()
    files = sorted(CORPUS.glob("*.txt"))[:2]
    during = [gc.get_threshold() for _result in pipeline.run_files(files, CORPUS)]
    assert during[0][0] >= 20_000 and during[0][1:] == before[1:]
    assert gc.get_threshold() == before
