"""The read stage: find input files, refuse the ones that are not articles, decode the rest.

Every offset the pipeline writes points into `RawDocument.text`, so this module decides
once, for good, what "the text" of a file is:

* plain text is decoded as it is (UTF-8 with or without BOM, UTF-16/32 with BOM,
  Windows-1258, the legacy Vietnamese encodings VNI and TCVN3 converted to Unicode);
  decomposed Unicode and Windows-1258's combining tone marks are kept as decoded (the
  normalise stage composes them for matching and maps offsets back);
* an HTML page is reduced to its article text (selectolax), and that text is the one
  offsets point into.

Files that cannot be read as an article raise `ArticleInputError` with a stable code from
`xhs_extract.errors`, so a batch can report them one by one instead of stopping.

Decoding is verified, not guessed: each candidate decoding is scored by the share of its
accented words that are real Vietnamese syllables, which tells readable Vietnamese from
mojibake far better than byte statistics do on short texts.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from xhs_extract.errors import (
    ArticleInputError,
    LegacyDecodeError,
    printable_name,
    warning_message,
)
from xhs_extract.language import furniture_data, legacy_encodings_data

DEFAULT_MAX_BYTES: int = 20 * 1024 * 1024
SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm")
HTML_SUFFIXES: tuple[str, ...] = (".html", ".htm")

#: A decoding is accepted when at least this share of its accented words are syllables.
ACCEPT_SCORE: float = 0.7
#: A UTF-8 text is left alone when this share of its accented words are syllables.
GOOD_SCORE: float = 0.9
#: How much of a text is scored (characters); enough to decide, cheap on huge files.
SCORE_SAMPLE: int = 200_000


@dataclass(frozen=True)
class RawDocument:
    """One input file, decoded. All offsets of all records point into `text`."""

    path: Path
    doc_id: str
    text: str
    encoding: str
    sha256: str
    warnings: tuple[str, ...] = ()
    #: The file's bytes when `text` is exactly their UTF-8 decoding (else None): the gate
    #: searches them directly instead of encoding the text again.
    utf8: bytes | None = field(default=None, repr=False, compare=False)


def _fail(code: str, path: Path | str, **fields: object) -> ArticleInputError:
    return ArticleInputError.of(code, path, **fields)


# ---------------------------------------------------------------------------------------
# Finding files


def iter_input_files(root: Path, suffixes: Iterable[str] = SUFFIXES) -> list[Path]:
    """Every candidate file below `root`, recursively, sorted by doc_id.

    Broken symbolic links, unreadable files and unreadable folders are included, so that
    the batch reports them instead of silently skipping them; so are folders named like an
    article (`x.txt/`) and symbolic links to folders, which are not followed (they could
    loop) but reported. A folder whose path is too long to open is reported, not fatal. A
    root that is itself a file (or a link) yields that file whatever its suffix; a root that
    does not exist raises ArticleInputError (E008).
    """
    root = Path(root)
    try:
        is_dir = root.is_dir()
        exists = is_dir or root.exists() or root.is_symlink()
    except OSError:  # a root path too long or otherwise unusable
        raise _fail("E008", root) from None
    if not is_dir:
        if exists:
            return [root]
        raise _fail("E008", root)
    wanted = tuple(s.lower() for s in suffixes)
    base = os.fspath(root)
    found: list[str] = []  # paths as the system gives them: a Path is made once, at the end
    stack = [base]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:
            # A folder we may not list (or whose path is too long): report it as an input
            # the batch cannot read.
            if folder != base:
                found.append(folder)
            continue
        for entry in entries:
            _sort_entry(entry, wanted, found, stack)
    # By doc_id, then path: the (doc_id, path) pairs sort as the key (doc_id, str(path)).
    return [Path(path) for _doc_id, path in sorted((doc_id_for(p, base), p) for p in set(found))]


def _sort_entry(entry: os.DirEntry, wanted: tuple[str, ...], found: list, stack: list) -> None:
    """One folder entry: a folder to walk, or an input to report (or neither)."""
    named = entry.name.lower().endswith(wanted)
    try:
        if entry.is_dir(follow_symlinks=False):
            stack.append(entry.path)
            if named:
                found.append(entry.path)  # a folder named like an article: E009
            return
        if entry.is_symlink() and not named:
            if os.path.isdir(entry.path):
                found.append(entry.path)  # a link to a folder: reported, not followed
            return
    except OSError:
        pass
    if named:
        found.append(entry.path)


def doc_id_for(path: Path | str, root: Path | str) -> str:
    """The path relative to the input root, POSIX separators, final extension removed.

    `sonla/2024-05-01.txt` under root → `sonla/2024-05-01`. A root that is the file
    itself, or a path outside the root, gives the file name without its extension.
    """
    path_text, root_text = os.fspath(path), os.fspath(root).rstrip(os.sep)
    if path_text.startswith(root_text + os.sep) and os.sep == "/":
        # The common case, a file found under the root, without pathlib's parsing.
        folder, slash, name = path_text[len(root_text) + 1 :].rpartition("/")
        stem, dot, _ext = name.rpartition(".")
        return printable_name(folder + slash + (stem if dot and stem else name))
    path, root = Path(path), Path(root)
    try:
        rel = path.relative_to(root) if path != root else Path(path.name)
    except ValueError:
        rel = Path(path.name)
    if str(rel) in ("", "."):
        rel = Path(path.name)
    parts = list(rel.parts)
    last = parts[-1]
    stem, dot, _ext = last.rpartition(".")
    if dot and stem:
        parts[-1] = stem
    return printable_name("/".join(parts))


_ESCAPED_BYTE_RE = re.compile(r"\\x([0-9a-f]{2})")


def original_name(name: str) -> str:
    """The file name that :func:`printable_name` escaped (surrogate escapes restored)."""
    if "\\x" not in name:
        return name
    return os.fsdecode(
        _ESCAPED_BYTE_RE.sub(lambda m: chr(0xDC00 + int(m.group(1), 16)), name).encode(
            "utf-8", "surrogateescape"
        )
    )


# ---------------------------------------------------------------------------------------
# Reading one file


def read_document(
    path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES, follow_symlinks: bool = False
) -> RawDocument:
    """Read and decode one file, or raise ArticleInputError saying why it is not an article.

    A symbolic link whose target lies outside `root` is refused (E013) unless
    `follow_symlinks`; a link inside it, or the root itself, is read.
    """
    if not isinstance(path, Path):
        path = Path(path)
    location = os.fspath(path)  # once: the system calls below would each convert the Path
    doc_id = doc_id_for(location, root)
    descriptor = open_input(path, root, follow_symlinks)
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise _fail("E009", path, detail="it is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise _fail("E009", path, detail="it is a device, pipe or socket")
        if info.st_size > max_bytes:
            raise _fail("E004", path, size=info.st_size, limit=max_bytes)
        data = _read_bytes(descriptor, info.st_size, max_bytes)
    except PermissionError:
        raise _fail("E007", path) from None
    except OSError as exc:
        raise _fail("E010", path, detail=exc.strerror or str(exc)) from None
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:  # it grew after fstat()
        raise _fail("E004", path, size=len(data), limit=max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    try:
        text, encoding, warnings = _decode(data, path)
    except ArticleInputError as err:
        declared = _declared_charset_text(data)
        if err.code not in ("E005", "E011") or declared is None:
            raise
        text, encoding = declared
        warnings = [warning_message("W001", encoding=encoding)]
    if os.path.splitext(location)[1].lower() in HTML_SUFFIXES or looks_like_html(text):
        text, encoding, warnings = _decode_html(data, path, text, encoding, warnings)
    # Strict UTF-8 decoding; a text with invalid sequences replaced (W009) is not.
    exact = encoding == "utf-8" and not any(w.startswith(("W009", "W010")) for w in warnings)
    return RawDocument(
        path=path,
        doc_id=doc_id,
        text=text,
        encoding=encoding,
        sha256=digest,
        warnings=tuple(warnings),
        utf8=data if exact else None,
    )


# Non-blocking, so that opening a pipe cannot hang the batch (its type is checked after).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
# The last part of the path not followed if it is a link: such a link fails with ELOOP and
# is then checked (no extra system call for the files that are not links).
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def open_input(path: Path, root: Path | str, follow_symlinks: bool = False) -> int:
    """An open descriptor of the input file `path` (non-blocking), or ArticleInputError.

    Opened first and then asked what it is (fstat by the caller): one look-up of the path.
    A link leaving `root` is refused (E013) unless `follow_symlinks`.
    """
    location = os.fspath(path)
    try:
        return os.open(location, _OPEN_FLAGS | _NOFOLLOW)
    except OSError as exc:
        if exc.errno != errno.ELOOP or not _NOFOLLOW:
            raise _open_error(exc, path) from None
    # A symbolic link (or a loop of them).
    if not follow_symlinks and location != os.fspath(root):
        target = os.path.realpath(location)
        base = os.path.realpath(root)
        if os.path.exists(target) and not target.startswith(base.rstrip(os.sep) + os.sep):
            raise _fail("E013", path, target=printable_name(target))
    try:
        return os.open(location, _OPEN_FLAGS)
    except OSError as exc:
        raise _open_error(exc, path) from None


def _open_error(exc: OSError, path: Path) -> ArticleInputError:
    """Why an input file could not be opened, as an ArticleInputError."""
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):
            try:
                target = printable_name(os.readlink(path))
            except OSError:
                target = "a missing file"
            return _fail("E006", path, target=target)
        return _fail("E008", path)
    if isinstance(exc, PermissionError):
        # also an unreadable folder (iter_input_files lists them to report them)
        return _fail("E007", path)
    if exc.errno == errno.ENXIO:  # a socket
        return _fail("E009", path, detail="it is a device, pipe or socket")
    if exc.errno == errno.ELOOP:
        return _fail("E010", path, detail="too many levels of symbolic links")
    return _fail("E010", path, detail=exc.strerror or str(exc))


def file_sha256(
    path: Path, root: Path | str, max_bytes: int = DEFAULT_MAX_BYTES, follow_symlinks: bool = False
) -> str | None:
    """The SHA-256 of a regular input file of at most `max_bytes`, read in pieces; None for
    anything else (a pipe, a folder, a link leaving the root, a file over the limit, an
    error). Never blocks on a pipe, never holds more than one piece in memory."""
    try:
        descriptor = open_input(path, root, follow_symlinks)
    except ArticleInputError:
        return None
    digest = hashlib.sha256()
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        total = 0
        while chunk := os.read(descriptor, 1 << 20):
            total += len(chunk)
            if total > max_bytes:
                return None
            digest.update(chunk)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return digest.hexdigest()


def _read_bytes(descriptor: int, size: int, max_bytes: int) -> bytes:
    """The open file's bytes, up to max_bytes + 1 (one more than the limit tells it is over).

    Asks for the size fstat() gave plus one byte (asking for max_bytes would make every
    read allocate a buffer of the limit's size). A regular file that returns exactly its
    size has ended; a shorter read is continued, a longer one means it grew since fstat()
    and is read on to the limit. os.read: a buffered file object costs more than the read
    itself on the small files a crawl is made of.
    """
    chunks = []
    total = 0
    want = min(size + 1, max_bytes + 1)
    while total < max_bytes + 1:
        chunk = os.read(descriptor, want)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total == size:
            break  # all of it, as fstat() said: no second call just to see the end
        if total < size:
            want = size + 1 - total  # a short read: ask for the rest
        else:
            want = max_bytes + 1 - total  # it grew after fstat(): read on to the limit
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode a file's bytes to text: (text, encoding name), or raise ArticleInputError."""
    text, encoding, _warnings = _decode(data, Path(name))
    return text, encoding


# ---------------------------------------------------------------------------------------
# Vietnamese plausibility

_WORD_RE = re.compile(r"[^\W\d_]+")
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")


@functools.lru_cache(maxsize=1)
def _syllable_re() -> re.Pattern[str]:
    parts = legacy_encodings_data().syllable

    def alt(items: tuple[str, ...]) -> str:
        return "|".join(re.escape(s) for s in sorted(items, key=len, reverse=True))

    return re.compile(f"(?:{alt(parts.onsets)})?(?:{alt(parts.nuclei)})(?:{alt(parts.codas)})?")


@functools.lru_cache(maxsize=1)
def _vietnamese_letters() -> frozenset[str]:
    """The 134 accented Vietnamese letters (from the VNI table, which lists them all)."""
    return frozenset(legacy_encodings_data().encodings["vni"])


@functools.lru_cache(maxsize=1)
def _suspicious_re() -> re.Pattern[str]:
    """Characters that readable Vietnamese almost never holds but mojibake does.

    Latin-1 and C1 characters that are not Vietnamese letters: the letters and symbols
    VNI and TCVN3 bytes turn into when read as Windows-1252 (ø, µ, ¸, ñ, «, …).
    """
    allowed = _vietnamese_letters() | set("\u00a0°")
    chars = [chr(c) for c in range(0x80, 0x100) if chr(c) not in allowed]
    return re.compile("[" + re.escape("".join(chars)) + "]")


@functools.lru_cache(maxsize=1)
def _suspicious_utf8() -> tuple[Any, Any]:
    """The suspicious characters as an RE2 program over UTF-8 bytes: every file is
    checked, and RE2 on the file's own bytes is about twice as fast as `re` on its text."""
    import re2

    allowed = _vietnamese_letters() | set("\u00a0°")
    chars = "".join(f"\\x{{{c:x}}}" for c in range(0x80, 0x100) if chr(c) not in allowed)
    program = re2.compile(f"[{chars}]")._regexp
    return program, re2._re2.RE2.Anchor.UNANCHORED


def _may_be_mojibake(text: str, utf8: bytes | None) -> bool:
    """Whether the first SCORE_SAMPLE characters hold a character typical of mojibake."""
    if utf8 is None or len(text) > SCORE_SAMPLE:
        return _suspicious_re().search(text[:SCORE_SAMPLE]) is not None
    program, anchor = _suspicious_utf8()
    return program.Match(anchor, utf8, 0, len(utf8))[0][0] >= 0


@functools.lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether `word` (any case, any Unicode form) is a possible Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for ch in decomposed if ch in _TONE_MARKS)
    if tones > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
    return _syllable_re().fullmatch(bare) is not None


