"""A cache on disk for what is costly to derive from `patterns/` (the prefilter above all).

Each entry is a JSON file in the user's cache folder, named after what it holds and keyed
by a hash of every file of `patterns/`, of the package's own source and version, and of
the Python and Unicode versions: a changed pattern file (or a changed program) makes a new
key, and the entry is built again. The key's first characters are part of the file's name
(`prefilter-0123456789ab.json`), so that two installations sharing the folder (two
versions, two working copies) each keep their own entry instead of rebuilding it in turn
(0.7 s of CPU a run); the newest few entries of a name are kept, older ones removed.
Entries are written atomically (a temporary file renamed into place) and checked on load:
a file that does not parse, holds another key, or whose body no longer matches its digest
is ignored and rebuilt, never trusted.

The folder is `$XHS_EXTRACT_CACHE_DIR` when set (an empty value turns the cache off), else
`$XDG_CACHE_HOME/xhs-extract`, else `~/.cache/xhs-extract`. When it cannot be created or
written (a read-only home, a full disk), entries are simply built in memory on every run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Callable, Optional

ENV_DIR = "XHS_EXTRACT_CACHE_DIR"
FORMAT = 1  # of the entry files; a change of layout changes it


def cache_dir() -> Optional[Path]:
    """The folder of the cache entries; None when the cache is turned off."""
    chosen = os.environ.get(ENV_DIR)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "xhs-extract"


@functools.lru_cache(maxsize=1)
def source_key() -> str:
    """A hash of everything a derived entry depends on: the pattern files, the package's
    modules and version, the Python version and its Unicode tables."""
    from xhs_extract import __version__
    from xhs_extract.resources import patterns_dir

    digest = hashlib.sha256()
    for part in (__version__, sys.version, unicodedata.unidata_version, str(FORMAT)):
        digest.update(part.encode("utf-8") + b"\0")
    package = Path(__file__).resolve().parent
    for folder, pattern in ((patterns_dir(), "*"), (package, "*.py")):
        for path in sorted(folder.glob(pattern)):
            if path.is_file():
                digest.update(path.name.encode("utf-8") + b"\0")
                digest.update(path.read_bytes())
                digest.update(b"\0")
    return digest.hexdigest()


def _digest(body: Any) -> str:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Entries of one name kept in the folder (the newest): one per installation that uses it.
KEEP = 4
_KEY_CHARS = 12  # of the key in an entry's file name


def entry_path(name: str, key: str) -> Optional[Path]:
    """Where the entry `name` made under `key` is kept (None: no cache)."""
    folder = cache_dir()
    return None if folder is None else folder / f"{name}-{key[:_KEY_CHARS]}.json"


def load(name: str, key: str) -> Any:
    """The body of entry `name` when it is present, whole and made under `key`; else None."""
    path = entry_path(name, key)
    if path is None:
        return None
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        return None
    body = data.get("body")
    if body is None or data.get("digest") != _digest(body):
        return None
    return body


def store(name: str, key: str, body: Any) -> bool:
    """Write entry `name` atomically; False (and nothing left behind) when it cannot be."""
    path = entry_path(name, key)
    if path is None:
        return False
    data = {"format": FORMAT, "key": key, "digest": _digest(body), "body": body}
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
        _prune(path.parent, name)
        return True
    except OSError:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        return False


def _prune(folder: Path, name: str) -> None:
    """Entries of `name` beyond the KEEP newest (other keys, older programs) removed; so is
    the entry of the layout before keys were in names (`name.json`)."""
    entries = sorted(folder.glob(f"{name}-*.json"), key=_modified, reverse=True)
    for old in [*entries[KEEP:], folder / f"{name}.json"]:
        try:
            old.unlink()
        except OSError:  # gone already, or not ours to remove: left alone
            pass


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def cached(name: str, build: Callable[[], Any], use: Callable[[Any], Any]) -> Any:
    """`use(body)` of entry `name`: the body from the cache when it is there and `use`
    accepts it (a body it rejects with any error is rebuilt), else `use(build())`,
    stored for the next process. An error of `build` or of `use` on a fresh body is
    raised."""
    key = source_key()
    body = load(name, key)
    if body is not None:
        try:
            return use(body)
        except Exception:  # a body that does not work is built again, whatever the error
            pass
    body = build()
    result = use(body)
    store(name, key, body)
    return result
