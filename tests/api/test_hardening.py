"""Security headers, body limits, out-of-range numbers and errors that never show internals."""

from __future__ import annotations

import json
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.testclient import TestClient

from exodus.api.app import BodyLimit, create_app
from exodus.api.deps import public
from exodus.auth import Principal
from tests.conftest import filing_data, unique_id


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


def test_pages_answer_bad_requests_with_a_page_and_the_api_with_json(browser_as) -> None:  # type: ignore[no-untyped-def]
    browser = browser_as("analyst")
    bad = browser.get("/worklist", params={"offset": "-1"})
    assert bad.status_code == 422 and "usa-alert" in bad.text and "offset: Input should be greater" in bad.text
    missing = browser.get("/no-such-page")
    assert missing.status_code == 404 and "usa-alert" in missing.text and "Not Found" in missing.text
    wrong_method = browser.delete("/worklist")
    assert wrong_method.status_code == 405 and "GET" in wrong_method.headers["allow"] and "usa-alert" in wrong_method.text
    api = browser.get("/api/no-such-thing")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    assert browser.get("/api/worklist", params={"limit": "0"}).json()["problems"][0]["loc"] == ["query", "limit"]
    for page in (bad, missing, wrong_method):
        assert "Traceback" not in page.text and page.headers["Content-Security-Policy"]


def test_an_unexpected_error_on_a_page_shows_a_page_without_internals(exodus_app) -> None:  # type: ignore[no-untyped-def]
    app: FastAPI = create_app(exodus_app)
    broken = APIRouter()

    @broken.get("/broken-page")
    def explode(_: Annotated[Principal | None, Depends(public())]) -> None:
        raise RuntimeError("secret connection string postgres://user:pw@db")

    app.include_router(broken)
    resp = TestClient(app, raise_server_exceptions=False).get("/broken-page")
    assert resp.status_code == 500 and "usa-alert" in resp.text and "internal error; the event was logged" in resp.text
    assert "secret" not in resp.text and "Traceback" not in resp.text


def test_the_app_refuses_bodies_over_its_limit_before_reading_them(client_as) -> None:  # type: ignore[no-untyped-def]
    from exodus.api.app import MAX_BODY

    feed = client_as("feed")
    declared = feed.post("/api/filings", content=b"[]", headers={"Content-Length": str(MAX_BODY + 1),
                                                                  "Content-Type": "application/json"})
    assert declared.status_code == 413 and "21 MiB limit" in declared.json()["detail"]
    assert feed.post("/api/filings", content=b"[]", headers={"Content-Length": "nonsense"}).status_code == 413


def test_uploads_over_the_upload_limit_are_refused(client_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import exodus.api.routes as api_routes

    monkeypatch.setattr(api_routes, "MAX_UPLOAD", 1000)  # the real limit is 20 MiB; same code path
    feed = client_as("feed")
    resp = feed.post("/api/filings/upload", files={"file": ("day.jsonl", b"{}\n" * 400, "application/x-ndjson")})
    assert resp.status_code == 413 and "upload limit" in resp.json()["detail"]
    binary = feed.post("/api/filings/upload", files={"file": ("day.csv", b"\xff\xfe\x00bad", "text/csv")})
    assert binary.status_code == 400 and "not UTF-8 text" in binary.json()["detail"]


def test_user_text_is_escaped_in_the_audit_log_page(client_as, browser_as) -> None:  # type: ignore[no-untyped-def]
    client_as("analyst").get("/api/screen", params={"name": "<img src=x onerror=alert(1)>"})
    page = browser_as("supervisor").get("/audit", params={"action": "screening.queried"})
    assert page.status_code == 200 and "<img src=x" not in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_the_api_reference_works_under_the_csp_and_names_each_permission(web_app: FastAPI) -> None:
    page = TestClient(web_app, base_url="https://testserver").get("/api/docs")
    assert page.status_code == 200 and "https://" not in page.text.split("</head>")[0]
    assert "<script>" not in page.text and "cdn." not in page.text
    schema = TestClient(web_app).get("/api/openapi.json").json()
    operations = sum(len(methods) for methods in schema["paths"].values())
    assert page.text.count('<span class="usa-tag">') >= operations
    row = page.text.split("<code>/api/worklist</code>", 1)[1].split("</tr>", 1)[0]
    assert "worklist.read" in row and "<code>port</code>" in row
    assert "<td>?</td>" not in page.text  # every operation names what it needs


def test_values_the_database_refuses_are_named_truly() -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DataError

    from exodus.api.app import data_error_message
    from tests.conftest import PG_BASE, _postgres_available

    if not _postgres_available():
        pytest.skip("PostgreSQL is not running")
    engine = create_engine(PG_BASE)
    problems = []
    with engine.connect() as conn:
        for statement, value in (("select cast(:v as integer)", 2**40), ("select :v", "a\x00b")):
            with pytest.raises(DataError) as refused:
                conn.execute(text(statement), {"v": value})
            problems.append(data_error_message(refused.value))
            conn.rollback()
        conn.execute(text("create temp table short_text (x varchar(3))"))
        with pytest.raises(DataError) as too_long:
            conn.execute(text("insert into short_text values (:v)"), {"v": "abcdef"})
        problems.append(data_error_message(too_long.value))
    engine.dispose()
    assert problems[0] == "a number in the request is out of range"
    assert "NUL character" in problems[1]
    assert problems[2].startswith("a text in the request is longer than its field holds") and "(3)" in problems[2]


def test_text_no_database_can_store_is_refused_naming_the_field(client_as) -> None:  # type: ignore[no-untyped-def]
    """A lone surrogate ("\\ud800" in JSON) or a NUL is refused with 4xx naming the field, on every database."""
    feed, analyst = client_as("feed"), client_as("analyst")
    fid = unique_id("SUR")
    good = filing_data(filing_id=unique_id("SUR"))
    bad = filing_data(filing_id=fid, usppi=dict(filing_data()["usppi"], name="Key\ud800stone"))
    stored = feed.post("/api/filings", content=json.dumps([bad, good]), headers={"Content-Type": "application/json"})
    assert stored.status_code == 200, stored.text
    assert stored.json()["created"] == 1 and "usppi.name" in stored.json()["errors"][0]
    assert "surrogate" in stored.json()["errors"][0]
    screened = analyst.post("/api/screen", content=json.dumps({"parties": [{"name": "abc\ud800"}]}),
                            headers={"Content-Type": "application/json"})
    assert screened.status_code in (200, 400, 422) and "surrogate" in screened.text
    for body in ({"kind": "party", "value": "A\u0000B", "reason": "nul test"},
                 {"kind": "party", "value": "A\ud800B", "reason": "surrogate test"}):
        placed = analyst.post("/api/lookouts", content=json.dumps(body), headers={"Content-Type": "application/json"})
        assert placed.status_code == 422 and "value" in placed.text, placed.text
