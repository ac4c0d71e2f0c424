"""The application facade shared by the CLI, the API and the web pages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from exodus.core.lists.fetch import release_parts
from exodus.core.screening import ScreeningIndex
from exodus.core.targeting.model import TargetingResult
from exodus.core.targeting.rules import RuleSet
from exodus.services import lists as list_service
from exodus.services.ingest import IngestReport, ingest_file, ingest_records
from exodus.services.targeting import Targeter, target_stored
from exodus.settings import Settings, load_settings
from exodus.storage.db import Database, get_database

log = logging.getLogger(__name__)


class Exodus:
    """One configured instance: settings, database, lists and the targeting pipeline."""

    def __init__(self, settings: Settings | None = None, database: Database | None = None) -> None:
        self.settings = settings or load_settings()
        self.db = database or get_database(self.settings)
        self._index_cache = list_service.IndexCache(self.settings.cache_dir)
        self._targeter: Targeter | None = None
        self._ready = False

    def ensure_ready(self, *, actor: str = "system") -> None:
        """Create the schema and load the bundled lists if none are loaded.

        Checked once per instance: loaded lists are replaced by newer versions,
        never unloaded, so every request after the first skips the check.
        """
        if self._ready:
            return
        self.db.ensure_schema()
        loaded = list_service.ensure_bundled_lists(self.db, actor=actor)
        for version in loaded:
            log.info("bundled list %s loaded as version %d", version.source, version.version_id)
        # The shipped rules are stored before anyone can add, change or read a rule, so a
        # rule written first joins them instead of standing in for the whole set.
        from exodus.services import rules as rule_service

        rule_service.seed_rules(self.db)
        self._ready = True

    def index(self) -> ScreeningIndex:
        self.ensure_ready()
        return self._index_cache.get(self.db)

    @property
    def targeter(self) -> Targeter:
        """Return the targeter over the current index (rebuilt when the lists change)."""
        index = self.index()
        if self._targeter is None or self._targeter.index is not index:
            self._targeter = Targeter(index, threshold=self.settings.screen_threshold)
        return self._targeter

    def update_lists(self, source: str | Path, *, actor: str, allow_older: bool = False,
                     reason: str | None = None,
                     allow_missing_side_files: bool = False) -> list[list_service.UpdateReport]:
        """Load each release `source` holds (a folder of OFAC files holds one per set), as update_list."""
        return [self.update_list(part, actor=actor, allow_older=allow_older, reason=reason,
                                 allow_missing_side_files=allow_missing_side_files)
                for part in release_parts(source)]

    def update_list(self, source: str | Path, *, actor: str, allow_older: bool = False,
                    reason: str | None = None,
                    allow_missing_side_files: bool = False) -> list_service.UpdateReport:
        """Load a newer list release, then re-target the stored filings it affects.

        `allow_older` loads an older release on purpose (a rollback); it needs a `reason`,
        as does `allow_missing_side_files` (an OFAC set loaded without some side files).
        """
        self.ensure_ready(actor=actor)
        report, _ = list_service.update_list(
            self.db, source, downloads=self.settings.home / "lists", actor=actor,
            threshold=self.settings.screen_threshold, allow_older=allow_older, reason=reason,
            allow_missing_side_files=allow_missing_side_files)
        # The new version was stored with its re-screen pending: a failure here leaves
        # it pending for the next update, `exodus target --all` or `exodus lists rescreen`.
        done = self.rescreen_pending()
        return replace(report, rescreened_filings=done)

    def rescreen_pending(self) -> list[str]:
        """Re-target the filings list updates left to re-screen; return their ids."""
        self.ensure_ready()
        with self.db.session() as session:
            pending = list_service.pending_rescreens(session)
        ids = sorted({filing_id for found in pending.values() for filing_id in found})
        if ids:
            self.target(ids)
        with self.db.session() as session:
            list_service.finish_rescreens(session, pending)
        return ids

    def ingest(self, path: Path, *, actor: str, strict: bool = False,
               progress: Callable[[int], None] | None = None) -> IngestReport:
        self.db.ensure_schema()
        return ingest_file(self.db, path, actor=actor, strict=strict,
                           batch_size=self.settings.batch_size, progress=progress)

    def ingest_parsed(self, records, *, actor: str, strict: bool = False) -> IngestReport:  # type: ignore[no-untyped-def]
        self.db.ensure_schema()
        return ingest_records(self.db, records, actor=actor, strict=strict, batch_size=self.settings.batch_size)

    def ingest_and_target(self, path: Path, *, actor: str) -> tuple[IngestReport, list[TargetingResult]]:
        """Ingest a file of filings and target each stored batch as it is stored."""
        from exodus.core.filings import read_filings
        from exodus.services.targeting import ingest_and_target

        self.ensure_ready(actor=actor)
        return ingest_and_target(self.db, self.targeter, read_filings(path), actor=actor,
                                 batch_size=self.settings.batch_size)

    def target(self, filing_ids: Sequence[str] | None = None, *,
               progress: Callable[[int], None] | None = None) -> list[TargetingResult]:
        """Target the named stored filings (all when None) and store the results.

        Targeting every filing also completes the re-screens list updates left pending.
        """
        pending: dict[int, list[str]] = {}
        if filing_ids is None:
            with self.db.session() as session:
                pending = list_service.pending_rescreens(session)
        results = target_stored(self.db, self.targeter, filing_ids, batch_size=self.settings.batch_size,
                                progress=progress)
        if pending:
            with self.db.session() as session:
                list_service.finish_rescreens(session, pending)
        return results

    def place_lookout(self, *, actor: str, **lookout: Any) -> dict[str, Any]:
        """Place a lookout, then re-target the stored filings it matches (flagged and notified).

        `lookout` holds the fields of `lookouts.create_lookout` (kind, value, reason,
        priority, expires); the answer adds `matched_filings`.
        """
        from exodus.services import lookouts as lookout_service

        with self.db.session() as session:
            placed = lookout_service.create_lookout(session, actor=actor, **lookout)
        with self.db.session() as session:
            matched = lookout_service.stored_matches(session, placed["id"])
        if matched:
            self.target(matched)
            log.info("lookout %d matched %d stored filings, re-targeted", placed["id"], len(matched))
        return {**placed, "matched_filings": len(matched)}

    def cancel_lookout(self, lookout_id: int, *, actor: str, reason: str) -> dict[str, Any]:
        """Cancel a lookout, then re-target the stored filings it matched, so its reason leaves them.

        The answer adds `retargeted_filings`. Its notifications stay, as a record of
        what it matched while in force.
        """
        from exodus.services import lookouts as lookout_service

        with self.db.session() as session:
            matched = lookout_service.stored_matches(session, lookout_id)
            cancelled = lookout_service.cancel_lookout(session, lookout_id, actor=actor, reason=reason)
        if matched:
            self.target(matched)
            log.info("lookout %d cancelled: %d stored filings re-targeted", lookout_id, len(matched))
        return {**cancelled, "retargeted_filings": len(matched)}

    def what_if(self, proposed: RuleSet, start: date, end: date) -> dict[str, Any]:
        """Compare the proposed rule set with the active one on stored filings of a period."""
        from exodus.services.whatif import what_if

        self.ensure_ready()
        return what_if(self.db, self.targeter, proposed, start, end, batch_size=self.settings.batch_size)

    def evaluate(self, cases: Path | None = None, *, lawful_per_case: int = 60, seed: int = 11,
                 rules: RuleSet | None = None) -> dict[str, Any]:
        """Target enforcement cases among generated lawful trade and report recall and cost."""
        from exodus.services.evaluate import run_evaluation

        report, _ = run_evaluation(self.targeter, cases, lawful_per_case=lawful_per_case, seed=seed,
                                   rules=rules)
        return report.to_dict()

