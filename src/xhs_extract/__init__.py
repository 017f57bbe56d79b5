"""xhs-extract: digital-society statistics from Vietnamese news, as validated records.

    >>> from xhs_extract import extract_text
    >>> [r.value for r in extract_text("Tỷ lệ hộ gia đình có Internet cáp quang đạt 92%.")]
    [92.0]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xhs_extract.models import DocumentRecord, Evidence, Geo, Statistic

__version__ = "0.1.0"

# The record models are imported when first asked for, not with the package: a command
# that needs no record (`--help`, `schema`, `export`) does not pay for building them.
_MODELS = ("DocumentRecord", "Evidence", "Geo", "Statistic")


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        from xhs_extract import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def extract_text(text: str, doc_id: str = "doc") -> list[Statistic]:
    """The statistic records of one text, offsets into `text`."""
    from xhs_extract.pipeline import extract_text as _extract_text

    return _extract_text(text, doc_id)


def extract_folder(root: Path, jobs: int = 1) -> list[Statistic]:
    """The statistic records of every readable article under `root`, in deterministic order."""
    from xhs_extract.pipeline import extract_folder as _extract_folder

    return _extract_folder(root, jobs=jobs)


__all__ = [
    "DocumentRecord",
    "Evidence",
    "Geo",
    "Statistic",
    "extract_folder",
    "extract_text",
    "__version__",
]
