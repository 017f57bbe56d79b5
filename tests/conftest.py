"""Test-session settings: the cache of derived pattern data goes to a folder of the
session's own (removed at the end), not the user's cache."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

if "XHS_EXTRACT_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="xhs-extract-cache-")
    os.environ["XHS_EXTRACT_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
