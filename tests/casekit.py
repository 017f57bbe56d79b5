"""Shared by the tests that read cases from tests/cases/: finding a case's span in its text."""

from __future__ import annotations


def locate(text: str, span: str, occurrence: int = 1) -> int:
    """Start offset of the n-th occurrence (from 1) of `span` in `text`."""
    pos = -1
    for _ in range(occurrence):
        pos = text.find(span, pos + 1)
        if pos < 0:
            raise AssertionError(f"case error: {span!r} occurs fewer than {occurrence} times")
    return pos
