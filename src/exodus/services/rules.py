"""Targeting rules as versioned data: seed from files, add, change, retire, read history.

The active rule set is the latest version of every rule that is not retired. The
shipped file set (core/targeting/rules/*.yaml) seeds the table the first time;
afterwards the table is the authority and every change keeps who, when and why.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exodus.core.targeting.rules import Rule, RuleSet, default_rules, parse_rule, read_yaml
from exodus.core.text import stated_reason
from exodus.errors import Conflict, IdMismatch, InvalidInput, NotFound
from exodus.storage.audit import AuditEvent, record
from exodus.storage.db import Database
from exodus.storage.models import TargetingRuleRow, TargetingRuleVersionRow

log = logging.getLogger(__name__)


def rule_documents(data: Any, where: str) -> list[dict[str, Any]]:
    """Return the rules of a parsed YAML document: one rule, a list of rules, or a mapping with a `rules` list."""
    items = data.get("rules") if isinstance(data, dict) and "rules" in data else data
    items = [items] if isinstance(items, dict) else items
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise InvalidInput(f"{where}: expected one rule (a YAML mapping) or a list of rules")
    refuse_repeated_ids(items, where)
    return items


def refuse_repeated_ids(items: list[dict[str, Any]], where: str) -> None:
    """Refuse rules that give one id twice: the last would silently win over the first."""
    first: dict[str, int] = {}
    for n, item in enumerate(items, start=1):
        rule_id = str(item.get("id") or "").strip()
        if rule_id and rule_id in first:
            raise InvalidInput(f"{where}: rules {first[rule_id]} and {n} both have id {rule_id!r}; "
                               "give each rule once")
        first.setdefault(rule_id, n)


def rules_in_text(text: str, name: str) -> list[dict[str, Any]]:
    """Return the rules of YAML text; a syntax error names `name`, the line and the column."""
    return rule_documents(read_yaml(text, name), name)


SYSTEM = "system:rules-file"


def _now() -> datetime:
    return datetime.now(UTC)


def _reason(reason: str) -> str:
    return stated_reason(reason, "the rule changes")


def _write(
    session: Session,
    rule: Rule,
    *,
    change: str,
    actor: str,
    reason: str,
    row: TargetingRuleRow | None,
    retired: bool = False,
) -> TargetingRuleRow:
    now = _now()
    definition = rule.to_dict()
    detail: dict[str, Any] = {"version": 1 if row is None else row.version + 1, "reason": reason}
    if row is None:
        detail["rule"] = definition
    else:
        before = row.definition or {}
        detail["from_version"] = row.version
        detail["changes"] = {key: {"old": before.get(key), "new": definition.get(key)}
                             for key in sorted(set(before) | set(definition))
                             if before.get(key) != definition.get(key)}
        if row.retired != retired:
            detail["changes"]["retired"] = {"old": row.retired, "new": retired}
    if row is None:
        row = TargetingRuleRow(
            rule_id=rule.id,
            version=1,
            retired=retired,
            definition=definition,
            updated_at=now,
            updated_by=actor,
        )
        session.add(row)
    else:
        # Only the version read may be replaced: a writer that committed meanwhile
        # makes this update match nothing, and the change is refused, not lost.
        seen = row.version
        written = session.execute(
            update(TargetingRuleRow)
            .where(TargetingRuleRow.id == row.id, TargetingRuleRow.version == seen)
            .values(version=seen + 1, retired=retired, definition=definition, updated_at=now, updated_by=actor)
            .execution_options(synchronize_session="fetch")
        )
        if written.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"rule {rule.id!r} was changed by someone else while you edited version {seen}; "
                           "reload it and apply your change again")
        session.refresh(row)
    session.add(
        TargetingRuleVersionRow(
            rule_id=rule.id,
            version=row.version,
            change=change,
            definition=definition,
            actor=actor,
            at=now,
            reason=reason,
        )
    )
    record(
        session,
        [
            AuditEvent(
                actor,
                f"rule.{change}",
                "rule",
                rule.id,
                detail,
            )
        ],
    )
    session.flush()
    return row


def seed_rules(db: Database, rules: RuleSet | None = None) -> int:
    """Store the shipped rule set if the table is empty; return how many rules were seeded."""
    with db.session() as session:
        return seed_into(session, rules)


def seed_into(session: Session, rules: RuleSet | None = None) -> int:
    """Store the shipped rule set in `session` if no rule is stored yet; return how many were seeded.

    Every read and write of the rules starts here, so the first rule an analyst adds
    joins the shipped set instead of standing in for it.
    """
    if session.execute(select(TargetingRuleRow.id).limit(1)).first() is not None:
        return 0
    shipped = rules or default_rules()
    for rule in shipped.rules:
        _write(session, rule, change="seeded", actor=SYSTEM, reason="shipped rule set", row=None)
    log.info("seeded %d targeting rules (set %s)", len(shipped.rules), shipped.version)
    return len(shipped.rules)


def active_rules(session: Session) -> RuleSet:
    """Return the latest version of every rule that is not retired."""
    rows = session.execute(
        select(TargetingRuleRow)
        .where(TargetingRuleRow.retired.is_(False))
        .order_by(TargetingRuleRow.rule_id)
    ).scalars()
    return RuleSet.of(
        parse_rule(row.definition, f"stored rule {row.rule_id}") for row in rows
    )


def _row(session: Session, rule_id: str) -> TargetingRuleRow | None:
    return session.execute(
        select(TargetingRuleRow).where(TargetingRuleRow.rule_id == rule_id)
    ).scalar_one_or_none()


# What a listed rule carries besides its definition (and the version an edit states):
# a rule copied from a listing or an editor may send them back; they are not part of it.
_LISTING_FIELDS = ("version", "base_version", "retired", "updated_at", "updated_by")


def _definition(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in _LISTING_FIELDS} if isinstance(data, dict) else data


def create_rule(
    session: Session, data: dict[str, Any], *, actor: str, reason: str
) -> Rule:
    """Add a new rule; its id must not exist yet (retired ids cannot be reused)."""
    rule = parse_rule(_definition(data), "new rule", strict=True)
    seed_into(session)
    if _row(session, rule.id) is not None:
        raise Conflict(f"rule {rule.id!r} exists; change it instead")
    _write(
        session, rule, change="created", actor=actor, reason=_reason(reason), row=None
    )
    return rule


def change_rule(
    session: Session,
    rule_id: str,
    data: dict[str, Any],
    *,
    actor: str,
    reason: str,
    base_version: int | None = None,
) -> Rule:
    """Store a new version of a rule (a retired rule comes back into force).

    `base_version` is the version the editor started from: when someone stored
    another version since, the change is refused (Conflict) naming the current
    version and who made it, rather than silently replacing theirs.
    """
    row = _row(session, rule_id)
    if row is None:
        raise NotFound(f"no rule {rule_id!r}")
    body_id = data.get("id")
    if body_id is not None and str(body_id).strip() != rule_id:
        raise IdMismatch(f"the rule body has id {str(body_id).strip()!r} but the change is to rule {rule_id!r}; "
                         "ids cannot be changed (add a new rule and retire the old one)")
    _check_base(row, rule_id, base_version)
    rule = parse_rule({**_definition(data), "id": rule_id}, f"rule {rule_id}", strict=True)
    if _same(row, rule):
        log.info("rule %s: the change repeats version %d; no new version stored", rule_id, row.version)
        return rule
    # A change to a retired rule brings it back into force: said so in its history and audit.
    _write(session, rule, change="reinstated" if row.retired else "changed", actor=actor,
           reason=_reason(reason), row=row)
    return rule


def _check_base(row: TargetingRuleRow, rule_id: str, base_version: int | None) -> None:
    """Refuse a change made from a version other than the current one, naming who stored that."""
    if base_version is not None and base_version != row.version:
        raise Conflict(
            f"rule {rule_id!r} is at version {row.version}, changed by {row.updated_by} "
            f"at {row.updated_at.isoformat(timespec='seconds')}; you edited version {base_version}. "
            "Reload it and apply your change again"
        )


def _same(row: TargetingRuleRow, rule: Rule) -> bool:
    """Tell whether `rule` is what `row` holds in force already (a retired rule is brought back)."""
    return not row.retired and row.definition == rule.to_dict()


def unchanged(session: Session, rule_id: str, data: dict[str, Any], base_version: int | None = None) -> bool:
    """Tell whether applying `data` to the stored rule `rule_id` would change nothing.

    An edit stating a version other than the current one is never "unchanged": it
    goes to `change_rule`, which refuses it as stale.
    """
    row = _row(session, rule_id)
    if row is None or (base_version is not None and base_version != row.version):
        return False
    rule = parse_rule({**_definition(data), "id": rule_id}, f"rule {rule_id}", strict=True)
    return _same(row, rule)


def rule_version(session: Session, rule_id: str) -> int:
    """Return the current version of a rule."""
    row = _row(session, rule_id)
    if row is None:
        raise NotFound(f"no rule {rule_id!r}")
    return row.version


def retire_rule(session: Session, rule_id: str, *, actor: str, reason: str,
                base_version: int | None = None) -> None:
    """Take a rule out of the active set; its history stays.

    `base_version`, when given, is the version the person retiring it saw: a version
    stored since is not retired unseen (Conflict, as for a change).
    """
    row = _row(session, rule_id)
    if row is None:
        raise NotFound(f"no rule {rule_id!r}")
    if row.retired:
        raise Conflict(f"rule {rule_id!r} is already retired")
    _check_base(row, rule_id, base_version)
    rule = parse_rule(row.definition, f"rule {rule_id}")
    _write(
        session,
        rule,
        change="retired",
        actor=actor,
        reason=_reason(reason),
        row=row,
        retired=True,
    )


def list_rules(
    session: Session, *, include_retired: bool = True
) -> list[dict[str, Any]]:
    """Return every rule with its current version and state."""
    seed_into(session)
    query = select(TargetingRuleRow).order_by(TargetingRuleRow.rule_id)
    if not include_retired:
        query = query.where(TargetingRuleRow.retired.is_(False))
    return [_listed(row) for row in session.execute(query).scalars()]


def _listed(row: TargetingRuleRow) -> dict[str, Any]:
    return {
        **row.definition,
        "version": row.version,
        "retired": row.retired,
        "updated_at": row.updated_at.isoformat(),
        "updated_by": row.updated_by,
    }


def get_rule(session: Session, rule_id: str) -> dict[str, Any]:
    """Return one rule as `list_rules` shows it (definition, version, state, who changed it last)."""
    seed_into(session)
    row = _row(session, rule_id)
    if row is None:
        raise NotFound(f"no rule {rule_id!r}")
    return _listed(row)


def rule_history(session: Session, rule_id: str) -> list[dict[str, Any]]:
    """Return every version of a rule, oldest first."""
    rows = list(
        session.execute(
            select(TargetingRuleVersionRow)
            .where(TargetingRuleVersionRow.rule_id == rule_id)
            .order_by(TargetingRuleVersionRow.version)
        ).scalars()
    )
    if not rows:
        raise NotFound(f"no rule {rule_id!r}")
    return [
        {
            "rule_id": r.rule_id,
            "version": r.version,
            "change": r.change,
            "definition": r.definition,
            "actor": r.actor,
            "at": r.at.isoformat(),
            "reason": r.reason,
        }
        for r in rows
    ]
