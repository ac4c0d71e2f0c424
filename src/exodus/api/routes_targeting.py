"""REST API for targeting: rules and their versions, what-if, lookouts, notifications, thresholds."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Response
from pydantic import Field

from exodus.api.deps import ApiRoute, DbSession, get_exodus, require
from exodus.api.schemas import StrictBody
from exodus.auth import Permission, Principal
from exodus.auth.trail import note
from exodus.core.targeting import redflags
from exodus.core.targeting.model import Thresholds
from exodus.core.targeting.rules import RuleSet, parse_rules_text
from exodus.errors import InvalidInput, PreconditionRequired
from exodus.services import lookouts as lk
from exodus.services import rules as rule_service
from exodus.services.app import Exodus
from exodus.services.whatif import propose

router = APIRouter(prefix="/api", route_class=ApiRoute, tags=["targeting"])
RuleReader = Annotated[Principal, Depends(require(Permission.RULE_READ))]
RuleWriter = Annotated[Principal, Depends(require(Permission.RULE_WRITE))]
LookoutReader = Annotated[Principal, Depends(require(Permission.LOOKOUT_READ))]
LookoutWriter = Annotated[Principal, Depends(require(Permission.LOOKOUT_WRITE))]
ThresholdWriter = Annotated[Principal, Depends(require(Permission.THRESHOLD_WRITE))]

RULE_EXAMPLE = {
    "id": "RF-HUB-DRONES",
    "description": "Drone parts to a transshipment hub.",
    "category": "red-flag",
    "weight": 0.3,
    "when": {
        "all": [
            {"signal": "redflag.transshipment_hub"},
            {"signal": "redflag.uav_component"},
        ]
    },
    "in_force": {"from": "2026-01-01", "until": None},
}


class RuleChange(StrictBody):
    rule: dict[str, Any] = Field(examples=[RULE_EXAMPLE])
    reason: str = Field(
        min_length=3, max_length=2000, examples=["New advisory on UAV parts via hubs"]
    )
    base_version: int | None = Field(
        None, ge=1, le=2**31 - 1,
        description="the version the change starts from (or send it as If-Match); required to change a rule",
    )


class Retirement(StrictBody):
    reason: str = Field(min_length=3, max_length=2000)


class RuleRetirement(Retirement):
    base_version: int | None = Field(
        None, ge=1, le=2**31 - 1,
        description="the version you saw (or send it as If-Match): a version stored since is not retired unseen",
    )


class WhatIfIn(StrictBody):
    start: date = Field(alias="from")
    end: date = Field(alias="to")
    rules_yaml: str | None = Field(
        None, max_length=500_000, description="a whole proposed rule set (YAML)"
    )
    upsert: list[dict[str, Any]] = Field(
        default_factory=list, description="rules to add or replace"
    )
    retire: list[str] = Field(
        default_factory=list, description="ids of rules to retire"
    )


class LookoutIn(StrictBody):
    kind: str = Field(examples=["party"])
    value: str = Field(max_length=500, examples=["Aurora Trading FZE"])
    reason: str = Field(
        min_length=3, max_length=2000, examples=["Named in a BIS is-informed letter"]
    )
    priority: str = Field("medium", examples=["high"])
    expires: date | None = None


class ThresholdsIn(StrictBody):
    review: float = Field(ge=0, le=100)
    examine: float = Field(ge=0, le=100)
    hold: float = Field(ge=0, le=100)
    reason: str = Field(min_length=3, max_length=2000, examples=["Seasonal surge of parcels at this airport"])


@router.get("/rules")
def get_rules(
    session: DbSession,
    who: RuleReader,
    include_retired: bool = True,
) -> list[dict[str, Any]]:
    """List every targeting rule with its current version. Analysts, supervisors and officers."""
    return rule_service.list_rules(session, include_retired=include_retired)


@router.get("/rules/{rule_id}")
def get_rule(
    rule_id: str,
    session: DbSession,
    who: RuleReader,
    response: Response,
) -> dict[str, Any]:
    """Return one targeting rule with its current version (also as the ETag to send back as If-Match)."""
    rule = rule_service.get_rule(session, rule_id)
    response.headers["ETag"] = f'"{rule["version"]}"'
    return rule


@router.get("/rules/{rule_id}/history")
def get_rule_history(
    rule_id: str,
    session: DbSession,
    who: RuleReader,
) -> list[dict[str, Any]]:
    """Return every version of a rule with who changed it, when and why. Analysts and supervisors."""
    return rule_service.rule_history(session, rule_id)


@router.post("/rules", status_code=201)
def post_rule(
    change: RuleChange,
    session: DbSession,
    who: RuleWriter,
) -> dict[str, Any]:
    """Add a rule; it takes effect on the next targeting run. Command-center analysts."""
    return rule_service.create_rule(
        session, change.rule, actor=who.actor, reason=change.reason
    ).to_dict()


def _base_version(if_match: str | None, stated: int | None) -> int:
    """Return the version a change starts from, from If-Match ("3", W/"3") or the body."""
    from_header: int | None = None
    if if_match is not None:
        tag = if_match.strip().removeprefix("W/").strip('"')
        if not tag.isdigit():
            raise InvalidInput(f"If-Match must be the rule's version, e.g. \"3\", got {if_match!r}")
        from_header = int(tag)
    if from_header is not None and stated is not None and from_header != stated:
        raise InvalidInput(f"If-Match says version {from_header} but base_version says {stated}")
    found = from_header if from_header is not None else stated
    if found is None:
        raise PreconditionRequired(
            "state the version you changed (If-Match header or base_version; GET /api/rules shows it), "
            "so that a change made meanwhile is not overwritten"
        )
    return found


@router.put("/rules/{rule_id}")
def put_rule(
    rule_id: str,
    change: RuleChange,
    session: DbSession,
    who: RuleWriter,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=100)] = None,
) -> dict[str, Any]:
    """Store a new version of a rule. Command-center analysts.

    State the version you edited (If-Match or base_version): a change to a rule
    someone changed since is refused with 409 naming the current version and who
    made it. A body whose id differs from the path is refused with 422.
    Refused with 428 when no base version is stated.
    """
    rule = rule_service.change_rule(
        session, rule_id, change.rule, actor=who.actor, reason=change.reason,
        base_version=_base_version(if_match, change.base_version),
    )
    version = rule_service.rule_version(session, rule_id)
    response.headers["ETag"] = f'"{version}"'
    return {**rule.to_dict(), "version": version}


@router.post("/rules/{rule_id}/retire")
def retire_rule(
    rule_id: str,
    body: RuleRetirement,
    session: DbSession,
    who: RuleWriter,
    if_match: Annotated[str | None, Header(max_length=100)] = None,
) -> dict[str, str]:
    """Retire a rule (its history stays). Command-center analysts.

    With If-Match or base_version, a version stored since the one you saw is not
    retired unseen (409 naming it and who stored it). Refused with 409 when the rule
    is retired already.
    """
    base = _base_version(if_match, body.base_version) if (if_match or body.base_version) else None
    rule_service.retire_rule(session, rule_id, actor=who.actor, reason=body.reason, base_version=base)
    return {"rule_id": rule_id, "state": "retired"}


@router.post("/rules/whatif")
def post_whatif(
    body: WhatIfIn,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.RULE_EVALUATE))],
) -> dict[str, Any]:
    """Run a proposed rule set against stored filings of a period; report changes per port. Analysts and supervisors."""
    exodus.ensure_ready()
    rule_service.seed_rules(exodus.db)
    with exodus.db.session() as session:
        current = rule_service.active_rules(session)
    proposed: RuleSet = (
        parse_rules_text(body.rules_yaml, "proposed rules")
        if body.rules_yaml
        else current
    )
    proposed = propose(proposed, body.upsert, body.retire)
    return exodus.what_if(proposed, body.start, body.end)


@router.get("/redflags")
def get_redflags(
    who: RuleReader,
) -> list[dict[str, str]]:
    """List the red-flag signal producers and the condition each checks. Analysts, supervisors and officers."""
    return redflags.describe_producers()


@router.get("/lookouts")
def get_lookouts(
    session: DbSession,
    who: LookoutReader,
    live: Annotated[bool, Query(description="only lookouts in force today")] = False,
) -> list[dict[str, Any]]:
    """List lookouts, newest first. Officers, analysts and supervisors."""
    found = lk.list_lookouts(session, live_only=live)
    note(session, who, "lookouts.viewed", "lookout", "*", {"live": live, "shown": len(found)})
    return found


@router.post("/lookouts", status_code=201)
def post_lookout(
    body: LookoutIn,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: LookoutWriter,
) -> dict[str, Any]:
    """Place a lookout on a party, address, code, country, port, carrier or route. Command-center analysts.

    Stored filings it matches (recent ones, within its life) are re-targeted, flagged
    and notified; `matched_filings` tells how many."""
    return exodus.place_lookout(
        kind=body.kind,
        value=body.value,
        reason=body.reason,
        priority=body.priority,
        expires=body.expires,
        actor=who.actor,
    )


@router.post("/lookouts/{lookout_id}/cancel")
def cancel_lookout(
    lookout_id: int,
    body: Retirement,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: LookoutWriter,
) -> dict[str, Any]:
    """Stop a lookout before it expires. Command-center analysts.

    The stored filings it matched are re-targeted, so its reason leaves their results
    (`retargeted_filings`). Refused with 409 when the lookout is cancelled already.
    """
    return exodus.cancel_lookout(lookout_id, actor=who.actor, reason=body.reason)


@router.get("/notifications")
def get_notifications(
    session: DbSession,
    who: LookoutReader,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Return filings that matched lookouts, newest first, `limit` from `offset`. Analysts and officers."""
    ports = who.ports_for(Permission.LOOKOUT_READ)
    items = lk.notifications(session, unread_only=unread, limit=limit, offset=offset, allowed_ports=ports)
    note(session, who, "notifications.viewed", "lookout", "*", {"unread": unread, "shown": len(items)})
    return {"unread": lk.unread_count(session, ports), "items": items}


