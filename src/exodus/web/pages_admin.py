"""Pages for signing in and out, accounts and tokens, the audit log and the API reference."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exodus.api.deps import DbSession, get_exodus, public, require, signed_in
from exodus.auth import Permission, Principal, roles
from exodus.auth import accounts as acc
from exodus.auth.deps import (
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    app_routes,
    auth_settings,
    client_address,
    is_secure_cookie,
    note_refusal,
    route_access,
    set_cookie,
)
from exodus.auth.policy import AGENCIES
from exodus.auth.trail import AuditQuery, note, search
from exodus.errors import ExodusError, InvalidInput
from exodus.services.app import Exodus
from exodus.storage.models import SignInAttemptRow
from exodus.web.pages import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Return a local path to go to after sign-in; anything else goes home."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _signin_form(request: Request, next_url: str, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(request, "signin.html", "", status_code=status_code, form_token=token,
                      next_url=_safe_next(next_url), error=error)
    set_cookie(request, response, SIGNIN_COOKIE, token, max_age=3600)
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, who: Annotated[Principal | None, Depends(public())],
                next: Annotated[str | None, Query(max_length=2000)] = None) -> Response:
    if who is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _signin_form(request, next or "/")


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    _: Annotated[Principal | None, Depends(public())],
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (throttled), open a session and go where the user was going."""
    expected = request.cookies.get(SIGNIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf_token.encode(), expected.encode()):
        note_refusal(request, "sign-in form without its CSRF token (expired or not from Exodus)")
        return _signin_form(request, next, "The sign-in form expired; please try again.", 400)
    remote = client_address(request)
    try:
        with exodus.db.session() as session:
            user = acc.authenticate(session, username, password, remote)
            if user is not None:
                secret, _principal = acc.open_session(session, user, remote, auth_settings(request).session_hours)
    except ExodusError as exc:  # throttled
        note_refusal(request, f"sign-in throttled: {exc.detail}", detail={"username": username.strip().lower()[:64]})
        return _signin_form(request, next, exc.detail, exc.status)
    if user is None:
        return _signin_form(request, next, "Wrong username or password, or the account is disabled.", 401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_cookie(request, response, SESSION_COOKIE, secret, max_age=int(auth_settings(request).session_hours * 3600))
    response.delete_cookie(SIGNIN_COOKIE, path="/")
    return response


@router.post("/signout")
def signout(request: Request, session: DbSession,
            who: Annotated[Principal, Depends(signed_in())]) -> RedirectResponse:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        acc.close_session(session, who, secret)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# What an account form did, shown by the next GET of the accounts page only (post, redirect, get):
# a short-lived cookie bound to the session, so a reload never posts again and no secret is in a URL.
FLASH_COOKIE = "exodus_flash"
FLASH_PATH = "/admin/users"


def _flash_key(request: Request) -> bytes:
    """Return the key the flash is signed with: the caller's session (or bearer token) secret."""
    return (request.cookies.get(SESSION_COOKIE) or request.headers.get("authorization", "")).encode()


def _flash_value(request: Request, shown: dict[str, str]) -> str | None:
    key = _flash_key(request)
    if not key:
        return None
    payload = base64.urlsafe_b64encode(json.dumps(shown).encode()).decode()
    return f"{payload}.{hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()}"


def _read_flash(request: Request) -> dict[str, str]:
    """Return what the last account form left to show, if it was left by this session; else nothing."""
    raw, key = request.cookies.get(FLASH_COOKIE, ""), _flash_key(request)
    payload, _, signature = raw.rpartition(".")
    if not (payload and key):
        return {}
    if not hmac.compare_digest(signature, hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()):
        return {}
    try:
        shown = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return {}
    return {k: str(v) for k, v in shown.items() if k in ("created_token", "message")} if isinstance(shown, dict) else {}


def _locked(session: Session) -> dict[str, int]:
    """Return the accounts the sign-in throttle locks now, with their recent failed sign-ins."""
    since = datetime.now(UTC) - acc.THROTTLE_WINDOW
    counts = session.execute(
        select(SignInAttemptRow.username, func.count()).where(SignInAttemptRow.succeeded.is_(False),
                                                             SignInAttemptRow.at >= since)
        .group_by(SignInAttemptRow.username)
    ).tuples()
    return {name: n for name, n in counts if n >= acc.MAX_FAILURES_PER_ACCOUNT}


def _users_page(request: Request, session: Session, *, created_token: str | None = None,
                message: str | None = None, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    assignable = [r for r in roles().values() if r.assignable]
    return render(request, "users.html", "/admin/users", status_code=status_code, users=acc.list_users(session),
                  tokens=acc.list_tokens(session), roles=assignable, agencies=AGENCIES, locked=_locked(session),
                  created_token=created_token, message=message, error=error)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, session: DbSession,
               who: Annotated[Principal, Depends(require(Permission.USER_MANAGE))]) -> HTMLResponse:
    """Accounts and tokens, with what the form just sent did (a new token's secret, this once)."""
    shown = _read_flash(request)
    response = _users_page(request, session, created_token=shown.get("created_token"), message=shown.get("message"))
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path=FLASH_PATH, secure=is_secure_cookie(request),
                               httponly=True, samesite="strict")
    return response


