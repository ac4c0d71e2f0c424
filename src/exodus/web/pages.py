"""Server-rendered pages of the command center (USWDS, no external assets)."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from exodus.api.deps import DbSession, get_exodus, public, require
from exodus.auth import Permission, Principal
from exodus.auth.trail import note
from exodus.core.countries import country_name
from exodus.core.filings.model import PartyRole
from exodus.core.targeting.model import Action
from exodus.core.text import visible
from exodus.errors import ExodusError, InvalidInput
from exodus.services import worklist as wl
from exodus.services.app import Exodus
from exodus.services.screening import NameQuery, hit_dict, screen_names

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("exodus.web") / "templates"))
templates.env.globals["country_name"] = country_name


def readable(value: Any) -> str:
    """Return evidence as a person reads it: text as is, lists joined, the rest as plain JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str | int | float) for v in value):
        return ", ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


templates.env.filters["readable"] = readable


def _displayed(value: Any) -> Any:
    """Every value a page shows: bidirectional controls made visible, so no name reads reversed."""
    if not isinstance(value, str):
        return value
    shown = visible(value)
    if shown is value:
        return value
    return Markup(shown) if isinstance(value, Markup) else shown


templates.env.finalize = _displayed
# Site-relative asset paths: pages never name a host, so they work behind any proxy.
templates.env.globals["static"] = lambda path: f"/static/{path}"
# Each navigation entry shows only to accounts holding its permission.
NAV: list[tuple[str, str, Permission | None]] = [
    ("/worklist", "Worklist", Permission.WORKLIST_READ),
    ("/screen", "Screen a party", Permission.SCREENING_QUERY),
    ("/rules", "Rules", Permission.RULE_READ),
    ("/lookouts", "Lookouts", Permission.LOOKOUT_READ),
    ("/stats", "Numbers", Permission.STATS_READ),
    ("/audit", "Audit log", Permission.AUDIT_SEARCH),
    ("/admin/users", "Accounts", Permission.USER_MANAGE),
    ("/api/docs", "API", None),
]


def nav_for(principal: Principal | None) -> list[tuple[str, str]]:
    if principal is None:
        return []
    return [(href, label) for href, label, perm in NAV if perm is None or principal.allows(perm)]


def render(request: Request, template: str, active: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    context.update({"nav": nav_for(principal), "active": active, "user": principal,
                    "csrf": principal.csrf if principal is not None else None})
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, exc: ExodusError) -> HTMLResponse:
    return render(request, "error.html", "", status_code=exc.status, status=exc.status, message=exc.detail)


@router.get("/")
def home(who: Annotated[Principal | None, Depends(public())]) -> RedirectResponse:
    links = nav_for(who)
    return RedirectResponse(links[0][0] if links else "/signin", status_code=303)


def _score(text: str | None) -> float | None:
    """Read a worklist's minimum score (0-100) as the API does; a bad one is refused, not ignored."""
    if not (text or "").strip():
        return None
    try:
        score = float(text)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidInput(f"min_score must be a number between 0 and 100, got {text!r}") from None
    if not 0 <= score <= 100:
        raise InvalidInput(f"min_score must be a number between 0 and 100, got {text!r}")
    return score


@router.get("/worklist", response_class=HTMLResponse)
def worklist_page(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.WORKLIST_READ))],
    port: Annotated[str | None, Query(max_length=4)] = None,
    action: Annotated[str | None, Query(max_length=10)] = None,
    destination: Annotated[str | None, Query(max_length=2)] = None,
    min_score: Annotated[str | None, Query(max_length=20)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    allowed = who.ports_for(Permission.WORKLIST_READ)
    flt = wl.WorklistFilter(port or None, action or None, destination or None, _score(min_score), 100, offset,
                            allowed_ports=allowed)
    total, items = wl.worklist(session, flt)
    note(session, who, "worklist.viewed", "worklist", flt.port or "*",
         {"action": flt.action, "destination": flt.destination, "offset": offset, "shown": len(items)})

    def query(**changes: Any) -> str:
        params = {"port": flt.port, "action": flt.action, "destination": flt.destination,
                  "min_score": flt.min_score, "offset": flt.offset}
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    return render(request, "worklist.html", "/worklist", total=total, items=items, flt=flt,
                  ports=wl.ports_in_use(session, allowed), actions=[a.value for a in Action], query=query)


@router.get("/filings/{filing_id}", response_class=HTMLResponse)
def filing_page(
    request: Request,
    filing_id: str,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.FILING_READ))],
    exodus: Annotated[Exodus, Depends(get_exodus)],
) -> HTMLResponse:
    return _filing_page(request, session, who, exodus, filing_id)


