"""Typed access to the language data in `patterns/`.

Code holds no word lists: every Vietnamese word a stage looks for lives in a data file
under `patterns/` and is read here, once per process, into a frozen dataclass (as spaCy
keeps its `lang/` data and dateparser its per-language YAML). One loader per data file,
named after it (`numbers.yaml` -> `numbers_data()`), each returning one frozen object.
"""

from __future__ import annotations

import functools  # noqa: F401 - the loaders below are cached with functools.cache
from dataclasses import dataclass  # noqa: F401

from xhs_extract.resources import load_yaml  # noqa: F401


# --- indicators.yaml
# Parsed and validated once per process by `xhs_extract.catalogue.load_catalogue` (frozen
# pydantic models). The catalogue has that one parser, so no second loader stands here.
