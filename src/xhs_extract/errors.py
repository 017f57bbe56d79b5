"""Every code the tool can give a user about an input file, in one place.

Like spaCy's `errors.py`: each problem has a stable code that users can search for and
scripts can test, and one message template. `E…` codes are errors (the file is refused,
or, for E9xx, failed inside the tool); `W…` codes are warnings (the file was read, but
something about it is worth knowing and ends up in the document record's `warnings`);
`M…` codes say what the article's metadata lacks. Codes are never reused or re-meant.
"""

from __future__ import annotations

from typing import Final

#: Errors: the file cannot be read as an article. Templates use str.format fields.
ERRORS: Final[dict[str, str]] = {
    "E001": "the file is empty",
    "E002": "the file holds only whitespace",
    "E003": "the file is binary data, not text ({detail})",
    "E004": "the file is {size:,} bytes, more than the limit of {limit:,} bytes "
    "(raise it with --max-bytes if the file really is one article)",
    "E005": "the file's text cannot be decoded: {detail}",
    "E006": "the file is a broken symbolic link (it points to {target}, which does not exist)",
    "E007": "the file cannot be read: permission denied",
    "E008": "the file does not exist",
    "E009": "the path is not a regular file ({detail})",
    "E010": "the file cannot be read: {detail}",
    "E011": "the file looks like legacy Vietnamese text ({encoding}) but cannot be converted "
    "correctly: {detail}",
    "E012": "the HTML page holds no article text after removing scripts, menus and footers",
    # Internal errors: a fault of the tool, costing that one file only.
    "E900": "internal error while reading: {detail}",
    "E901": "internal error while extracting: {detail}",
}

#: Warnings: the file was read; these go into the document record.
WARNINGS: Final[dict[str, str]] = {
    "W001": "the text was not UTF-8; it was decoded as {encoding}",
    "W002": "the text was in the legacy Vietnamese encoding {encoding} and was converted to Unicode",
    "W003": "the text was UTF-8 holding {encoding} mojibake and was repaired",
    "W004": "the text was UTF-16 without a byte order mark; it was decoded as {encoding}",
    "W005": "TCVN3 has no capital letters with tone marks in its main font; "
    "such letters come out in lower case",
    "W006": "the file is HTML; the article text was extracted from it",
    "W007": "the text had UTF-8 decoded twice (double-encoded) and was repaired",
    "W008": "the text looks little like Vietnamese (only {share:.0%} of its accented words "
    "are Vietnamese syllables)",
    "W009": "{count} invalid UTF-8 byte sequence(s) were replaced with U+FFFD",
}


#: Metadata warnings: what the document record could not tell about the article.
METADATA: Final[dict[str, str]] = {
    "M001": "the first line does not look like a headline, so the article has no title",
    "M002": "no publication date was found in the article's head or foot",
    "M003": "the article's place could not be told from its text or source",
    "M004": "the article has no statistic record, so only its title was read",
}

#: The metadata warnings as document records hold them ("M001 the first line …"), built
#: once: every record of a run then shares the same strings.
METADATA_LINES: Final[dict[str, str]] = {code: f"{code} {text}" for code, text in METADATA.items()}


def error_message(code: str, **fields: object) -> str:
    """The user-facing message for error `code`, with its fields filled in."""
    return ERRORS[code].format(**fields)


def warning_message(code: str, **fields: object) -> str:
    """A warning as it is stored in the document record: "W001 the text was not UTF-8; …"."""
    return f"{code} {WARNINGS[code].format(**fields)}"
