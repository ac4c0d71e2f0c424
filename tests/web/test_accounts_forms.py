"""The accounts page's forms answer with a redirect (post, redirect, get): a reload never posts again."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from exodus.auth import accounts as acc
from tests.accounts import form_token, make_account, sign_in


def admin_browser(web_app: FastAPI, exodus_app) -> TestClient:  # type: ignore[no-untyped-def]
    admin, _ = make_account(exodus_app, "administrator")
    return sign_in(TestClient(web_app, base_url="https://testserver", follow_redirects=False), admin)


def tokens_of(exodus_app, username: str) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    with exodus_app.db.session() as session:
        return [t for t in acc.list_tokens(session) if t["user"] == username]


def test_a_new_token_is_shown_once_after_a_redirect_and_a_reload_makes_no_second(
        web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    client = admin_browser(web_app, exodus_app)
    feed, _ = make_account(exodus_app, "feed")
    before = len(tokens_of(exodus_app, feed))
    posted = client.post("/admin/tokens", data={"username": feed, "name": "gateway",
                                                "csrf_token": form_token(client.get("/admin/users").text)})
    assert posted.status_code == 303 and posted.headers["location"] == "/admin/users"
    assert "exo_" not in posted.headers["location"] and not posted.text
    shown = client.get("/admin/users")
    assert shown.status_code == 200 and "shown this once" in shown.text
    secret = shown.text.split('exodus-secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith("exo_")
    machine = TestClient(web_app, base_url="https://testserver", headers={"Authorization": f"Bearer {secret}"})
    assert machine.get("/api/me").json()["username"] == feed
    # The reload after the redirect is a GET: the secret is gone and no token is made.
    again = client.get("/admin/users")
    assert secret not in again.text and "shown this once" not in again.text
    assert len(tokens_of(exodus_app, feed)) == before + 1


def test_what_a_form_left_shows_only_to_the_session_that_sent_it(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    client = admin_browser(web_app, exodus_app)
    feed, _ = make_account(exodus_app, "feed")
    posted = client.post("/admin/tokens", data={"username": feed, "name": "leak test",
                                                "csrf_token": form_token(client.get("/admin/users").text)})
    assert posted.status_code == 303
    flash = client.cookies.get("exodus_flash")
    assert flash
    other = admin_browser(web_app, exodus_app)
    other.cookies.set("exodus_flash", flash, domain="testserver.local", path="/admin/users")
    assert "shown this once" not in other.get("/admin/users").text
    forged = flash.rsplit(".", 1)[0] + "." + "0" * 64
    client.cookies.set("exodus_flash", forged, domain="testserver.local", path="/admin/users")
    assert "shown this once" not in client.get("/admin/users").text


def test_account_forms_redirect_and_say_what_they_did(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    client = admin_browser(web_app, exodus_app)
    name = f"clerk-{make_account(exodus_app, 'analyst')[0][-8:]}"
    csrf = form_token(client.get("/admin/users").text)
    created = client.post("/admin/users", data={"username": name, "password": "correct horse battery staple",
                                                "role": "analyst", "csrf_token": csrf})
    assert created.status_code == 303 and created.headers["location"] == "/admin/users"
    page = client.get("/admin/users")
    assert f"Account {name} created." in page.text
    assert f"Account {name} created." not in client.get("/admin/users").text  # once
    refused = client.post("/admin/users", data={"username": name, "password": "correct horse battery staple",
                                                "role": "analyst", "csrf_token": csrf})
    assert refused.status_code == 409 and "usa-alert--error" in refused.text  # nothing stored: shown at once


def test_disabled_and_locked_accounts_can_be_enabled_and_unlocked_from_the_page(
        web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    client = admin_browser(web_app, exodus_app)
    officer, _ = make_account(exodus_app, "field_officer")
    csrf = form_token(client.get("/admin/users").text)
    disabled = client.post(f"/admin/users/{officer}/disable", data={"csrf_token": csrf})
    assert disabled.status_code == 303
    page = client.get("/admin/users")
    assert f"Account {officer} disabled." in page.text
    assert f'action="/admin/users/{officer}/enable"' in page.text
    assert client.post(f"/admin/users/{officer}/enable", data={}).status_code == 403  # no CSRF token
    enabled = client.post(f"/admin/users/{officer}/enable", data={"csrf_token": csrf})
    assert enabled.status_code == 303
    page = client.get("/admin/users")
    assert f"Account {officer} enabled." in page.text and f'action="/admin/users/{officer}/enable"' not in page.text
    with exodus_app.db.session() as session:
        assert acc.get_user(session, officer).active
    again = client.post(f"/admin/users/{officer}/enable", data={"csrf_token": csrf})
    assert again.status_code == 409 and "enabled already" in again.text

    assert f'action="/admin/users/{officer}/unlock"' not in page.text
    with exodus_app.db.session() as session:
        for _ in range(acc.MAX_FAILURES_PER_ACCOUNT):
            assert acc.authenticate(session, officer, "wrong wrong wrong", "192.0.2.77") is None
    page = client.get("/admin/users")
    assert f'action="/admin/users/{officer}/unlock"' in page.text and "locked (5 failed sign-ins)" in page.text
    unlocked = client.post(f"/admin/users/{officer}/unlock", data={"csrf_token": csrf})
    assert unlocked.status_code == 303
    page = client.get("/admin/users")
    assert f"Account {officer} unlocked" in page.text and f'action="/admin/users/{officer}/unlock"' not in page.text
    with exodus_app.db.session() as session:
        assert acc.authenticate(session, officer, "correct horse battery staple", "192.0.2.77") is not None
