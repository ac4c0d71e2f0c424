"""Ingest filing files: validate every record, store the good ones in batches, report the bad."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from exodus.core.filings import Filing, ParsedRecord, read_filings
from exodus.services.stages import Stopwatch
from exodus.storage.db import Database
from exodus.storage.filings import StoreOutcome, store_filings

log = logging.getLogger(__name__)
STORE_ATTEMPTS = 5  # tries to store a batch that conflicts with a concurrent ingest of the same ids


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    created: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # older than the version stored: not stored
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # records read but not stored, e.g. stale ones, by name
    stored: bool = True

    @property
    def filing_ids(self) -> list[str]:
        """The ids of the filings stored or confirmed, each once, in first-seen order."""
        return list(dict.fromkeys(self.created + self.corrected + self.unchanged))

    def to_dict(self) -> dict[str, object]:
        return {"read": self.read, "created": len(self.created), "corrected": len(self.corrected),
                "unchanged": len(self.unchanged), "stale": len(self.stale), "rejected": len(self.errors),
                "errors": self.errors, "warnings": self.warnings,
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

    shown = 0  # records counted on the progress callback so far

    def advance() -> None:
        nonlocal shown
        if progress and report.read > shown:
            progress(report.read - shown)
            shown = report.read

    def flush(batch: list[tuple[Filing, str]]) -> None:
        outcome = _store(db, batch, actor, clock)
        if isinstance(outcome, str):
            for filing, origin in batch:
                report.errors.append(
                    f"{origin} (filing {filing.filing_id}): not stored: the database refused its batch "
                    f"{STORE_ATTEMPTS} times ({outcome}), as when other ingests store the same filings at the "
                    "same time; send the record again")
            advance()
            return
        report.created.extend(outcome.created)
        report.corrected.extend(outcome.corrected)
        report.unchanged.extend(outcome.unchanged)
        report.stale.extend(outcome.stale)
        report.warnings.extend(outcome.warnings)
        if on_stored:
            on_stored(outcome.current)
        advance()

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
            advance()
            return report
        pending = good
    for start in range(0, len(pending), batch_size):
        flush(pending[start:start + batch_size])
    advance()
    return report


def _store(db: Database, batch: list[tuple[Filing, str]], actor: str, clock: Stopwatch) -> StoreOutcome | str:
    """Store one batch; if concurrent ingests of the same filing ids kept conflicting with it, say why not.

    Two ingests that read the same filing id as new (or at the same version) both
    write it; the database refuses the second write and undoes its whole batch. The
    batch is then read and stored again, each record now judged against the version
    the other ingest stored (unchanged, stale or a correction of it).
    """
    cause = ""
    for attempt in range(1, STORE_ATTEMPTS + 1):
        try:
            with clock("store filings"), db.session() as session:
                return store_filings(session, batch, actor=actor)
        except IntegrityError as exc:
            # Only the driver's first line: the full error carries the filings' content.
            cause = (str(getattr(exc, "orig", exc)).strip().splitlines() or [type(exc).__name__])[0]
            log.warning("batch of %d filings conflicted with another ingest (attempt %d of %d): %s",
                        len(batch), attempt, STORE_ATTEMPTS, cause)
    return cause


def ingest_file(db: Database, path: Path, **options: object) -> IngestReport:
    """Ingest a JSON Lines or CSV file of filings."""
    return ingest_records(db, read_filings(path), **options)  # type: ignore[arg-type]
