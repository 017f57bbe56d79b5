"""Throughput benchmark: the full pipeline against the I/O floor, on the same files.

The floor is what no extractor can beat: read the bytes, decode, NFC, one regex pass.
The full pipeline is measured single-process and with `--jobs N`, as users run it; both
after models are loaded and patterns compiled, which happens once per process. Time per
stage comes from one more single-process run with a stopwatch around each stage (a
stopwatch costs time of its own, so that run is not the one whose throughput is
reported). Peak memory is each measurement's own: every measurement runs in a fresh child
process, so one cannot inherit another's heap, and ru_maxrss of that child is its peak.

Last, the command as users run it (`xhs-extract extract DIR --quiet`, in a subprocess):
start-up, reading the folder, writing the records, documents, manifest and journal
included, with the cache of derived patterns already built (`cache.py`), once with
`--jobs 1` and once with `--jobs N` (the command's default is the CPUs it may use).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import regex

_ONE_PASS = regex.compile(r"\d+(?:[.,]\d+)*\s*%?")


@dataclass
class Measurement:
    name: str
    files: int
    bytes: int
    seconds: float
    peak_rss_mb: float
    records: int = 0
    failed: int = 0
    stages: dict[str, float] = field(default_factory=dict)  # seconds, from the stopwatch run
    stages_seconds: float = 0.0  # the stopwatch run's own total
    #: CPU time (user + system) of the measurement, where it is known: the floor's and the
    #: one-process pipeline's loops, and the whole command's process with its workers.
    #: Steadier than wall time on a shared machine.
    cpu_seconds: float = 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1e6 / self.seconds if self.seconds else 0.0

    @property
    def files_per_s(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kibibytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _floor(paths: list[str]) -> dict:
    size = 0
    hits = 0
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        data = Path(path).read_bytes()
        size += len(data)
        text = unicodedata.normalize("NFC", data.decode("utf-8", errors="replace"))
        hits += sum(1 for _ in _ONE_PASS.finditer(text))
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return {"files": len(paths), "bytes": size, "seconds": seconds, "peak": _peak_mb(), "cpu": cpu}


def _full(paths: list[str], root: str, by_stage: bool = False) -> dict:
    from xhs_extract.pipeline import _NO_CLOCK, Stopwatch, _warm, process_file

    _warm()  # models and patterns load once per process, outside the timed loop
    clock = Stopwatch() if by_stage else _NO_CLOCK
    files = [Path(p) for p in paths]
    top = Path(root)
    size = sum(p.stat().st_size for p in files)
    records = failed = 0
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        result = process_file(path, top, clock=clock)
        records += len(result.records)
        failed += result.status != "ok"
    seconds = time.perf_counter() - start
    return {
        "files": len(paths),
        "bytes": size,
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "peak": _peak_mb(),
        "records": records,
        "failed": failed,
        "stages": clock.seconds if isinstance(clock, Stopwatch) else {},
    }


def _parallel(paths: list[str], root: str, jobs: int) -> dict:
    from xhs_extract.pipeline import _warm, run_files

    _warm()  # as for one process: loading models is not part of the throughput
    files = [Path(p) for p in paths]
    size = sum(p.stat().st_size for p in files)
    records = failed = 0
    start = time.perf_counter()
    for result in run_files(files, Path(root), jobs=jobs):
        records += len(result.records)
        failed += result.status != "ok"
    seconds = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "files": len(paths),
        "bytes": size,
        "seconds": seconds,
        "peak": max(_peak_mb(), children),
        "records": records,
        "failed": failed,
    }


def _child_main(function, args, queue) -> None:
    queue.put(function(*args))


def _in_child(function, *args) -> dict:
    """Run a measurement in a fresh process so that its peak memory is its own. (A pool
    worker would do, but pool workers may not start the workers of `--jobs` themselves.)"""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_child_main, args=(function, args, queue))
    child.start()
    result = queue.get()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"benchmark child process exited with code {child.exitcode}")
    return result


def _command(paths: list[str], root: Path, jobs: int) -> dict:
    """`xhs-extract extract` over the files, as a user runs it: a fresh process, wall time
    from its start to its exit, its own peak memory."""
    with tempfile.TemporaryDirectory(prefix="xhs-bench-") as scratch:
        folder = root
        if len(paths) != _count_inputs(root):  # --limit: a folder of just those files
            folder = Path(scratch) / "in"
            for path in paths:
                target = folder / Path(path).relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        out = Path(scratch) / "out" / "statistics.jsonl"
        command = [sys.executable, "-m", "xhs_extract", "extract", str(folder), "-o", str(out),
                   "--quiet", "--allow-failures", "--jobs", str(jobs)]
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
        if child.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited with {child.returncode}: {stderr}")
        records = sum(1 for _ in out.open(encoding="utf-8"))
        lines = out.with_name("manifest.jsonl").read_text(encoding="utf-8").splitlines()
    failed = sum(json.loads(line)["status"] != "ok" for line in lines)
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,  # with the workers it waited for
        "peak": usage.ru_maxrss / 1024,
        "records": records,
        "failed": failed,
    }


def _count_inputs(root: Path) -> int:
    from xhs_extract.read import iter_input_files

    return len(iter_input_files(root))


def _command_rows(paths: list[str], root: Path, jobs: int, floor: dict) -> list[Measurement]:
    out = []
    for n in sorted({1, jobs}):
        run = _command(paths, root, n)
        name = f"whole command: xhs-extract extract --quiet --jobs {n}"
        out.append(
            Measurement(
                name, floor["files"], floor["bytes"], run["seconds"], run["peak"],
                run["records"], run["failed"], cpu_seconds=run["cpu"],
            )
        )
    return out


def run_bench(root: Path, limit: int | None = None, jobs: int = 2) -> list[Measurement]:
    from xhs_extract.read import iter_input_files

    root = Path(root)
    paths = [str(p) for p in iter_input_files(root)]
    if limit:
        paths = paths[:limit]
    out: list[Measurement] = []
    for path in paths:  # every measurement reads from the page cache, the first one too
        Path(path).read_bytes()
    floor = _in_child(_floor, paths)
    out.append(
        Measurement(
            "floor: read + NFC + one regex pass",
            floor["files"],
            floor["bytes"],
            floor["seconds"],
            floor["peak"],
            cpu_seconds=floor["cpu"],
        )
    )
    full = _in_child(_full, paths, str(root))
    by_stage = _in_child(_full, paths, str(root), True)
    out.append(
        Measurement(
            "full pipeline, 1 process",
            full["files"],
            full["bytes"],
            full["seconds"],
            full["peak"],
            full["records"],
            full["failed"],
            by_stage["stages"],
            by_stage["seconds"],
            full["cpu"],
        )
    )
    if jobs > 1:
        par = _in_child(_parallel, paths, str(root), jobs)
        out.append(
            Measurement(
                f"full pipeline, --jobs {jobs}",
                par["files"],
                par["bytes"],
                par["seconds"],
                par["peak"],
                par["records"],
                par["failed"],
            )
        )
    out.extend(_command_rows(paths, root, jobs, floor))
    return out


def report(measurements: list[Measurement]) -> dict:
    """Machine-readable results with the ratios the targets are stated in."""
    floor = measurements[0]
    full = measurements[1]
    data = {
        "measurements": [
            {**asdict(m), "mb_per_s": round(m.mb_per_s, 3), "files_per_s": round(m.files_per_s, 1)}
            for m in measurements
        ],
        "full_over_floor": round(full.mb_per_s / floor.mb_per_s, 4) if floor.mb_per_s else None,
    }
    parallel = [m for m in measurements if m.name.startswith("full pipeline, --jobs")]
    if parallel:
        speedup = parallel[0].mb_per_s / full.mb_per_s if full.mb_per_s else None
        data["parallel_speedup"] = round(speedup, 3) if speedup is not None else None
    for m in measurements:
        if m.name.startswith("whole command") and floor.mb_per_s:
            key = "command_over_floor" + ("" if m.name.endswith("--jobs 1") else "_jobs")
            data[key] = round(m.mb_per_s / floor.mb_per_s, 4)
            if key == "command_over_floor" and m.cpu_seconds and floor.cpu_seconds:
                data["command_cpu_over_floor_cpu"] = round(floor.cpu_seconds / m.cpu_seconds, 4)
    return data


def dumps(measurements: list[Measurement]) -> str:
    return json.dumps(report(measurements), ensure_ascii=False, indent=2)
