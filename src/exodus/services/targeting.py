"""Target stored filings: screen parties, determine licensing, apply rules, store results.

Work goes in batches: one query loads a batch of filings, screening runs on all of
their parties at once, and hits and results are written with bulk inserts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, insert, select, update

from exodus.core import controls
from exodus.core.filings import Filing, parse_filing
from exodus.core.screening import QueryParty, ScreeningHit, ScreeningIndex
from exodus.core.targeting import signals as sig
from exodus.core.targeting.engine import target
from exodus.core.targeting.model import TargetingResult, Thresholds
from exodus.core.targeting.rules import RuleSet, default_rules
from exodus.storage.db import Database
from exodus.storage.models import FilingRow, ScreeningHitRow, TargetingResultRow

log = logging.getLogger(__name__)


@dataclass(slots=True)
class FilingAssessment:
    """Everything Exodus concluded about one filing, before scoring."""

    filing: Filing
    hits: dict[str, list[ScreeningHit]]
    determinations: dict[int, Any] = field(default_factory=dict)
    findings: list[Any] = field(default_factory=list)


def screen_filings(index: ScreeningIndex, filings: Sequence[Filing], threshold: float | None = None) -> list[dict[str, list[ScreeningHit]]]:
    """Screen every party of every filing in one batch call; return hits per role per filing."""
    queries, owners = [], []
    for n, filing in enumerate(filings):
        for party in filing.parties:
            queries.append(QueryParty(name=party.name, country=party.country, address=f"{party.address} {party.city}".strip()))
            owners.append((n, party.role.value))
    results: list[dict[str, list[ScreeningHit]]] = [{} for _ in filings]
    for (n, role), hits in zip(owners, index.screen_many(queries, threshold=threshold), strict=True):
        if hits:
            results[n].setdefault(role, []).extend(hits)
    return results


def party_statuses(hits: dict[str, list[ScreeningHit]]) -> list[controls.PartyStatus]:
    """Return the list status of each screened party, as license determination needs it."""
    statuses = []
    for role, role_hits in hits.items():
        entity_list = next((h.entity for h in role_hits if h.source == "EL"), None)
        statuses.append(controls.PartyStatus(
            name=role,
            sources=frozenset(h.source for h in role_hits),
            license_requirement=entity_list.license_requirement if entity_list else None,
            license_policy=entity_list.license_policy if entity_list else None,
            programs=tuple(sorted({p for h in role_hits for p in h.entity.programs})),
        ))
    return statuses


def assess(filing: Filing, hits: dict[str, list[ScreeningHit]], ref: controls.ReferenceData) -> FilingAssessment:
    """Determine each line's licensing and check what was declared against it."""
    assessment = FilingAssessment(filing, hits)
    parties = party_statuses(hits)
    for line in filing.lines:
        determination = controls.determine(ref, controls.item_from_line(line), filing.country_of_destination,
                                           parties=parties, on=filing.export_date)
        assessment.determinations[line.line_no] = determination
        assessment.findings += controls.check_line(ref, filing, line, determination)
        assessment.findings += controls.flag_description(ref, line, filing.country_of_destination)
    return assessment


def signals_of(assessment: FilingAssessment) -> list[sig.Signal]:
    """Return every signal of an assessment, for the rule engine."""
    found = sig.screening_signals(assessment.hits)
    for line_no, determination in assessment.determinations.items():
        found += sig.determination_signals(line_no, determination)
    found += sig.finding_signals(assessment.findings)
    found += sig.filing_signals(assessment.filing)
    return found


class Targeter:
    """Targets filings with one rule set, one reference edition lookup and one screening index."""

    def __init__(self, index: ScreeningIndex, *, rules: RuleSet | None = None,
                 thresholds: Callable[[str], Thresholds] | None = None, threshold: float | None = None) -> None:
        self.index = index
        self.rules = rules or default_rules()
        self.thresholds = thresholds or (lambda _port: Thresholds())
        self.threshold = threshold

    def run(self, filings: Sequence[Filing]) -> list[tuple[FilingAssessment, TargetingResult]]:
        """Assess and score `filings` (no storage)."""
        out = []
        for filing, hits in zip(filings, screen_filings(self.index, filings, self.threshold), strict=True):
            ref = controls.load_reference(on=filing.export_date)
            assessment = assess(filing, hits, ref)
            result = target(filing.filing_id, signals_of(assessment), self.rules, on=filing.export_date,
                            thresholds=self.thresholds(filing.port_of_export))
            out.append((assessment, result))
        return out


def _store(db: Database, rows: Sequence[Any], outcomes: Sequence[tuple[FilingAssessment, TargetingResult]]) -> None:
    now = datetime.now(timezone.utc)
    pks = [row.id for row in rows]
    hit_rows, result_rows = [], []
    for row, (assessment, result) in zip(rows, outcomes, strict=True):
        for role, hits in assessment.hits.items():
            for hit in hits:
                hit_rows.append({"filing_pk": row.id, "party_role": role,
                                 "party_name": next((p.name for p in assessment.filing.parties if p.role.value == role), ""),
                                 "entity_id": hit.entity_id, "source": hit.source, "entity_name": hit.entity_name,
                                 "matched_name": hit.matched_name, "score": float(hit.score),
                                 "explanation": hit.explanation, "screened_at": now})
        result_rows.append({"filing_pk": row.id, "filing_version": row.version, "port_of_export": row.port_of_export,
                            "country_of_destination": row.country_of_destination, "score": result.score,
                            "action": result.action.value, "reasons": [r.to_dict() for r in result.reasons],
                            "ruleset": result.ruleset, "targeted_at": now, "current": True})
    with db.session() as session:
        session.execute(delete(ScreeningHitRow).where(ScreeningHitRow.filing_pk.in_(pks)))
        session.execute(update(TargetingResultRow).where(TargetingResultRow.filing_pk.in_(pks), TargetingResultRow.current.is_(True)).values(current=False))
        if hit_rows:
            session.execute(insert(ScreeningHitRow), hit_rows)
        session.execute(insert(TargetingResultRow), result_rows)


def target_stored(
    db: Database,
    targeter: Targeter,
    filing_ids: Sequence[str] | None = None,
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> list[TargetingResult]:
    """Target the stored filings named (all stored filings when None) and store the results."""
    with db.session() as session:
        query = select(FilingRow.id).order_by(FilingRow.id)
        if filing_ids is not None:
            query = query.where(FilingRow.filing_id.in_(list(filing_ids))) if len(filing_ids) < 30000 else query
        pks = list(session.execute(query).scalars())
    wanted = set(filing_ids) if filing_ids is not None else None
    results: list[TargetingResult] = []
    for start in range(0, len(pks), batch_size):
        chunk = pks[start:start + batch_size]
        with db.session() as session:
            rows = list(session.execute(select(FilingRow).where(FilingRow.id.in_(chunk)).order_by(FilingRow.id)).scalars())
        if wanted is not None:
            rows = [r for r in rows if r.filing_id in wanted]
        filings = [parse_filing(r.payload, f"stored filing {r.filing_id}") for r in rows]
        outcomes = targeter.run(filings)
        _store(db, rows, outcomes)
        results += [result for _, result in outcomes]
        if progress:
            progress(len(rows))
        log.info("targeted %d filings (%d/%d)", len(rows), min(start + batch_size, len(pks)), len(pks))
    return results
