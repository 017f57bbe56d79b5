"""Inputs and outputs named by fsspec URLs (`file://…`, `memory://…`, `s3://…`, `gs://…`).

A plain local path never comes here: it keeps the batch's own code path and speed.

Inputs: `list_files(url)` lists the candidate files below a URL in the same order as
`read.iter_input_files` lists a folder (by doc_id), each as `url + "/" + relative path`, so
that manifest paths and doc_ids are those of a local run over the same tree. A worker reads
one file with `process_url`: the bytes are staged in a private local folder under the same
relative path and handed to `pipeline.process_file`, so decoding, checks and error codes are
exactly those of a local file. A file over `max_bytes` is not downloaded: a sparse file of its
size stands in for it, refused (E004) as the local run refuses it.

Outputs: `staged_outputs` gives the batch local files to write (journal included, in a
folder named after the output URL, so that `--resume` finds it again) and uploads them only
when the run ends cleanly, keeping the rule that an interrupted run leaves no complete-looking
output behind.

Needs the optional extra `dask` (`pip install 'xhs-extract[dask]'`) for fsspec, plus the
fsspec back end of the storage (`s3fs` for s3://, `gcsfs` for gs://).
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from xhs_extract.pipeline import FileResult, process_file
from xhs_extract.read import DEFAULT_MAX_BYTES, SUFFIXES, doc_id_for

R = TypeVar("R")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+://")  # two letters at least: not `C:\`
_MISSING_EXTRA = (
    "reading or writing {what} needs fsspec: install the optional extra "
    "`pip install 'xhs-extract[dask]'` (and s3fs for s3://, gcsfs for gs://)"
)


class RemoteError(RuntimeError):
    """A URL that cannot be used: the extra is missing, or nothing is there."""


def is_url(location: object) -> bool:
    """True for `scheme://…`; False for a local path (a Path, or text without a scheme)."""
    return isinstance(location, str) and _URL.match(location) is not None


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError:  # pragma: no cover - depends on the extras installed
        raise RemoteError(_MISSING_EXTRA.format(what=url)) from None
    return url_to_fs(url)


def list_files(root_url: str) -> list[str]:
    """Every candidate file below `root_url` (or the URL itself when it names a file),
    as URLs, in doc_id order like `read.iter_input_files`."""
    root_url = root_url.rstrip("/")
    fs, root = _filesystem(root_url)
    if not fs.exists(root):
        raise RemoteError(f"{root_url}: no such file or folder")
    if fs.isfile(root):
        return [root_url]
    root = root.rstrip("/")
    wanted = tuple(s.lower() for s in SUFFIXES)
    names = [
        found[len(root) + 1 :]
        for found in fs.find(root)
        if found.startswith(root + "/") and found.lower().endswith(wanted)
    ]
    urls = [f"{root_url}/{name}" for name in names]
    # doc_id_for takes text as well as Paths (a Path would fold the `//` of the URL)
    return sorted(set(urls), key=lambda url: (doc_id_for(url, root_url), url))


def sha256(url: str) -> str | None:
    """The content hash of one file (what --resume compares), or None if it cannot be read."""
    try:
        fs, path = _filesystem(url)
        with fs.open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (OSError, RemoteError):
        return None


_STAGE: dict[int, str] = {}  # one private staging folder per process


def _stage_folder() -> str:
    folder = _STAGE.get(os.getpid())
    if folder is None:
        folder = _STAGE[os.getpid()] = tempfile.mkdtemp(prefix="xhs-extract-stage-")
        atexit.register(shutil.rmtree, folder, True)
    return folder


def process_url(url: str, root_url: str, max_bytes: int = DEFAULT_MAX_BYTES) -> FileResult:
    """One remote file's outcome, exactly as `process_file` gives it for the same local file."""
    root_url = root_url.rstrip("/")
    inside = url.startswith(root_url + "/")
    relative = url[len(root_url) + 1 :] if inside else url.rsplit("/", 1)[-1]
    stage = tempfile.mkdtemp(dir=_stage_folder())
    local = Path(stage, *relative.split("/"))
    local.parent.mkdir(parents=True, exist_ok=True)
    try:
        _download(url, local, max_bytes)
        root = Path(stage) if url != root_url else local
        result = process_file(local, root, max_bytes)
        if result.reason:
            # Name the file as the user named it, not by its staging copy.
            result.reason = result.reason.replace(str(local), url).replace(stage, root_url)
        return result
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _download(url: str, local: Path, max_bytes: int) -> None:
    """Copy the file's bytes to `local`; a file over `max_bytes` becomes a sparse stand-in
    of its size, and one that cannot be read is left missing (the read stage reports it)."""
    try:
        fs, path = _filesystem(url)
        size = fs.size(path)
        if size is not None and size > max_bytes:
            with open(local, "wb") as handle:
                handle.truncate(size)
            return
        with fs.open(path, "rb") as source, open(local, "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
    except FileNotFoundError:
        return
    except OSError:
        local.unlink(missing_ok=True)


# --- outputs


def staging_folder(url: str) -> Path:
    """The local folder where outputs for `url` are written before upload. Named after the
    URL, so that a second run (`--resume`) on the same machine finds the journal again."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "xhs-extract-outputs" / digest


def local_for(url: str) -> Path:
    """The staged local file that stands for the output URL `url`."""
    return staging_folder(url) / url.rstrip("/").rsplit("/", 1)[-1]


@contextlib.contextmanager
def staged_outputs(urls: list[str]) -> Iterator[list[Path]]:
    """Local files for the output URLs; uploaded, in order, when the block ends without an
    error. The journal of a staged output stays local (it is what --resume reads)."""
    locals_ = [local_for(url) for url in urls]
    for local in locals_:
        local.parent.mkdir(parents=True, exist_ok=True)
    yield locals_
    for url, local in zip(urls, locals_, strict=True):
        if local.exists():
            upload(local, url)
            local.unlink()


def with_staged_outputs(run: Callable[..., R]) -> Callable[..., R]:
    """Wrap a batch runner (`run(options, log, on_result)`): when the options' outputs are
    URLs, `run` writes to staged local files, uploaded when it returns. Local outputs go
    straight to `run`."""

    @functools.wraps(run)
    def wrapper(options: Any, *args: Any, **kwargs: Any) -> R:
        targets = [options.output, options.documents, options.manifest]
        if not any(is_url(t) for t in targets):
            return run(options, *args, **kwargs)
        with staged_outputs([str(t) for t in targets]) as (output, documents, manifest):
            staged = dataclasses.replace(
                options, output=output, documents=documents, manifest=manifest
            )
            return run(staged, *args, **kwargs)

    return wrapper


def upload(local: Path, url: str) -> None:
    fs, path = _filesystem(url)
    parent = path.rsplit("/", 1)[0] if "/" in path else ""
    if parent:
        fs.makedirs(parent, exist_ok=True)
    fs.put_file(os.fspath(local), path)


# --- the plain engine over URLs


def _process_urls(items: list[tuple[str, str, int, bool]]) -> list[FileResult]:
    results = []
    for url, root, max_bytes, keep_text in items:
        result = process_url(url, root, max_bytes)
        if not keep_text:
            result.text = None
        results.append(result)
    return results


def run_urls(
    urls: list[str], root_url: str, jobs: int = 1, max_bytes: int = DEFAULT_MAX_BYTES,
    keep_text: bool = False,
) -> Iterator[FileResult]:
    """Results for remote files, in order, on this machine (`--jobs` processes)."""
    from xhs_extract.parallel import ordered_map

    work = [(url, root_url.rstrip("/"), max_bytes, keep_text) for url in urls]
    size = max(1, min(64, len(work) // (max(1, jobs) * 8) or 1))
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    for results in ordered_map(_process_urls, chunks, jobs):
        yield from results