def vietnamese_score(text: str) -> Optional[float]:
    """Share of accented words that are Vietnamese syllables; None when there is no evidence.

    Mojibake characters (ø, µ, ¸ …) count against the score even when they are not part
    of a word, because TCVN3 read as Windows-1252 turns many letters into symbols.
    """
    sample = unicodedata.normalize("NFC", text[:SCORE_SAMPLE])
    valid = total = 0
    for word in _WORD_RE.findall(sample):
        if word.isascii():
            continue
        total += 1
        valid += is_vietnamese_syllable(word)
    total += len(_suspicious_re().findall(sample))
    if total == 0:
        return None
    return valid / total


# ---------------------------------------------------------------------------------------
# Legacy encodings (VNI, TCVN3)


def _hex_bytes(spec: str) -> bytes:
    return bytes(int(part, 16) for part in spec.split())


@functools.lru_cache(maxsize=None)
def _legacy_table(encoding: str) -> dict[bytes, str]:
    """Byte sequence → letter for `encoding` ("vni" or "tcvn3")."""
    letters = legacy_encodings_data().encodings[encoding]
    return {_hex_bytes(spec): letter for letter, spec in letters.items()}


@functools.lru_cache(maxsize=None)
def _legacy_decoder(encoding: str) -> re.Pattern[bytes]:
    sequences = sorted(_legacy_table(encoding), key=len, reverse=True)
    return re.compile(b"|".join(re.escape(seq) for seq in sequences))


