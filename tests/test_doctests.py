"""The examples in the package's docstrings run and show what they claim."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import xhs_extract


def _modules() -> list[str]:
    names = [xhs_extract.__name__]
    for info in pkgutil.walk_packages(xhs_extract.__path__, prefix=f"{xhs_extract.__name__}."):
        if not info.name.endswith(".__main__"):  # importing it would run the command
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, verbose=False, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
