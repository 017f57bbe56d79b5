"""Several processes over a list of chunks, results in order, the caller working too.

`ordered_map(function, chunks, jobs)` yields `function(chunk)` for every chunk, in the
order of `chunks`, computed by `jobs` processes: the caller and `jobs - 1` forked workers.
Each process takes the next chunk nobody has taken (a counter in shared memory), so the
work balances itself; a worker sends its results back through its own pipe.

Why not `concurrent.futures`: its pool needs `jobs` workers plus a caller whose helper
threads receive and unpickle results. On N cores that is N + 1 busy processes, and the
helper threads take the caller's GIL while it writes output. Here the caller does a share
of the chunks itself and reads the workers' pipes in between, in its own thread, so N
processes compute on N cores.

Memory stays bounded: the caller takes a chunk only within `window` chunks of the one it
must hand on next, and the workers together hold at most `window` chunks whose results
the caller has not handed on (a semaphore). The caller reads the workers' pipes between
its own chunks, so a worker never waits on a full pipe while it may work.

A worker that dies (killed, out of memory) is reported with the files it was working on,
never silently skipped. Needs the "fork" start method; elsewhere `ordered_map` falls back
to a process pool with the same results.
"""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
import pickle
import select
import signal
import struct
import traceback
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence, TypeVar

from xhs_extract.errors import WorkerLost

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")

_FRAME = struct.Struct("<Q")  # the length of the pickle that follows
_CALLER = -1  # `owner` of a chunk the caller took; workers are 1, 2, …; 0: nobody yet


#: Where a run that is not told how many processes to use may take the number from.
JOBS_ENV = "XHS_EXTRACT_JOBS"
#: The most processes a run starts unless told otherwise (each holds its own models, about
#: 80 MB; the caller writes every output, which bounds what more processes can add).
MAX_DEFAULT_JOBS = 8


def default_jobs() -> int:
    """How many processes a run uses when not told: `$XHS_EXTRACT_JOBS` when set, else the
    CPUs this process may run on (its affinity, which a container or `taskset` narrows;
    not the machine's count), at most MAX_DEFAULT_JOBS. A value that is not a whole
    number of at least 1 raises ValueError naming the variable."""
    chosen = os.environ.get(JOBS_ENV, "").strip()
    if chosen:
        if not chosen.isdecimal() or int(chosen) < 1:
            raise ValueError(f"{JOBS_ENV} must be a whole number of at least 1, not {chosen!r}")
        return int(chosen)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # a system without affinities (macOS, Windows)
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_JOBS))


@dataclass
class _Worker:
    number: int
    pid: int
    fd: int
    buffer: bytearray = field(default_factory=bytearray)
    open: bool = True
    exit_code: int | None = None


def ordered_map(
    function: Callable[[Chunk], Result],
    chunks: Sequence[Chunk],
    jobs: int,
    window: int | None = None,
    describe: Callable[[Chunk], str] = lambda chunk: "a chunk of work",
) -> Iterator[Result]:
    """`function(chunk)` for each chunk, in order, computed by `jobs` processes.

    `function` runs in forked workers as it is (nothing is pickled but the results).
    `describe(chunk)` names a chunk in the error raised if its worker is lost.
    """
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            yield function(chunk)
        return
    if "fork" not in multiprocessing.get_all_start_methods():  # pragma: no cover - Windows
        with concurrent.futures.ProcessPoolExecutor(max_workers=jobs) as pool:
            yield from pool.map(function, chunks)
        return
    yield from _forked(function, chunks, jobs, window or 4 * jobs, describe)


