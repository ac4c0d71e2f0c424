"""Pages for targeting rules (with versions and what-if), lookouts, notifications and thresholds."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import quote

import yaml
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from exodus.api.deps import DbSession, get_exodus, require
from exodus.auth import Permission, Principal
from exodus.auth.trail import note
from exodus.core.targeting.lookouts import KINDS
from exodus.core.targeting.model import Thresholds
from exodus.core.targeting.rules import CATEGORIES, read_yaml
from exodus.errors import Conflict, ExodusError, InvalidInput, NotFound
from exodus.services import lookouts as lk
from exodus.services import rules as rule_service
from exodus.services.app import Exodus
from exodus.services.whatif import propose
from exodus.web.pages import render

router = APIRouter(include_in_schema=False)


def _rules_page(request: Request, session: Session, **extra: Any) -> HTMLResponse:
    return render(
        request,
        "rules.html",
        "/rules",
        rules=rule_service.list_rules(session),
        thresholds=lk.list_thresholds(session),
        categories=CATEGORIES,
        **extra,
    )


def _rule_data(text: str) -> dict[str, Any]:
    data = read_yaml(text, "the rule")
    if not isinstance(data, dict):
        raise InvalidInput(
            "write one rule as a YAML mapping (id, description, category, weight, when)"
        )
    return data


@router.get("/rules", response_class=HTMLResponse)
def rules_page(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.RULE_READ))],
) -> HTMLResponse:
    """Analysts, supervisors and officers."""
    return _rules_page(request, session)  # listing the rules stores the shipped ones first


@router.post("/rules", response_class=HTMLResponse)
def rules_save(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.RULE_WRITE))],
    rule: Annotated[str, Form(max_length=20000)],
    reason: Annotated[str, Form(max_length=2000)],
    rule_id: Annotated[str, Form(max_length=80)] = "",
    base_version: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """Command-center analysts: add a rule, or store a new version of the one edited from its page.

    A change states the version it was edited from (the rule page's hidden field,
    or `base_version` in the YAML); a change made meanwhile refuses it (409)."""
    try:
        data = _rule_data(rule)
        known = {r["id"]: r for r in rule_service.list_rules(session)}
        target = rule_id or str(data.get("id") or "")
        if target in known:
            stated = base_version if base_version is not None else data.get("base_version")
            if not isinstance(stated, int) or isinstance(stated, bool):
                current = known[target]
                raise Conflict(
                    f"rule {target!r} exists (version {current['version']}, by {current['updated_by']}); "
                    f"change it from its page, /rules/{target}, so that a change made meanwhile is not overwritten"
                )
            rule_service.change_rule(
                session, target, data, actor=who.actor, reason=reason, base_version=stated
            )
        elif rule_id:
            raise NotFound(f"no rule {rule_id!r}")
        else:
            rule_service.create_rule(session, data, actor=who.actor, reason=reason)
    except ExodusError as exc:
        session.rollback()
        return _rules_page(
            request, session, error=exc.detail, draft=rule, status_code=exc.status
        )
    return RedirectResponse(f"/rules/{quote(str(data['id']), safe='')}", status_code=303)


@router.get("/rules/{rule_id}", response_class=HTMLResponse)
def rule_page(
    request: Request,
    rule_id: str,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.RULE_READ))],
) -> HTMLResponse:
    """Analysts and supervisors: one rule's versions, with who, when and why."""
    history = rule_service.rule_history(session, rule_id)
    current = history[-1]["definition"]
    return render(
        request,
        "rule.html",
        "/rules",
        rule_id=rule_id,
        version=history[-1]["version"],
        history=history,
        retired=history[-1]["change"] == "retired",
        yaml_text=yaml.safe_dump(current, sort_keys=False, allow_unicode=True),
    )


@router.post("/rules/{rule_id}/retire", response_class=HTMLResponse)
def rule_retire(
    rule_id: str,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.RULE_WRITE))],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Command-center analysts: retire a rule."""
    rule_service.retire_rule(session, rule_id, actor=who.actor, reason=reason)
    return RedirectResponse(f"/rules/{rule_id}", status_code=303)


@router.post("/thresholds", response_class=HTMLResponse)
def thresholds_save(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.THRESHOLD_WRITE))],
    port: Annotated[str, Form(max_length=4)],
    review: Annotated[float, Form()],
    examine: Annotated[float, Form()],
    hold: Annotated[float, Form()],
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Command-center analysts and supervisors: set one port's thresholds, saying why."""
    try:
        lk.set_thresholds(
            session,
            port,
            Thresholds(review, examine, hold),
            actor=who.actor,
            reason=reason,
        )
    except ExodusError as exc:
        session.rollback()
        return _rules_page(request, session, error=exc.detail, status_code=exc.status)
    return RedirectResponse("/rules#thresholds", status_code=303)


