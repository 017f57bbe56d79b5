"""The registry of codes and the one exception base of the package."""

from __future__ import annotations

import inspect

import pytest

from xhs_extract import errors
from xhs_extract.errors import (
    ERRORS,
    METADATA,
    WARNINGS,
    AnnotationInputError,
    ArticleInputError,
    XhsError,
)


def _exception_classes() -> list[type[BaseException]]:
    return [
        item
        for _, item in inspect.getmembers(errors, inspect.isclass)
        if issubclass(item, BaseException) and item.__module__ == errors.__name__
    ]


@pytest.mark.parametrize("cls", _exception_classes(), ids=lambda cls: cls.__name__)
def test_every_exception_derives_from_the_base_and_has_a_registered_code(cls):
    assert issubclass(cls, XhsError)
    assert cls.code in ERRORS


def test_codes_are_unique_across_errors_warnings_and_metadata():
    codes = list(ERRORS) + list(WARNINGS) + list(METADATA)
    assert len(codes) == len(set(codes))


def test_the_two_input_errors_keep_their_messages():
    article = ArticleInputError.of("E001", "a/b.txt")
    assert str(article) == "Cannot read a/b.txt: the file is empty [E001]."
    assert article.code == "E001" and article.reason == "the file is empty"
    annotation = AnnotationInputError("gold.jsonl", 3, "is not a JSON object")
    assert str(annotation) == "gold.jsonl, line 3: is not a JSON object"
    assert str(AnnotationInputError("gold.jsonl", None, "x")) == "gold.jsonl: x"
    assert annotation.code == "E100"
