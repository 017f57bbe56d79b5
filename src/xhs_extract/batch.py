"""Batch runs: every input file accounted for, outputs written atomically and in order.

Records, document records and the manifest are streamed to temporary files as results
arrive (memory stays flat in corpus size) and renamed into place only when the run ends
cleanly, so an interrupted run never leaves a complete-looking output behind.
"""

from __future__ import annotations

import collections
import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import jsonlines

from xhs_extract.pipeline import FileResult, run_files
from xhs_extract.read import DEFAULT_MAX_BYTES, iter_input_files
from xhs_extract.write import atomic_output, record_dict


@dataclass
class BatchOptions:
    corpus: Path
    output: Path
    documents: Path
    manifest: Path
    jobs: int = 1
    max_bytes: int = DEFAULT_MAX_BYTES
    progress: bool = False


@dataclass
class BatchSummary:
    files: int = 0
    ok: int = 0
    failed: int = 0
    records: int = 0
    rejected: int = 0
    failures: list[str] = field(default_factory=list)
    rejection_reasons: dict[str, int] = field(default_factory=dict)


def manifest_line(result: FileResult) -> dict:
    return {
        "doc_id": result.doc_id,
        "path": result.path,
        "sha256": result.sha256,
        "status": result.status,
        "records": len(result.records),
        "rejected": len(result.rejected),
        "code": result.code,
        "reason": result.reason,
    }


def _reason_kind(reason: str) -> str:
    """Group rejection reasons by their wording without the particular numbers."""
    import regex

    return regex.sub(r"[\d.,]+", "N", reason.split(":")[0])[:80]


def run_batch(options: BatchOptions, log=None, on_result: Optional[Callable[[FileResult], None]] = None) -> BatchSummary:
    """Run the pipeline over options.corpus and write the three outputs."""
    root = options.corpus
    paths = iter_input_files(root)
    summary = BatchSummary()
    reasons: collections.Counter[str] = collections.Counter()
    with contextlib.ExitStack() as stack:
        out = jsonlines.Writer(stack.enter_context(atomic_output(options.output)), compact=True)
        docs = jsonlines.Writer(stack.enter_context(atomic_output(options.documents)), compact=True)
        man = jsonlines.Writer(stack.enter_context(atomic_output(options.manifest)), compact=True)
        progress = _progress(stack, len(paths)) if options.progress else None
        for result in run_files(paths, root, jobs=options.jobs, max_bytes=options.max_bytes):
            summary.files += 1
            if result.status == "ok":
                summary.ok += 1
            else:
                summary.failed += 1
                summary.failures.append(result.reason or result.path)
                if log is not None and not options.progress:
                    log.print(f"failed: {result.reason}", markup=False, highlight=False)
            for record in result.records:
                out.write(record_dict(record))
            if result.document is not None:
                docs.write(record_dict(result.document))
            man.write(manifest_line(result))
            summary.records += len(result.records)
            summary.rejected += len(result.rejected)
            for rejection in result.rejected:
                reasons[_reason_kind(rejection.reason)] += 1
            if progress is not None:
                progress()
            if on_result is not None:
                on_result(result)
    summary.rejection_reasons = dict(sorted(reasons.items()))
    return summary


def _progress(stack: contextlib.ExitStack, total: int) -> Callable[[], None]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = stack.enter_context(
        Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True)
    )
    task = bar.add_task("extracting", total=total)
    return lambda: bar.advance(task)


def read_manifest(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