def _split(text: str) -> list[str]:
    return [part.strip().upper() for part in text.replace(";", ",").split(",") if part.strip()]


def _account_form(request: Request, exodus: Exodus, change: Callable[[Session], dict[str, str]]) -> Response:
    """Apply an account form's change in its own transaction, then go back to the accounts page (303).

    `change` returns what the page shows once on success (a message, or a token shown once),
    carried to the next GET in a session-bound cookie, never in the URL; a refused change
    shows the page again with the error, and nothing is stored.
    """
    try:
        with exodus.db.session() as session:
            shown = change(session)
    except ExodusError as exc:
        with exodus.db.session() as session:
            return _users_page(request, session, error=exc.detail, status_code=exc.status)
    response = RedirectResponse(FLASH_PATH, status_code=303)
    flash = _flash_value(request, shown)
    if flash is not None:
        response.set_cookie(FLASH_COOKIE, flash, path=FLASH_PATH, httponly=True,
                            secure=is_secure_cookie(request), samesite="strict")
    return response


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.USER_MANAGE))],
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[list[str] | None, Form(max_length=10)] = None,
    ports: Annotated[str, Form(max_length=500)] = "",
    agencies: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    def create(session: Session) -> dict[str, str]:
        acc.create_user(session, who, username=username, roles=role or [], password=password or None,
                        ports=_split(ports), agencies=_split(agencies), display_name=display_name)
        return {"message": f"Account {username.strip().lower()} created."}

    return _account_form(request, exodus, create)


