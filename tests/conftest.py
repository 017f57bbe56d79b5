"""Test-session settings: the cache of derived pattern data goes to a folder of the
session's own (removed at the end), not the user's cache; and a run not told its number
of processes uses one, so that tests which count calls or time one file see them in this
process (the default, the machine's CPUs, has tests of its own in test_parallel.py)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "XHS_EXTRACT_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="xhs-extract-cache-")
    os.environ["XHS_EXTRACT_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

os.environ.setdefault("XHS_EXTRACT_JOBS", "1")
