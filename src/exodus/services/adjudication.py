"""Record analysts' decisions on screening hits and set aside known false positives.

A decision names a party (its normalised name and country), a list entry and the
entry's fingerprint when decided. A false positive in force suppresses the same
hit for the same party until it is revoked or the list entry changes (another
fingerprint); suppressed hits are reported as such, never dropped silently.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exodus.core.countries import check_country
from exodus.core.lists.model import ListEntity
from exodus.core.screening import QueryParty, ScreeningHit, normalize_name
from exodus.errors import Conflict, InvalidInput, NotFound
from exodus.storage.decisions import ScreeningDecisionRow

log = logging.getLogger(__name__)

MAX_REASON = 2000


class Verdict(StrEnum):
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A hit set aside by a false-positive decision still in force."""

    hit: ScreeningHit
    decision_id: int
    decided_by: str
    decided_at: datetime
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return the hit and the decision that set it aside, for pages and API."""
        return {
            "entity_id": self.hit.entity_id,
            "source": self.hit.source,
            "entity_name": self.hit.entity_name,
            "matched_name": self.hit.matched_name,
            "score": round(float(self.hit.score), 3),
            "explanation": self.hit.explanation,
            "suppressed_by": decision_summary(
                self.decision_id, self.decided_by, self.decided_at, self.reason
            ),
        }


def decision_summary(
    decision_id: int, who: str, when: datetime, reason: str
) -> dict[str, Any]:
    """Return who decided, when and why, as shown next to a suppressed hit."""
    return {"decision_id": decision_id, "decided_by": who,
            "decided_at": when.isoformat(), "reason": reason}  # fmt: skip


def party_key(name: str, country: str | None) -> str:
    """Return the key a decision is kept under: normalised name and country."""
    return f"{normalize_name(name)}|{(country or '').strip().upper()}"


# -- recording ----------------------------------------------------------------------


def record_decision(
    session: Session,
    *,
    party_name: str,
    country: str | None,
    entity: ListEntity,
    verdict: str,
    reason: str,
    user: str,
) -> ScreeningDecisionRow:
    """Store an analyst's decision on a party and list entry; return the row."""
    verdict = _verdict(verdict)
    if not party_name.strip():
        raise InvalidInput("field 'party_name' is empty")
    if not reason.strip():
        raise InvalidInput("field 'reason' is empty: say why the hit is decided so")
    if len(reason) > MAX_REASON:
        raise InvalidInput(
            f"field 'reason' is {len(reason)} characters long; the limit is {MAX_REASON}"
        )
    country = check_country(country, "field 'country'")
    row = ScreeningDecisionRow(
        party_key=party_key(party_name, country),
        party_name=party_name.strip(),
        party_country=country,
        entity_id=entity.id,
        entity_source=entity.source,
        entity_name=entity.name,
        entity_fingerprint=entity.fingerprint(),
        decision=verdict.value,
        reason=reason.strip(),
        decided_by=user,
        decided_at=datetime.now(timezone.utc),
    )
    session.add(row)
    session.flush()
    log.info("screening decision %d: %s on %s by %s", row.id, verdict, entity.id, user)
    return row


def revoke_decision(session: Session, decision_id: int, user: str) -> ScreeningDecisionRow:
    """Withdraw a decision (kept on record with who and when); return the row."""
    row = session.get(ScreeningDecisionRow, decision_id)
    if row is None:
        raise NotFound(f"screening decision {decision_id} does not exist")
    if row.revoked_at is not None:
        raise Conflict(f"screening decision {decision_id} was already revoked")
    row.revoked_at = datetime.now(timezone.utc)
    row.revoked_by = user
    log.info("screening decision %d revoked by %s", decision_id, user)
    return row


