"""The data files load the same whichever YAML parser reads them."""

import pytest
import yaml

from xhs_extract.resources import load_yaml, patterns_dir


@pytest.mark.parametrize("path", sorted(patterns_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_fast_loader_reads_what_the_reference_loader_reads(path):
    assert load_yaml(path.name) == yaml.safe_load(path.read_text(encoding="utf-8"))
