"""What each part of `xhs-extract extract` costs, in CPU time (user + system), one process.

    .venv/bin/python bench/command_parts.py [--corpus DIR] [--repeat N] [--json FILE]

Runs the command as users run it, in one process (`xhs-extract extract DIR -o OUT --quiet
--jobs 1`, other settings the defaults: `--file-timeout 120`, journal, documents and
manifest written), each --repeat times in a fresh process, with a stopwatch of CPU time
(`time.process_time`) around:

    start-up   the interpreter and the imports, up to the batch's start
    listing    finding the input files and sorting them by doc_id
    warm-up    loading models, compiled patterns from their cache (once per process)
    pipeline   reading, gating and extracting each file (`process_file`)
    batch      what the batch does around each file: the time budget's alarm, the
               journal, the three outputs, the summary (the rest of the batch's time)
    exit       the interpreter's own end (from the process's total CPU, told by wait4)

The stopwatch adds about 1 µs a file to the pipeline's part. The machine is shared: the
figures given are each part's median over the runs, and the least total.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "bench-corpus" / "articles"
PARTS = ("start-up", "listing", "warm-up", "pipeline", "batch", "exit")


def _child(report: str, argv: list[str]) -> None:
    """In the measured process: wrap the parts, run the command, write the figures."""
    from xhs_extract import batch, pipeline

    clock = time.process_time
    spent = {"listing": 0.0, "warm-up": 0.0, "pipeline": 0.0}
    marks: dict[str, float] = {}

    def timed(part, function):  # noqa: ANN001, ANN202
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                spent[part] += clock() - start

        return wrapper

    run_batch = batch.run_batch

    def whole_batch(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        marks["start"] = clock()
        try:
            return run_batch(*args, **kwargs)
        finally:
            marks["end"] = clock()

    batch._input_files = timed("listing", batch._input_files)
    pipeline._warm = timed("warm-up", pipeline._warm)
    pipeline.process_file = timed("pipeline", pipeline.process_file)
    batch.run_batch = whole_batch  # the command imports it when it runs: this one
    from xhs_extract.cli import main

    sys.argv = ["xhs-extract", *argv]
    try:
        main()
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise
    finally:
        within = marks["end"] - marks["start"]
        figures = {"start-up": marks["start"], **spent}
        figures["batch"] = within - sum(spent.values())
        figures["in-process"] = clock()
        Path(report).write_text(json.dumps(figures), encoding="utf-8")


def _run(corpus: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="xhs-parts-") as scratch:
        report = Path(scratch) / "parts.json"
        out = Path(scratch) / "out" / "statistics.jsonl"
        argv = ["extract", str(corpus), "-o", str(out), "--quiet", "--allow-failures", "-j", "1"]
        child = subprocess.Popen([sys.executable, __file__, "--child", str(report), *argv])
        _pid, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"the measured command failed ({status})")
        figures = json.loads(report.read_text(encoding="utf-8"))
    total = usage.ru_utime + usage.ru_stime
    figures["exit"] = max(0.0, total - figures.pop("in-process"))
    figures["total"] = total
    return figures


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    runs = [_run(args.corpus) for _ in range(args.repeat)]
    medians = {part: statistics.median(r[part] for r in runs) for part in (*PARTS, "total")}
    least = min(r["total"] for r in runs)
    for part in PARTS:
        print(f"{part:10} {medians[part]:6.3f} s  ({medians[part] / medians['total']:.0%})")
    print(f"{'total':10} {medians['total']:6.3f} s  (least {least:.3f} s, {len(runs)} runs)")
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "medians": medians}, indent=2) + "\n")


if __name__ == "__main__":
    main()
