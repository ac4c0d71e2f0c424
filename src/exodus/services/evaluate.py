"""Run targeting on enforcement cases mixed into generated lawful trade, and report.

A prior period of lawful trade makes the history (who usually ships what to whom);
then the evaluation day holds the converted cases (violations and lawful look-alikes)
and at least `lawful_per_case` generated lawful filings per case. Everything is
targeted in memory with the same pipeline the ports use.
"""

from __future__ import annotations

import csv
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path

from exodus.core.controls import ReferenceData, load_reference
from exodus.core.filings import Filing
from exodus.core.text import utf8_lines
from exodus.core.targeting import evaluation as ev
from exodus.core.targeting.history import History, build_history
from exodus.core.targeting.model import TargetingResult
from exodus.core.targeting.rules import RuleSet, default_rules
from exodus.errors import InvalidInput, RecordError
from exodus.sample.generator import SampleGenerator
from exodus.services.targeting import FilingAssessment, Targeter, TargetingContext

log = logging.getLogger(__name__)
HISTORY_DAY = date(2026, 10, 1)
EVALUATION_DAY = date(2026, 12, 1)


def bundled_cases() -> Path:
    return Path(
        str(resources.files("exodus") / "data" / "cases" / "enforcement_cases.csv")
    )


@dataclass(frozen=True, slots=True)
class Case:
    """One converted case: its filings, one per stated destination (none when nothing was
    declared), and its truth."""

    case_id: str
    violation: bool
    visibility: str
    filings: tuple[Filing, ...]


LABELS = {"violation": True, "legit": False}


def read_cases(path: Path, generator: SampleGenerator,
               reference: Callable[[date], ReferenceData] | None = None) -> list[Case]:
    """Convert every row of an enforcement-case file into the filing its exporter would file.

    `reference` gives the reference data in force on a date (by default the shipped
    editions); every stated destination must be a country it knows. A row is refused,
    naming file, line, case and field, when its label is neither violation nor legit,
    its case id repeats an earlier row's, its value is not a number or a destination is
    unknown; a file with no rows is refused too.
    """
    reference = reference or (lambda on: load_reference(on=on))
    required = ("case_id", "label", *(c for c in ev.DECLARED_COLUMNS if c != "case_id"))
    cases = []
    seen: dict[str, int] = {}
    try:
        reader = csv.DictReader(utf8_lines(path))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInput(f"{path.name} line 1: the header lacks column(s) {', '.join(missing)}; "
                               f"a cases file has the columns of {bundled_cases().name}")
        for row in reader:
            where = f"{path.name} line {reader.line_num}"
            case_id = (row.get("case_id") or "").strip()
            if not case_id:
                raise InvalidInput(f"{where}: column 'case_id' is empty")
            record = f"{where} (case {case_id})"
            if case_id.upper() in seen:  # ids name cases alike in any letter case (v-003 is V-003)
                raise RecordError(record, "case_id",
                                  f"{case_id!r} is already the case of line {seen[case_id.upper()]}")
            seen[case_id.upper()] = reader.line_num
            try:
                fields = ev.declared_fields(row)
                drafts = ev.drafts(fields)
                visibility = ev.visibility(fields)
                filings = tuple(generator.case_filing(draft) for draft in drafts)
            except InvalidInput as exc:
                raise InvalidInput(f"{record}: {exc.detail}") from None
            for filing in filings:
                # Targeting would refuse it later, with no word of the row it came from.
                try:
                    reference(filing.export_date).country_code(filing.country_of_destination)
                except InvalidInput as exc:
                    raise RecordError(record, "stated_destination", exc.detail) from None
            # Truth is read here, on the scoring side only, never by the conversion above.
            label = (row.get("label") or "").strip()
            if label not in LABELS:
                raise RecordError(record, "label", f"{label!r} is neither 'violation' nor 'legit'")
            cases.append(Case(case_id, LABELS[label], visibility, filings))
    except OSError as exc:
        raise InvalidInput(
            f"cannot read cases file {str(path)!r}: {exc.strerror}"
        ) from None
    except csv.Error as exc:
        raise InvalidInput(f"{path.name}: not a readable CSV file: {exc}") from None
    if not cases:
        raise InvalidInput(f"no cases in {path.name}")
    return cases


def typical_quantity(filing: Filing, history: History) -> Filing:
    """Set each line's quantity so its unit value is the typical one for its HS code.

    Cases state values, rarely quantities; an invented quantity would make the unit
    value look odd and give the case away.
    """
    lines = []
    for line in filing.lines:
        price = history.prices.get(line.hs6)
        quantity = (
            max(1.0, round(line.value_usd / price.typical()))
            if price
            else line.quantity
        )
        lines.append(replace(line, quantity=quantity))
    return replace(filing, lines=tuple(lines))