def decode_legacy(data: bytes, encoding: str) -> str:
    """Decode VNI or TCVN3 bytes to Unicode (NFC), or raise LegacyDecodeError.

    Bytes below 0x80 are ASCII. Any byte 0x80 or above that is not part of a letter of
    the table makes the decoding fail: converting it some other way would be a guess.
    """
    table = _legacy_table(encoding)
    out: list[str] = []
    pos = 0
    for match in _legacy_decoder(encoding).finditer(data):
        chunk = data[pos : match.start()]
        if not chunk.isascii():
            bad = next(b for b in chunk if b >= 0x80)
            raise LegacyDecodeError(f"byte 0x{bad:02X} has no meaning in {encoding.upper()}")
        out.append(chunk.decode("ascii"))
        out.append(table[match.group()])
        pos = match.end()
    tail = data[pos:]
    if not tail.isascii():
        bad = next(b for b in tail if b >= 0x80)
        raise LegacyDecodeError(f"byte 0x{bad:02X} has no meaning in {encoding.upper()}")
    out.append(tail.decode("ascii"))
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Decoding

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "it is a PDF document"),
    (b"PK\x03\x04", "it is a ZIP archive or an Office document (.docx, .xlsx, .odt)"),
    (b"\xd0\xcf\x11\xe0", "it is an old Microsoft Office document (.doc, .xls)"),
    (b"\x89PNG", "it is a PNG image"),
    (b"\xff\xd8\xff", "it is a JPEG image"),
    (b"GIF8", "it is a GIF image"),
    (b"\x1f\x8b", "it is a gzip archive"),
    (b"BZh", "it is a bzip2 archive"),
    (b"\xfd7zXZ", "it is an xz archive"),
    (b"7z\xbc\xaf", "it is a 7-Zip archive"),
    (b"Rar!", "it is a RAR archive"),
    (b"\x7fELF", "it is a program (ELF executable)"),
    (b"MZ", "it is a Windows program"),
    (b"SQLite format 3", "it is an SQLite database"),
)

