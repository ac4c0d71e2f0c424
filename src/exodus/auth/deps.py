"""FastAPI side of access control: who is calling, and the `require` dependency.

Every API route and page declares its access with exactly one of `require(P)`,
`signed_in()` or `public()`. The app adds `guard` to every route, which refuses a
route that declares nothing, and tests enumerate routes through `route_access`.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from exodus.auth.accounts import session_principal, token_principal
from exodus.auth.config import AuthSettings, load_auth_settings
from exodus.auth.policy import Permission
from exodus.auth.principal import Principal, authorize
from exodus.auth.refusals import ANONYMOUS, Refusal, RefusalLimiter, admitted, write
from exodus.auth.trail import deny
from exodus.errors import ExodusError, NotAuthenticated, PermissionDenied
from exodus.storage.audit import AuditEvent, set_origin

SESSION_COOKIE = "exodus_session"
SIGNIN_COOKIE = "exodus_signin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
_UNSET = object()
bearer = HTTPBearer(auto_error=False, description="An API token created with `exodus tokens create`.")


@dataclass(frozen=True, slots=True)
class Access:
    """What a route declares: a permission, any signed-in account, or public."""

    permission: Permission | None
    public: bool = False


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def auth_settings(request: Request) -> AuthSettings:
    settings = getattr(request.app.state, "auth_settings", None)
    return settings if settings is not None else load_auth_settings()


def refusal_limiter(request: Request) -> RefusalLimiter:
    """Return the app's limit on audit entries for refusals of unknown callers (one per app)."""
    limiter = getattr(request.app.state, "refusals", None)
    if limiter is None:
        limiter = request.app.state.refusals = RefusalLimiter()
    return limiter  # type: ignore[no-any-return]


def _admit(request: Request, reason: str, actor: str | None, detail: dict[str, Any] | None) -> list[AuditEvent]:
    return admitted(refusal_limiter(request), Refusal(client_address(request), reason,
                                                      f"{request.method} {request.url.path}",
                                                      actor or ANONYMOUS, detail or {}))


async def audit_refusal(request: Request, reason: str, actor: str | None = None,
                        detail: dict[str, Any] | None = None) -> None:
    """Audit a request refused before its caller is known or proven (rate-limited per client address).

    The limiter decides in the event loop; only an entry that is written goes to a worker thread.
    """
    events = _admit(request, reason, actor, detail)
    if events:
        await run_in_threadpool(write, request.app.state.exodus.db, events)


def note_refusal(request: Request, reason: str, actor: str | None = None,
                 detail: dict[str, Any] | None = None) -> None:
    """`audit_refusal` for code already running in a worker thread (sync routes)."""
    write(request.app.state.exodus.db, _admit(request, reason, actor, detail))


def _lookup(request: Request, token: str | None) -> Principal | None:
    """Return who presented `token` or the session cookie; note why a presented one is refused."""
    remote = client_address(request)
    with request.app.state.exodus.db.session() as session:
        try:
            if token is not None:
                # A bad token never falls back to the cookie: machines must fail loudly.
                return token_principal(session, token, remote)
            cookie = request.cookies.get(SESSION_COOKIE)
            return session_principal(session, cookie, remote) if cookie else None
        except NotAuthenticated as exc:
            request.state.refused_because = exc.detail
            return None


def _unknown_caller(request: Request) -> str:
    """Say why a request has no principal: its refused credential, or that it sent none."""
    return getattr(request.state, "refused_because", None) or "no API token or session"


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)] = None,
) -> Principal | None:
    """Return who is calling (API token first, then session cookie), or None.

    Also names the client address as the origin of every audit event this request writes.
    """
    cached = getattr(request.state, "principal", _UNSET)
    if cached is _UNSET:
        set_origin(client_address(request))
        token = credentials.credentials if credentials is not None else None
        cached = request.state.principal = await run_in_threadpool(_lookup, request, token)
    return cached  # type: ignore[no-any-return]


async def check_csrf(request: Request, principal: Principal) -> None:
    """Refuse a state-changing request of a browser session without its CSRF token."""
    if request.method in SAFE_METHODS or principal.via != "session":
        return
    sent: Any = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get("csrf_token")
    if not (isinstance(sent, str) and principal.csrf
            and hmac.compare_digest(sent.encode(), principal.csrf.encode())):
        raise PermissionDenied("the form expired or did not come from Exodus (CSRF check); reload and retry")


