"""Target stored filings: screen parties, determine licensing, apply rules, store results.

Work goes in batches: one query loads a batch of filings, screening runs on all of
their parties at once, and hits and results are written with bulk inserts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import delete, insert, select, update

from exodus.core import controls
from exodus.core.controls.ccl import split_eccn
from exodus.core.controls.declared import CHECKED_EXCEPTIONS
from exodus.core.controls.determination import CAS_RE
from exodus.core.filings import Filing, ParsedRecord, parse_filing
from exodus.core.screening import QueryParty, ScreeningHit, ScreeningIndex
from exodus.core.targeting import redflags
from exodus.core.targeting import signals as sig
from exodus.core.targeting.engine import target
from exodus.core.targeting.history import NO_HISTORY, History
from exodus.core.targeting.lookouts import LookoutBook
from exodus.core.targeting.model import TargetingResult, Thresholds
from exodus.core.targeting.rules import RuleSet, default_rules
from exodus.services import lookouts as lookout_service
from exodus.services import rules as rule_service
from exodus.services.history import load_history
from exodus.services.ingest import IngestReport, ingest_records
from exodus.services.stages import Stopwatch
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
    signals: list[sig.Signal] = field(default_factory=list)

    def lookout_hits(self) -> list[tuple[int, str]]:
        """Return (lookout id, text) of every lookout the filing matched."""
        return [(s.evidence["lookout_id"], s.text) for s in self.signals if s.code.startswith("lookout.")]


@dataclass(slots=True)
class TargetingContext:
    """What targeting reads besides the filings: rules, port thresholds, lookouts, history."""

    rules: RuleSet = field(default_factory=default_rules)
    thresholds: dict[str, Thresholds] = field(default_factory=dict)
    lookouts: LookoutBook = field(default_factory=lambda: LookoutBook([]))
    history: History = NO_HISTORY

    def thresholds_for(self, port: str) -> Thresholds:
        return self.thresholds.get(port) or DEFAULT_THRESHOLDS


DEFAULT_THRESHOLDS = Thresholds()


def screen_filings(index: ScreeningIndex, filings: Sequence[Filing], threshold: float | None = None,
                   *, review: Any = None, cache: dict[QueryParty, list[ScreeningHit]] | None = None,
                   ) -> list[dict[str, list[ScreeningHit]]]:
    """Screen every distinct party of `filings` once; return hits per role per filing.

    `review` (an adjudication.SuppressionBook) sets aside hits analysts decided are
    false positives; the filing page and API show those separately. `cache` keeps
    the raw hits of parties screened before against the same index and threshold,
    so a repeat consignee, exporter or forwarder is screened once per run.
    """
    cache = {} if cache is None else cache
    queries, owners = [], []
    for n, filing in enumerate(filings):
        for party in filing.parties:
            queries.append(QueryParty(name=party.name, country=party.country, address=f"{party.address} {party.city}".strip()))
            owners.append((n, party.role.value))
    missing = list(dict.fromkeys(q for q in queries if q not in cache))
    for query, hits in zip(missing, index.screen_many(missing, threshold=threshold), strict=True):
        cache[query] = hits
    results: list[dict[str, list[ScreeningHit]]] = [{} for _ in filings]
    for (n, role), query in zip(owners, queries, strict=True):
        hits = cache[query]
        # -- adjudication hook: false positives in force are not acted on ------------
        if review is not None and hits:
            hits, _ = review.split(query, hits)
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
            # A hit groups the other lists' entries for the same party (`also`):
            # an Entity List or MEU listing behind an SDN hit still binds.
            sources=frozenset(
                {h.source for h in role_hits} | {a.source for h in role_hits for a in h.also}
            ),
            license_requirement=entity_list.license_requirement if entity_list else None,
            license_policy=entity_list.license_policy if entity_list else None,
            programs=tuple(sorted({p for h in role_hits for p in h.entity.programs})),
        ))
    return statuses


class LineCache:
    """Remember determinations, declared-versus-required findings and description flags.

    Each is keyed on what decides it, not on the whole line: a determination on the
    classification, HS code, destination, export date and party list status (plus
    CAS numbers, and value and weight only where a chemical or an LVS value limit
    makes them matter); the declared-versus-required findings on that and the
    declared license, code and number (not the wording, which they do not read);
    description flags on the wording, codes and destination. Repeat goods to repeat
    places hit. Findings are remembered with the line number they were found on and
    renumbered when another line reuses them.
    """

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.determinations: dict[tuple[Any, ...], Any] = {}
        self.store: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.descriptions: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        self.hits = self.misses = 0

    def _remember(self, table: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any) -> Any:
        if len(table) >= self.limit:
            table.clear()
        table[key] = value
        return value

    def describe(self, ref: controls.ReferenceData, line: Any, destination: str) -> list[Any]:
        """Return description flags, remembered by wording, codes and destination."""
        key = (ref.edition, line.description, line.schedule_b, line.eccn, line.usml_category, destination)
        found = self.descriptions.get(key)
        if found is None:
            found = self._remember(self.descriptions, key, tuple(controls.flag_description(ref, line, destination)))
        return _numbered(found, line.line_no)

    def determine(self, ref: controls.ReferenceData, filing: Filing, line: Any,
                  parties: list[controls.PartyStatus]) -> tuple[tuple[Any, ...], Any]:
        """Return the determination of a line and the key it is remembered under."""
        key = determination_key(ref, filing, line, parties)
        found = self.determinations.get(key)
        if found is None:
            found = self._remember(self.determinations, key, controls.determine(
                ref, controls.item_from_line(line), filing.country_of_destination,
                parties=parties, on=filing.export_date))
        return key, found

    def assess(self, ref: controls.ReferenceData, filing: Filing, line: Any,
               parties: list[controls.PartyStatus]) -> tuple[Any, list[Any]]:
        """Return the line's determination and its findings (declared, then description)."""
        det_key, determination = self.determine(ref, filing, line, parties)
        key = (det_key, line.schedule_b, filing.export_date, filing.mode_of_transport,
               line.license_code, line.license_number,
               line.value_usd if _exception_checked(ref, line.license_code) else None)
        checked = self.store.get(key)
        if checked is not None:
            self.hits += 1
            findings = _numbered(checked, line.line_no)
        else:
            self.misses += 1
            findings = controls.check_line(ref, filing, line, determination)
            self._remember(self.store, key, tuple(findings))
        return determination, findings + self.describe(ref, line, filing.country_of_destination)


