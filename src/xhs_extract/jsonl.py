"""JSON Lines in and out, through `jsonlines`, and atomic replacement of output files.

Every JSONL file the package reads (gold, predictions, outputs, manifests, journals)
goes through :func:`read_lines`, and every one it writes through :func:`writer`, so
that all agree on what a line is: split on ``\\n`` only (Vietnamese text may carry U+2028
or U+0085 inside JSON strings), blank lines skipped, a UTF-8 byte order mark at the start
of the file accepted, each line decoded as UTF-8 on its own (a bad line names its number).
Output files are written beside their destination and renamed into place when complete
(:func:`atomic_path`), so a crash never leaves a half-written file under the final name.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Union

from xhs_extract.errors import OutputError

if TYPE_CHECKING:
    import jsonlines

#: What a reader is told about a line it cannot use: the line number and the decoder's
#: error (a UnicodeDecodeError, or a json.JSONDecodeError with `.msg` and `.colno`).
BadLine = Callable[[int, Union[UnicodeDecodeError, json.JSONDecodeError]], None]


def _raise(_number: int, error: Union[UnicodeDecodeError, json.JSONDecodeError]) -> None:
    raise error


def read_lines(path: str | Path, on_bad: BadLine = _raise) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line of the JSONL file `path`.

    A line that is not UTF-8 or not JSON goes to `on_bad` with its number and the
    decoder's error; reading goes on when `on_bad` returns (the default raises the error).
    Opening the file may raise OSError (FileNotFoundError, PermissionError …).

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.jsonl").write_bytes(b'\\xef\\xbb\\xbf{"a": 1}\\n\\n[2]\\n{bad\\n')
    >>> bad = []
    >>> list(read_lines(folder / "a.jsonl", lambda n, e: bad.append((n, e.msg))))
    [(1, {'a': 1}), (3, [2])]
    >>> bad
    [(4, 'Expecting property name enclosed in double quotes')]
    >>> import shutil; shutil.rmtree(folder)
    """
    import jsonlines  # here: a run that reads no JSONL file does not load it (and attrs)

    with open(path, "rb") as handle:
        lines = _Lines(handle)
        reader = jsonlines.Reader(lines, loads=json.loads)
        while True:
            try:
                value = reader.read(skip_empty=True, allow_none=True)
            except EOFError:
                return
            except jsonlines.InvalidLineError as error:
                cause = error.__cause__
                if not isinstance(cause, (UnicodeDecodeError, json.JSONDecodeError)):
                    raise  # pragma: no cover - jsonlines only wraps these two
                on_bad(error.lineno, cause)
                continue
            yield lines.number, value


class _Lines:
    """A binary file's lines, a byte order mark at its very start removed; `.number` is
    the number of the line handed out last."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.number = 0

    def __iter__(self) -> Iterator[bytes]:
        for line in self.handle:
            self.number += 1
            if self.number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            yield line


def dump_lines(objects: Iterable[Any], handle: IO[str], *, compact: bool = True) -> int:
    """Write objects to an open text handle, one JSON object per line; the count.

    Compact (no spaces after "," and ":") unless `compact` is false, as people edit them.
    """
    count = 0
    with writer(handle, compact=compact) as out:
        for item in objects:
            out.write(item)
            count += 1
    return count


def writer(handle: IO[str], *, compact: bool = True) -> jsonlines.Writer:
    """A JSONL writer over `handle`: non-ASCII letters as they are, compact separators
    unless `compact` is false."""
    import jsonlines

    return jsonlines.Writer(handle, compact=compact, sort_keys=False, flush=False)


# ---------------------------------------------------------------------------------------
# Atomic replacement


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path` that replaces it only when the block finishes cleanly.

    The folder is created if needed; the file gets ordinary permissions (the umask's), is
    flushed to disk, then renamed over `path`. On any error the temporary file is removed.
    """
    path = Path(path)
    name = _temporary(path)
    try:
        yield Path(name)
        _sync(name)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


#: The name of every temporary file the package writes: ".NAME.XXXXXXXX.part" (NAME cut
#: short when long). A run removes leftovers of a killed run by this pattern only.
TEMPORARY_NAME = re.compile(r"\A\..+\.[a-z0-9_]{8}\.part\Z", re.S)
#: At most this many bytes of the final name go into a temporary name, which then stays
#: within the 255 bytes a file name may have.
_NAME_BYTES = 200


