"""Small text helpers shared by the list readers."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from exodus.errors import DataSourceError

_SPACES = re.compile(r"\s+")
# OFAC's legacy files write "-0-" for an empty field.
_EMPTY_MARKERS = frozenset({"", "-0-", "n/a", "N/A", "null", "None"})


def clean(value: object) -> str:
    """Return the value as a trimmed single-spaced string, "" for empty markers."""
    if value is None:
        return ""
    text = _SPACES.sub(" ", str(value)).strip()
    return "" if text in _EMPTY_MARKERS else text


def split_clean(value: object, sep: str = ";") -> list[str]:
    """Split on `sep` and return the non-empty cleaned parts, order kept."""
    return [part for part in (clean(p) for p in clean(value).split(sep)) if part]


def unique(items: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Return the items without duplicates, first occurrence kept."""
    return tuple(dict.fromkeys(item for item in items if item))


def short_hash(*parts: str, length: int = 12) -> str:
    """Return a stable hex digest of the parts, for ids of lists that give none."""
    blob = "\x1f".join(parts).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:length]


def read_bytes(path: Path) -> bytes:
    """Return the file's bytes, or raise DataSourceError if it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataSourceError(f"{path}: cannot be read ({exc.strerror})") from exc
    if not data.strip(b" \t\r\n\x1a\x00"):
        raise DataSourceError(f"{path}: file is empty")
    return data


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to cp1252 then latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def file_checksum(data: bytes) -> str:
    """Return the sha256 hex digest of file bytes."""
    return hashlib.sha256(data).hexdigest()