# C0 control bytes that plain text does not hold (tab, newline, form feed, carriage return,
# escape and the DOS end-of-file mark 0x1A are tolerated).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1a\x1b")
_BLANK_RE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]*")
_MAX_NUL_SHARE = 1000  # up to 1 NUL per 1000 bytes is dropped (W010), not refused
_MAX_BAD_UTF8_SHARE = 0.001  # up to 1 invalid sequence per 1000 bytes is repaired, not refused


# The first bytes of every byte order mark and file signature: a text that starts with
# none of them (most do not) skips both tables.
_SIGNATURE_FIRST_BYTES = frozenset(b[0] for b, _, _ in _BOMS) | frozenset(m[0] for m, _ in _MAGIC)


def _decode(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for a file's bytes, or raise ArticleInputError."""
    if not data:
        raise _fail("E001", path)
    if data[0] in _SIGNATURE_FIRST_BYTES:
        return _decode_signed(data, path)
    return _decode_unsigned(data, path)


def _decode_signed(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Bytes that may start with a byte order mark or a file signature."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise _fail(
                    "E005", path, detail=f"it starts with a {label} byte order mark but "
                    f"byte {exc.start + len(bom)} is not valid {label}"
                ) from None
            return _non_blank(_not_binary(text, path), path), label, []
    for magic, what in _MAGIC:
        if data.startswith(magic) and (magic != b"MZ" or b"\x00" in data[:512]):
            raise _fail("E003", path, detail=what)
    return _decode_unsigned(data, path)


def _decode_unsigned(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Bytes with no byte order mark and no known file signature."""
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            text, label = utf16
            text = _not_binary(text, path)
            return _non_blank(text, path), label, [warning_message("W004", encoding=label)]
        nuls = data.count(0)
        if nuls > max(2, len(data) // _MAX_NUL_SHARE):
            raise _fail("E003", path, detail="it contains NUL bytes")
        # A few stray NULs in an otherwise good text: dropped, and said so.
        text, encoding, warnings = _decode_unsigned(data.replace(b"\x00", b""), path)
        return text, encoding, [*warnings, warning_message("W010", count=nuls)]
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > max(2, len(data) // 20):
        share = controls / len(data)
        raise _fail("E003", path, detail=f"{share:.0%} of its bytes are control characters")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_non_utf8(data, path)
    _non_blank(text, path)
    repaired, score = _repair_mojibake(text, data)
    if repaired is not None:
        return repaired
    if score is not None and score < ACCEPT_SCORE:
        return text, "utf-8", [warning_message("W008", share=score)]
    return text, "utf-8", []


def _not_binary(text: str, path: Path) -> str:
    """Refuse decoded text that is mostly control, unassigned or private-use characters.

    Any even number of bytes after a UTF-16 byte order mark decodes to something; this
    tells such noise from text.
    """
    sample = text[:SCORE_SAMPLE]
    odd = sum(
        1
        for ch in sample
        if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\x0b\x0c"
    )
    if sample and odd > max(2, len(sample) // 20):
        share = odd / len(sample)
        raise _fail("E003", path, detail=f"{share:.0%} of its characters are control or unassigned")
    return text


def _non_blank(text: str, path: Path) -> str:
    if _BLANK_RE.fullmatch(text):
        raise _fail("E002", path)
    return text


def _utf16_without_bom(data: bytes) -> Optional[tuple[str, str]]:
    """UTF-16 text saved without a byte order mark: NULs mostly in every other byte.

    Only files of some length are guessed at: on a few bytes the pattern means nothing.
    """
    if len(data) % 2 or len(data) < 32:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    orders = (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls))
    for codec, high, low in orders:
        if high >= half * 0.3 and low <= half * 0.02:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            score = vietnamese_score(text)
            printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:10000])
            readable = printable >= 0.95 * min(len(text), 10000)
            if (score is None or score >= ACCEPT_SCORE) and readable:
                return text, codec
    return None


def _decode_non_utf8(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Bytes that are not UTF-8: UTF-8 with a few bad bytes, or a Vietnamese 8-bit encoding."""
    damaged = data.decode("utf-8", errors="replace")
    bad = damaged.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    candidates: list[tuple[float, int, str, str, list[str]]] = []
    if bad <= max(1, int(len(data) * _MAX_BAD_UTF8_SHARE)):
        score = vietnamese_score(damaged.replace("\ufffd", ""))
        warning = warning_message("W009", count=bad)
        candidates.append((_rank(score), 5, damaged, "utf-8", [warning]))
    for rank, encoding in enumerate(("cp1258", "vni", "tcvn3")):
        try:
            if encoding == "cp1258":
                text = data.decode("cp1258")
            else:
                text = decode_legacy(data, encoding)
        except (UnicodeDecodeError, LegacyDecodeError):
            continue
        if encoding == "cp1258":
            warnings = [warning_message("W001", encoding="Windows-1258")]
        else:
            warnings = [warning_message("W002", encoding=encoding.upper())]
            if encoding == "tcvn3":
                warnings.append(warning_message("W005"))
        candidates.append((_rank(vietnamese_score(text)), 4 - rank, text, encoding, warnings))
    guess = _charset_normalizer_guess(data)
    if guess is not None and guess[1] not in {c[3] for c in candidates}:
        text, encoding = guess
        warnings = [warning_message("W001", encoding=encoding)]
        candidates.append((_rank(vietnamese_score(text)), 0, text, encoding, warnings))
    if not candidates:
        raise _fail(
            "E005", path, detail="it is not UTF-8, and no Vietnamese encoding "
            "(Windows-1258, VNI, TCVN3) can decode its bytes"
        )
    score, _pref, text, encoding, warnings = max(candidates, key=lambda c: (c[0], c[1]))
    if score < ACCEPT_SCORE:
        legacy = [c for c in candidates if c[3] in ("vni", "tcvn3") and c[0] >= 0.4]
        if legacy:
            best = max(legacy, key=lambda c: c[0])
            raise _fail(
                "E011", path, encoding=best[3].upper(),
                detail=f"only {best[0]:.0%} of its accented words come out as Vietnamese syllables",
            )
        raise _fail(
            "E005", path, detail="it is not UTF-8, and no encoding tried (Windows-1258, VNI, "
            f"TCVN3{', ' + guess[1] if guess else ''}) gives readable Vietnamese "
            f"(at best {score:.0%} of its accented words are Vietnamese syllables)"
        )
    return _non_blank(text, path), encoding, warnings


def _rank(score: Optional[float]) -> float:
    """No accented words at all is weak evidence: rank it just at the acceptance line."""
    return ACCEPT_SCORE if score is None else score


def _charset_normalizer_guess(data: bytes) -> Optional[tuple[str, str]]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:SCORE_SAMPLE * 2]).best()
    if best is None or best.encoding is None:
        return None
    try:
        return data.decode(best.encoding), best.encoding.replace("_", "-")
    except (UnicodeDecodeError, LookupError):
        return None