def determination_key(ref: controls.ReferenceData, filing: Filing, line: Any,
                      parties: Sequence[controls.PartyStatus]) -> tuple[Any, ...]:
    """Return everything a line's license determination depends on.

    The HS code counts through its first six digits (CHPL, food and medicine); the
    wording only through CAS numbers it quotes; weight only for listed chemicals
    (DEA thresholds); value only where License Exception LVS has a limit; the
    export date only for defense articles (ITAR country rules change by date).
    """
    text = line.description or ""
    cas = tuple(m.group(0) for m in CAS_RE.finditer(text)) if "-" in text else ()
    entry = ref.ccl.get(split_eccn(line.eccn)[0]) if line.eccn and not line.usml_category else None
    value = weight = None
    if cas:
        value, weight = line.value_usd, line.weight_kg
    elif entry is not None and entry.lvs_limit_usd is not None:
        value = line.value_usd
    dated = bool(line.usml_category) or cas or (entry is not None and entry.itar_pointer)
    return (ref.edition, filing.country_of_destination, filing.export_date if dated else None, tuple(parties),
            line.eccn or None, line.usml_category or None, (line.schedule_b or "").replace(".", "")[:6] or None,
            cas, value, weight)


def _numbered(findings: Sequence[Any], line_no: int) -> list[Any]:
    """Return remembered findings as found on line `line_no`."""
    return [f if f.line_no == line_no else replace(f, line_no=line_no) for f in findings]


def _exception_checked(ref: controls.ReferenceData, code: str | None) -> bool:
    """Tell whether a license code claims an exception whose check reads the line value."""
    aes = ref.aes_license_codes.get((code or "").strip().upper())
    return aes is None or aes.exception_symbol in CHECKED_EXCEPTIONS


def assess(filing: Filing, hits: dict[str, list[ScreeningHit]], ref: controls.ReferenceData,
           cache: LineCache | None = None) -> FilingAssessment:
    """Determine each line's licensing and check what was declared against it."""
    cache = cache or LineCache(limit=1000)
    assessment = FilingAssessment(filing, hits)
    parties = party_statuses(hits)
    for line in filing.lines:
        determination, findings = cache.assess(ref, filing, line, parties)
        assessment.determinations[line.line_no] = determination
        assessment.findings += findings
    return assessment


def signals_of(assessment: FilingAssessment) -> list[sig.Signal]:
    """Return the signals of screening, licensing and the filing itself, for the rule engine."""
    found = sig.screening_signals(assessment.hits, assessment.filing)
    for line_no, determination in assessment.determinations.items():
        found += sig.determination_signals(line_no, determination)
    found += sig.finding_signals(assessment.findings, determinations=assessment.determinations)
    found += sig.filing_signals(assessment.filing)
    return found