def _filing_page(request: Request, session: Any, who: Principal, exodus: Exodus, filing_id: str,
                 status_code: int = 200, error: str | None = None) -> HTMLResponse:
    from exodus.services.adjudication import pending_for_filing, suppressed_for_filing
    from exodus.services.controls import filing_licensing
    from exodus.services.filing_versions import history_with_changes

    detail = wl.view_filing(session, who, filing_id, via="web")
    suppressed = suppressed_for_filing(session, exodus.index(), detail["filing"])
    pending = pending_for_filing(session, detail["filing"])
    licensing = filing_licensing(exodus.index(), detail)
    history = history_with_changes(session, filing_id)
    return render(request, "filing.html", "/worklist", status_code=status_code, detail=detail,
                  suppressed=suppressed, pending=pending, licensing=licensing, history=history, error=error,
                  decisions=_decisions_on_hits(session, detail))


def _decisions_on_hits(session: Any, detail: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Return the decisions on record (in force or pending) on each screening hit, newest first.

    Keyed "party_role|entity_id", as the filing page looks them up beside each hit.
    """
    from exodus.services.adjudication import decision_dict, list_decisions

    filing, found = detail["filing"], {}
    for hit in detail.get("screening_hits") or []:
        party = filing.get(hit["party_role"]) or {}
        key = f"{hit['party_role']}|{hit['entity_id']}"
        if key not in found:
            found[key] = [decision_dict(row) for row in list_decisions(
                session, party_name=party.get("name") or hit["party_name"], country=party.get("country"),
                entity_id=hit["entity_id"])]
    return found


@router.post("/filings/{filing_id}/decisions", response_class=HTMLResponse)
def filing_decide(
    request: Request,
    filing_id: str,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.SCREENING_DECIDE))],
    exodus: Annotated[Exodus, Depends(get_exodus)],
    party_role: Annotated[str, Form(max_length=40)],
    entity_id: Annotated[str, Form(max_length=120)],
    decision: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    replaces: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Analysts: decide a screening hit of one of the filing's parties (true match or false positive).

    `replaces` names the decision on record for the party and entry that this one replaces."""
    from exodus.services import adjudication

    def decide() -> None:
        filing = wl.filing_detail(session, filing_id, who.ports_for(Permission.FILING_READ))["filing"]
        party = filing.get(party_role) if party_role in PartyRole._value2member_map_ else None
        if not party:
            raise InvalidInput(f"filing {filing_id} has no party {party_role!r}")
        session.commit()  # release the read before deciding re-targets in its own sessions
        # Screened as targeting screens it (address and city too), so the hit found is the one shown.
        address = f"{party.get('address') or ''} {party.get('city') or ''}".strip()
        if replaces.strip() and not replaces.strip().isdigit():
            raise InvalidInput(f"field 'replaces' must be a decision id, got {replaces.strip()[:20]!r}")
        adjudication.decide(exodus, who, party_name=party["name"], country=party.get("country"),
                            address=address, entity_id=entity_id, verdict=decision, reason=reason,
                            via="web", replaces=int(replaces) if replaces.strip() else None)

    return _on_filing_page(request, session, who, exodus, filing_id, decide)


@router.post("/filings/{filing_id}/decisions/{decision_id}/approve", response_class=HTMLResponse)
def filing_approve(
    request: Request,
    filing_id: str,
    decision_id: int,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.SCREENING_APPROVE))],
    exodus: Annotated[Exodus, Depends(get_exodus)],
) -> Response:
    """Supervisors: approve another person's false positive on a strong hit of this filing."""
    from exodus.services import adjudication

    return _on_filing_page(request, session, who, exodus, filing_id,
                           lambda: adjudication.approve(exodus, who, decision_id, via="web"))


def _on_filing_page(request: Request, session: Any, who: Principal, exodus: Exodus, filing_id: str,
                    act: Callable[[], object]) -> Response:
    """Do `act`, sent from a filing's page: back to the page, or the page showing why it was refused."""
    try:
        act()
    except ExodusError as exc:
        session.rollback()
        return _filing_page(request, session, who, exodus, filing_id, exc.status, exc.detail)
    return RedirectResponse(f"/filings/{filing_id}", status_code=303)


@router.get("/screen", response_class=HTMLResponse)
def screen_page(
    request: Request,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.SCREENING_QUERY))],
    name: Annotated[str | None, Query(max_length=500)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
) -> HTMLResponse:
    """Screen one name; a name given blank (spaces or invisible characters only) is refused as the API refuses it."""
    if name is None:
        return render(request, "screen.html", "/screen", name=name, country=country, hits=[], screened=False)
    try:
        hits = [hit_dict(h) for h in screen_names(exodus.index(), [NameQuery(name, country or None)])[0]]
    except ExodusError as exc:
        return render(request, "screen.html", "/screen", status_code=exc.status, name=name, country=country,
                      hits=[], screened=False, error=exc.detail)
    with exodus.db.session() as session:
        note(session, who, "screening.queried", "party", name[:200],
             {"names": [name], "countries": [country], "queries": 1, "hits": len(hits), "via": "web"})
    return render(request, "screen.html", "/screen", name=name, country=country, hits=hits, screened=True)


@router.get("/stats", response_class=HTMLResponse)
def stats_page(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.STATS_READ))],
) -> HTMLResponse:
    return render(request, "stats.html", "/stats", stats=wl.aggregates(session))