def _temporary(path: Path) -> str:
    """A new empty temporary file beside `path` (its folder created if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stem = os.fsencode(path.name)[:_NAME_BYTES]
    descriptor, name = tempfile.mkstemp(
        prefix=b"." + stem + b".", suffix=b".part", dir=os.fsencode(path.parent)
    )
    os.close(descriptor)
    os.chmod(name, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are ordinary files
    return os.fsdecode(name)


def _sync(name: str) -> None:
    descriptor = os.open(name, os.O_RDWR)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def atomic_paths(paths: list[Path]) -> Iterator[list[Path]]:
    """Temporary paths beside `paths` that replace them all together when the block
    finishes cleanly, or none of them.

    Before the first rename each old file is kept under a temporary name (a hard link);
    if any rename fails, the files already replaced get their old content back and the
    error is raised. On any error every temporary file is removed.
    """
    names: list[str] = []
    kept: dict[int, str] = {}
    done = 0
    try:
        for path in paths:
            names.append(_temporary(path))
        yield [Path(name) for name in names]
        for name in names:
            _sync(name)
        for index, path in enumerate(paths):
            if path.exists() and not path.is_dir():
                old = _temporary(path)
                os.unlink(old)
                os.link(path, old)
                kept[index] = old
        for index, path in enumerate(paths):
            os.replace(names[index], path)
            done = index + 1
    except BaseException:
        for index in range(done):  # put back what was there before
            if index in kept:
                with contextlib.suppress(OSError):
                    os.replace(kept.pop(index), paths[index])
        for name in [*names[done:], *kept.values()]:
            with contextlib.suppress(OSError):
                os.unlink(name)
        raise
    for old in kept.values():
        with contextlib.suppress(OSError):
            os.unlink(old)


def inside_folder(target: Path, folder: Path) -> Path:
    """`target`, if it lies inside `folder` once `..` and links are resolved; else
    OutputError E404. What every writer of files named after input checks first."""
    base = os.path.realpath(folder)
    resolved = os.path.realpath(target)
    if resolved != base and not resolved.startswith(base.rstrip(os.sep) + os.sep):
        raise OutputError("E404", path=target, folder=folder)
    return target


def check_target(path: str | Path, *, folder: bool = False) -> None:
    """Refuse, before any work, an output that cannot be written (OutputError E400): a file
    that is a folder, a folder that is a file, or one whose nearest existing parent is not
    a folder. Missing folders on the way are fine: writers create them."""
    real = os.path.realpath(path)
    if folder and os.path.exists(real) and not os.path.isdir(real):
        raise OutputError("E400", path=path, detail="it is not a folder")
    if not folder and os.path.isdir(real):
        raise OutputError("E400", path=path, detail="it is a folder")
    parent = Path(real).parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError("E400", path=path, detail=f"{parent} is not a folder")


def is_temporary_of(name: str | Path, target: str | Path) -> bool:
    """True when `name` is a temporary file that :func:`atomic_path` makes for `target`."""
    name, target = Path(name), Path(target)
    prefix = "." + os.fsdecode(os.fsencode(target.name)[:_NAME_BYTES]) + "."
    return (
        os.path.realpath(name.parent) == os.path.realpath(target.parent)
        and name.name.startswith(prefix)
        and TEMPORARY_NAME.match(name.name) is not None
    )


def remove_leftovers(folder: Path, names: Iterable[str] = (), recursive: bool = False) -> int:
    """Remove the temporary files a killed run left in `folder`: only names matching
    :data:`TEMPORARY_NAME`, and, when `names` are given, only those of these outputs. The
    count removed."""
    prefixes = tuple("." + os.fsdecode(os.fsencode(n)[:_NAME_BYTES]) + "." for n in names)
    removed = 0
    folders = [os.fspath(folder)]
    while folders:
        current = folders.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            if recursive and entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif TEMPORARY_NAME.match(entry.name) and (
                not prefixes or entry.name.startswith(prefixes)
            ):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[IO[str]]:
    """A UTF-8 text handle (``\\n`` line ends) whose content replaces `path` on success."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


def write_jsonl(path: str | Path, objects: Iterable[Any], *, compact: bool = True) -> int:
    """Write objects to `path` as JSONL, replacing it atomically; the count."""
    with atomic_output(path) as handle:
        return dump_lines(objects, handle, compact=compact)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
