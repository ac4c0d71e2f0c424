"""Append-only, hash-chained audit log: who did what to which record, when, from where.

"From where" is the event's `remote`. Code that knows it (sign-in, the access
check) passes it; everything else written while a request or command runs gets
the origin that the access layer set for that request or command with
`set_origin`, so services need not carry the caller's address around.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exodus.errors import InvalidInput
from exodus.storage.models import AuditEventRow, AuditHeadRow

GENESIS = "0" * 64
HASH = re.compile(r"[0-9a-f]{64}")  # a SHA-256 in hexadecimal, as every entry's hash
# Where the current request or command comes from: a client address, or "local".
_origin: ContextVar[str | None] = ContextVar("exodus_audit_origin", default=None)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    actor: str
    action: str  # verb, e.g. filing.created, filing.corrected, list.loaded, filing.viewed
    object_type: str
    object_id: str
    detail: dict[str, Any] = field(default_factory=dict)
    remote: str | None = None


def set_origin(remote: str | None) -> None:
    """Name where the events written from now on in this request or command come from.

    A context variable: each request runs in its own context, so origins never mix.
    """
    _origin.set(remote[:100] if remote else None)


def _digest(prev_hash: str, at: datetime, event: AuditEvent) -> str:
    body = json.dumps(
        [prev_hash, at.isoformat(), event.actor, event.action, event.object_type,
         event.object_id, event.detail, event.remote],
        sort_keys=True, default=str, ensure_ascii=False,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


_HEAD = AuditHeadRow.__table__


def _head(session: Session) -> tuple[str, int]:
    """Lock the chain's head row and return its last hash and count (plain rows: written per request).

    SQLite ignores FOR UPDATE and its driver starts a transaction only at the first
    write, so two requests could read the same head and fork the chain. There a
    no-op write to the head comes first: it takes the database's write lock (waiting
    for another writer to commit), and the head read after it is the latest.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(_HEAD.update().where(_HEAD.c.id == 1).values(count=_HEAD.c.count))
    found = session.execute(
        select(_HEAD.c.last_hash, _HEAD.c.count).where(_HEAD.c.id == 1).with_for_update()).first()
    if found is None:
        session.execute(_HEAD.insert().values(id=1, last_hash=GENESIS, count=0))
        return GENESIS, 0
    return found.last_hash, found.count


def record(session: Session, events: Sequence[AuditEvent]) -> None:
    """Append `events` to the chain inside the caller's transaction."""
    if not events:
        return
    prev, count = _head(session)
    rows = []
    origin = _origin.get()
    for event in events:
        if event.remote is None and origin is not None:
            event = replace(event, remote=origin)
        at = datetime.now(timezone.utc)
        digest = _digest(prev, at, event)
        rows.append({
            "at": at, "actor": event.actor, "action": event.action,
            "object_type": event.object_type, "object_id": event.object_id,
            "detail": event.detail, "remote": event.remote,
            "prev_hash": prev, "hash": digest,
        })
        prev = digest
    session.execute(AuditEventRow.__table__.insert(), rows)
    session.execute(_HEAD.update().where(_HEAD.c.id == 1).values(last_hash=prev, count=count + len(rows)))


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    checked: int
    problems: list[str]
    head: str = GENESIS  # hash of the last entry: note it somewhere safe to detect a rewritten chain


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def verify(session: Session, anchor: str | None = None) -> ChainReport:
    """Recompute the chain; report every entry whose hash or link does not hold.

    Whoever can write the database could recompute the whole chain after an edit;
    `anchor`, a head hash noted outside the database earlier, catches that: an
    intact chain must still hold an entry with that hash.
    """
    if anchor is not None and not HASH.fullmatch(anchor):
        raise InvalidInput(f"head must be a 64-character hexadecimal hash printed by an earlier verify, got {anchor[:80]!r}")
    problems: list[str] = []
    anchored = anchor is None
    prev = GENESIS
    checked = 0
    rows = session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars()
    for row in rows:
        checked += 1
        event = AuditEvent(row.actor, row.action, row.object_type, row.object_id, row.detail, row.remote)
        if row.prev_hash != prev:
            problems.append(f"audit entry {row.id}: link to the previous entry is broken (an entry was removed or reordered)")
        if _digest(row.prev_hash, _as_utc(row.at), event) != row.hash:
            problems.append(f"audit entry {row.id}: content does not match its hash (entry was edited)")
        prev = row.hash
        anchored = anchored or row.hash == anchor
    head = session.get(AuditHeadRow, 1)
    if head is not None and (head.count != checked or head.last_hash != prev):
        problems.append(f"audit head records {head.count} entries ending {head.last_hash[:12]}, found {checked} ending {prev[:12]} (entries were removed)")
    if not anchored:
        problems.append(f"no entry has the hash {anchor} noted earlier (the chain was rewritten or cut back)")
    return ChainReport(ok=not problems, checked=checked, problems=problems, head=prev)
