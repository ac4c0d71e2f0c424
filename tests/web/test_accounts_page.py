"""The accounts page changes an account's roles and scope, with the same checks as the CLI and API."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from exodus.auth.accounts import get_user
from tests.accounts import form_token, make_account, sign_in


def test_the_accounts_page_rescopes_an_account(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    admin, _ = make_account(exodus_app, "administrator")
    officer, _ = make_account(exodus_app, "field_officer", ports=["2720"])
    client = sign_in(TestClient(web_app, base_url="https://testserver", follow_redirects=False), admin)
    page = client.get("/admin/users")
    assert 'action="/admin/users/change"' in page.text
    csrf = form_token(page.text)
    form = {"username": officer, "role": "field_officer", "ports": "3801, 2720", "csrf_token": csrf}
    assert client.post("/admin/users/change", data={**form, "csrf_token": "forged"}).status_code == 403
    done = client.post("/admin/users/change", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/admin/users"
    assert f"Account {officer} changed" in client.get("/admin/users").text
    refused = client.post("/admin/users/change", data={**form, "role": "analyst"})
    assert refused.status_code == 400 and "field &#39;port&#39;" in refused.text
    # what the form leaves empty is kept: no ports given keeps the officer's ports
    same = client.post("/admin/users/change", data={**form, "ports": ""})
    assert same.status_code == 409 and "already" in same.text
    with exodus_app.db.session() as session:
        assert get_user(session, officer).ports == ["2720", "3801"]
    # ports alone, no role ticked: the roles are kept
    moved = client.post("/admin/users/change", data={"username": officer, "ports": "3801", "csrf_token": csrf})
    assert moved.status_code == 303, moved.text
    with exodus_app.db.session() as session:
        changed = get_user(session, officer)
        assert changed.ports == ["3801"] and changed.roles == ["field_officer"]
    officer_browser = sign_in(TestClient(web_app, base_url="https://testserver", follow_redirects=False), officer)
    assert officer_browser.post("/admin/users/change", data={**form, "csrf_token": form_token(
        officer_browser.get("/worklist").text)}).status_code == 403
