"""Where the language data lives, and loading it once per process."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml


def patterns_dir() -> Path:
    """The `patterns/` folder: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "patterns", here.parents[1] / "patterns"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "xhs-extract cannot find its patterns/ folder (looked in "
        f"{here / 'patterns'} and {here.parents[1] / 'patterns'}); reinstall the package"
    )


# libyaml's safe loader when PyYAML was built with it (its wheels are): the same data,
# parsed about eight times faster, which every process pays for at start-up.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """A YAML data file from `patterns/`, parsed once per process."""
    path = patterns_dir() / name
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)  # noqa: S506 - a safe loader
