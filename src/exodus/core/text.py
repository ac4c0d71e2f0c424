"""UTF-8 text from files and uploads, with errors that name the file and line."""

from __future__ import annotations

import unicodedata
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


# Format characters (Unicode category Cf) are invisible: bidirectional embeddings,
# overrides and isolates reorder the text around them (a name holding U+202E reads
# differently from what it is), and soft hyphens or zero-width characters hide inside
# a word ("Ros\u00adoboronexport" reads as Rosoboronexport).
# Letters and marks that render as nothing: Hangul fillers (which count as letters),
# the combining grapheme joiner, Khmer inherent vowels, the Braille blank, and the
# variation selectors.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u2800")


def is_hidden(char: str) -> bool:
    """Tell whether a character shows nothing: a format character or a blank letter or mark."""
    return (unicodedata.category(char) == "Cf" or char in _BLANK
            or "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef")


_hidden = is_hidden


def without_hidden(text: str) -> str:
    """Return `text` without its invisible format characters, as matching should see it."""
    if text.isascii():  # the common case stops here
        return text
    return "".join(c for c in text if not _hidden(c))


def visible(text: str) -> str:
    """Return `text` for display with each invisible format character shown as [U+XXXX].

    Stored text keeps the original; screening ignores such characters anyway.
    """
    if text.isascii():
        return text
    return "".join(f"[U+{ord(c):04X}]" if _hidden(c) else c for c in text)


MIN_REASON = 3
MAX_REASON = 2000


def stated_reason(reason: str | None, why: str, field: str = "reason") -> str:
    """Return a reason stripped; refuse one without MIN_REASON letters or digits, or over MAX_REASON.

    `why` completes "say why ..." in the refusal ("the lookout is placed"). Dots or
    invisible characters alone say nothing, so they do not count.
    """
    reason = (reason or "").strip()
    if sum(c.isalnum() for c in without_hidden(reason)) < MIN_REASON:
        raise InvalidInput(f"field {field!r} must say why {why} (at least {MIN_REASON} letters or digits), "
                           f"got {visible(reason)[:40]!r}")
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"field {field!r} is {len(reason)} characters long; the limit is {MAX_REASON}")
    return reason


def storable(text: str) -> str:
    """Return `text` with what no database can store (NUL, lone surrogates) shown as U+FFFD."""
    if text.isprintable() or not any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in text):
        return text
    return "".join("\ufffd" if c == "\x00" or "\ud800" <= c <= "\udfff" else c for c in text)
