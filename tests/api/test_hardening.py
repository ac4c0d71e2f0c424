"""Security headers, body limits, out-of-range numbers and errors that never show internals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse
from starlette.types import Receive, Scope, Send

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


async def echo(scope: Scope, receive: Receive, send: Send) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await PlainTextResponse(f"{len(body)} bytes")(scope, receive, send)


def test_request_bodies_over_the_limit_are_refused_declared_or_streamed() -> None:
    client = TestClient(BodyLimit(echo, limit=100))
    assert client.post("/", content=b"x" * 100).text == "100 bytes"
    assert client.post("/", content=b"x" * 101).status_code == 413

    def chunks():  # no Content-Length: counted as it streams
        yield b"x" * 60
        yield b"x" * 60

    try:
        refused = client.post("/", content=chunks())
        assert refused.status_code == 413
    except Exception as exc:  # noqa: BLE001 - a bare ASGI app lets the 413 exception surface
        assert "413" in str(getattr(exc, "status_code", exc))


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
