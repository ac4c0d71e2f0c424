"""The application factory: REST API under /api and web pages, one service facade behind both."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.datastructures import URL, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exodus import __version__
from exodus.auth import refusals
from exodus.auth.config import load_auth_settings
from exodus.auth.deps import guard, refusal_before_body
from exodus.auth.oidc import oidc_enabled
from exodus.auth.refusals import RefusalLimiter, write
from exodus.core.filings.parse import unknown_field_problem
from exodus.errors import ExodusError, InvalidInput, NotAuthenticated
from exodus.services.app import Exodus

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
# Uploads are capped at 20 MiB of filings; anything much bigger is refused unread.
MAX_BODY = 21 * 1024 * 1024


class BodyLimit:
    """Refuse request bodies over `limit` bytes, declared or streamed, with 413."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit
        self.message = f"request body over the {limit // (1024 * 1024)} MiB limit" if limit >= 1024 * 1024 \
            else f"request body over the {limit} byte limit"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            response = JSONResponse({"detail": self.message}, status_code=413)
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise StarletteHTTPException(413, self.message)
            return message

        await self.app(scope, counted, send)


class SecurityHeaders:
    """Add the security headers to every response that does not set its own.

    A plain ASGI middleware: Starlette's `@app.middleware("http")` runs each
    request in a second task with its own streams, a fixed cost on every call.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url = URL(scope=scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not url.path.startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")
                if url.scheme == "https":
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
            await send(message)

        await self.app(scope, receive, with_headers)


def no_nul_in_query(request: Request) -> None:
    """Refuse a NUL character in a query parameter, naming it: no text field holds one."""
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise InvalidInput(f"query parameter {name.replace(chr(0), '')!r} must not contain NUL characters")


def data_error_message(exc: Exception) -> str:
    """Say what the database refused in a request's values (DataError, OverflowError)."""
    problem = str(getattr(exc, "orig", None) or exc)
    if "NUL" in problem or "\x00" in problem:
        return "a text in the request contains a NUL character, which no text field may hold"
    if "too long" in problem:
        # e.g. "value too long for type character varying(80)": the column is not named.
        return f"a text in the request is longer than its field holds ({problem.splitlines()[0]})"
    return "a number in the request is out of range"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    # Refusals and denials counted but not yet summarised in the audit log get their summary now.
    write(app.state.exodus.db, app.state.refusals.flush() + refusals.DENIALS.flush())


def create_app(exodus: Exodus | None = None) -> FastAPI:
    """Build the FastAPI application around one Exodus instance."""
    from exodus.api.routes import router as api_router
    from exodus.api.openapi import install as document_refusals
    from exodus.api.routes_admin import router as admin_router
    from exodus.web.pages import error_page, render
    from exodus.web.pages import router as web_router
    from exodus.web.pages_admin import router as web_admin_router

    app = FastAPI(
        title="Exodus command center API",
        version=__version__,
        description="Outbound export enforcement: filings, screening, targeting and worklists. "
                    "Send an API token as `Authorization: Bearer exo_...`.",
        openapi_url="/api/openapi.json",
        # The interactive viewers load scripts from a CDN, which the CSP forbids and an
        # isolated site cannot reach: /api/docs is a server-rendered reference instead.
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(guard), Depends(no_nul_in_query)],
        lifespan=_lifespan,
    )
    app.state.exodus = exodus or Exodus()
    app.state.refusals = RefusalLimiter()  # audit entries for refusals of unknown callers, per source
    app.state.auth_settings = load_auth_settings()
    if oidc_enabled(app.state.auth_settings):
        # TODO: OpenID Connect sign-in (see exodus.auth.oidc); until then the settings are inert.
        log.warning("EXODUS_OIDC_ISSUER is set, but OpenID Connect sign-in is not implemented yet: "
                    "only local accounts can sign in")
    app.include_router(api_router)
    app.include_router(admin_router)
    _include_optional(app, "exodus.api.routes_targeting")
    _include_optional(app, "exodus.api.routes_screening")
    _include_optional(app, "exodus.api.routes_controls")
    app.include_router(web_router)
    app.include_router(web_admin_router)
    _include_optional(app, "exodus.web.pages_targeting")
    document_refusals(app)
    static = resources.files("exodus.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(BodyLimit)

    def exodus_error_response(request: Request, exc: ExodusError) -> Response:
        if isinstance(exc, NotAuthenticated):
            if _wants_html(request):
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)
            return JSONResponse({"detail": exc.detail}, status_code=401, headers={"WWW-Authenticate": "Bearer"})
        if _wants_html(request):
            return error_page(request, exc)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)

    @app.exception_handler(ExodusError)
    async def exodus_error(request: Request, exc: ExodusError) -> Response:
        return exodus_error_response(request, exc)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        # A value the database cannot hold (an id of 2**70, an over-long text) is the caller's mistake.
        return exodus_error_response(request, InvalidInput(data_error_message(exc)))

    def message_page(request: Request, status: int, message: str) -> Response:
        return render(request, "error.html", "", status_code=status, status=status, message=message)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        refused = await refusal_before_body(request)  # a body FastAPI could not read came before the access check
        if refused is not None:
            return exodus_error_response(request, refused)
        problems = [{"loc": list(e.get("loc", ())), "msg": _problem_of(request, e)} for e in exc.errors()]
        if _wants_html(request):
            said = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}" for e in problems)
            return message_page(request, 422, f"invalid request: {said}")
        unknown = [str(p["msg"]) for p, e in zip(problems, exc.errors()) if e.get("type") == "extra_forbidden"]
        detail = f"invalid request: {'; '.join(unknown)}" if unknown else "invalid request"
        return JSONResponse({"detail": detail, "problems": problems}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Unknown pages, wrong methods, oversized bodies: a page for browsers, JSON for the API.
        if exc.status_code == 400 and (refused := await refusal_before_body(request)) is not None:
            return exodus_error_response(request, refused)  # an unreadable body: who may call comes first
        if _wants_html(request) and exc.status_code >= 400:
            response = message_page(request, exc.status_code, str(exc.detail))
        else:
            response = JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        message = "internal error; the event was logged"
        if _wants_html(request):
            try:
                return message_page(request, 500, message)
            except Exception:  # noqa: BLE001 - the page itself failed; answer plainly
                log.exception("the error page failed on %s", request.url.path)
        return JSONResponse({"detail": message}, status_code=500)

    app.add_middleware(SecurityHeaders)  # outside BodyLimit: a refused body gets the headers too
    return app


def _include_optional(app: FastAPI, module: str) -> None:
    """Include the `router` of `module` when that module exists in this build."""
    import importlib

    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return
    app.include_router(found.router)


def _problem_of(request: Request, error: Any) -> str:
    """Say what is wrong; a field the body does not know is named with the closest known one."""
    if error.get("type") != "extra_forbidden":
        return str(error.get("msg", ""))
    *path, name = [part for part in error.get("loc", ())[1:] if isinstance(part, str)] or [""]
    return f"{name!r} {unknown_field_problem(str(name), _body_fields(request, path))}"


def _body_fields(request: Request, path: list[str]) -> list[str]:
    """Return the field names (as sent: aliases) the route's body model takes at `path`."""
    route = request.scope.get("route")
    params = getattr(getattr(route, "dependant", None), "body_params", [])
    model = params[0].field_info.annotation if len(params) == 1 else None
    for part in path:
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return []
        model = model.model_fields[part].annotation
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return [field.alias or name for name, field in model.model_fields.items()]