async def checked_csrf(request: Request, principal: Principal) -> None:
    """Run `check_csrf`; audit a refusal (rate-limited: a forged request need not come from the account)."""
    try:
        await check_csrf(request, principal)
    except PermissionDenied as exc:
        await audit_refusal(request, exc.detail, actor=principal.actor)
        raise


def _declare(dependency: Callable[..., Any], access: Access) -> Callable[..., Any]:
    dependency.access = access  # type: ignore[attr-defined]
    return dependency


async def _authorized(request: Request, principal: Principal | None, permission: Permission | None) -> Principal:
    """Run `authorize`, auditing a refusal: of an unknown caller per source, of a known one per account."""
    try:
        return authorize(principal, permission)
    except NotAuthenticated:
        await audit_refusal(request, _unknown_caller(request),
                            detail={"permission": permission.value} if permission is not None else None)
        raise
    except PermissionDenied:
        if permission is not None:
            await run_in_threadpool(_record_denial, request, principal, permission)
        raise


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """Return a dependency that yields the principal if it holds `permission`."""
    async def dependency(request: Request, principal: Annotated[Principal | None, Depends(current_principal)]) -> Principal:
        checked = await _authorized(request, principal, permission)
        await checked_csrf(request, checked)
        return checked
    return _declare(dependency, Access(permission))


async def refusal_before_body(request: Request) -> ExodusError | None:
    """Return the refusal the route's access check gives this caller, or None if it admits it.

    FastAPI reads a request's body before it runs the dependencies, so a body that is
    not JSON (or not a form) is refused before `require` could say who may call: the
    error handlers ask this first, and an unknown caller gets 401 whatever it sent.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return None
    declared = route_access(route)
    if len(declared) != 1 or declared[0].public:
        return None
    principal = await current_principal(request, await bearer(request))
    try:
        await _authorized(request, principal, declared[0].permission)
    except (NotAuthenticated, PermissionDenied) as exc:
        return exc
    return None


def _record_denial(request: Request, principal: Principal | None, permission: Permission) -> None:
    if principal is None:
        return
    with request.app.state.exodus.db.session() as session:
        deny(session, principal, "route", f"{request.method} {request.url.path}"[:200],
             {"permission": permission.value})


def signed_in() -> Callable[..., Awaitable[Principal]]:
    """Return a dependency for routes any signed-in account may use (e.g. sign-out)."""
    async def dependency(request: Request, principal: Annotated[Principal | None, Depends(current_principal)]) -> Principal:
        checked = await _authorized(request, principal, None)
        await checked_csrf(request, checked)
        return checked
    return _declare(dependency, Access(None))


def public() -> Callable[..., Awaitable[Principal | None]]:
    """Return a dependency for routes anyone may reach; yields the principal if any."""
    async def dependency(principal: Annotated[Principal | None, Depends(current_principal)]) -> Principal | None:
        return principal
    return _declare(dependency, Access(None, public=True))


def app_routes(app: Any) -> list[tuple[str, str, Any]]:
    """Return (method, full path, route) for every FastAPI route of `app`, however included."""
    found = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            found += [(method, context.path, context) for method in sorted(context.methods or ())]
    return sorted(found, key=lambda item: (item[1], item[0]))


def route_access(route: Any) -> list[Access]:
    """Return the access declarations found in the dependencies of `route`."""
    found: list[Access] = []
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        access = getattr(dependant.call, "access", None)
        if isinstance(access, Access):
            found.append(access)
        stack.extend(dependant.dependencies)
    return found


async def guard(request: Request) -> None:
    """Refuse any route that declares no access (fail closed)."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    declared = route.__dict__.get("_exodus_declared")
    if declared is None:
        declared = route.__dict__["_exodus_declared"] = len(route_access(route)) == 1
    if not declared:
        raise PermissionDenied("this route declares no access rule and is refused")


def is_secure_cookie(request: Request) -> bool:
    """Tell whether cookies get the Secure flag: always, except plain http to loopback."""
    if auth_settings(request).cookie_secure == "always":
        return True
    return not (request.url.scheme == "http" and request.url.hostname in LOOPBACK)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True,
                        secure=is_secure_cookie(request), samesite="lax" if name == SESSION_COOKIE else "strict")