def _to_single_bytes(text: str) -> Optional[bytes]:
    """The bytes a mojibake text was read from (as Windows-1252, else Latin-1), if any."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 0x100:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


def _repair_mojibake(
    text: str, utf8: bytes | None = None
) -> tuple[Optional[tuple[str, str, list[str]]], Optional[float]]:
    """Repair UTF-8 text that holds VNI/TCVN3 mojibake or double-encoded UTF-8.

    Such text is valid UTF-8 but reads "Xin chaøo" or "Xin chÃ o". It is repaired only
    when the repaired text scores clearly better as Vietnamese. Returns the repair (or
    None) and the text's own Vietnamese score (None when it was not worth computing:
    no character typical of mojibake). `utf8`, when given, is the text's UTF-8 encoding.
    """
    if not _may_be_mojibake(text, utf8):
        return None, None
    base = vietnamese_score(text)
    if base is not None and base >= GOOD_SCORE:
        return None, base
    raw = _to_single_bytes(text)
    if raw is None:
        return None, base
    best: Optional[tuple[float, str, str, list[str]]] = None
    try:
        fixed = raw.decode("utf-8")
        best = (_rank(vietnamese_score(fixed)), fixed, "utf-8", [warning_message("W007")])
    except UnicodeDecodeError:
        pass
    for encoding in ("vni", "tcvn3"):
        try:
            fixed = decode_legacy(raw, encoding)
        except LegacyDecodeError:
            continue
        score = _rank(vietnamese_score(fixed))
        if best is None or score > best[0]:
            warnings = [warning_message("W003", encoding=encoding.upper())]
            if encoding == "tcvn3":
                warnings.append(warning_message("W005"))
            best = (score, fixed, f"{encoding}-in-utf-8", warnings)
    if best is None:
        return None, base
    score, fixed, encoding, warnings = best
    if score >= ACCEPT_SCORE and score > (base or 0.0) + 0.2:
        return (fixed, encoding if encoding != "utf-8" else "double-utf-8", warnings), base
    return None, base


# ---------------------------------------------------------------------------------------
# HTML

_HTML_START_RE = re.compile(
    r"\A[\s\ufeff]*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
_HTML_BODY_RE = re.compile(r"<body[\s>]", re.I)
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)

_DROP_TAGS = frozenset(
    "script style nav footer aside form noscript iframe svg template button select "
    "textarea object embed canvas head title meta link input label".split()
)
# Kept inside the article itself (an article's own <header> holds its headline).
_DROP_OUTSIDE_ROOT = frozenset(["header"])
_BLOCK_TAGS = frozenset(
    "p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 tr table thead tbody tfoot section article "
    "main blockquote pre figure figcaption hr address center header caption details summary".split()
)
_CELL_TAGS = frozenset(["td", "th"])
_WS_RE = re.compile(r"[ \t\n\r\f]+")
_CONTENT_SELECTORS = (
    "[itemprop=articleBody]",
    "main",
    "[role=main]",
)


def looks_like_html(text: str) -> bool:
    """Whether a text is clearly an HTML page (whatever the file's suffix)."""
    head = text[:4096]
    return bool(_HTML_START_RE.match(head)) or (
        head.lstrip().startswith("<") and _HTML_BODY_RE.search(text[:65536]) is not None
    )


def _declared_charset_text(data: bytes) -> Optional[tuple[str, str]]:
    """An HTML page decoded with the charset its <meta> declares, if it declares one that works."""
    declared = _META_CHARSET_RE.search(data[:4096])
    if declared is None:
        return None
    name = declared.group(1).decode("ascii", "replace").lower()
    try:
        return data.decode(name), name
    except (LookupError, ValueError):
        # An unknown name, a decoding error, or a codec that refuses all input
        # ("undefined"): the page is decoded as if it declared nothing.
        return None


def _decode_html(
    data: bytes, path: Path, text: str, encoding: str, warnings: list[str]
) -> tuple[str, str, list[str]]:
    if not encoding.startswith("utf-"):
        # A page that says which charset it is in is decoded with it (unless it is Unicode,
        # which the byte order mark or strict UTF-8 decoding already proved).
        declared = _declared_charset_text(data)
        if declared is not None and declared[1] not in ("utf-8", "utf8"):
            text, encoding = declared
            warnings = [warning_message("W001", encoding=encoding)]
    article = extract_html_text(text)
    if not article.strip():
        raise _fail("E012", path)
    return article, f"html+{encoding}", [*warnings, warning_message("W006")]


@functools.lru_cache(maxsize=1)
def _drop_marker_re() -> re.Pattern[str]:
    """Class/id words that mark furniture, at the start of a class name or of a -/_ part
    ("related", "box-related-news", "relatedPosts", "tin_lienquan" all match "related" or
    "lienquan")."""
    words = furniture_data().html_drop_markers
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"(?:^|[\s_-])(?:" + "|".join(re.escape(w) for w in words) + ")", re.I)


