"""Changing an account's roles and scope through the API; feeds see only their own filings' reasons;
an unknown caller is refused before its body is read."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from exodus.storage.models import AuditEventRow
from tests.accounts import make_account, token_client
from tests.conftest import filing_data, unique_id


def test_an_administrator_rescopes_an_officer_and_its_token_follows(web_app, exodus_app, client_as) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("administrator")
    officer_name, officer_token = make_account(exodus_app, "field_officer", ports=["2720"])
    officer = token_client(web_app, officer_token)
    fid = unique_id()
    client_as("analyst").post("/api/filings", json=[filing_data(filing_id=fid, port_of_export="3801")])
    assert officer.get(f"/api/filings/{fid}").status_code == 404  # another port's filing
    changed = admin.patch(f"/api/users/{officer_name}", json={"ports": ["3801"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["ports"] == ["3801"] and changed.json()["roles"] == ["field_officer"]
    assert officer.get("/api/me").json()["ports"] == ["3801"]
    assert officer.get(f"/api/filings/{fid}").status_code == 200  # the same token, the new scope
    with exodus_app.db.session() as session:
        event = session.execute(select(AuditEventRow).where(AuditEventRow.action == "user.changed",
                                                            AuditEventRow.object_id == officer_name)).scalar_one()
        assert event.actor.startswith("token:administrator-")
        assert event.detail["before"]["ports"] == ["2720"] and event.detail["after"]["ports"] == ["3801"]


def test_changes_are_checked_and_only_for_administrators(web_app, exodus_app, client_as) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("administrator")
    name, _ = make_account(exodus_app, "analyst")
    bad_port = admin.patch(f"/api/users/{name}", json={"roles": ["field_officer"], "ports": ["9999"]})
    assert bad_port.status_code == 400 and "port 9999 is not a Schedule D port" in bad_port.json()["detail"]
    no_scope = admin.patch(f"/api/users/{name}", json={"ports": ["3801"]})
    assert no_scope.status_code == 400 and "field 'port'" in no_scope.json()["detail"]
    assert admin.patch(f"/api/users/{name}", json={}).status_code == 400
    assert admin.patch("/api/users/nobody-here", json={"roles": ["analyst"]}).status_code == 404
    denied = client_as("supervisor").patch(f"/api/users/{name}", json={"roles": ["supervisor"]})
    assert denied.status_code == 403
    assert client_as("analyst").get("/api/me").json()["roles"] == ["analyst"]


def test_creating_an_account_refuses_a_scope_its_roles_do_not_read(client_as) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("administrator")
    name = f"zz-{uuid.uuid4().hex[:6]}"
    refused = admin.post("/api/users", json={"username": name, "roles": ["analyst"], "ports": ["3801"]})
    assert refused.status_code == 400 and "field 'port'" in refused.json()["detail"]
    refused = admin.post("/api/users", json={"username": name, "roles": ["feed"], "agencies": ["BIS"]})
    assert refused.status_code == 400 and "field 'agency'" in refused.json()["detail"]
    assert name not in [u["username"] for u in admin.get("/api/users").json()]


def test_a_feed_targets_only_the_filings_its_account_sent(client_as) -> None:  # type: ignore[no-untyped-def]
    feed, other_feed, analyst = client_as("feed"), client_as("feed"), client_as("analyst")
    own, foreign = unique_id(), unique_id()
    assert feed.post("/api/filings", json=[filing_data(filing_id=own)]).status_code == 200
    assert other_feed.post("/api/filings", json=[filing_data(filing_id=foreign)]).status_code == 200
    mine = feed.post("/api/target", json={"filing_ids": [own]})
    assert mine.status_code == 200 and mine.json()[0]["filing_id"] == own
    refused = feed.post("/api/target", json={"filing_ids": [own, foreign]})
    assert refused.status_code == 404 and foreign in refused.json()["detail"] and own not in refused.json()["detail"]
    # An id that exists looks just like one that does not.
    unknown = feed.post("/api/target", json={"filing_ids": ["NO-SUCH-FILING"]}).json()["detail"]
    assert refused.json()["detail"].replace(foreign, "X") == unknown.replace("NO-SUCH-FILING", "X")
    # A correction sent by someone else makes the filing no longer the feed's own.
    corrected = analyst.post("/api/filings", json=[filing_data(filing_id=own, filed_at="2026-12-02T10:00:00Z", carrier="NEW")])
    assert corrected.json()["corrected"] == 1, corrected.text
    assert feed.post("/api/target", json={"filing_ids": [own]}).status_code == 404
    both = analyst.post("/api/target", json={"filing_ids": [own, foreign]})
    assert both.status_code == 200 and [r["filing_id"] for r in both.json()] == [own, foreign]


def test_an_unknown_caller_gets_401_whatever_the_body(web_app, client_as) -> None:  # type: ignore[no-untyped-def]
    anonymous = TestClient(web_app, base_url="https://testserver", follow_redirects=False)
    for path in ("/api/target", "/api/filings", "/api/users", "/api/screen"):
        for body in (b"{not json", b'{"filing_ids": 5}', b""):
            resp = anonymous.post(path, content=body, headers={"Content-Type": "application/json"})
            assert resp.status_code == 401, (path, body, resp.status_code)
            assert resp.headers["WWW-Authenticate"] == "Bearer"
    # A known caller without the permission is told so; one with it hears what is wrong with its body.
    assert client_as("policy_viewer").post("/api/target", content=b"{not json",
                                           headers={"Content-Type": "application/json"}).status_code == 403
    bad = client_as("analyst").post("/api/target", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 422 and bad.json()["detail"] == "invalid request"


def test_an_unknown_body_field_is_refused_naming_it_and_the_closest_known_one(exodus_app, client_as) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("administrator")
    officer_name, _ = make_account(exodus_app, "field_officer", ports=["2720"])
    misspelt = admin.patch(f"/api/users/{officer_name}", json={"port": ["3801"]})
    assert misspelt.status_code == 422, misspelt.text
    assert "'port'" in misspelt.json()["detail"] and "'ports'" in misspelt.json()["detail"]
    assert admin.get("/api/users").status_code == 200
    [user] = [u for u in admin.get("/api/users").json() if u["username"] == officer_name]
    assert user["ports"] == ["2720"]  # nothing changed

    decision = {"party_name": "Jade Electronics Corp.", "entity_id": "SDN:1", "decision": "false_positive",
                "reason": "another company", "replace": 5}
    refused = client_as("analyst").post("/api/screening/decisions", json=decision)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["problems"]
    assert problem["loc"] == ["body", "replace"] and "did you mean 'replaces'?" in problem["msg"]
    # A field far from any known one is still named, without a guess.
    odd = client_as("analyst").post("/api/target", json={"filing_ids": ["X"], "zzqq": 1})
    assert odd.status_code == 422 and "'zzqq' is not a field" in odd.json()["detail"]
    assert "did you mean" not in odd.json()["detail"]


def test_an_administrator_makes_tokens_for_services_not_for_people_who_sign_in(client_as) -> None:  # type: ignore[no-untyped-def]
    admin = client_as("administrator")
    person, service = f"ana-{uuid.uuid4().hex[:6]}", f"gw-{uuid.uuid4().hex[:6]}"
    assert admin.post("/api/users", json={"username": person, "roles": ["analyst"],
                                          "password": "a long enough passphrase 91"}).status_code == 201
    assert admin.post("/api/users", json={"username": service, "roles": ["feed"]}).status_code == 201
    refused = admin.post("/api/tokens", json={"username": person, "name": "act as ana"})
    assert refused.status_code == 403 and "signs in with a password" in refused.json()["detail"]
    made = admin.post("/api/tokens", json={"username": service, "name": "nightly gateway"})
    assert made.status_code == 201 and made.json()["token"].startswith("exo_")