@router.post("/notifications/read")
def read_notifications(
    session: DbSession,
    who: LookoutReader,
    ids: Annotated[list[int], Body(embed=True, max_length=1000)],
) -> dict[str, int]:
    """Mark lookout notifications as read. Analysts and officers."""
    return {"marked": lk.mark_read(session, ids, actor=who.actor,
                                   allowed_ports=who.ports_for(Permission.LOOKOUT_READ))}


@router.get("/thresholds")
def get_thresholds(
    session: DbSession,
    who: RuleReader,
) -> list[dict[str, Any]]:
    """List the default thresholds and each port's own. Analysts, supervisors and officers."""
    return lk.list_thresholds(session)


@router.put("/thresholds/{port}")
def put_thresholds(
    port: str,
    body: ThresholdsIn,
    session: DbSession,
    who: ThresholdWriter,
) -> dict[str, Any]:
    """Set the review, examine and hold thresholds of one port. Command-center analysts and supervisors."""
    return lk.set_thresholds(
        session,
        port,
        Thresholds(body.review, body.examine, body.hold),
        actor=who.actor,
        reason=body.reason,
    )


@router.delete("/thresholds/{port}", status_code=204)
def delete_thresholds(
    port: str,
    session: DbSession,
    who: ThresholdWriter,
    reason: Annotated[str, Query(min_length=3, max_length=2000, description="why the port returns to the defaults")],
) -> None:
    """Return a port to the default thresholds. Command-center analysts and supervisors."""
    lk.clear_thresholds(session, port, actor=who.actor, reason=reason)
