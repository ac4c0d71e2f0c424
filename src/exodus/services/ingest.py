"""Ingest filing files: validate every record, store the good ones in batches, report the bad."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from exodus.core.filings import Filing, ParsedRecord, read_filings
from exodus.services.stages import Stopwatch
from exodus.storage.db import Database
from exodus.storage.filings import store_filings

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    created: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # older than the version stored: not stored
    errors: list[str] = field(default_factory=list)
    stored: bool = True

    @property
    def filing_ids(self) -> list[str]:
        """The ids of the filings stored or confirmed, each once, in first-seen order."""
        return list(dict.fromkeys(self.created + self.corrected + self.unchanged))

    def to_dict(self) -> dict[str, object]:
        return {"read": self.read, "created": len(self.created), "corrected": len(self.corrected),
                "unchanged": len(self.unchanged), "stale": len(self.stale), "rejected": len(self.errors),
                "errors": self.errors,
                "stored": self.stored}


def ingest_records(
    db: Database,
    records: Iterable[ParsedRecord],
    *,
    actor: str,
    strict: bool = False,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    on_stored: Callable[[list[Filing]], None] | None = None,
    clock: Stopwatch | None = None,
) -> IngestReport:
    """Store the valid filings of `records`; with `strict`, store nothing if any is bad.

    `on_stored` receives each stored batch of parsed filings (e.g. to target them
    without reading them back). `clock` adds up the time spent reading and
    validating records ("parse") and storing them ("store filings").
    """
    clock = clock or Stopwatch()
    report = IngestReport()
    good: list[tuple[Filing, str]] = []
    pending: list[tuple[Filing, str]] = []

    def flush(batch: list[tuple[Filing, str]]) -> None:
        with clock("store filings"), db.session() as session:
            outcome = store_filings(session, batch, actor=actor)
        report.created.extend(outcome.created)
        report.corrected.extend(outcome.corrected)
        report.unchanged.extend(outcome.unchanged)
        report.stale.extend(outcome.stale)
        if on_stored:
            on_stored(outcome.current)
        if progress:
            progress(len(batch))

    for parsed in clock.iterate("parse", records):
        report.read += 1
        if parsed.error is not None:
            report.errors.append(str(parsed.error))
            # The report carries each rejection to the caller, who shows it once; log only for --verbose.
            log.info("rejected %s", parsed.error)
            continue
        assert parsed.filing is not None
        item = (parsed.filing, parsed.location)
        if strict:
            good.append(item)
            continue
        pending.append(item)
        if len(pending) >= batch_size:
            flush(pending)
            pending = []
    if strict:
        if report.errors:
            report.stored = False
            log.warning("strict ingest: %d bad records, nothing stored", len(report.errors))
            return report
        pending = good
    for start in range(0, len(pending), batch_size):
        flush(pending[start:start + batch_size])
    return report


def ingest_file(db: Database, path: Path, **options: object) -> IngestReport:
    """Ingest a JSON Lines or CSV file of filings."""
    return ingest_records(db, read_filings(path), **options)  # type: ignore[arg-type]
