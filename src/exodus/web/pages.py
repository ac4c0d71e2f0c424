"""Server-rendered pages of the command center (USWDS, no external assets)."""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from exodus.api.deps import get_exodus, get_session
from exodus.core.countries import country_name
from exodus.core.targeting.model import Action
from exodus.errors import ExodusError
from exodus.services import worklist as wl
from exodus.services.app import Exodus
from exodus.services.screening import NameQuery, hit_dict, screen_names

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("exodus.web") / "templates"))
templates.env.globals["country_name"] = country_name
NAV = [("/worklist", "Worklist"), ("/screen", "Screen a party"), ("/api/docs", "API")]


def render(request: Request, name: str, active: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.update({"nav": NAV, "active": active, "user": getattr(request.state, "user", None)})
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, exc: ExodusError) -> HTMLResponse:
    return render(request, "error.html", "", status_code=exc.status, status=exc.status, message=exc.detail)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/worklist", status_code=303)


@router.get("/worklist", response_class=HTMLResponse)
def worklist_page(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    port: Annotated[str | None, Query(max_length=4)] = None,
    action: Annotated[str | None, Query(max_length=10)] = None,
    destination: Annotated[str | None, Query(max_length=2)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    flt = wl.WorklistFilter(port or None, action or None, destination or None, None, 100, offset)
    try:
        total, items = wl.worklist(session, flt)
    except ExodusError as exc:
        return error_page(request, exc)

    def query(**changes: Any) -> str:
        params = {"port": flt.port, "action": flt.action, "destination": flt.destination, "offset": flt.offset}
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    return render(request, "worklist.html", "/worklist", total=total, items=items, flt=flt,
                  ports=wl.ports_in_use(session), actions=[a.value for a in Action], query=query)


@router.get("/filings/{filing_id}", response_class=HTMLResponse)
def filing_page(request: Request, filing_id: str, session: Annotated[Session, Depends(get_session)]) -> HTMLResponse:
    try:
        detail = wl.filing_detail(session, filing_id)
    except ExodusError as exc:
        return error_page(request, exc)
    return render(request, "filing.html", "/worklist", detail=detail)


@router.get("/screen", response_class=HTMLResponse)
def screen_page(
    request: Request,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    name: Annotated[str | None, Query(max_length=500)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
) -> HTMLResponse:
    hits: list[dict[str, Any]] = []
    if name and name.strip():
        try:
            hits = [hit_dict(h) for h in screen_names(exodus.index(), [NameQuery(name, country or None)])[0]]
        except ExodusError as exc:
            return error_page(request, exc)
    return render(request, "screen.html", "/screen", name=name, country=country, hits=hits)
