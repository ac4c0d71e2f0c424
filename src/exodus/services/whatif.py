"""What-if: run a proposed rule set against stored filings of a period, before it takes effect.

Each filing is assessed once (screening, licensing, red flags, lookouts, history);
the current and the proposed rules then score the same signals, so every difference
comes from the rules alone. The report counts actions per port before and after,
and names the filings the change would add to or remove from examination.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from exodus.core.filings import parse_filing
from exodus.core.targeting.model import Action
from exodus.core.targeting.rules import RuleSet, parse_rule
from exodus.errors import InvalidInput
from exodus.services.history import load_history
from exodus.services.rules import refuse_repeated_ids
from exodus.services.targeting import Targeter, load_context
from exodus.storage.db import Database
from exodus.storage.models import FilingRow

log = logging.getLogger(__name__)
EXAMINED = {Action.EXAMINE, Action.HOLD}
EXAMPLES = 20


def propose(
    current: RuleSet, upsert: list[dict[str, Any]] = (), retire: list[str] = ()
) -> RuleSet:  # type: ignore[assignment]
    """Return `current` with rules added or replaced and others retired."""
    refuse_repeated_ids([d for d in upsert if isinstance(d, dict)], "the proposal")
    rules = {r.id: r for r in current.rules}
    for n, data in enumerate(upsert, start=1):
        rule = parse_rule(data, f"proposed rule {n}", strict=True)
        rules[rule.id] = rule
    for rule_id in retire:
        if rule_id not in rules:
            raise InvalidInput(f"cannot retire {rule_id!r}: no such rule in the set proposed "
                               "(the rules in force, or the whole set given to replace them)")
        del rules[rule_id]
    return RuleSet.of(sorted(rules.values(), key=lambda r: r.id))


@dataclass(slots=True)
class PortChange:
    before: dict[str, int] = field(default_factory=lambda: {a.value: 0 for a in Action})
    after: dict[str, int] = field(default_factory=lambda: {a.value: 0 for a in Action})
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    added_count: int = 0
    removed_count: int = 0

    def to_dict(self, port: str) -> dict[str, Any]:
        workload = (self.after["examine"] + self.after["hold"]) - (
            self.before["examine"] + self.before["hold"]
        )
        return {
            "port": port,
            "before": self.before,
            "after": self.after,
            "added": self.added_count,
            "removed": self.removed_count,
            "workload_change": workload,
            "examples": {"added": self.added, "removed": self.removed},
        }


def _example(filing_id: str, before: Any, after: Any) -> dict[str, Any]:
    old, new = {r.rule_id for r in before.reasons}, {r.rule_id for r in after.reasons}
    return {
        "filing_id": filing_id,
        "before": {"score": before.score, "action": before.action.value},
        "after": {"score": after.score, "action": after.action.value},
        "rules_added": sorted(new - old),
        "rules_removed": sorted(old - new),
    }


def what_if(
    db: Database,
    targeter: Targeter,
    proposed: RuleSet,
    start: date,
    end: date,
    *,
    batch_size: int = 1000,
) -> dict[str, Any]:
    """Compare current and proposed rules on the filings exported from `start` to `end`."""
    if end < start:
        raise InvalidInput(f"the period ends ({end}) before it starts ({start})")
    context = load_context(db)
    with db.session() as session:
        pks = list(
            session.execute(
                select(FilingRow.id)
                .where(FilingRow.export_date >= start, FilingRow.export_date <= end)
                .order_by(FilingRow.id)
            ).scalars()
        )
    ports: dict[str, PortChange] = defaultdict(PortChange)
    for first in range(0, len(pks), batch_size):
        with db.session() as session:
            rows = list(
                session.execute(
                    select(FilingRow)
                    .where(FilingRow.id.in_(pks[first : first + batch_size]))
                    .order_by(FilingRow.id)
                ).scalars()
            )
            filings = [
                parse_filing(r.payload, f"stored filing {r.filing_id}", bounded=False) for r in rows
            ]
            context.history = load_history(session, filings, rows)
        for assessment in targeter.assess_all(filings, context):
            before = targeter.score(assessment, context)
            after = targeter.score(assessment, context, rules=proposed)
            change = ports[assessment.filing.port_of_export]
            change.before[before.action.value] += 1
            change.after[after.action.value] += 1
            was, now = before.action in EXAMINED, after.action in EXAMINED
            if now and not was:
                change.added_count += 1
                if len(change.added) < EXAMPLES:
                    change.added.append(
                        _example(assessment.filing.filing_id, before, after)
                    )
            elif was and not now:
                change.removed_count += 1
                if len(change.removed) < EXAMPLES:
                    change.removed.append(
                        _example(assessment.filing.filing_id, before, after)
                    )
    per_port = [ports[p].to_dict(p) for p in sorted(ports)]
    total = {
        "before": {
            a.value: sum(p["before"][a.value] for p in per_port) for a in Action
        },
        "after": {a.value: sum(p["after"][a.value] for p in per_port) for a in Action},
        "added": sum(p["added"] for p in per_port),
        "removed": sum(p["removed"] for p in per_port),
        "workload_change": sum(p["workload_change"] for p in per_port),
    }
    log.info(
        "what-if on %d filings: +%d -%d examined",
        len(pks),
        total["added"],
        total["removed"],
    )
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "filings": len(pks),
        "current_ruleset": context.rules.version,
        "proposed_ruleset": proposed.version,
        "total": total,
        "ports": per_port,
    }
