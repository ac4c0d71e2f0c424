"""Print rows as a readable table, JSON (one array) or CSV."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from exodus.core.text import visible

err = Console(stderr=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)
    if value is None:
        return ""
    return str(value)


def _csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text, never evaluates.

    Text that starts like a formula gets a leading apostrophe (the usual
    spreadsheet escape); numbers, negative ones included, are left alone.
    """
    text = _cell(value)
    if text.startswith(_FORMULA_START) and not isinstance(value, int | float):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format, *, title: str | None = None) -> None:
    """Write `rows` to standard output in `fmt`."""
    if fmt is Format.JSON:
        json.dump(list(rows), sys.stdout, indent=2, default=str, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if fmt is Format.CSV:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _csv_cell(row.get(c)) for c in columns})
        return
    table = Table(title=title, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        # Text, not markup: a name with [brackets] is shown as filed.
        table.add_row(*(Text(visible(_cell(row.get(c)))) for c in columns))
    Console(width=max(120, Console().width)).print(table)


@contextmanager
def progress(label: str, total: int | None) -> Iterator[Any]:
    """Yield an `advance(n)` callback that shows progress on standard error."""
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn(), console=err, transient=False, disable=not err.is_terminal and total is None)
    with bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
