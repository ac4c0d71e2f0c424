"""The application factory: REST API under /api and web pages, one service facade behind both."""

from __future__ import annotations

import logging
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from exodus import __version__
from exodus.errors import ExodusError
from exodus.services.app import Exodus

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
}


def create_app(exodus: Exodus | None = None) -> FastAPI:
    """Build the FastAPI application around one Exodus instance."""
    from exodus.api.routes import router as api_router
    from exodus.web.pages import router as web_router

    app = FastAPI(
        title="Exodus command center API",
        version=__version__,
        description="Outbound export enforcement: filings, screening, targeting and worklists.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    app.state.exodus = exodus or Exodus()
    app.include_router(api_router)
    app.include_router(web_router)
    static = resources.files("exodus.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.exception_handler(ExodusError)
    async def exodus_error(request: Request, exc: ExodusError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse({"detail": "invalid request", "problems": problems}, status_code=422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error; the event was logged"}, status_code=500)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    _ = StarletteHTTPException  # re-exported errors keep FastAPI's default JSON form
    return app
