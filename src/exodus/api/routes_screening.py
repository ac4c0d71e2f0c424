"""Adjudication of screening hits: record, list and revoke analysts' decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from exodus.api.deps import get_exodus, get_session, require
from exodus.auth import Permission, Principal
from exodus.auth.trail import note
from exodus.errors import NotFound
from exodus.services import adjudication
from exodus.services import worklist as wl
from exodus.services.app import Exodus

router = APIRouter(prefix="/api", tags=["screening"])


class DecisionIn(BaseModel):
    """An analyst's decision on one hit: which party, which list entry, and why."""

    party_name: str = Field(min_length=1, max_length=500, examples=["Jade Electronics Corp."])
    country: str | None = Field(default=None, max_length=2, examples=["HK"])
    entity_id: str = Field(min_length=1, max_length=120, examples=["SDN:12345"])
    decision: str = Field(examples=["false_positive"])
    reason: str = Field(min_length=1, max_length=2000,
                        examples=["Different company: registered 2019 in Hong Kong, no link to the vessel."])


def _entity(exodus: Exodus, entity_id: str) -> Any:
    """Return the listed entity with this id in the active lists."""
    found = next((e for e in exodus.index().entities if e.id == entity_id), None)
    if found is None:
        raise NotFound(f"no list entry {entity_id!r} in the active lists")
    return found


@router.post("/screening/decisions", status_code=201)
def post_decision(
    body: DecisionIn,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    session: Annotated[Session, Depends(get_session)],
    who: Annotated[Principal, Depends(require(Permission.LOOKOUT_WRITE))],
) -> dict[str, Any]:
    """Record a true match or false positive for a party and list entry. Analysts."""
    row = adjudication.record_decision(
        session, party_name=body.party_name, country=body.country,
        entity=_entity(exodus, body.entity_id), verdict=body.decision,
        reason=body.reason, user=who.username,
    )  # fmt: skip
    note(session, who, "screening.decided", "party", body.party_name[:200],
         {"entity_id": body.entity_id, "decision": row.decision, "decision_id": row.id})
    return adjudication.decision_dict(row)


@router.get("/screening/decisions")
def get_decisions(
    session: Annotated[Session, Depends(get_session)],
    # Decisions name parties of every port: all-port roles only, never port-scoped ones.
    who: Annotated[Principal, Depends(require(Permission.LIST_READ))],
    party_name: Annotated[str | None, Query(max_length=500)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    entity_id: Annotated[str | None, Query(max_length=120)] = None,
    include_revoked: bool = False,
) -> list[dict[str, Any]]:
    """List decisions on screening hits, newest first. Analysts, supervisors, investigators."""
    rows = adjudication.list_decisions(
        session, party_name=party_name, country=country, entity_id=entity_id,
        include_revoked=include_revoked,
    )  # fmt: skip
    found = [adjudication.decision_dict(r) for r in rows]
    note(session, who, "screening.decisions_viewed", "party", (party_name or "*")[:200],
         {"entity_id": entity_id, "shown": len(found)})
    return found


@router.delete("/screening/decisions/{decision_id}")
def delete_decision(
    decision_id: int,
    session: Annotated[Session, Depends(get_session)],
    who: Annotated[Principal, Depends(require(Permission.LOOKOUT_WRITE))],
) -> dict[str, Any]:
    """Revoke a decision; it stays on record with who revoked it and when. Analysts."""
    row = adjudication.revoke_decision(session, decision_id, who.username)
    note(session, who, "screening.decision_revoked", "party", row.party_name[:200],
         {"entity_id": row.entity_id, "decision_id": row.id})
    return adjudication.decision_dict(row)


@router.get("/filings/{filing_id}/suppressed-hits")
def get_suppressed_hits(
    filing_id: str,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    session: Annotated[Session, Depends(get_session)],
    who: Annotated[Principal, Depends(require(Permission.FILING_READ))],
) -> list[dict[str, Any]]:
    """Return the filing's hits set aside as false positives, with the decision. Officers, analysts and supervisors."""
    detail = wl.filing_detail(session, filing_id, who.ports_for(Permission.FILING_READ))
    note(session, who, "filing.viewed", "filing", filing_id,
         {"version": detail["version"], "via": "api", "part": "suppressed-hits"})
    return adjudication.suppressed_for_filing(session, exodus.index(), detail["filing"])
