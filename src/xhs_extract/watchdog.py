"""A time budget for one call in any thread (`--file-timeout` where SIGALRM cannot be used).

The local engine stops a file over budget with an alarm (SIGALRM), which only a process's
main thread receives. A Dask worker runs its tasks in threads of its own, so there one
watchdog thread per process keeps the deadline of every call in progress, and when a
deadline passes it raises the budget's exception in the thread that runs the call
(`PyThreadState_SetAsyncExc`).

What is guaranteed: a call over its budget ends with that exception as soon as its thread
runs Python code again, the exception never reaches a thread after its call has returned,
and each call is stopped at most once. What is not: Python can only raise the exception
between two steps of Python code, so a call stuck inside one C function (a single regular
expression match over a hostile line) is stopped only when that function returns; the
file is then marked over budget, late. The alarm of the local engine has the same limit.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from typing import Callable, TypeVar

R = TypeVar("R")


class _Watchdog:
    """The deadlines of the calls in progress, by thread, and the thread that watches them.

    The state is guarded by a plain lock, whose `with` is C code: an exception raised in a
    thread that holds it always lets it go. The watchdog raises an exception only while
    holding that lock, so a thread that holds it (arming, disarming) is never interrupted
    there."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """No call in progress and no thread yet (also in a child just forked)."""
        self._state = threading.Lock()
        self._wake = threading.Event()
        self._deadlines: dict[int, tuple[float, type[BaseException]]] = {}
        self._fired: set[int] = set()
        self._thread: threading.Thread | None = None

    def run(self, call: Callable[[], R], seconds: float, exception: type[BaseException]) -> R:
        """`call()`, or `exception` raised in it once it has run for `seconds`."""
        ident = threading.get_ident()
        try:
            self._arm(ident, time.monotonic() + seconds, exception)
            try:
                return call()
            finally:
                self._disarm(ident)
        except exception:
            self._disarm(ident)  # the exception may have come while disarming
            raise

    def _arm(self, ident: int, deadline: float, exception: type[BaseException]) -> None:
        with self._state:
            self._deadlines[ident] = (deadline, exception)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._watch, name="xhs-extract-watchdog", daemon=True
                )
                self._thread.start()
            self._wake.set()

    def _disarm(self, ident: int) -> None:
        with self._state:
            self._deadlines.pop(ident, None)
            if ident in self._fired:
                self._fired.discard(ident)
                # An exception raised but not yet delivered is withdrawn (NULL clears it).
                _set_async_exc(ident, None)

    def _watch(self) -> None:
        while True:
            with self._state:
                now = time.monotonic()
                for ident, (deadline, exception) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[ident]
                        self._fired.add(ident)
                        _set_async_exc(ident, exception)
                soonest = min((d for d, _ in self._deadlines.values()), default=None)
            self._wake.wait(None if soonest is None else max(0.0, soonest - now))
            self._wake.clear()  # before the state is read again: no wake-up is lost


def _set_async_exc(ident: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), None if exception is None else ctypes.py_object(exception)
    )


_WATCHDOG = _Watchdog()
# A forked child has no watchdog thread, and its lock may have been held at the fork.
os.register_at_fork(after_in_child=_WATCHDOG.reset)


def within(call: Callable[[], R], seconds: float, exception: type[BaseException]) -> R:
    """`call()` in this thread, with `exception` raised in it if it runs over `seconds`.

    >>> within(lambda: 42, 1.0, TimeoutError)
    42
    """
    return _WATCHDOG.run(call, seconds, exception)