class Targeter:
    """Targets filings against one screening index, with reference data per export date."""

    def __init__(self, index: ScreeningIndex, *, rules: RuleSet | None = None,
                 thresholds: Callable[[str], Thresholds] | None = None, threshold: float | None = None) -> None:
        self.index = index
        self.rules = rules or default_rules()
        self.thresholds = thresholds
        self.threshold = threshold
        self.lines = LineCache()
        # Raw hits per distinct party for this index and threshold (a new index
        # makes a new Targeter, so stale hits never outlive a list update).
        self.screened: dict[QueryParty, list[ScreeningHit]] = {}
        self._screened_at = threshold
        self._refs: dict[Any, controls.ReferenceData] = {}
        self._addresses: dict[str, tuple[str, str]] | None = None
        self.review: Any = None  # adjudication.SuppressionBook set by target_stored
        self.clock = Stopwatch()  # time per stage, for benchmarks and logs

    def reference(self, on: Any) -> controls.ReferenceData:
        """Return the reference edition in force on `on` (looked up once per date)."""
        ref = self._refs.get(on)
        if ref is None:
            ref = self._refs[on] = controls.load_reference(on=on)
        return ref

    def listed_addresses(self) -> dict[str, tuple[str, str]]:
        if self._addresses is None:
            self._addresses = redflags.listed_address_book(getattr(self.index, "entities", ()))
        return self._addresses

    def assess_all(self, filings: Sequence[Filing], context: TargetingContext) -> list[FilingAssessment]:
        """Screen, determine and collect every signal of `filings` (no scoring)."""
        clock = self.clock
        addresses = self.listed_addresses()
        review = self.review  # adjudication: a SuppressionBook, or None
        if len(self.screened) > 500_000 or self._screened_at != self.threshold:
            self.screened.clear()
            self._screened_at = self.threshold
        with clock("screen"):
            screened = screen_filings(self.index, filings, self.threshold, review=review, cache=self.screened)
        with clock("determine"):
            out = [assess(filing, hits, self.reference(filing.export_date), self.lines)
                   for filing, hits in zip(filings, screened, strict=True)]
        with clock("signals"):
            for assessment in out:
                assessment.signals = signals_of(assessment)
        with clock("red flags"):
            flags: dict[int, redflags.Context] = {}  # one context per reference edition
            for assessment in out:
                ref = self.reference(assessment.filing.export_date)
                found = flags.get(id(ref))
                if found is None:
                    found = flags[id(ref)] = redflags.Context(
                        hubs=ref.transshipment_hubs, chpl=ref.chpl, history=context.history,
                        listed_addresses=addresses)
                assessment.signals += redflags.red_flag_signals(assessment.filing, found)
        with clock("lookouts"):
            for assessment in out:
                assessment.signals += context.lookouts.match(assessment.filing)
        return out

    def score(self, assessment: FilingAssessment, context: TargetingContext,
              rules: RuleSet | None = None) -> TargetingResult:
        """Score one assessed filing with `rules` (the context's rules by default)."""
        filing = assessment.filing
        thresholds = self.thresholds(filing.port_of_export) if self.thresholds else context.thresholds_for(filing.port_of_export)
        return target(filing.filing_id, assessment.signals, rules or context.rules, on=filing.export_date,
                      thresholds=thresholds)

    def run(self, filings: Sequence[Filing], context: TargetingContext | None = None
            ) -> list[tuple[FilingAssessment, TargetingResult]]:
        """Assess and score `filings` (no storage)."""
        context = context or TargetingContext(rules=self.rules)
        assessments = self.assess_all(filings, context)
        with self.clock("score"):
            return [(a, self.score(a, context)) for a in assessments]


def load_context(db: Database) -> TargetingContext:
    """Return the stored rules (seeding the shipped set once), thresholds and lookouts."""
    rule_service.seed_rules(db)
    with db.session() as session:
        return TargetingContext(rules=rule_service.active_rules(session),
                                thresholds=lookout_service.port_thresholds(session),
                                lookouts=lookout_service.lookout_book(session))


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
        # Found by filing, then updated by id: asked for current rows of some filings,
        # SQLite (without statistics) walks the (current, port, score) index over
        # every current result instead, and that grows with the database.
        superseded = [result_id for result_id, current in session.execute(
            select(TargetingResultRow.id, TargetingResultRow.current)
            .where(TargetingResultRow.filing_pk.in_(pks))).tuples() if current]
        if superseded:
            session.execute(update(TargetingResultRow).where(TargetingResultRow.id.in_(superseded))
                            .values(current=False))
        # Core inserts: one executemany per table (see storage/filings.py).
        if hit_rows:
            session.execute(insert(ScreeningHitRow.__table__), hit_rows)
        session.execute(insert(TargetingResultRow.__table__), result_rows)
        lookout_service.notify(session, [(row.id, row.filing_id, row.port_of_export, a.lookout_hits())
                                         for row, (a, _) in zip(rows, outcomes, strict=True) if a.lookout_hits()])