def _forked(function, chunks, jobs, window, describe):  # noqa: ANN001, ANN202
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # the next chunk nobody has taken; its lock guards `owner`
    owner = context.RawArray("i", len(chunks))
    permits = context.Semaphore(window)  # worker chunks not yet handed on, at most `window`
    workers: list[_Worker] = []
    # Objects that exist now are never collected while the workers run: a collection in a
    # worker would otherwise write to every one of them and copy the caller's whole heap.
    # (A program that froze objects itself is left as it was.)
    freezing = gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    try:
        for number in range(1, jobs):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(read_fd)
                for other in workers:
                    os.close(other.fd)
                _work(function, chunks, taken, owner, permits, number, write_fd)
            _widen(write_fd)
            os.close(write_fd)
            workers.append(_Worker(number, pid, read_fd))
        by_number = {w.number: w for w in workers}
        done: dict[int, Result] = {}
        for needed in range(len(chunks)):
            while needed not in done:
                ready = _ready(workers)
                if ready:
                    for worker in ready:
                        _receive(worker, done)
                    continue
                if taken.value - needed < window:
                    index = _take(taken, owner, _CALLER, len(chunks))
                    if index is not None:
                        done[index] = function(chunks[index])  # work while the workers work
                        continue
                # `needed` is taken by now (a worker's, as the caller's would be done): read
                # its owner only now, since a worker may have taken it a moment ago.
                holder = by_number.get(owner[needed])
                if holder is None:
                    raise RuntimeError(f"chunk {needed} was taken by no process")  # a bug
                if not holder.open:
                    raise _lost(holder, chunks[needed], describe)
                _receive(holder, done)  # nothing else to do: wait for it
            if owner[needed] != _CALLER:
                permits.release()
            yield done.pop(needed)
    finally:
        _stop(workers)
        if freezing:
            gc.unfreeze()


def _take(taken, owner, number: int, total: int) -> int | None:  # noqa: ANN001
    """Take the next chunk nobody has taken, for process `number`; None when all are."""
    with taken.get_lock():
        index = taken.value
        if index >= total:
            return None
        taken.value = index + 1
        owner[index] = number
    return index


def _work(function, chunks, taken, owner, permits, number: int, fd: int) -> None:  # noqa: ANN001
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the caller decides when to stop
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the caller's handler: just end
        while True:
            permits.acquire()
            index = _take(taken, owner, number, len(chunks))
            if index is None:
                permits.release()  # for the next worker waiting: it too will find none
                break
            payload = pickle.dumps(
                (index, function(chunks[index])), protocol=pickle.HIGHEST_PROTOCOL
            )
            _write_all(fd, _FRAME.pack(len(payload)) + payload)
    except BrokenPipeError:
        code = 0  # the caller stopped reading: nothing left to do
    except BaseException:  # noqa: BLE001 - reported, then the caller names the chunk
        # Straight to the file descriptor: a lock on sys.stderr held by another thread of
        # the caller when it forked (a progress bar's) would never be released here.
        os.write(2, traceback.format_exc().encode("utf-8", "replace"))
        code = 1
    finally:
        os._exit(code)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _ready(workers: list[_Worker]) -> list[_Worker]:
    """The workers whose pipes hold something to read (results, or their end), now."""
    open_fds = {w.fd: w for w in workers if w.open}
    if not open_fds:
        return []
    return [open_fds[fd] for fd in select.select(list(open_fds), [], [], 0)[0]]


def _widen(fd: int) -> None:
    """A larger pipe (Linux), so that a worker rarely waits for the caller to read."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass  # the system's pipe size, then: slower, not wrong


def _receive(worker: _Worker, done: dict) -> None:
    """Read what the worker has sent (waiting until it sends something) into `done`."""
    data = os.read(worker.fd, 1 << 20)
    if not data:  # the worker has ended
        worker.open = False
        _, status = os.waitpid(worker.pid, 0)
        worker.exit_code = os.waitstatus_to_exitcode(status)
        return
    worker.buffer += data
    while len(worker.buffer) >= _FRAME.size:
        (size,) = _FRAME.unpack_from(worker.buffer)
        if len(worker.buffer) < _FRAME.size + size:
            break
        index, result = pickle.loads(worker.buffer[_FRAME.size : _FRAME.size + size])
        del worker.buffer[: _FRAME.size + size]
        done[index] = result


def _lost(worker: _Worker, chunk, describe) -> WorkerLost:  # noqa: ANN001
    how = f"exit code {worker.exit_code}" if worker.exit_code is not None else "no exit code"
    return WorkerLost(
        f"worker process {worker.pid} ended ({how}) before it returned its results for "
        f"{describe(chunk)}"
    )


def _stop(workers: list[_Worker]) -> None:
    """End the workers and wait for them. Once every result is in they have nothing left
    to do; if the caller stopped early (an error, a consumer that stopped reading) they
    would go on working for nothing."""
    for worker in workers:
        if worker.exit_code is None:
            try:
                os.kill(worker.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        os.close(worker.fd)
    for worker in workers:
        if worker.exit_code is None:
            try:
                os.waitpid(worker.pid, 0)
            except ChildProcessError:
                pass
