"""Security headers, body limits, out-of-range numbers and errors that never show internals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.testclient import TestClient

from exodus.api.app import BodyLimit, create_app
from exodus.api.deps import public
from exodus.auth import Principal


def test_security_headers_on_pages_and_api(client_as, browser_as) -> None:  # type: ignore[no-untyped-def]
    for resp in (client_as("analyst").get("/api/worklist"), browser_as("analyst").get("/worklist")):
        csp = resp.headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
                          "form-action 'self'", "base-uri 'none'"):
            assert directive in csp
        assert "unsafe-inline" not in csp
        assert resp.headers["X-Frame-Options"] == "DENY" and resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Cache-Control"] == "no-store"
        assert resp.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_scripts(browser_as) -> None:  # type: ignore[no-untyped-def]
    client = browser_as("administrator", "supervisor")
    for path in ("/worklist", "/admin/users", "/audit", "/screen", "/signin"):
        html = client.get(path).text
        assert "<script>" not in html and " onclick=" not in html and "javascript:" not in html, path


def test_request_bodies_over_the_limit_are_refused_declared_or_streamed() -> None:
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"bytes": len(await request.body())}

    app.add_middleware(BodyLimit, limit=100)
    client = TestClient(app)
    assert client.post("/echo", content=b"x" * 100).json() == {"bytes": 100}
    declared = client.post("/echo", content=b"x" * 101)
    assert declared.status_code == 413 and declared.json()["detail"] == "request body over the 100 byte limit"

    def chunks():  # type: ignore[no-untyped-def]  # no Content-Length: counted as it streams
        yield b"x" * 60
        yield b"x" * 60

    assert client.post("/echo", content=chunks()).status_code == 413


def test_out_of_range_numbers_are_the_callers_mistake(client_as) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("administrator", "analyst")
    assert admin.delete(f"/api/tokens/{2**70}").status_code == 422
    answered = admin.post("/api/notifications/read", json={"ids": [2**70]})
    assert answered.status_code == 400 and answered.json()["detail"] == "a number in the request is out of range"


def test_an_unexpected_error_answers_500_without_internals(exodus_app) -> None:  # type: ignore[no-untyped-def]
    app: FastAPI = create_app(exodus_app)
    broken = APIRouter()

    @broken.get("/api/broken")
    def explode(_: Annotated[Principal | None, Depends(public())]) -> None:
        raise RuntimeError("secret connection string postgres://user:pw@db")

    app.include_router(broken)
    resp = TestClient(app, raise_server_exceptions=False).get("/api/broken")
    assert resp.status_code == 500 and resp.json() == {"detail": "internal error; the event was logged"}
    assert "secret" not in resp.text and "Traceback" not in resp.text
