"""`extract`'s choice of engine and of storage: local paths, or fsspec URLs and a Dask cluster.

Kept apart from the command itself: it only turns the command line into BatchOptions fields.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

from xhs_extract.remote import RemoteError, is_url

ENGINES = ("local", "dask")


@dataclass(frozen=True)
class EngineChoice:
    engine: str
    scheduler: Optional[str]
    #: errors that mean "cannot start": reported in one line, exit code 2
    errors: tuple[type[BaseException], ...]

    @classmethod
    def of(
        cls, engine: str, scheduler: Optional[str], corpus: str, output: str,
        documents: Optional[str], manifest: Optional[str],
    ) -> "EngineChoice":
        """Check the options; ValueError says what is wrong."""
        from xhs_extract.distributed import DaskUnavailable

        if engine not in ENGINES:
            raise ValueError(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        if scheduler:
            engine = "dask"
        if engine == "dask":
            try:
                import distributed  # noqa: F401
            except ImportError:
                raise ValueError(
                    "--engine dask and --scheduler need the optional extra `dask`: "
                    "pip install 'xhs-extract[dask]'"
                ) from None
        urls = [x for x in (corpus, output, documents, manifest) if x and is_url(x)]
        if urls:
            try:
                import fsspec  # noqa: F401
            except ImportError:
                raise ValueError(
                    f"{urls[0]}: URLs need fsspec, in the optional extra `dask`: "
                    "pip install 'xhs-extract[dask]' (and s3fs for s3://, gcsfs for gs://)"
                ) from None
        if not is_url(corpus) and not os.path.lexists(corpus):
            raise ValueError(f"{corpus}: no such file or folder")
        return cls(engine, scheduler, (RemoteError, DaskUnavailable))


def _location(text: str) -> Union[str, Path]:
    return text.rstrip("/") if is_url(text) else Path(text)


def _beside(output: str, name: str) -> Union[str, Path]:
    if is_url(output):
        return output.rstrip("/").rsplit("/", 1)[0] + "/" + name
    return Path(output).with_name(name)


def batch_locations(
    corpus: str, output: str, documents: Optional[str], manifest: Optional[str]
) -> dict:
    """corpus, output, documents and manifest for BatchOptions: Paths, or URLs as text."""
    return {
        "corpus": _location(corpus),
        "output": _location(output),
        "documents": _location(documents) if documents else _beside(output, "documents.jsonl"),
        "manifest": _location(manifest) if manifest else _beside(output, "manifest.jsonl"),
    }
