"""Write stage: JSONL through jsonlines, deterministic order, atomic replacement."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterable, Iterator

import jsonlines

from xhs_extract.models import DocumentRecord, Statistic


def sort_key(record: Statistic) -> tuple:
    return (record.doc_id, record.value_span[0], record.value_span[1], record.indicator, record.unit)


def record_dict(record: Statistic | DocumentRecord) -> dict:
    if isinstance(record, Statistic):
        return record.to_json_dict()
    return record.model_dump(mode="json")


def dump_lines(records: Iterable[Statistic | DocumentRecord], handle: IO[str]) -> int:
    """Write records to an open text handle, one compact JSON object per line."""
    count = 0
    with jsonlines.Writer(handle, compact=True, sort_keys=False, flush=False) as writer:
        for record in records:
            writer.write(record_dict(record))
            count += 1
    return count


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[str]]:
    """A text handle whose content replaces `path` only when the block finishes cleanly:
    a crash never leaves a half-written file under the final name."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are ordinary files
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_jsonl(path: Path, records: Iterable[Statistic | DocumentRecord]) -> int:
    with atomic_output(path) as handle:
        return dump_lines(records, handle)
