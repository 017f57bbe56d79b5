"""Throughput of the Dask engine against the plain engine, whole commands as users run them.

    .venv/bin/python bench/dask_bench.py [--corpus DIR] [--repeat N] [--json FILE]

Runs, each --repeat times (in turns, so that a busy moment of a shared machine does not fall
on one configuration only):

    xhs-extract extract DIR -o OUT --quiet --allow-failures --jobs 1
    xhs-extract extract DIR -o OUT --quiet --allow-failures --jobs 2
    xhs-extract extract DIR -o OUT --quiet --allow-failures --engine dask --jobs 1
    xhs-extract extract DIR -o OUT --quiet --allow-failures --engine dask --jobs 2

`--engine dask --jobs N` starts a LocalCluster of N single-threaded worker processes, as a
user without a cluster would; the wall time is the whole command's, start-up (models, the
cluster) included. Peak memory is sampled every 50 ms over the process tree: the client is
the command's own process; the workers are every process below it (forked --jobs workers, or
the Dask nannies and workers), reported as their largest sum.

Two more rows submit the same command with `--scheduler` to clusters already running on
127.0.0.1 (`dask scheduler` and 1 or 2 single-threaded `dask worker` processes, started by
this script and warmed up by one run each): what a user of a standing cluster sees, and
the figures docs/scaling.md projects from. Every run's three outputs are
compared with the first plain run's: the script fails if they differ.

Needs the optional extra `dask` (`pip install -e '.[dev,dask]'`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "bench-corpus" / "articles"
OUTPUTS = ("statistics.jsonl", "documents.jsonl", "manifest.jsonl")
CONFIGS = {
    "plain --jobs 1": ["--jobs", "1"],
    "plain --jobs 2": ["--jobs", "2"],
    "dask, 1 worker": ["--engine", "dask", "--jobs", "1"],
    "dask, 2 workers": ["--engine", "dask", "--jobs", "2"],
}


def _command(corpus: Path, out: Path, extra: list[str]) -> list[str]:
    program = Path(sys.executable).with_name("xhs-extract")
    return [
        str(program),
        "extract",
        str(corpus),
        "-o",
        str(out / "statistics.jsonl"),
        "--quiet",
        "--allow-failures",
        *extra,
    ]


def _rss(process: psutil.Process) -> int:
    try:
        return process.memory_info().rss
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0


def run_once(command: list[str], cluster: RunningCluster | None = None) -> dict:
    """Wall time and peak memory (MB) of the client and of its workers for one command."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    client = psutil.Process(child.pid)
    peak_client = peak_workers = 0
    while child.poll() is None:
        peak_client = max(peak_client, _rss(client))
        try:
            below = client.children(recursive=True) if cluster is None else cluster.tree()
        except psutil.NoSuchProcess:
            below = []
        peak_workers = max(peak_workers, sum(_rss(p) for p in below))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    _, errors = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{errors.decode()}")
    return {"seconds": seconds, "client_mb": peak_client / 1e6, "workers_mb": peak_workers / 1e6}


class RunningCluster:
    """`dask scheduler` and `workers` single-threaded `dask worker` processes on 127.0.0.1,
    as an operator would have them running before users submit work."""

    def __init__(self, workers: int, folder: Path) -> None:
        self.workers = workers
        self.file = folder / f"scheduler-{workers}.json"
        self.processes: list[subprocess.Popen] = []
        self.address = ""

    def __enter__(self) -> str:
        def start(*args: str) -> None:
            command = [sys.executable, "-m", f"distributed.cli.dask_{args[0]}", *args[1:]]
            self.processes.append(
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            )

        start(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(self.file),
        )
        while not self.file.exists():
            time.sleep(0.1)
        for _ in range(self.workers):
            start(
                "worker",
                "--scheduler-file",
                str(self.file),
                "--host",
                "127.0.0.1",
                "--nworkers",
                "1",
                "--nthreads",
                "1",
                "--no-dashboard",
            )
        from distributed import Client

        with Client(scheduler_file=str(self.file), timeout=60) as client:
            client.wait_for_workers(self.workers, timeout=120)
            self.address = str(client.scheduler.address)
        return self.address

    def tree(self) -> list[psutil.Process]:
        """The worker processes (nannies and their workers), not the scheduler."""
        found = []
        for process in self.processes[1:]:
            try:
                top = psutil.Process(process.pid)
                found += [top, *top.children(recursive=True)]
            except psutil.NoSuchProcess:
                pass
        return found

    def __exit__(self, *exc: object) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)


def _digest(out: Path) -> str:
    digest = hashlib.sha256()
    for name in OUTPUTS:
        digest.update((out / name).read_bytes())
    return digest.hexdigest()


def _span(values: list[float], digits: int = 1) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{low:.{digits}f}–{high:.{digits}f} (median {mid:.{digits}f})"


def _measure(args: argparse.Namespace, work: Path, files: int) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {name: [] for name in CONFIGS}
    runs.update({f"running cluster, {n} worker{'s' * (n > 1)}": [] for n in (1, 2)})
    reference = None
    one, two = RunningCluster(1, work), RunningCluster(2, work)
    with one, two:
        # What is running is what the "running cluster" rows use (warmed up by one run each).
        clusters = {name: c for name, c in zip(list(runs)[-2:], (one, two), strict=True)}
        for turn in range(args.repeat + 1):
            for name in runs:
                cluster = clusters.get(name)
                if cluster is None and turn == args.repeat:
                    continue  # the warm-up turn is for the running clusters only
                extra = CONFIGS[name] if cluster is None else ["--scheduler", cluster.address]
                out = work / f"{turn}-{len(runs[name])}-{abs(hash(name))}"
                result = run_once(_command(args.corpus, out, extra), cluster)
                digest = _digest(out)
                reference = reference or digest
                if digest != reference:
                    raise SystemExit(f"{name}: outputs differ from the first run")
                shutil.rmtree(out)
                if cluster is not None and turn == 0:
                    print(f"warm-up {name}: {result['seconds']:.2f} s", file=sys.stderr)
                    continue
                runs[name].append(result)
                print(f"{name}: {result['seconds']:.2f} s", file=sys.stderr)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None, help="Write every run here too.")
    args = parser.parse_args(argv)
    files = sum(1 for _, _, names in os.walk(args.corpus) for _ in names)
    work = Path(tempfile.mkdtemp(prefix="dask-bench-"))
    try:
        runs = _measure(args, work, files)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"{files} files of {args.corpus}, {args.repeat} runs each, whole commands; "
        "outputs identical in every run"
    )
    print("| command | wall s | articles/s | client peak MB | workers peak MB |")
    print("|---|---:|---:|---:|---:|")
    for name, results in runs.items():
        seconds = [r["seconds"] for r in results]
        print(
            f"| {name} | {_span(seconds, 2)} | {_span([files / s for s in seconds], 0)} | "
            f"{_span([r['client_mb'] for r in results], 0)} | "
            f"{_span([r['workers_mb'] for r in results], 0)} |"
        )
    if args.json:
        args.json.write_text(json.dumps({"files": files, "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
