"""Signing in and out, cookies, CSRF, the accounts page and throttling, as a browser does it."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from exodus.api.app import create_app
from exodus.auth.config import load_auth_settings
from exodus.errors import InvalidInput
from exodus.storage.models import WebSessionRow
from tests.accounts import PASSWORD, form_token, make_account, sign_in


def browser(app: FastAPI, address: str = "testclient", base: str = "https://testserver") -> TestClient:
    return TestClient(app, base_url=base, follow_redirects=False, client=(address, 50000))


def new_address() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_sign_in_sets_a_hardened_session_cookie_and_returns_to_the_page(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    client = browser(web_app)
    first = client.get("/worklist?port=2720")
    assert first.status_code == 303 and first.headers["location"] == "/signin?next=%2Fworklist%3Fport%3D2720"
    page = client.get(first.headers["location"])
    assert 'name="next" value="/worklist?port=2720"' in page.text
    done = client.post("/signin", data={"username": username, "password": PASSWORD,
                                        "csrf_token": form_token(page.text), "next": "/worklist?port=2720"})
    assert done.status_code == 303 and done.headers["location"] == "/worklist?port=2720"
    cookie = next(h for h in done.headers.get_list("set-cookie") if h.startswith("exodus_session="))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert client.get("/worklist").status_code == 200


def test_sign_in_never_redirects_off_site(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    client = browser(web_app)
    page = client.get("/signin", params={"next": "//evil.example/steal"})
    done = client.post("/signin", data={"username": username, "password": PASSWORD,
                                        "csrf_token": form_token(page.text), "next": "https://evil.example"})
    assert done.headers["location"] == "/"


def test_wrong_password_and_missing_form_token_are_refused(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    client = browser(web_app, new_address())
    page = client.get("/signin")
    wrong = client.post("/signin", data={"username": username, "password": "not my password",
                                         "csrf_token": form_token(page.text)})
    assert wrong.status_code == 401 and "Wrong username or password" in wrong.text
    assert "exodus_session" not in wrong.headers.get("set-cookie", "")
    forged = browser(web_app, new_address()).post("/signin", data={"username": username, "password": PASSWORD,
                                                                   "csrf_token": "guessed"})
    assert forged.status_code == 400 and "expired" in forged.text


def test_sign_in_is_throttled_after_repeated_failures(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    client = browser(web_app, new_address())
    statuses = []
    for _ in range(7):
        page = client.get("/signin")
        statuses.append(client.post("/signin", data={"username": username, "password": "guess guess guess",
                                                     "csrf_token": form_token(page.text)}).status_code)
    assert statuses[:5] == [401] * 5 and statuses[5:] == [429, 429]
    page = client.get("/signin")
    locked = client.post("/signin", data={"username": username, "password": PASSWORD, "csrf_token": form_token(page.text)})
    assert locked.status_code == 429 and "too many failed sign-ins" in locked.text


def test_state_changing_requests_of_a_session_need_the_csrf_token(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_account(exodus_app, "administrator", "analyst")
    client = sign_in(browser(web_app), admin)
    page = client.get("/admin/users")
    name = f"officer-{uuid.uuid4().hex[:6]}"
    form = {"username": name, "password": PASSWORD, "role": "field_officer", "ports": "2720"}
    assert client.post("/admin/users", data=form).status_code == 403
    assert client.post("/admin/users", data={**form, "csrf_token": "forged"}).status_code == 403
    assert client.post("/api/filings", json=[]).status_code == 403  # the API via a cookie needs it too
    assert client.post("/api/filings", json=[], headers={"X-CSRF-Token": form_token(page.text)}).status_code == 200
    created = client.post("/admin/users", data={**form, "csrf_token": form_token(page.text)})
    assert created.status_code == 303 and f"Account {name} created" in client.get("/admin/users").text


def test_admin_creates_a_token_once_and_revokes_it(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_account(exodus_app, "administrator")
    feed, _ = make_account(exodus_app, "feed")
    client = sign_in(browser(web_app), admin)
    csrf = form_token(client.get("/admin/users").text)
    posted = client.post("/admin/tokens", data={"username": feed, "name": "gateway", "csrf_token": csrf})
    assert posted.status_code == 303 and posted.headers["location"] == "/admin/users"
    shown = client.get("/admin/users")
    assert "shown this once" in shown.text
    secret = shown.text.split('exodus-secret">', 1)[1].split("<", 1)[0]
    machine = TestClient(web_app, base_url="https://testserver", headers={"Authorization": f"Bearer {secret}"})
    assert machine.post("/api/filings", json=[]).status_code == 200
    assert secret not in client.get("/admin/users").text
    token_id = next(t["id"] for t in machine_list(web_app, exodus_app) if t["user"] == feed and t["name"] == "gateway")
    assert client.post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": csrf}).status_code == 303
    assert machine.post("/api/filings", json=[]).status_code == 401


def machine_list(app: FastAPI, exodus) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    _, token = make_account(exodus, "administrator")
    return TestClient(app, base_url="https://testserver", headers={"Authorization": f"Bearer {token}"}).get("/api/tokens").json()


def test_sign_out_ends_the_session_on_the_server(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "supervisor")
    client = sign_in(browser(web_app), username)
    page = client.get("/worklist")
    stolen = client.cookies.get("exodus_session")
    out = client.post("/signout", data={"csrf_token": form_token(page.text)})
    assert out.status_code == 303 and out.headers["location"] == "/signin"
    replay = TestClient(web_app, base_url="https://testserver", follow_redirects=False,
                        cookies={"exodus_session": stolen})
    assert replay.get("/worklist").status_code == 303


def test_disabled_account_is_signed_out_at_once(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    client = sign_in(browser(web_app), username)
    _, admin_token = make_account(exodus_app, "administrator")
    admin = TestClient(web_app, base_url="https://testserver", headers={"Authorization": f"Bearer {admin_token}"})
    assert admin.post(f"/api/users/{username}/disable").json()["active"] is False
    assert client.get("/worklist").status_code == 303


def test_cookies_drop_secure_only_for_plain_http_on_loopback(web_app: FastAPI) -> None:
    local = browser(web_app, base="http://127.0.0.1:8000").get("/signin").headers["set-cookie"]
    remote = browser(web_app, base="http://exodus.example").get("/signin").headers["set-cookie"]
    assert "Secure" not in local and "Secure" in remote and "HttpOnly" in local


def test_pages_show_only_what_the_role_may_open(browser_as) -> None:  # type: ignore[no-untyped-def]
    viewer = browser_as("policy_viewer")
    home = viewer.get("/")
    assert home.headers["location"] == "/stats"
    stats = viewer.get("/stats")
    assert stats.status_code == 200 and 'href="/worklist"' not in stats.text and 'href="/audit"' not in stats.text
    refused = viewer.get("/worklist")
    assert refused.status_code == 403 and "may not use worklist.read" in refused.text and "usa-alert" in refused.text


def test_any_sign_in_form_input_is_answered_without_a_server_error(web_app: FastAPI) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client = browser(web_app, new_address())
    text = st.text(max_size=80)

    cookie_text = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=60)

    @given(username=text, password=text, token=text, next_url=text, cookie=st.none() | cookie_text)
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def attempt(username: str, password: str, token: str, next_url: str, cookie: str | None) -> None:
        client.cookies.clear()
        if cookie is not None:
            client.cookies.set("exodus_signin", cookie)
            token = cookie if len(token) % 2 else token  # half the time the form matches the cookie
        resp = client.post("/signin", data={"username": username, "password": password,
                                            "csrf_token": token, "next": next_url})
        assert resp.status_code in (303, 400, 401, 422, 429), resp.status_code
        assert "Traceback" not in resp.text
        if resp.status_code == 303:
            assert resp.headers["location"].startswith("/") and not resp.headers["location"].startswith("//")

    attempt()


def test_cookies_can_be_secure_always_and_settings_are_checked(exodus_app) -> None:  # type: ignore[no-untyped-def]
    app = create_app(exodus_app)
    app.state.auth_settings = load_auth_settings({"EXODUS_COOKIE_SECURE": "always"})
    cookie = browser(app, base="http://127.0.0.1:8000").get("/signin").headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    for name, value in [("EXODUS_COOKIE_SECURE", "never"), ("EXODUS_CLI_AUTH", "tokn"),
                        ("EXODUS_SESSION_HOURS", "forever"), ("EXODUS_SESSION_HOURS", "0")]:
        with pytest.raises(InvalidInput, match=name):
            load_auth_settings({name: value})


def test_a_session_ends_when_it_expires(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    client = sign_in(browser(web_app), username)
    assert client.get("/worklist").status_code == 200
    cookie = client.cookies.get("exodus_session")
    with exodus_app.db.session() as session:
        session.execute(update(WebSessionRow).where(WebSessionRow.token_hash == hashlib.sha256(cookie.encode()).hexdigest())
                        .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert client.get("/worklist").status_code == 303