@router.get("/whatif", response_class=HTMLResponse)
def whatif_form(
    request: Request, who: Annotated[Principal, Depends(require(Permission.RULE_EVALUATE))]
) -> HTMLResponse:
    """Analysts and supervisors: propose rules and see their effect before they take effect."""
    today = date.today()
    return render(
        request,
        "whatif.html",
        "/rules",
        start=(today - timedelta(days=30)).isoformat(),
        end=today.isoformat(),
        proposal="",
        report=None,
    )


@router.post("/whatif", response_class=HTMLResponse)
def whatif_run(
    request: Request,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.RULE_EVALUATE))],
    start: Annotated[date, Form()],
    end: Annotated[date, Form()],
    proposal: Annotated[str, Form(max_length=200_000)] = "",
    retire: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse:
    """Analysts and supervisors: run the proposal against stored filings of the period."""
    report: dict[str, Any] | None = None
    error: str | None = None
    try:
        items = rule_service.rules_in_text(proposal, "the proposal") if proposal.strip() else []
        rule_service.seed_rules(exodus.db)
        with exodus.db.session() as session:
            current = rule_service.active_rules(session)
        proposed = propose(
            current, items, [r.strip() for r in retire.split(",") if r.strip()]
        )
        report = exodus.what_if(proposed, start, end)
    except ExodusError as exc:
        error = exc.detail
    return render(
        request,
        "whatif.html",
        "/rules",
        status_code=400 if error else 200,
        start=start.isoformat(),
        end=end.isoformat(),
        proposal=proposal,
        retire=retire,
        report=report,
        error=error,
    )


def _lookouts_page(request: Request, session: Session, **extra: Any) -> HTMLResponse:
    who = request.state.principal
    ports = who.ports_for(Permission.LOOKOUT_READ)
    lookouts = lk.list_lookouts(session)
    notifications = lk.notifications(session, limit=100, allowed_ports=ports)
    note(session, who, "lookouts.viewed", "lookout", "*",
         {"shown": len(lookouts), "notifications": len(notifications), "via": "web"})
    return render(
        request,
        "lookouts.html",
        "/lookouts",
        lookouts=lookouts,
        notifications=notifications,
        unread=lk.unread_count(session, ports),
        kinds=KINDS,
        **extra,
    )


@router.get("/lookouts", response_class=HTMLResponse)
def lookouts_page(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.LOOKOUT_READ))],
) -> HTMLResponse:
    """Officers, analysts and supervisors: lookouts and the filings that matched them."""
    return _lookouts_page(request, session)


@router.post("/lookouts", response_class=HTMLResponse)
def lookouts_add(
    request: Request,
    session: DbSession,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.LOOKOUT_WRITE))],
    kind: Annotated[str, Form(max_length=20)],
    value: Annotated[str, Form(max_length=500)],
    reason: Annotated[str, Form(max_length=2000)],
    priority: Annotated[str, Form(max_length=10)] = "medium",
    expires: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Command-center analysts: place a lookout."""
    try:
        day = date.fromisoformat(expires) if expires else None
        exodus.place_lookout(
            kind=kind,
            value=value,
            reason=reason,
            priority=priority,
            expires=day,
            actor=who.actor,
        )
    except (ExodusError, ValueError) as exc:
        session.rollback()
        detail = getattr(
            exc, "detail", f"expiry must be a date YYYY-MM-DD, got {expires!r}"
        )
        return _lookouts_page(request, session, error=detail, status_code=400)
    return RedirectResponse("/lookouts", status_code=303)


@router.post("/lookouts/{lookout_id}/cancel", response_class=HTMLResponse)
def lookouts_cancel(
    lookout_id: int,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.LOOKOUT_WRITE))],
    reason: Annotated[str, Form(max_length=2000)] = "cancelled from the web",
) -> Response:
    """Command-center analysts: stop a lookout."""
    exodus.cancel_lookout(lookout_id, actor=who.actor, reason=reason)
    return RedirectResponse("/lookouts", status_code=303)


@router.post("/notifications/read", response_class=HTMLResponse)
def notifications_read(
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.LOOKOUT_READ))],
    ids: Annotated[list[int] | None, Form(max_length=1000)] = None,
) -> Response:
    """Analysts and officers: mark lookout notifications read."""
    if ids:
        lk.mark_read(session, ids, actor=who.actor, allowed_ports=who.ports_for(Permission.LOOKOUT_READ))
    return RedirectResponse("/lookouts", status_code=303)
