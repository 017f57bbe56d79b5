"""Writing test articles in the legacy Vietnamese encodings (VNI, TCVN3)."""

from __future__ import annotations

import unicodedata

from xhs_extract.errors import LegacyDecodeError
from xhs_extract.read import _legacy_table


def encode_legacy(text: str, encoding: str) -> bytes:
    """Encode Unicode text as VNI or TCVN3 bytes (the inverse of decode_legacy).

    Raises LegacyDecodeError for characters the encoding cannot hold; TCVN3 capitals with
    tone marks are written as their lower-case letters (as the main TCVN3 font does).
    """
    reverse = {letter: seq for seq, letter in _legacy_table(encoding).items()}
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out += ch.encode("ascii")
        elif ch in reverse:
            out += reverse[ch]
        elif ch.lower() in reverse and encoding == "tcvn3":
            out += reverse[ch.lower()]
        else:
            raise LegacyDecodeError(f"{encoding.upper()} cannot hold the character {ch!r}")
    return bytes(out)
