"""Forms refused for their CSRF token, throttled sign-ins and dead sessions leave an audit entry."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from exodus.auth.refusals import REFUSED
from exodus.storage.models import AuditEventRow
from tests.accounts import PASSWORD, form_token, make_account, sign_in
from tests.web.test_signin import browser, new_address


def refusals_from(exodus, address: str) -> list[AuditEventRow]:  # type: ignore[no-untyped-def]
    with exodus.db.session() as session:
        rows = session.execute(select(AuditEventRow).where(AuditEventRow.remote == address,
                                                           AuditEventRow.action == REFUSED)
                               .order_by(AuditEventRow.id)).scalars().all()
        session.expunge_all()
    return list(rows)


def test_a_form_failing_its_csrf_check_is_refused_and_audited(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    address = new_address()
    client = sign_in(browser(web_app, address), username)
    assert client.post("/signout", data={"csrf_token": "forged"}).status_code == 403
    assert client.post("/signout").status_code == 403
    forged, missing = refusals_from(exodus_app, address)
    assert forged.actor == f"user:{username}" and forged.object_id == "POST /signout"
    assert "CSRF check" in forged.detail["reason"] and missing.detail == forged.detail
    assert client.get("/worklist").status_code == 200  # the session itself still works


def test_a_sign_in_form_without_its_token_is_audited_without_the_password(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    address = new_address()
    refused = browser(web_app, address).post("/signin", data={"username": username, "password": PASSWORD,
                                                               "csrf_token": "guessed"})
    assert refused.status_code == 400
    [entry] = refusals_from(exodus_app, address)
    assert entry.actor == "anonymous" and entry.object_id == "POST /signin"
    assert entry.detail == {"reason": "sign-in form without its CSRF token (expired or not from Exodus)"}


def test_a_throttled_sign_in_is_audited_with_the_account_and_not_the_password(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, "analyst")
    address = new_address()
    client = browser(web_app, address)
    for attempt in range(5):
        page = client.get("/signin")
        wrong = client.post("/signin", data={"username": username, "password": f"wrong password {attempt}",
                                             "csrf_token": form_token(page.text)})
        assert wrong.status_code == 401
    assert refusals_from(exodus_app, address) == []  # failed sign-ins are `signin.failed`, not refusals
    page = client.get("/signin")
    locked = client.post("/signin", data={"username": username, "password": PASSWORD,
                                          "csrf_token": form_token(page.text)})
    assert locked.status_code == 429
    [entry] = refusals_from(exodus_app, address)
    assert entry.object_id == "POST /signin" and entry.detail["username"] == username
    assert entry.detail["reason"].startswith("sign-in throttled: too many failed sign-ins for this account")
    assert PASSWORD not in json.dumps(entry.detail)


def test_a_page_asked_with_an_ended_session_is_audited(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    address = new_address()
    client = TestClient(web_app, base_url="https://testserver", follow_redirects=False, client=(address, 1),
                        cookies={"exodus_session": "not-a-session-we-made"})
    assert client.get("/worklist").status_code == 303  # off to sign in
    [entry] = refusals_from(exodus_app, address)
    assert entry.detail["reason"] == "unknown or ended session" and entry.object_id == "GET /worklist"
    assert "not-a-session-we-made" not in json.dumps(entry.detail)