# The columns targeting needs of a stored filing besides its content.
_ROW_COLUMNS = (FilingRow.id, FilingRow.filing_id, FilingRow.version, FilingRow.port_of_export,
                FilingRow.country_of_destination)


def target_stored(
    db: Database,
    targeter: Targeter,
    filing_ids: Sequence[str] | None = None,
    *,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
    parsed: Mapping[str, Filing] | None = None,
) -> list[TargetingResult]:
    """Target the stored filings named (all stored filings when None) and store the results.

    `parsed` maps filing ids to the filings exactly as stored (ingest has them in
    hand); those are not read back and parsed again from their stored JSON.
    """
    with db.session() as session:
        query = select(FilingRow.id).order_by(FilingRow.id)
        if filing_ids is not None:
            query = query.where(FilingRow.filing_id.in_(list(filing_ids))) if len(filing_ids) < 30000 else query
        pks = list(session.execute(query).scalars())
    wanted = set(filing_ids) if filing_ids is not None else None
    context = load_context(db)
    targeter.review = _suppressions(db)  # adjudication: false positives in force
    results: list[TargetingResult] = []
    for start in range(0, len(pks), batch_size):
        chunk = pks[start:start + batch_size]
        with targeter.clock("load filings"):
            rows, filings = _load_batch(db, chunk, wanted, parsed or {})
        results += target_batch(db, targeter, context, rows, filings)
        if progress:
            progress(len(rows))
        log.info("targeted %d filings (%d/%d)", len(rows), min(start + batch_size, len(pks)), len(pks))
    return results


def _load_batch(db: Database, pks: Sequence[int], wanted: set[str] | None,
                parsed: Mapping[str, Filing]) -> tuple[list[Any], list[Filing]]:
    """Return the stored rows of `pks` and their filings, parsing only those not in `parsed`."""
    with db.session() as session:
        rows = list(session.execute(select(*_ROW_COLUMNS).where(FilingRow.id.in_(pks)).order_by(FilingRow.id)))
        if wanted is not None:
            rows = [r for r in rows if r.filing_id in wanted]
        unparsed = [r.id for r in rows if r.filing_id not in parsed]
        query = select(FilingRow.id, FilingRow.payload).where(FilingRow.id.in_(unparsed))
        payloads = dict(session.execute(query).tuples().all()) if unparsed else {}
    filings = [parsed.get(r.filing_id) or parse_filing(payloads[r.id], f"stored filing {r.filing_id}", bounded=False)
               for r in rows]
    return rows, filings


def target_batch(db: Database, targeter: Targeter, context: TargetingContext, rows: Sequence[Any],
                 filings: Sequence[Filing]) -> list[TargetingResult]:
    """Load the history of one batch of stored filings, target them and store the results."""
    with targeter.clock("history"), db.session() as session:
        context.history = load_history(session, filings, rows)
    outcomes = targeter.run(filings, context)
    with targeter.clock("store results"):
        _store(db, rows, outcomes)
    return [result for _, result in outcomes]


def ingest_and_target(db: Database, targeter: Targeter, records: Iterable[ParsedRecord], *, actor: str,
                      batch_size: int = 1000) -> tuple[IngestReport, list[TargetingResult]]:
    """Store each batch of valid filings, then target it straight from the parsed filings."""
    context = load_context(db)
    targeter.review = _suppressions(db)  # adjudication: false positives in force
    results: list[TargetingResult] = []

    def target_stored_batch(batch: Sequence[Filing]) -> None:
        latest = {f.filing_id: f for f in batch}  # the last of a repeated id is the stored one
        with targeter.clock("store filings"), db.session() as session:
            rows = list(session.execute(select(*_ROW_COLUMNS).where(FilingRow.filing_id.in_(list(latest)))
                                        .order_by(FilingRow.id)))
        results.extend(target_batch(db, targeter, context, rows, [latest[r.filing_id] for r in rows]))

    report = ingest_records(db, records, actor=actor, batch_size=batch_size, on_stored=target_stored_batch,
                            clock=targeter.clock)
    return report, results


def _suppressions(db: Database) -> Any:
    """Return the analysts' false-positive decisions in force (adjudication hook)."""
    from exodus.services.adjudication import SuppressionBook

    with db.session() as session:
        return SuppressionBook.load(session)
