"""The stored versions of a filing: read any one, and what changed between two.

Every read goes through the filing page's check (services/worklist.py
`view_filing`): a filing of a port outside the reader's scope is answered as
missing, exactly like the filing itself, and the read is recorded in the audit
log with the part read (e.g. "version 2").
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exodus.auth import Principal
from exodus.core.filings import diff_filings
from exodus.errors import InvalidInput, NotFound
from exodus.services import worklist as wl
from exodus.storage.filings import filing_history
from exodus.storage.models import FilingRow, FilingVersionRow

log = logging.getLogger(__name__)


def _meta(row: FilingVersionRow) -> dict[str, Any]:
    return {"version": row.version, "received_at": row.received_at.isoformat(), "received_by": row.received_by,
            "origin": row.origin, "filed_at": (row.payload or {}).get("filed_at")}


def _versions(session: Session, filing_id: str) -> list[FilingVersionRow]:
    """Return the stored versions of `filing_id`, oldest first (no scope check: the caller made it)."""
    pk = session.execute(select(FilingRow.id).where(FilingRow.filing_id == filing_id)).scalar_one_or_none()
    if pk is None:
        raise NotFound(f"no filing with id {filing_id!r}")
    return filing_history(session, pk)


def history_with_changes(session: Session, filing_id: str) -> list[dict[str, Any]]:
    """Return each version's receipt and the fields it changed from the version before, oldest first.

    No scope check: for a filing the caller has already read through `view_filing`.
    """
    found = []
    previous: FilingVersionRow | None = None
    for row in _versions(session, filing_id):
        changes = [] if previous is None else [c.to_dict() for c in diff_filings(previous.payload, row.payload)]
        found.append({**_meta(row), "changes": changes})
        previous = row
    return found


def _pick(rows: list[FilingVersionRow], filing_id: str, number: int) -> FilingVersionRow:
    for row in rows:
        if row.version == number:
            return row
    raise NotFound(f"filing {filing_id!r} has no version {number}; its versions are 1 to {len(rows)}")


def filing_versions(session: Session, who: Principal, filing_id: str, *, via: str) -> dict[str, Any]:
    """Return every version of a filing the reader may see, with the changes each correction made."""
    wl.view_filing(session, who, filing_id, via=via, part="versions")
    return {"filing_id": filing_id, "versions": history_with_changes(session, filing_id)}


def filing_version(session: Session, who: Principal, filing_id: str, number: int | None, *,
                   via: str) -> dict[str, Any]:
    """Return version `number` (None: the current one) of a filing as it was received (its interchange form)."""
    if number is not None and number < 1:
        raise InvalidInput(f"version must be 1 or more, got {number}")
    wl.view_filing(session, who, filing_id, via=via, part=f"version {number or 'current'}")
    rows = _versions(session, filing_id)
    row = _pick(rows, filing_id, number if number is not None else rows[-1].version)
    return {"filing_id": filing_id, **_meta(row), "filing": row.payload}


def compare_versions(session: Session, who: Principal, filing_id: str, old: int | None = None,
                     new: int | None = None, *, via: str) -> dict[str, Any]:
    """Return the fields that differ from version `old` to version `new` of a filing.

    `new` defaults to the current version, `old` to the one before `new` (`new`
    itself if it is the first: nothing changed yet).
    """
    for name, number in (("from", old), ("to", new)):
        if number is not None and number < 1:
            raise InvalidInput(f"version {name!r} must be 1 or more, got {number}")
    wl.view_filing(session, who, filing_id, via=via,
                   part=f"versions compared: {'previous' if old is None else old} to "
                        f"{'current' if new is None else new}")
    rows = _versions(session, filing_id)
    after = _pick(rows, filing_id, new if new is not None else rows[-1].version)
    if old is None:
        old = max(1, after.version - 1)
    before = _pick(rows, filing_id, old)
    return {"filing_id": filing_id, "from": _meta(before), "to": _meta(after),
            "changes": [c.to_dict() for c in diff_filings(before.payload, after.payload)]}
