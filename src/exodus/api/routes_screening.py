"""Adjudication of screening hits: record, approve, list and revoke analysts' decisions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from exodus.api.deps import ApiRoute, DbSession, get_exodus, require
from exodus.api.schemas import StrictBody
from exodus.auth import Permission, Principal
from exodus.auth.trail import note
from exodus.services import adjudication
from exodus.services import worklist as wl
from exodus.services.app import Exodus

router = APIRouter(prefix="/api", route_class=ApiRoute, tags=["screening"])


class DecisionIn(StrictBody):
    """An analyst's decision on one hit: which party, which list entry, and why."""

    party_name: str = Field(min_length=1, max_length=500, examples=["Jade Electronics Corp."])
    country: str | None = Field(default=None, max_length=2, examples=["HK"])
    address: str | None = Field(default=None, max_length=500, examples=["8 Harbour Road, Wan Chai"],
                                description="the party's address (and city) as filed; screening weighs it")
    entity_id: str = Field(min_length=1, max_length=120, examples=["SDN:12345"])
    decision: str = Field(examples=["false_positive"])
    reason: str = Field(min_length=1, max_length=2000,
                        examples=["Different company: registered 2019 in Hong Kong, no link to the vessel."])
    replaces: int | None = Field(default=None, ge=1, examples=[None],
                                 description="id of the decision on record for this party and entry that "
                                             "this one replaces (it is then marked superseded)")


@router.post("/screening/decisions", status_code=201)
def post_decision(
    body: DecisionIn,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.SCREENING_DECIDE))],
) -> dict[str, Any]:
    """Record a true match or false positive for a party and list entry. Analysts.

    A false positive on a strong hit (score 0.95 or more, or a listed identifier)
    is `pending approval` until another person approves it; the hit counts until
    then. The stored filings naming the party are re-targeted (`retargeted_filings`).
    Refused with 422 when the party has no hit on the entry at the screening threshold, and
    with 409 naming the decision on record for the party and entry unless `replaces` names it."""
    return adjudication.decide(
        exodus, who, party_name=body.party_name, country=body.country, entity_id=body.entity_id,
        verdict=body.decision, reason=body.reason, via="api", address=body.address, replaces=body.replaces,
    )  # fmt: skip


@router.post("/screening/decisions/{decision_id}/approve")
def approve_decision(
    decision_id: int,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.SCREENING_APPROVE))],
) -> dict[str, Any]:
    """Approve a false positive on a strong hit recorded by someone else. Supervisors.

    The hit is then set aside and the filings naming the party are re-targeted.
    Refused with 409 when the decision was revoked, superseded, approved already or needs no approval.
    """
    return adjudication.approve(exodus, who, decision_id, via="api")


@router.get("/screening/decisions")
def get_decisions(
    session: DbSession,
    # Decisions name parties of every port: all-port roles only, never port-scoped ones.
    who: Annotated[Principal, Depends(require(Permission.LIST_READ))],
    party_name: Annotated[str | None, Query(max_length=500)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    entity_id: Annotated[str | None, Query(max_length=120)] = None,
    include_revoked: bool = False,
    pending: bool = False,
) -> list[dict[str, Any]]:
    """List decisions on screening hits, newest first (`pending`: only those awaiting approval;
    `include_revoked`: revoked and superseded ones too).
    Analysts, supervisors, investigators."""
    rows = adjudication.list_decisions(
        session, party_name=party_name, country=country, entity_id=entity_id,
        include_revoked=include_revoked, pending=pending,
    )  # fmt: skip
    found = [adjudication.decision_dict(r) for r in rows]
    note(session, who, "screening.decisions_viewed", "party", (party_name or "*")[:200],
         {"entity_id": entity_id, "shown": len(found)})
    return found


@router.delete("/screening/decisions/{decision_id}")
def delete_decision(
    decision_id: int,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.SCREENING_DECIDE))],
) -> dict[str, Any]:
    """Revoke a decision; it stays on record with who revoked it and when. Analysts.

    The filings naming the party are re-targeted.
    Refused with 409 when the decision was revoked or superseded already.
    """
    return adjudication.revoke(exodus, who, decision_id, via="api")


@router.get("/filings/{filing_id}/suppressed-hits")
def get_suppressed_hits(
    filing_id: str,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.FILING_READ))],
) -> list[dict[str, Any]]:
    """Return the filing's hits set aside as false positives, with the decision. Officers, analysts and supervisors."""
    detail = wl.view_filing(session, who, filing_id, via="api", part="suppressed-hits")
    return adjudication.suppressed_for_filing(session, exodus.index(), detail["filing"])
