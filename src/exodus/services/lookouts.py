"""Lookouts analysts place, the notifications they raise, and per-port thresholds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from exodus.core.ports import check_port
from exodus.core.targeting.engine import decide
from exodus.core.targeting.lookouts import Lookout, LookoutBook, check_lookout, same_value
from exodus.core.targeting.model import Reason, Thresholds
from exodus.core.text import stated_reason
from exodus.errors import Conflict, InvalidInput, NotFound
from exodus.storage.audit import AuditEvent, record
from exodus.storage.models import (
    FilingRow,
    LookoutNotificationRow,
    LookoutRow,
    PortThresholdRow,
    TargetingResultRow,
)


def _now() -> datetime:
    return datetime.now(UTC)


def _lookout(row: LookoutRow) -> Lookout:
    return Lookout(
        row.id, row.kind, row.value, row.reason, row.priority, row.expires, row.active
    )


def lookout_dict(row: LookoutRow, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    return {
        "id": row.id,
        "kind": row.kind,
        "value": row.value,
        "reason": row.reason,
        "priority": row.priority,
        "expires": row.expires.isoformat() if row.expires else None,
        "active": row.active,
        "expired": bool(row.expires and row.expires < today),
        "created_by": row.created_by,
        "created_at": row.created_at.isoformat(),
        "cancelled_by": row.cancelled_by,
    }


def create_lookout(
    session: Session,
    *,
    kind: str,
    value: str,
    reason: str,
    priority: str = "medium",
    expires: date | None = None,
    actor: str,
) -> dict[str, Any]:
    """Place a lookout; it matches filings exported on or before `expires`."""
    value = check_lookout(kind, value, priority)
    if kind == "port":
        check_port(value)
    elif kind == "route" and value[:4].isdigit():
        check_port(value[:4])
    if expires is not None and expires < date.today():
        raise InvalidInput(f"expires must not be in the past, got {expires.isoformat()}")
    reason = stated_reason(reason, "the lookout is placed")
    # The same watch twice (kind, value, priority and expiry) would flag and notify twice; another
    # priority or expiry on the same value is another watch (another lead, another agency).
    same = session.execute(select(LookoutRow).where(
        LookoutRow.kind == kind, LookoutRow.active.is_(True), LookoutRow.priority == priority,
        LookoutRow.expires.is_(None) if expires is None else LookoutRow.expires == expires)).scalars()
    for there in same:
        if not same_value(kind, there.value, value):
            continue
        if there.expires is None or there.expires >= date.today():
            raise Conflict(f"lookout {there.id} ({kind} {value!r}, {there.priority}, "
                           f"{'no expiry' if there.expires is None else 'until ' + there.expires.isoformat()}, "
                           f"by {there.created_by}) is in force already; cancel it rather than placing it twice")
    row = LookoutRow(
        kind=kind,
        value=value,
        reason=reason.strip(),
        priority=priority,
        expires=expires,
        active=True,
        created_by=actor,
        created_at=_now(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        [
            AuditEvent(
                actor,
                "lookout.created",
                "lookout",
                str(row.id),
                {
                    "kind": kind,
                    "value": value,
                    "priority": priority,
                    "expires": expires.isoformat() if expires else None,
                    "reason": reason,
                },
            )
        ],
    )
    return lookout_dict(row)


# How far back placing a lookout looks among stored filings (by export date).
LOOK_BACK_DAYS = 30


def stored_matches(session: Session, lookout_id: int, *, today: date | None = None) -> list[str]:
    """Return the ids of stored filings the lookout matches, exported within its life.

    Its life here runs from LOOK_BACK_DAYS before `today` to its expiry (no end when
    none), so a new lookout also catches filings already stored and targeted.
    """
    from exodus.core.filings import parse_filing

    row = session.get(LookoutRow, lookout_id)
    if row is None:
        raise NotFound(f"no lookout {lookout_id}")
    book = LookoutBook([_lookout(row)])
    since = (today or date.today()) - timedelta(days=LOOK_BACK_DAYS)
    query = select(FilingRow.filing_id, FilingRow.payload).where(FilingRow.export_date >= since)
    if row.expires is not None:
        query = query.where(FilingRow.export_date <= row.expires)
    found = []
    for filing_id, payload in session.execute(query.execution_options(yield_per=1000)).tuples():
        if book.match(parse_filing(payload, f"stored filing {filing_id}", bounded=False)):
            found.append(filing_id)
    return found


def cancel_lookout(
    session: Session, lookout_id: int, *, actor: str, reason: str
) -> dict[str, Any]:
    """Stop a lookout before its expiry."""
    reason = stated_reason(reason, "the lookout is cancelled")
    row = session.get(LookoutRow, lookout_id)
    if row is None:
        raise NotFound(f"no lookout {lookout_id}")
    if not row.active:
        raise Conflict(f"lookout {lookout_id} is already cancelled")
    row.active, row.cancelled_by, row.cancelled_at = False, actor, _now()
    record(
        session,
        [
            AuditEvent(
                actor,
                "lookout.cancelled",
                "lookout",
                str(lookout_id),
                {"reason": reason, "kind": row.kind, "value": row.value, "priority": row.priority},
            )
        ],
    )
    return lookout_dict(row)


def list_lookouts(
    session: Session, *, live_only: bool = False, on: date | None = None
) -> list[dict[str, Any]]:
    """Return lookouts, newest first (only those in force on `on` when live_only)."""
    rows = session.execute(select(LookoutRow).order_by(LookoutRow.id.desc())).scalars()
    day = on or date.today()
    return [
        lookout_dict(r, day) for r in rows if not live_only or _lookout(r).live(day)
    ]


def lookout_book(session: Session) -> LookoutBook:
    """Return the active lookouts (expiry is checked per filing's export date)."""
    rows = session.execute(
        select(LookoutRow).where(LookoutRow.active.is_(True))
    ).scalars()
    return LookoutBook([_lookout(r) for r in rows])


def notify(
    session: Session, matched: Sequence[tuple[int, str, str, Sequence[tuple[int, str]]]]
) -> int:
    """Record a notification per (lookout, filing) not told before; return how many are new.

    `matched` holds (filing pk, filing id, port, [(lookout id, text)]) per filing.
    """
    wanted: dict[tuple[int, int], dict[str, Any]] = {}
    now = _now()
    for pk, filing_id, port, hits in matched:
        for lookout_id, text in hits:
            wanted[(lookout_id, pk)] = {
                "lookout_id": lookout_id,
                "filing_pk": pk,
                "filing_id": filing_id,
                "port_of_export": port,
                "text": text,
                "created_at": now,
            }
    if not wanted:
        return 0
    pks = {pk for _, pk in wanted}
    known = set(
        session.execute(
            select(
                LookoutNotificationRow.lookout_id, LookoutNotificationRow.filing_pk
            ).where(LookoutNotificationRow.filing_pk.in_(pks))
        ).tuples()
    )
    fresh = [v for k, v in wanted.items() if k not in known]
    if fresh:
        session.execute(LookoutNotificationRow.__table__.insert(), fresh)
    return len(fresh)


def notifications(
    session: Session,
    *,
    unread_only: bool = False,
    limit: int = 200,
    offset: int = 0,
    allowed_ports: frozenset[str] | None = None,
) -> list[dict[str, Any]]:
    """Return lookout notifications, newest first, `limit` from `offset`; only `allowed_ports` (None: all)."""
    query = (
        select(LookoutNotificationRow, LookoutRow)
        .join(LookoutRow, LookoutRow.id == LookoutNotificationRow.lookout_id)
        .order_by(LookoutNotificationRow.id.desc())
        .limit(limit)
        .offset(offset)
    )
    if allowed_ports is not None:
        query = query.where(LookoutNotificationRow.port_of_export.in_(sorted(allowed_ports)))
    if unread_only:
        query = query.where(LookoutNotificationRow.read_at.is_(None))
    return [
        {
            "id": n.id,
            "lookout_id": n.lookout_id,
            "lookout": f"{lk.kind} {lk.value}",
            "placed_by": lk.created_by,
            "priority": lk.priority,
            "filing_id": n.filing_id,
            "port_of_export": n.port_of_export,
            "text": n.text,
            "created_at": n.created_at.isoformat(),
            "read": n.read_at is not None,
            "read_by": n.read_by,
        }
        for n, lk in session.execute(query).tuples()
    ]


def unread_count(session: Session, allowed_ports: frozenset[str] | None = None) -> int:
    query = (
        select(func.count())
        .select_from(LookoutNotificationRow)
        .where(LookoutNotificationRow.read_at.is_(None))
    )
    if allowed_ports is not None:
        query = query.where(LookoutNotificationRow.port_of_export.in_(sorted(allowed_ports)))
    return session.execute(query).scalar_one()


def mark_read(
    session: Session,
    ids: Sequence[int],
    *,
    actor: str,
    allowed_ports: frozenset[str] | None = None,
) -> int:
    """Mark notifications read (only of `allowed_ports`, None: all); return how many changed.

    TODO: a notification has one read state for everyone (who read it is kept); a
    read state per person needs a table of (notification, account) rows, so that one
    analyst reading does not clear it for the port officer.
    """
    ports = LookoutNotificationRow.port_of_export.in_(sorted(allowed_ports or ()))
    result = session.execute(
        update(LookoutNotificationRow)
        .where(
            LookoutNotificationRow.id.in_(list(ids)),
            LookoutNotificationRow.read_at.is_(None),
            ports if allowed_ports is not None else LookoutNotificationRow.id.is_not(None),
        )
        .values(read_at=_now(), read_by=actor)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# -- per-port thresholds -----------------------------------------------------


def port_thresholds(session: Session) -> dict[str, Thresholds]:
    """Return the thresholds of every port that set its own."""
    return {
        r.port: Thresholds(r.review, r.examine, r.hold)
        for r in session.execute(select(PortThresholdRow)).scalars()
    }


def list_thresholds(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(PortThresholdRow).order_by(PortThresholdRow.port)
    ).scalars()
    default = {
        "port": "*",
        **Thresholds().to_dict(),
        "updated_by": "",
        "updated_at": "",
        "reason": "default",
    }
    return [default] + [
        {
            "port": r.port,
            "review": r.review,
            "examine": r.examine,
            "hold": r.hold,
            "updated_by": r.updated_by,
            "updated_at": r.updated_at.isoformat(),
            "reason": r.reason,
        }
        for r in rows
    ]


def set_thresholds(
    session: Session, port: str, thresholds: Thresholds, *, actor: str, reason: str
) -> dict[str, Any]:
    """Set one port's thresholds (validated to rise review < examine < hold); say why."""
    check_port(port)
    reason = _threshold_reason(reason)
    row = session.get(PortThresholdRow, port)
    previous = (Thresholds() if row is None else Thresholds(row.review, row.examine, row.hold)).to_dict()
    if row is None:
        row = PortThresholdRow(port=port)
        session.add(row)
    row.review, row.examine, row.hold = (
        thresholds.review,
        thresholds.examine,
        thresholds.hold,
    )
    row.updated_by, row.updated_at, row.reason = actor, _now(), reason
    changed = reapply_thresholds(session, port, thresholds)
    record(
        session,
        [
            AuditEvent(
                actor,
                "thresholds.set",
                "port",
                port,
                {**thresholds.to_dict(), "previous": previous, "reason": row.reason,
                 "actions_changed": changed},
            )
        ],
    )
    session.flush()
    return {"port": port, **thresholds.to_dict(), "actions_changed": changed}


def clear_thresholds(session: Session, port: str, *, actor: str, reason: str) -> dict[str, Any]:
    """Return a port to the default thresholds; say why."""
    reason = _threshold_reason(reason)
    row = session.get(PortThresholdRow, port)
    if row is None:
        raise NotFound(f"port {port} uses the default thresholds already")
    previous = Thresholds(row.review, row.examine, row.hold).to_dict()
    session.delete(row)
    changed = reapply_thresholds(session, port, Thresholds())
    record(session, [AuditEvent(actor, "thresholds.cleared", "port", port,
                                {"reason": reason, "previous": previous, "actions_changed": changed})])
    return {"port": port, **Thresholds().to_dict(), "actions_changed": changed}


def _threshold_reason(reason: str) -> str:
    return stated_reason(reason, "the thresholds change")


def _reason(data: dict[str, Any]) -> Reason:
    return Reason(
        rule_id=data.get("rule_id", ""), category=data.get("category", ""),
        weight=float(data.get("weight", 0.0)), contribution=float(data.get("contribution", 0.0)),
        text=data.get("text", ""), subject=data.get("subject", ""), evidence=data.get("evidence") or {},
    )


def reapply_thresholds(session: Session, port: str, thresholds: Thresholds) -> int:
    """Re-derive the action of every current result of `port` from its stored score and reasons.

    Runs in the caller's transaction, so a threshold change and the worklist it
    implies are committed together; returns how many actions changed.
    TODO: stored contributions are rounded to 2 decimals, so a lone reason within
    0.005 of the strong cut-off may be judged on the rounded value.
    """
    rows = session.execute(
        select(TargetingResultRow.id, TargetingResultRow.score, TargetingResultRow.action, TargetingResultRow.reasons)
        .where(TargetingResultRow.current.is_(True), TargetingResultRow.port_of_export == port)
    ).all()
    changes = []
    for pk, score, action, reasons in rows:
        wanted = decide(score, [_reason(r) for r in reasons or ()], thresholds).value
        if wanted != action:
            changes.append({"pk": pk, "new_action": wanted})
    if changes:
        session.execute(
            update(TargetingResultRow.__table__)
            .where(TargetingResultRow.__table__.c.id == bindparam("pk"))
            .values(action=bindparam("new_action")),
            changes,
        )
    return len(changes)
