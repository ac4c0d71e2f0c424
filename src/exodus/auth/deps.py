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

from exodus.auth.accounts import resolve_session, resolve_token
from exodus.auth.config import AuthSettings, load_auth_settings
from exodus.auth.policy import Permission
from exodus.auth.principal import Principal, authorize
from exodus.auth.trail import note
from exodus.errors import PermissionDenied
from exodus.storage.audit import set_origin

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


def _lookup(request: Request, token: str | None) -> Principal | None:
    remote = client_address(request)
    with request.app.state.exodus.db.session() as session:
        if token is not None:
            # A bad token never falls back to the cookie: machines must fail loudly.
            return resolve_token(session, token, remote)
        cookie = request.cookies.get(SESSION_COOKIE)
        return resolve_session(session, cookie, remote) if cookie else None


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


def _declare(dependency: Callable[..., Any], access: Access) -> Callable[..., Any]:
    dependency.access = access  # type: ignore[attr-defined]
    return dependency


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """Return a dependency that yields the principal if it holds `permission`."""
    async def dependency(request: Request, principal: Annotated[Principal | None, Depends(current_principal)]) -> Principal:
        try:
            checked = authorize(principal, permission)
        except PermissionDenied:
            await run_in_threadpool(_record_denial, request, principal, permission)
            raise
        await check_csrf(request, checked)
        return checked
    return _declare(dependency, Access(permission))


def _record_denial(request: Request, principal: Principal | None, permission: Permission) -> None:
    if principal is None:
        return
    with request.app.state.exodus.db.session() as session:
        note(session, principal, "access.denied", "route", f"{request.method} {request.url.path}"[:200],
             {"permission": permission.value})


def signed_in() -> Callable[..., Awaitable[Principal]]:
    """Return a dependency for routes any signed-in account may use (e.g. sign-out)."""
    async def dependency(request: Request, principal: Annotated[Principal | None, Depends(current_principal)]) -> Principal:
        checked = authorize(principal, None)
        await check_csrf(request, checked)
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