def _hidden_or_furniture(node) -> bool:  # noqa: ANN001 - selectolax node
    attrs = node.attributes
    if "hidden" in attrs or attrs.get("aria-hidden") == "true":
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    marker = " ".join(v for v in (attrs.get("class"), attrs.get("id")) if v)
    return bool(marker) and _drop_marker_re().search(marker) is not None


def _text_length(node) -> int:  # noqa: ANN001
    return len(_WS_RE.sub(" ", node.text(separator=" ") or "").strip())


def _content_root(tree):  # noqa: ANN001, ANN202
    """The element that holds the article: the largest <article>, else a main-content element."""
    articles = tree.css("article")
    if articles:
        best = max(articles, key=_text_length)
        if _text_length(best) >= 200:
            return best
    for selector in _CONTENT_SELECTORS:
        nodes = tree.css(selector)
        if nodes:
            best = max(nodes, key=_text_length)
            if _text_length(best) >= 200:
                return best
    return tree.body or tree.root


#: Elements nested deeper than this are flattened before parsing (their tags dropped, their
#: text kept): the parser's time grows with the square of the depth.
MAX_HTML_DEPTH: int = 512
#: A page with fewer tags than this cannot nest deeply enough to be slow: not scanned.
_DEPTH_SCAN_TAGS: int = 4096
# Elements whose end tag may not be left out, so that their depth can be counted without
# parsing (a <p> or <li> is closed by the next one, which a count would miss).
_NESTING_TAGS = (
    "div|span|section|article|main|aside|nav|header|footer|blockquote|font|a|b|i|u|em|"
    "strong|small|big|center|table|ul|ol|dl|form|label|sub|sup|figure|details|q|s|strike"
)
_NESTING_TAG_RE = re.compile(rf"<(/?)(?:{_NESTING_TAGS})(?=[\s/>])[^>]*>", re.I)


