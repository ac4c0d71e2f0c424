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
    # Records older (by filed_at) than the version stored: reported, never stored.
    stale: list[str] = field(default_factory=list)
    # One message per stale record, naming it (origin and filing id).
    warnings: list[str] = field(default_factory=list)
    # The filings current after the batch that were in hand (created, corrected or
    # identical), one per filing id.
    current: list[Filing] = field(default_factory=list)


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


def _aware(moment: datetime) -> datetime:
    """Return `moment` with a time zone (SQLite returns naive UTC times)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def store_filings(
    session: Session, batch: Sequence[tuple[Filing, str]], *, actor: str
) -> StoreOutcome:
    """Store a batch of (filing, origin) pairs in a few round trips."""
    outcome = StoreOutcome()
    if not batch:
        return outcome
    now = datetime.now(timezone.utc)
    # A file may carry the same filing more than once: its records are applied in
    # filed_at order (file order among equal times), so every distinct version is kept.
    chains: dict[str, list[tuple[Filing, str]]] = {}
    for filing, origin in batch:
        chains.setdefault(filing.filing_id, []).append((filing, origin))
    existing = {
        row.filing_id: row
        for row in session.execute(
            select(FilingRow.id, FilingRow.filing_id, FilingRow.version, FilingRow.content_hash, FilingRow.filed_at)
            .where(FilingRow.filing_id.in_(list(chains)))
        )
    }
    # Per filing id, the versions to store: (filing, origin, payload, digest).
    new_meta: list[list[tuple[Filing, str, dict[str, Any], str]]] = []
    corrections: list[tuple[Any, list[tuple[Filing, str, dict[str, Any], str]]]] = []
    for filing_id, records in chains.items():
        old = existing.get(filing_id)
        digest_now, filed_now = (old.content_hash, _aware(old.filed_at)) if old is not None else (None, None)
        chain: list[tuple[Filing, str, dict[str, Any], str]] = []
        current: Filing | None = None
        for filing, origin in sorted(records, key=lambda r: r[0].filed_at) if len(records) > 1 else records:
            payload = filing.to_dict()
            digest = content_hash(payload)
            if digest == digest_now:
                outcome.unchanged.append(filing_id)
                current = current or filing
            elif filed_now is not None and filing.filed_at < filed_now:
                outcome.stale.append(filing_id)
                outcome.warnings.append(
                    f"{origin} (filing {filing_id}): stale: filed {filing.filed_at.isoformat()}, earlier than "
                    f"the stored version (filed {filed_now.isoformat()}); not stored")
                log.info("%s", outcome.warnings[-1])
            else:
                chain.append((filing, origin, payload, digest))
                digest_now, filed_now, current = digest, filing.filed_at, filing
        if current is not None:
            outcome.current.append(current)
        if not chain:
            continue
        if old is None:
            new_meta.append(chain)
        else:
            corrections.append((old, chain))

    def add_versions(pk: int, first_version: int, chain: list[tuple[Filing, str, dict[str, Any], str]]) -> None:
        for number, (filing, origin, payload, digest) in enumerate(chain, start=first_version):
            versions.append({"filing_pk": pk, "version": number, "content_hash": digest, "payload": payload,
                             "received_at": now, "received_by": actor, "origin": origin})
            if number == 1:
                outcome.created.append(filing.filing_id)
                events.append(AuditEvent(actor, "filing.created", "filing", filing.filing_id,
                                         {"version": 1, "origin": origin}))
            else:
                outcome.corrected.append(filing.filing_id)
                events.append(AuditEvent(actor, "filing.corrected", "filing", filing.filing_id,
                                         {"version": number, "previous_version": number - 1, "origin": origin}))
        p, ln = _children(pk, chain[-1][0])
        parties.extend(p)
        lines.extend(ln)

    versions: list[dict[str, Any]] = []
    parties: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    events: list[AuditEvent] = []
    if new_meta:
        new_rows = []
        for chain in new_meta:
            filing, _, payload, digest = chain[-1]
            new_rows.append({**_filing_columns(filing, payload, digest, now), "version": len(chain),
                             "created_at": now})
        # Core executemany, then one query for the new ids: RETURNING in parameter
        # order makes SQLite insert row by row.
        session.execute(insert(FilingRow.__table__), new_rows)
        ids = dict(session.execute(select(FilingRow.filing_id, FilingRow.id).where(
            FilingRow.filing_id.in_([row["filing_id"] for row in new_rows]))).tuples().all())
        for row, chain in zip(new_rows, new_meta, strict=True):
            add_versions(ids[row["filing_id"]], 1, chain)

    for old, chain in corrections:
        filing, _, payload, digest = chain[-1]
        session.execute(
            update(FilingRow).where(FilingRow.id == old.id)
            .values(**_filing_columns(filing, payload, digest, now), version=old.version + len(chain))
        )
        add_versions(old.id, old.version + 1, chain)
    recount: set[party_history.Key] = set()
    if corrections:
        stale = [c[0].id for c in corrections]
        # The parties a corrected filing named before and after are recounted below.
        recount = party_history.stored_keys(session, stale) | party_history.keys_of(c[1][-1][0] for c in corrections)
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
    party_history.record_new(session, [chain[-1][0] for chain in new_meta])
    if recount:
        party_history.recount(session, recount)
    record(session, events)
    log.info("stored batch: %d created, %d corrected, %d unchanged, %d stale",
             len(outcome.created), len(outcome.corrected), len(outcome.unchanged), len(outcome.stale))
    return outcome


def load_filing(session: Session, filing_id: str) -> tuple[FilingRow, Filing] | None:
    """Return the stored row and the current Filing value for `filing_id`."""
    row = session.execute(select(FilingRow).where(FilingRow.filing_id == filing_id)).scalar_one_or_none()
    if row is None:
        return None
    return row, parse_filing(row.payload, f"stored filing {filing_id}", bounded=False)


def filing_history(session: Session, filing_pk: int) -> list[FilingVersionRow]:
    """Return every version of a filing, oldest first."""
    return list(session.execute(
        select(FilingVersionRow).where(FilingVersionRow.filing_pk == filing_pk).order_by(FilingVersionRow.version)
    ).scalars())