def list_decisions(
    session: Session,
    *,
    party_name: str | None = None,
    country: str | None = None,
    entity_id: str | None = None,
    include_revoked: bool = False,
    limit: int = 500,
) -> list[ScreeningDecisionRow]:
    """Return decisions, newest first, for a party, an entry or all."""
    query = select(ScreeningDecisionRow).order_by(ScreeningDecisionRow.id.desc())
    if party_name:
        query = query.where(
            ScreeningDecisionRow.party_key == party_key(party_name, country)
        )
    if entity_id:
        query = query.where(ScreeningDecisionRow.entity_id == entity_id)
    if not include_revoked:
        query = query.where(ScreeningDecisionRow.revoked_at.is_(None))
    return list(session.execute(query.limit(limit)).scalars())


def decision_dict(row: ScreeningDecisionRow) -> dict[str, Any]:
    """Return a decision as plain data for the API and CLI."""
    return {
        "id": row.id, "party_name": row.party_name, "party_country": row.party_country,
        "entity_id": row.entity_id, "source": row.entity_source,
        "entity_name": row.entity_name, "entity_fingerprint": row.entity_fingerprint,
        "decision": row.decision, "reason": row.reason, "decided_by": row.decided_by,
        "decided_at": row.decided_at.isoformat(),
        "revoked_by": row.revoked_by,
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
    }  # fmt: skip


def _verdict(value: str) -> Verdict:
    """Return the verdict named by `value`, or say which ones exist."""
    try:
        return Verdict(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        known = ", ".join(v.value for v in Verdict)
        raise InvalidInput(f"decision {value!r} is unknown; use one of {known}") from None


# -- suppression --------------------------------------------------------------------


class SuppressionBook:
    """False-positive decisions in force, looked up by party key and entity id."""

    def __init__(self, rows: Sequence[ScreeningDecisionRow]) -> None:
        self._rows: dict[tuple[str, str], ScreeningDecisionRow] = {}
        for row in sorted(rows, key=lambda r: r.id):
            key = (row.party_key, row.entity_id)
            if row.decision == Verdict.FALSE_POSITIVE.value:
                self._rows[key] = row
            else:
                self._rows.pop(key, None)  # a later true match overrides

    @classmethod
    def load(cls, session: Session) -> SuppressionBook:
        """Read every decision in force."""
        rows = session.execute(
            select(ScreeningDecisionRow).where(ScreeningDecisionRow.revoked_at.is_(None))
        ).scalars()
        return cls(list(rows))

    def __len__(self) -> int:
        return len(self._rows)

    def split(
        self, party: QueryParty, hits: Sequence[ScreeningHit]
    ) -> tuple[list[ScreeningHit], list[Suppressed]]:
        """Separate the hits to act on from those a decision in force sets aside.

        A decision stops applying when the list entry has changed since: its
        fingerprint then differs and the hit is back for a fresh look.
        """
        if not self._rows or not hits:
            return list(hits), []
        key = party_key(party.name, party.country)
        kept: list[ScreeningHit] = []
        suppressed: list[Suppressed] = []
        for hit in hits:
            row = self._rows.get((key, hit.entity_id))
            if row is not None and row.entity_fingerprint == hit.entity.fingerprint():
                suppressed.append(
                    Suppressed(hit, row.id, row.decided_by, row.decided_at, row.reason)
                )
            else:
                kept.append(hit)
        return kept, suppressed


def suppressed_for_filing(
    session: Session, index: Any, payload: dict[str, Any]
) -> list[dict[str, Any]]:
    """Return, per party of a stored filing, the hits a false positive sets aside.

    The parties are screened again against the current lists, so a hit shows as
    suppressed only while the decision still applies to the entry as listed.
    """
    from exodus.core.filings import parse_filing

    filing = parse_filing(payload, "stored filing", bounded=False)
    book = SuppressionBook.load(session)
    if not len(book):
        return []
    out: list[dict[str, Any]] = []
    for party in filing.parties:
        query = QueryParty(name=party.name, country=party.country)
        _, suppressed = book.split(query, index.screen(party.name, country=party.country))
        for item in suppressed:
            row = item.to_dict()
            row.update(party_role=party.role.value, party_name=party.name)
            out.append(row)
    return out