def cap_nesting(html: str, limit: int = MAX_HTML_DEPTH) -> str:
    """`html` with the tags of elements nested deeper than `limit` removed (their text
    stays); a page with few tags, or none that deep, comes back as it is. Linear time."""
    if html.count("<") < _DEPTH_SCAN_TAGS:
        return html
    depth = 0
    cut: list[tuple[int, int]] = []
    for match in _NESTING_TAG_RE.finditer(html):
        if match.group(1):
            if depth > limit:
                cut.append(match.span())
            depth = max(0, depth - 1)
        elif not match.group(0).endswith("/>"):
            depth += 1
            if depth > limit:
                cut.append(match.span())
    if not cut:
        return html
    pieces, last = [], 0
    for start, end in cut:
        pieces.append(html[last:start])
        last = end
    pieces.append(html[last:])
    return "".join(pieces)


def extract_html_text(html: str) -> str:
    """The article text of an HTML page: blocks as lines, furniture elements dropped.

    Drops script, style, nav, header (outside the article), footer, aside, form, noscript
    and hidden elements, and elements whose class or id marks them as page furniture
    (related news, comments, share buttons: `html_drop_markers` in furniture.yaml).
    Paragraphs, list items, headings, table rows and <br> become line breaks.
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(cap_nesting(html))
    root = _content_root(tree)
    if root is None:
        return ""
    out: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            out.append("\n")
            continue
        if node.is_text_node:  # type: ignore[attr-defined]
            out.append(_WS_RE.sub(" ", node.text_content or ""))  # type: ignore[attr-defined]
            continue
        if not node.is_element_node:  # type: ignore[attr-defined]
            continue  # comments, doctype
        tag = node.tag  # type: ignore[attr-defined]
        if tag in _DROP_TAGS or (tag in _DROP_OUTSIDE_ROOT and not _inside(node, root)):
            continue
        if node.mem_id != root.mem_id and _hidden_or_furniture(node):  # type: ignore[attr-defined]
            continue
        if tag == "br":
            out.append("\n")
            continue
        if tag in _CELL_TAGS:
            out.append(" ")
        if tag in _BLOCK_TAGS:
            out.append("\n")
            stack.append((node, True))
        children = list(node.iter(include_text=True))  # type: ignore[attr-defined]
        for child in reversed(children):
            stack.append((child, False))
    lines = (line.strip(" ") for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _inside(node, root) -> bool:  # noqa: ANN001
    """Whether `node` is a descendant of `root` other than root itself."""
    if root.tag in ("body", "html", "-undef"):
        return False  # the whole page was taken: headers are page headers
    parent = node.parent
    while parent is not None:
        if parent.mem_id == root.mem_id:
            return True
        parent = parent.parent
    return False
