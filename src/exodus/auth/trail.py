"""Write who-did-what to the audit chain, and search it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exodus.auth.principal import Principal
from exodus.auth.refusals import note_denial
from exodus.errors import InvalidInput
from exodus.storage.audit import AuditEvent, record
from exodus.storage.models import AuditEventRow

MAX_PAGE = 500


def note(session: Session, principal: Principal, action: str, object_type: str, object_id: str,
         detail: dict[str, Any] | None = None) -> None:
    """Append one event by `principal` (with its remote address) to the audit chain."""
    event = AuditEvent(principal.actor, action, object_type, object_id[:200], detail or {}, principal.remote)
    record(session, [event])


def deny(session: Session, principal: Principal, object_type: str, object_id: str,
         detail: dict[str, Any] | None = None) -> None:
    """Append `access.denied` by `principal`, within the per-actor limit (see exodus.auth.refusals)."""
    note_denial(session, principal.actor, object_type, object_id, detail or {}, principal.remote)


@dataclass(frozen=True, slots=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 100
    offset: int = 0


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(session: Session, query: AuditQuery) -> tuple[int, list[dict[str, Any]]]:
    """Return the total and one page of audit events, newest first.

    `actor` and `object_id` match anywhere in the value; `action` matches a whole
    verb or a prefix ending in a dot (``filing.`` finds every filing event).
    """
    if not 1 <= query.limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}, got {query.limit}")
    stmt = select(AuditEventRow)
    if query.actor:
        stmt = stmt.where(AuditEventRow.actor.like(f"%{_escape_like(query.actor)}%", escape="\\"))
    if query.action:
        if query.action.endswith("."):
            stmt = stmt.where(AuditEventRow.action.like(f"{_escape_like(query.action)}%", escape="\\"))
        else:
            stmt = stmt.where(AuditEventRow.action == query.action)
    if query.object_type:
        stmt = stmt.where(AuditEventRow.object_type == query.object_type)
    if query.object_id:
        stmt = stmt.where(AuditEventRow.object_id.like(f"%{_escape_like(query.object_id)}%", escape="\\"))
    if query.since:
        stmt = stmt.where(AuditEventRow.at >= _utc(query.since))
    if query.until:
        stmt = stmt.where(AuditEventRow.at < _utc(query.until))
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    rows = session.execute(
        stmt.order_by(AuditEventRow.id.desc()).limit(query.limit).offset(query.offset)).scalars()
    return total, [_event_dict(r) for r in rows]


def _utc(moment: datetime) -> datetime:
    # Stored times are UTC; SQLite keeps them without an offset, so compare in UTC.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _event_dict(row: AuditEventRow) -> dict[str, Any]:
    return {"id": row.id, "at": row.at.isoformat(), "actor": row.actor, "action": row.action,
            "object_type": row.object_type, "object_id": row.object_id, "detail": row.detail,
            "remote": row.remote, "hash": row.hash}
