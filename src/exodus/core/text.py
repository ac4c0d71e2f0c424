"""UTF-8 text from files and uploads, with errors that name the file and line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from exodus.errors import InvalidInput


def _not_utf8(name: str, data: bytes, exc: UnicodeDecodeError) -> InvalidInput:
    line = data.count(b"\n", 0, exc.start) + 1
    return InvalidInput(f"{name} line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                        "save the file as UTF-8")


def decode_utf8(data: bytes, name: str) -> str:
    """Return `data` decoded as UTF-8 (a byte order mark is dropped), or raise InvalidInput naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _not_utf8(name, data, exc) from None


def utf8_lines(path: Path) -> Iterator[str]:
    """Yield the lines of a UTF-8 text file (newlines kept, as csv wants them).

    Text that is not UTF-8 raises InvalidInput naming the file and line; the file is
    read a second time only then, to find that line.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        try:
            yield from handle
        except UnicodeDecodeError:
            decode_utf8(path.read_bytes(), path.name)
            raise  # not reached: the whole file fails to decode where the stream did


# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder the text
# around them: a name holding U+202E can read differently from what it is. Soft
# hyphens, zero-width characters and other invisible format characters hide inside
# a word ("Ros\u00adoboronexport" reads as Rosoboronexport): they are shown too.
HIDDEN_CHARACTERS = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """Return `text` for display with each bidirectional or invisible format character shown as [U+XXXX].

    Stored text keeps the original; screening ignores such characters anyway.
    """
    if not HIDDEN_CHARACTERS.search(text):
        return text
    return HIDDEN_CHARACTERS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
