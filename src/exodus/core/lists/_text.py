"""Small helpers shared by the list readers: text, files, CSV rows and the release they make."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from exodus.core.lists.model import ListEntity, ListRelease, ParseProblem
from exodus.errors import DataSourceError

log = logging.getLogger(__name__)

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


class CsvRows(Iterator[list[str]]):
    """A csv.reader over decoded text whose syntax errors name the file and line.

    csv.Error (a bare carriage return inside an unquoted field, a field over the
    size limit) becomes DataSourceError, so a damaged release is refused like any
    other unreadable file. `line_num` is the reader's count of physical lines.
    """

    def __init__(self, path: Path, text: str, **dialect: Any) -> None:
        self._path = path
        self._reader = csv.reader(io.StringIO(text), **dialect)

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __next__(self) -> list[str]:
        try:
            return next(self._reader)
        except csv.Error as exc:
            raise DataSourceError(
                f"{self._path}: line {self._reader.line_num}: not readable as CSV ({exc})"
            ) from None


def csv_records(
    path: Path,
    reader: CsvRows,
    header: Sequence[str],
    problems: list[ParseProblem],
    check: Callable[[dict[str, str]], str | None] | None = None,
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (location, record by header column) of each non-blank row after the header.

    A row with another number of fields than the header, or of which `check`
    names a problem, is left out; its problem goes to `problems` by file and line.
    """
    line = reader.line_num + 1
    for row in reader:
        location = f"{path.name} line {line}"
        line = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(ParseProblem(location, f"expected {len(header)} fields, found {len(row)}"))
            continue
        record = dict(zip(header, row, strict=True))
        problem = check(record) if check else None
        if problem:
            problems.append(ParseProblem(location, problem))
            continue
        yield location, record


def file_checksum(data: bytes) -> str:
    """Return the sha256 hex digest of file bytes."""
    return hashlib.sha256(data).hexdigest()


def release(
    source: str,
    path: Path,
    data: bytes,
    published: datetime | None,
    entities: list[ListEntity],
    problems: list[ParseProblem],
) -> ListRelease:
    """Return the release read from the file at `path` whose bytes are `data`."""
    log.info("read %s: %d entities, %d problems", path, len(entities), len(problems))
    return ListRelease(
        source=source,
        published=published,
        checksum=file_checksum(data),
        origin=str(path),
        entities=entities,
        problems=problems,
    )


# "KOW SENG LIM -AKA- ERIC LIM", "FUYI SUN A/K/A FRANK SUN",
# "SIBERIAN AIRLINES D/B/A S7 AIRLINES": aliases written into the name field.
_EMBEDDED_ALIAS = re.compile(
    r"\s*[;,]?\s*(?:-\s*aka\s*-|\ba\.k\.a\b\.?|\ba/k/a\b|\bf/k/a\b|\bd/b/a\b"
    r"|\balso known as\b)\s*",
    re.IGNORECASE,
)


def split_embedded_aliases(name: str) -> tuple[str, list[tuple[str, str]]]:
    """Split "NAME -AKA- OTHER" into the name and (alias, kind) pairs."""
    if _EMBEDDED_ALIAS.search(name) is None:
        return name, []
    parts: list[tuple[str, str]] = []
    position, kind = 0, "aka"
    first = ""
    for match in _EMBEDDED_ALIAS.finditer(name):
        piece = name[position : match.start()].strip(" ;,-")
        if position == 0:
            first = piece
        elif piece:
            parts.append((piece, kind))
        kind = "fka" if "f/k/a" in match.group(0).lower() else "aka"
        position = match.end()
    tail = name[position:].strip(" ;,-")
    if tail:
        parts.append((tail, kind))
    if not first:
        return name, []
    return first, parts
