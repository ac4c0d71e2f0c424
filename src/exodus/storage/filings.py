"""Store filings in batches: new ones inserted, identical ones skipped, corrected ones versioned."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import orjson
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from exodus.core.filings import Filing, parse_filing
from exodus.storage import party_history
from exodus.storage.audit import AuditEvent, record
from exodus.storage.models import FilingRow, FilingVersionRow, LineRow, PartyRow

log = logging.getLogger(__name__)


def content_hash(payload: dict[str, Any]) -> str:
    """Return the digest that tells two versions of a filing apart."""
    return hashlib.sha256(canonical_json(payload)).hexdigest()


# Floats the two write differently: exponents (1e-7 vs 1e-07), and below 1e-4
# (0.00001 vs 1e-05).
_EXPONENT = re.compile(rb"\de[+-]\d")


def canonical_json(value: Any) -> bytes:
    """Return `value` as sorted, compact, UTF-8 JSON, byte for byte as the json module writes it.

    orjson writes the same bytes an order of magnitude faster except for floats in
    exponent form, NaN and infinities (null) and integers beyond 64 bits; those go
    to the json module, so digests of stored filings never change.
    """
    try:
        blob = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        blob = None
    if blob is None or b"null" in blob or b"0.0000" in blob or (
            (b"e+" in blob or b"e-" in blob) and _EXPONENT.search(blob)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return blob


@dataclass(slots=True)
class StoreOutcome:
    created: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _filing_columns(filing: Filing, payload: dict[str, Any], digest: str, now: datetime) -> dict[str, Any]:
    return {
        "filing_id": filing.filing_id,
        "content_hash": digest,
        "filed_at": filing.filed_at,
        "export_date": filing.export_date,
        "port_of_export": filing.port_of_export,
        "mode_of_transport": filing.mode_of_transport,
        "carrier": filing.carrier,
        "country_of_destination": filing.country_of_destination,
        "usppi_name": filing.usppi.name,
        "consignee_name": filing.ultimate_consignee.name,
        "total_value_usd": filing.total_value_usd,
        "payload": payload,
        "updated_at": now,
    }


def _children(pk: int, filing: Filing) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    parties = [
        {"filing_pk": pk, "role": p.role.value, "name": p.name, "address": p.address,
         "city": p.city, "country": p.country, "party_ref": p.id,
         "type": p.type.value if p.type else None}
        for p in filing.parties
    ]
    lines = [
        {"filing_pk": pk, "line_no": ln.line_no, "schedule_b": ln.schedule_b,
         "description": ln.description, "quantity": ln.quantity, "unit": ln.unit,
         "value_usd": ln.value_usd, "weight_kg": ln.weight_kg, "eccn": ln.eccn,
         "usml_category": ln.usml_category, "license_code": ln.license_code,
         "license_number": ln.license_number}
        for ln in filing.lines
    ]
    return parties, lines


def store_filings(
    session: Session, batch: Sequence[tuple[Filing, str]], *, actor: str
) -> StoreOutcome:
    """Store a batch of (filing, origin) pairs in a few round trips."""
    outcome = StoreOutcome()
    if not batch:
        return outcome
    now = datetime.now(timezone.utc)
    # A file may carry the same filing twice: the last one wins, as if sent in order.
    latest: dict[str, tuple[Filing, str]] = {}
    for filing, origin in batch:
        latest[filing.filing_id] = (filing, origin)
    existing = {
        row.filing_id: row
        for row in session.execute(
            select(FilingRow.id, FilingRow.filing_id, FilingRow.version, FilingRow.content_hash)
            .where(FilingRow.filing_id.in_(list(latest)))
        )
    }
    new_rows, new_meta, corrections = [], [], []
    for filing_id, (filing, origin) in latest.items():
        payload = filing.to_dict()
        digest = content_hash(payload)
        old = existing.get(filing_id)
        if old is None:
            new_rows.append({**_filing_columns(filing, payload, digest, now), "version": 1, "created_at": now})
            new_meta.append((filing, origin, payload, digest))
        elif old.content_hash == digest:
            outcome.unchanged.append(filing_id)
        else:
            corrections.append((old, filing, origin, payload, digest))

    versions, parties, lines, events = [], [], [], []
    if new_rows:
        # Core executemany, then one query for the new ids: RETURNING in parameter
        # order makes SQLite insert row by row.
        session.execute(insert(FilingRow.__table__), new_rows)
        ids = dict(session.execute(select(FilingRow.filing_id, FilingRow.id).where(
            FilingRow.filing_id.in_([row["filing_id"] for row in new_rows]))).tuples().all())
        pks = [ids[row["filing_id"]] for row in new_rows]
        for pk, (filing, origin, payload, digest) in zip(pks, new_meta, strict=True):
            versions.append({"filing_pk": pk, "version": 1, "content_hash": digest, "payload": payload,
                             "received_at": now, "received_by": actor, "origin": origin})
            p, ln = _children(pk, filing)
            parties += p
            lines += ln
            outcome.created.append(filing.filing_id)
            events.append(AuditEvent(actor, "filing.created", "filing", filing.filing_id, {"version": 1, "origin": origin}))

    for old, filing, origin, payload, digest in corrections:
        version = old.version + 1
        session.execute(
            update(FilingRow).where(FilingRow.id == old.id)
            .values(**_filing_columns(filing, payload, digest, now), version=version)
        )
        versions.append({"filing_pk": old.id, "version": version, "content_hash": digest, "payload": payload,
                         "received_at": now, "received_by": actor, "origin": origin})
        p, ln = _children(old.id, filing)
        parties += p
        lines += ln
        outcome.corrected.append(filing.filing_id)
        events.append(AuditEvent(actor, "filing.corrected", "filing", filing.filing_id,
                                 {"version": version, "previous_version": old.version, "origin": origin}))
    recount: set[party_history.Key] = set()
    if corrections:
        stale = [c[0].id for c in corrections]
        # The parties a corrected filing named before and after are recounted below.
        recount = party_history.stored_keys(session, stale) | party_history.keys_of(c[1] for c in corrections)
        session.execute(delete(PartyRow).where(PartyRow.filing_pk.in_(stale)))
        session.execute(delete(LineRow).where(LineRow.filing_pk.in_(stale)))

    # Core inserts keep each table one executemany (ORM bulk inserts split rows
    # into runs by which values are None).
    if versions:
        session.execute(insert(FilingVersionRow.__table__), versions)
    if parties:
        session.execute(insert(PartyRow.__table__), parties)
    if lines:
        session.execute(insert(LineRow.__table__), lines)
    party_history.record_new(session, [meta[0] for meta in new_meta])
    if recount:
        party_history.recount(session, recount)
    record(session, events)
    log.info("stored batch: %d created, %d corrected, %d unchanged",
             len(outcome.created), len(outcome.corrected), len(outcome.unchanged))
    return outcome


def load_filing(session: Session, filing_id: str) -> tuple[FilingRow, Filing] | None:
    """Return the stored row and the current Filing value for `filing_id`."""
    row = session.execute(select(FilingRow).where(FilingRow.filing_id == filing_id)).scalar_one_or_none()
    if row is None:
        return None
    return row, parse_filing(row.payload, f"stored filing {filing_id}")


def filing_history(session: Session, filing_pk: int) -> list[FilingVersionRow]:
    """Return every version of a filing, oldest first."""
    return list(session.execute(
        select(FilingVersionRow).where(FilingVersionRow.filing_pk == filing_pk).order_by(FilingVersionRow.version)
    ).scalars())