def case_histories(cases: Sequence[Case], lawful: Sequence[Filing], history: History,
                   generator: SampleGenerator) -> list[Filing]:
    """Give case consignees a trading past as often, and as long, as lawful consignees have one.

    A case names a consignee the generated history has never seen, so without
    this every case would arrive from a first-time consignee while most lawful
    trade comes from known partners, and "new consignee" would tell cases apart
    by an artefact of the conversion. Whether a case consignee is known, and how
    many earlier filings it has, are drawn from the lawful filings' own figures
    with a seed of the case id (never its label or outcome).
    """
    past = [history.consignee(f).filings for f in lawful]
    known = [n for n in past if n > 0]
    share = len(known) / len(past) if past else 0.0
    earlier: list[Filing] = []
    for case in cases:
        for n, filing in enumerate(case.filings if known else ()):
            key = case.case_id if n == 0 else f"{case.case_id} {filing.country_of_destination}"
            rng = random.Random(ev.draft_seed_of(key))
            if rng.random() < share:
                earlier += generator.repeat_orders(filing, rng.choice(known))
    log.info("case consignees given a past at the lawful share %.2f", share)
    return earlier


def _rules(result: TargetingResult) -> tuple[str, ...]:
    return tuple(r.rule_id for r in result.reasons)


@dataclass(slots=True)
class Prepared:
    """Converted cases and lawful trade, assessed once (screened, determined, flagged)."""

    cases: list[Case]
    lawful: list[Filing]
    assessments: dict[str, FilingAssessment]
    context: TargetingContext


def prepare_evaluation(
    targeter: Targeter,
    cases_path: Path | None = None,
    *,
    lawful_per_case: int = 60,
    history_size: int = 20_000,
    seed: int = 11,
) -> Prepared:
    """Convert the cases, generate lawful trade and its history, and assess everything."""
    if lawful_per_case < 50:
        raise InvalidInput(
            f"lawful_per_case must be at least 50, got {lawful_per_case}"
        )
    generator = SampleGenerator(seed, risk_share=0.0, day=HISTORY_DAY)
    prior = [generator.lawful() for _ in range(history_size)]
    generator.day = EVALUATION_DAY
    cases = read_cases(cases_path or bundled_cases(), generator, targeter.reference)
    lawful = [generator.lawful() for _ in range(lawful_per_case * len(cases))]
    generator.day = HISTORY_DAY
    prior += case_histories(cases, lawful, build_history(prior), generator)
    generator.day = EVALUATION_DAY
    history = build_history(prior)
    cases = [
        replace(c, filings=tuple(typical_quantity(f, history) for f in c.filings))
        for c in cases
    ]
    filings = lawful + [f for c in cases for f in c.filings]
    context = TargetingContext(history=history)
    log.info("evaluating %d cases among %d lawful filings", len(cases), len(lawful))
    assessed = {a.filing.filing_id: a for a in targeter.assess_all(filings, context)}
    return Prepared(cases, lawful, assessed, context)


def score_evaluation(
    targeter: Targeter, prepared: Prepared, rules: RuleSet | None = None
) -> tuple[ev.Report, list[ev.Scored]]:
    """Score prepared filings with `rules` (the shipped set by default) and report."""
    rules = rules or default_rules()
    scored = []
    for filing in prepared.lawful:
        result = targeter.score(prepared.assessments[filing.filing_id], prepared.context, rules)
        scored.append(
            ev.Scored(
                filing.filing_id,
                False,
                "",
                ev.category_of(filing),
                result.score,
                result.action.value,
                rules=_rules(result),
            )
        )
    for case in prepared.cases:
        if not case.filings:
            scored.append(
                ev.Scored(
                    f"CASE-{case.case_id}",
                    case.violation,
                    case.visibility if case.violation else "",
                    "dual-use",
                    0.0,
                    "release",
                    case.case_id,
                )
            )
            continue
        # A case counts once, by its highest-scored filing: stopping any of its
        # shipments stops the case, and any of a look-alike's filings examined costs.
        results = [
            (targeter.score(prepared.assessments[f.filing_id], prepared.context, rules), f)
            for f in case.filings
        ]
        result, filing = max(results, key=lambda pair: pair[0].score)
        scored.append(
            ev.Scored(
                filing.filing_id,
                case.violation,
                case.visibility if case.violation else "",
                ev.category_of(filing),
                result.score,
                result.action.value,
                case.case_id,
                _rules(result),
            )
        )
    return ev.evaluate(scored), scored


def run_evaluation(
    targeter: Targeter,
    cases_path: Path | None = None,
    *,
    lawful_per_case: int = 60,
    history_size: int = 20_000,
    seed: int = 11,
    rules: RuleSet | None = None,
) -> tuple[ev.Report, list[ev.Scored]]:
    """Target converted cases among generated lawful filings; return the report and every score."""
    prepared = prepare_evaluation(targeter, cases_path, lawful_per_case=lawful_per_case,
                                  history_size=history_size, seed=seed)
    return score_evaluation(targeter, prepared, rules)
