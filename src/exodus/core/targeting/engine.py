"""Combine fired rules into a score and an action.

Scores combine like independent evidence (a noisy-OR): each fired rule with weight
w and strength s leaves a share (1 - w*s) of doubt, and the score is 100 times one
minus the product of those shares. Two medium signals therefore outrank one, and no
number of weak signals reaches certainty. Evidence counts once:

- a rule counts once per filing, at the strength of its condition (its strongest
  matching signal; the weakest part of an `all`), so one fact seen on many lines
  does not add up with itself;
- rules of one `group` grade the same fact in different contexts (a forwarder as
  consignee; the same, in a hub; the same, receiving controlled items), so only the
  strongest of them counts; the others are named in its evidence (`group_also`).

The action follows the port's thresholds, with one guard: a filing with a single
reason whose contribution is below STRONG goes no further than document review,
whatever the thresholds say, so one weak signal alone never holds a shipment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

from exodus.core.targeting.model import (
    Action,
    Reason,
    Signal,
    TargetingResult,
    Thresholds,
)
from exodus.core.targeting.rules import Rule, RuleSet

STRONG = 0.5


def fire(ruleset: RuleSet, signals: Sequence[Signal], on: date) -> list[Reason]:
    """Return one reason per rule in force that fires on `signals` (one per group), strongest first."""
    reasons = []
    present = _prefixes(s.code for s in signals)
    for rule, may_fire in _plan(ruleset, on):
        if not may_fire(present):
            continue
        matched, strength = rule.strength(signals)
        if not matched:
            continue
        fired = [s for s in matched if s.code != "not"]
        best = (
            max(fired, key=lambda s: s.strength)
            if fired
            else Signal(rule.id, rule.description)
        )
        strength = max(0.0, min(1.0, strength))
        subjects = sorted({s.subject for s in fired if s.subject})
        evidence = dict(best.evidence)
        if len(fired) > 1:
            evidence["also"] = [s.text for s in fired if s is not best][:5]
        reasons.append(
            (
                rule.group,
                Reason(
                    rule_id=rule.id,
                    category=rule.category,
                    weight=rule.weight,
                    contribution=rule.weight * strength,
                    text=f"{rule.description} {best.text}".strip()
                    if best.text
                    else rule.description,
                    subject=", ".join(subjects),
                    evidence=evidence,
                ),
            )
        )
    reasons.sort(key=lambda pair: (-pair[1].contribution, pair[1].rule_id))
    kept: list[Reason] = []
    groups: dict[str, Reason] = {}
    for group, reason in reasons:
        if group is None:
            kept.append(reason)
        elif group in groups:
            groups[group].evidence.setdefault("group_also", []).append(reason.rule_id)
        else:
            reason.evidence["group"] = group
            groups[group] = reason
            kept.append(reason)
    return kept


_CHECKS: dict[int, tuple[object, Callable[[set[str]], bool]]] = {}
_PLANS: dict[tuple[int, date], tuple[object, tuple[tuple[Rule, Callable[[set[str]], bool]], ...]]] = {}


def _plan(ruleset: RuleSet, on: date) -> tuple[tuple[Rule, Callable[[set[str]], bool]], ...]:
    """Return the rules in force on `on` with a cheap check of whether each may fire.

    Kept per rule set and day (keyed by the rules tuple itself, held here, so a reused
    id never lies); a batch of filings of one day builds it once.
    """
    key = (id(ruleset.rules), on)
    known = _PLANS.get(key)
    if known is not None and known[0] is ruleset.rules:
        return known[1]
    if len(_PLANS) > 512:
        _PLANS.clear()
    plan = tuple((rule, _check(rule)) for rule in ruleset.in_force(on))
    _PLANS[key] = (ruleset.rules, plan)
    return plan


def _check(rule: Rule) -> Callable[[set[str]], bool]:
    """Return a test of whether the signal codes present could satisfy the rule's condition.

    `present` holds the filing's signal codes with their dotted prefixes, so a rule
    naming `party.listed` sees `party.listed.x` too. Evidence and strength are left
    to the full match; a negation is always worth trying.
    """
    known = _CHECKS.get(id(rule.when))
    if known is not None and known[0] is rule.when:
        return known[1]
    check = _compile(rule.when)
    _CHECKS[id(rule.when)] = (rule.when, check)
    return check


def _compile(cond: dict[str, Any]) -> Callable[[set[str]], bool]:
    if "signal" in cond:
        code = cond["signal"]
        return lambda present: code in present
    if "all" in cond:
        parts = [_compile(part) for part in cond["all"]]
        return lambda present: all(part(present) for part in parts)
    if "any" in cond:
        parts = [_compile(part) for part in cond["any"]]
        return lambda present: any(part(present) for part in parts)
    return lambda present: True


def _prefixes(codes: Iterable[str]) -> set[str]:
    """Return every code and each of its dotted prefixes (party.listed -> party, party.listed)."""
    found: set[str] = set()
    for code in codes:
        parts = code.split(".")
        found.update(".".join(parts[: n + 1]) for n in range(len(parts)))
    return found


def combine(reasons: Sequence[Reason]) -> float:
    """Return the 0-100 score of independent reasons (noisy-OR of contributions)."""
    doubt = 1.0
    for reason in reasons:
        doubt *= 1.0 - max(0.0, min(1.0, reason.contribution))
    return round(100.0 * (1.0 - doubt), 2)


def decide(score: float, reasons: Sequence[Reason], thresholds: Thresholds) -> Action:
    """Return the action for a score; a lone weak reason never goes past review."""
    action = thresholds.action_for(score)
    lone_weak = len(reasons) == 1 and reasons[0].contribution < STRONG
    if lone_weak and action.rank > Action.REVIEW.rank:
        return Action.REVIEW
    return action


def target(
    filing_id: str,
    signals: Sequence[Signal],
    ruleset: RuleSet,
    *,
    on: date,
    thresholds: Thresholds | None = None,
) -> TargetingResult:
    """Score one filing from its signals and decide the action."""
    reasons = fire(ruleset, signals, on)
    score = combine(reasons)
    action = decide(score, reasons, thresholds or Thresholds())
    return TargetingResult(filing_id, score, action, tuple(reasons), ruleset.version)
