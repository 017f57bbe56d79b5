"""Running the extractor on a Dask cluster (`extract DIR --scheduler ADDRESS`, `--engine dask`).

The files are split into partitions of consecutive files. Each partition is one Dask task
that carries paths (or URLs) only: the worker reads the files itself, nothing of their
content goes through the client. The client keeps at most `window` partitions in flight and
hands results on strictly in input order (ordered gathering by partition), so its memory is
bounded whatever the corpus size, and the outputs are byte-identical to a plain run for any
number of workers and any partition size.

A worker that dies mid-task (killed, out of memory) loses only its tasks in flight: the
scheduler runs them again on another worker, and since the client takes each partition's
result exactly once, in order, nothing is lost or doubled. The journal that `--resume`
reads is written by the client as results arrive, as for a plain run.

Needs the optional extra `dask` (`pip install 'xhs-extract[dask]'`).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections import deque
from pathlib import Path
from typing import Any, Iterator, Sequence

from xhs_extract.pipeline import FileResult, process_file
from xhs_extract.read import DEFAULT_MAX_BYTES

#: `scheduler` value for an in-process cluster of threads (for memory:// and debugging).
IN_PROCESS = "in-process"
MISSING_EXTRA = (
    "the Dask engine needs the optional extra `dask`: pip install 'xhs-extract[dask]'"
)
DEFAULT_PARTITION = 64  # files per task: large enough that scheduling costs little


class DaskUnavailable(RuntimeError):
    """dask.distributed is not installed."""


def _client(scheduler: str | None, workers: int, stack: contextlib.ExitStack) -> Any:
    """A client of the cluster at `scheduler`; with no address, of a LocalCluster of
    `workers` single-threaded worker processes started (and ended) here."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise DaskUnavailable(MISSING_EXTRA) from None
    if scheduler and scheduler != IN_PROCESS:
        return stack.enter_context(Client(scheduler, set_as_default=False))
    processes = scheduler != IN_PROCESS
    cluster = stack.enter_context(
        LocalCluster(
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=processes,
            dashboard_address=":0",  # a free port: several runs may share a machine
            silence_logs=40,  # errors only
        )
    )
    return stack.enter_context(Client(cluster, set_as_default=False))


def process_partition(
    paths: Sequence[str], root: str, max_bytes: int, keep_text: bool
) -> list[FileResult]:
    """One task: read and process consecutive files on the worker (paths or URLs)."""
    from xhs_extract.remote import is_url, process_url

    remote = is_url(root)
    local_root = Path(root)
    results = []
    for path in paths:
        if remote:
            result = process_url(path, root, max_bytes)
        else:
            result = process_file(Path(path), local_root, max_bytes)
        if not keep_text:
            result.text = None  # keep what crosses the network small
        results.append(result)
    return results


def run_files_dask(
    paths: Sequence[Path | str],
    root: Path | str,
    *,
    scheduler: str | None = None,
    workers: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_text: bool = False,
    partition: int | None = None,
    window: int | None = None,
) -> Iterator[FileResult]:
    """Results for `paths`, in the order given, computed on a Dask cluster.

    `partition`: files per task (default: 64, fewer for small inputs so that every worker
    gets some); `window`: partitions in flight at most (default: four per worker thread).
    """
    names = [os.fspath(p) for p in paths]
    if not names:
        return
    with contextlib.ExitStack() as stack:
        client = _client(scheduler, workers, stack)
        threads = max(1, sum(client.nthreads().values()))
        size = partition or max(1, min(DEFAULT_PARTITION, len(names) // (threads * 8) or 1))
        parts = [names[i : i + size] for i in range(0, len(names), size)]
        limit = window or 4 * threads
        root_text = os.fspath(root)
        pending: deque[Any] = deque()
        run = uuid.uuid4().hex  # task keys unique to this run on a shared cluster
        submitted = 0
        for _ in range(len(parts)):
            while submitted < len(parts) and len(pending) < limit:
                pending.append(
                    client.submit(
                        process_partition,
                        parts[submitted],
                        root_text,
                        max_bytes,
                        keep_text,
                        key=f"xhs-extract-{run}-{submitted}",
                        retries=2,
                    )
                )
                submitted += 1
            future = pending.popleft()
            results = future.result()
            future.release()
            yield from results
