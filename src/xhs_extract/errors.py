"""Every code the tool can give a user about an input file, in one place.

Like spaCy's `errors.py`: each problem has a stable code that users can search for and
scripts can test, and one message template. `E…` codes are errors (the file is refused,
or, for E9xx, failed inside the tool); `W…` codes are warnings (the file was read, but
something about it is worth knowing and ends up in the document record's `warnings`);
`M…` codes say what the article's metadata lacks. Codes are never reused or re-meant.

Every exception the package raises derives from :class:`XhsError` and carries one of
these codes in ``.code``: ``except XhsError`` catches them all, and a script can tell them
apart by code. E0xx: an article cannot be read; E1xx: a gold, prediction or annotation
file cannot be used; E2xx: a load into a database failed; E3xx: an export failed; E9xx:
E4xx: an output of a run cannot be written, or the run was stopped; E9xx: a fault inside
the tool. A new code takes the next free number of its range, with a message naming the
file and the problem, and is never given another meaning afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Optional

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
    "E013": "the file is a symbolic link to {target}, outside the input folder "
    "(follow such links with --follow-symlinks)",
    "E014": "the file has the same doc_id ({doc_id}) as {other}, which was read first; "
    "rename one of them",
    "E015": "the file took more than {seconds:g} seconds to process (the limit of --file-timeout)",
    "E016": "the decoded text cannot be saved as {target}: {detail}",
    # A gold, prediction or annotation file that cannot be used (AnnotationInputError).
    "E100": "{where}: {message}",
    # A load into a database that failed, nothing loaded (LoadError); an export (ExportError).
    "E200": "{detail}",
    "E300": "{detail}",
    # An output of a run that cannot be written (OutputError); the run ends, every old
    # output is left as it was.
    "E400": "cannot write {path}: {detail}",
    "E401": "the output {path} is an input file of the run; outputs may not overwrite inputs",
    "E402": "two outputs share one path ({path}): --output, --documents, --manifest and "
    "--save-text must all differ",
    "E403": "another run is writing the outputs {path} (the lock {lock} is held); "
    "wait for it to end",
    "E404": "{path} would be written outside its output folder {folder}",
    "E405": "the run was interrupted ({signal}); run the same command with --resume to go on",
    # Internal errors: a fault of the tool, costing that one file only.
    "E900": "internal error while reading: {detail}",
    "E901": "internal error while extracting: {detail}",
    # A worker process of a parallel run ended without returning its results (WorkerLost).
    "E902": "{detail}",
}

#: Warnings: the file was read; these go into the document record.
WARNINGS: Final[dict[str, str]] = {
    "W001": "the text was not UTF-8; it was decoded as {encoding}",
    "W002": "the text was in the legacy Vietnamese encoding {encoding} and was converted "
    "to Unicode",
    "W003": "the text was UTF-8 holding {encoding} mojibake and was repaired",
    "W004": "the text was UTF-16 without a byte order mark; it was decoded as {encoding}",
    "W005": "TCVN3 has no capital letters with tone marks in its main font; "
    "such letters come out in lower case",
    "W006": "the file is HTML; the article text was extracted from it",
    "W007": "the text had UTF-8 decoded twice (double-encoded) and was repaired",
    "W008": "the text looks little like Vietnamese (only {share:.0%} of its accented words "
    "are Vietnamese syllables)",
    "W009": "{count} invalid UTF-8 byte sequence(s) were replaced with U+FFFD",
    "W010": "{count} NUL byte(s) inside the text were dropped",
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


def printable_name(name: str) -> str:
    """A path as output files carry it: any byte that is not UTF-8 (which Python holds as
    a surrogate escape) is written as ``\\xNN``, so that the name can be written as UTF-8.

    Names that are valid UTF-8 (nearly all) come back unchanged;
    :func:`xhs_extract.read.original_name` turns an escaped name back into the file's own.

    >>> printable_name("bad" + b"\\xff".decode("utf-8", "surrogateescape") + "name.txt")
    'bad\\\\xffname.txt'
    """
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def error_message(code: str, **fields: object) -> str:
    """The user-facing message for error `code`, with its fields filled in."""
    return ERRORS[code].format(**fields)


def warning_message(code: str, **fields: object) -> str:
    """A warning as it is stored in the document record: "W001 the text was not UTF-8; …"."""
    return f"{code} {WARNINGS[code].format(**fields)}"


# ---------------------------------------------------------------------------------------
# Exceptions


class XhsError(Exception):
    """The base of every exception of the package; `.code` is a code of `ERRORS`."""

    code: str = "E900"


class ArticleInputError(XhsError):
    """A file that cannot be read as an article (codes E001-E012).

    `.code` is stable, `.path` the file, `.reason` the problem in words; `str(err)` is one
    sentence naming both.
    """

    def __init__(self, code: str, path: Path | str, reason: str) -> None:
        self.code = code
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"Cannot read {printable_name(str(self.path))}: {reason} [{code}].")

    @classmethod
    def of(cls, code: str, path: Path | str, **fields: object) -> ArticleInputError:
        """The error `code` about `path`, its message filled in from the registry."""
        return cls(code, path, error_message(code, **fields))


class AnnotationInputError(XhsError):
    """A gold, prediction or annotation file that cannot be used (E100).

    The message names the file and, when known, the line: "gold.jsonl, line 3: …".
    """

    code = "E100"

    def __init__(self, source: str | Path, line: Optional[int], message: str) -> None:
        self.source = str(source)
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.source}, line {self.line}" if self.line else self.source
        return error_message(self.code, where=where, message=self.message)


class LoadError(XhsError):
    """A problem with the input or the database, worded for the person running the command."""

    code = "E200"


class ExportError(XhsError):
    """A problem with the input, the output path or a missing tool, worded for the user."""

    code = "E300"


class OutputError(XhsError):
    """An output that cannot be written (E400-E404); the message names the path."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        super().__init__(f"{error_message(code, **fields)} [{code}]")


class Interrupted(XhsError):
    """A run stopped by SIGINT or SIGTERM (E405); `.exit_code` is 130 or 143."""

    code = "E405"

    def __init__(self, signal_name: str, exit_code: int) -> None:
        self.exit_code = exit_code
        super().__init__(f"{error_message(self.code, signal=signal_name)} [{self.code}]")


class WorkerLost(XhsError, RuntimeError):
    """A worker process ended before it sent the results of a chunk it had taken."""

    code = "E902"


class LegacyDecodeError(XhsError, ValueError):
    """Bytes that a legacy Vietnamese table (VNI, TCVN3) cannot turn into text (E011)."""

    code = "E011"