@router.post("/admin/users/change", response_class=HTMLResponse)
def change_user(
    request: Request,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.USER_MANAGE))],
    username: Annotated[str, Form(max_length=64)],
    role: Annotated[list[str] | None, Form(max_length=10)] = None,
    ports: Annotated[str, Form(max_length=500)] = "",
    agencies: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Give an account new roles, ports or agencies: what the form leaves empty is kept."""
    def update(session: Session) -> dict[str, str]:
        acc.update_user(session, who, username, roles=role or None, ports=_split(ports) or None,
                        agencies=_split(agencies) or None)
        return {"message": f"Account {username.strip().lower()} changed."}

    return _account_form(request, exodus, update)


@router.post("/admin/users/{username}/disable", response_class=HTMLResponse)
def disable_user(request: Request, username: str, exodus: Annotated[Exodus, Depends(get_exodus)],
                 who: Annotated[Principal, Depends(require(Permission.USER_MANAGE))]) -> Response:
    """Disable an account: it can no longer sign in, and its sessions and tokens stop working."""
    return _set_active(request, exodus, who, username, active=False)


@router.post("/admin/users/{username}/enable", response_class=HTMLResponse)
def enable_user(request: Request, username: str, exodus: Annotated[Exodus, Depends(get_exodus)],
                who: Annotated[Principal, Depends(require(Permission.USER_MANAGE))]) -> Response:
    """Let a disabled account sign in again."""
    return _set_active(request, exodus, who, username, active=True)


def _set_active(request: Request, exodus: Exodus, who: Principal, username: str, *, active: bool) -> Response:
    def change(session: Session) -> dict[str, str]:
        name = acc.set_active(session, who, username, active).username
        return {"message": f"Account {name} {'enabled' if active else 'disabled'}."}

    return _account_form(request, exodus, change)


@router.post("/admin/users/{username}/unlock", response_class=HTMLResponse)
def unlock_user(request: Request, username: str, exodus: Annotated[Exodus, Depends(get_exodus)],
                who: Annotated[Principal, Depends(require(Permission.USER_MANAGE))]) -> Response:
    """Lift the lock failed sign-ins put on an account; the audit log keeps the attempts."""
    def unlock(session: Session) -> dict[str, str]:
        cleared = acc.unlock(session, who, username)
        return {"message": f"Account {username.strip().lower()} unlocked ({cleared} failed sign-ins cleared)."}

    return _account_form(request, exodus, unlock)


@router.post("/admin/tokens", response_class=HTMLResponse)
def add_token(
    request: Request,
    exodus: Annotated[Exodus, Depends(get_exodus)],
    who: Annotated[Principal, Depends(require(Permission.TOKEN_MANAGE))],
    username: Annotated[str, Form(max_length=64)],
    name: Annotated[str, Form(max_length=100)],
    days: Annotated[int | None, Form(ge=1, le=3650)] = None,
) -> Response:
    """Create a token; the accounts page shows its secret on the next visit only."""
    def create(session: Session) -> dict[str, str]:
        acc.check_token_owner(session, who, username)
        secret, _row = acc.create_token(session, who, username, name, days)
        return {"created_token": secret}

    return _account_form(request, exodus, create)


@router.post("/admin/tokens/{token_id}/revoke")
def revoke_token(token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: DbSession,
                 who: Annotated[Principal, Depends(require(Permission.TOKEN_MANAGE))]) -> RedirectResponse:
    acc.revoke_token(session, who, token_id)
    return RedirectResponse("/admin/users", status_code=303)


def _when(text: str | None, field: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} must be a date or time like 2026-12-01 or 2026-12-01T08:00, got {text!r}") from None


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.AUDIT_SEARCH))],
    actor: Annotated[str | None, Query(max_length=100)] = None,
    action: Annotated[str | None, Query(max_length=60)] = None,
    object_type: Annotated[str | None, Query(max_length=60)] = None,
    object_id: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[str | None, Query(max_length=40)] = None,
    until: Annotated[str | None, Query(max_length=40)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> HTMLResponse:
    query = AuditQuery(actor or None, action or None, object_type or None, object_id or None,
                       _when(since, "since"), _when(until, "until"), 100, offset)
    total, items = search(session, query)
    note(session, who, "audit.searched", "audit", "*",
         {k: v for k, v in {"actor": actor, "action": action, "object_type": object_type,
                             "object_id": object_id, "since": since, "until": until}.items() if v})
    form = {"actor": actor or "", "action": action or "", "object_type": object_type or "",
            "object_id": object_id or "", "since": since or "", "until": until or ""}
    return render(request, "audit.html", "/audit", total=total, items=items, form=form, offset=offset)



def _operations(request: Request) -> list[dict[str, object]]:
    """Describe each operation of the OpenAPI schema with the permission its route declares."""
    schema = request.app.openapi()
    needs = {}
    for method, path, route in app_routes(request.app):
        declared = route_access(route)
        if declared:
            access = declared[0]
            needs[(method.lower(), path)] = ("anyone" if access.public else "any signed-in account"
                                             if access.permission is None else access.permission.value)
    found = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            content = (op.get("requestBody") or {}).get("content", {})
            found.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": (op.get("description") or "").split("\n", 1)[0],
                "parameters": [{"name": p.get("name"), "where": p.get("in"), "required": p.get("required", False)}
                               for p in op.get("parameters", [])],
                "body": ", ".join(content),
                "needs": needs.get((method, path), "?"),
            })
    return found


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request, _: Annotated[Principal | None, Depends(public())]) -> HTMLResponse:
    """A reference of every API operation, served without external scripts (the CSP allows none)."""
    return render(request, "api_docs.html", "/api/docs", operations=_operations(request),
                  schema_url=request.app.openapi_url, openapi_version=request.app.openapi_version)
