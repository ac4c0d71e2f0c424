"""License determination: on demand, and for each line of a stored filing."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import Field

from exodus.api.deps import ApiRoute, DbSession, get_exodus, require
from exodus.api.schemas import StrictBody
from exodus.auth import Permission, Principal
from exodus.auth.trail import note
from exodus.services import worklist as wl
from exodus.services.app import Exodus
from exodus.services.controls import MAX_PARTIES, DetermineQuery, determine_query, filing_licensing

router = APIRouter(prefix="/api", route_class=ApiRoute, tags=["controls"])


class DetermineIn(StrictBody):
    """An item (any of its classification, codes and wording), a destination, parties and end use."""

    country: str = Field(min_length=1, max_length=60, description="destination: ISO code or name",
                         examples=["CN"])
    eccn: str | None = Field(default=None, max_length=40, examples=["3A001.a.1"])
    usml: str | None = Field(default=None, max_length=40, examples=["XI(c)"])
    cas: str | None = Field(default=None, max_length=40, examples=["111-48-8"])
    hts: str | None = Field(default=None, max_length=40, examples=["8542.31"])
    description: str | None = Field(default=None, max_length=500)
    parties: list[Annotated[str, Field(max_length=500)]] = Field(
        default_factory=list, max_length=MAX_PARTIES, description="names screened before determining")
    end_use: str | None = Field(default=None, max_length=2000, examples=["military"])
    value_usd: float | None = Field(default=None, ge=0, lt=1e13)
    weight_kg: float | None = Field(default=None, ge=0, lt=1e13)
    export_date: date | None = Field(default=None, description="picks the reference edition in force")


@router.post("/determine")
def post_determine(
    body: DetermineIn,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.SCREENING_QUERY))],
) -> dict[str, Any]:
    """Decide license required, no license required, license exception may apply or prohibited.

    The answer has `outcome`, `agencies`, `license_exceptions` (with their conditions)
    and `reasons`, each with its regulation `citation`; named parties are screened
    first and their list hits shown. Officers, analysts, supervisors, liaisons and
    investigators.
    """
    query = DetermineQuery(
        country=body.country, eccn=body.eccn, usml=body.usml, cas=body.cas, hts=body.hts,
        description=body.description, parties=tuple(body.parties), end_use=body.end_use,
        value_usd=body.value_usd, weight_kg=body.weight_kg, export_date=body.export_date,
    )  # fmt: skip
    query.item()
    result = determine_query(exodus.index() if query.parties else None, query, exodus.settings.screen_threshold)
    with exodus.db.session() as session:
        note(session, who, "controls.determined", "item", result["classification"] or body.usml or body.cas or "item",
             {"destination": result["destination"], "outcome": result["outcome"], "names": list(query.parties)})
    return result


@router.get("/filings/{filing_id}/licensing")
def get_filing_licensing(
    filing_id: str,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.FILING_READ))],
) -> list[dict[str, Any]]:
    """Each line's license determination and the declared-versus-required findings. Officers (own port), analysts, supervisors, investigators."""
    detail = wl.view_filing(session, who, filing_id, via="api", part="licensing")
    return filing_licensing(exodus.index(), detail)
