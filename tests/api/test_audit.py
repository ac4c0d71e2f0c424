"""Reads of sensitive records and every change land in the audit chain; supervisors search it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from exodus.storage.audit import verify
from exodus.storage.models import AuditEventRow
from tests.accounts import make_account, token_client
from tests.conftest import filing_data, unique_id


def search(client: TestClient, **params: str) -> list[dict]:  # type: ignore[type-arg]
    resp = client.get("/api/audit", params={"limit": "500", **params})
    assert resp.status_code == 200, resp.text
    return resp.json()["items"]


def test_reads_and_changes_are_audited_with_who_and_where(web_app: FastAPI, exodus_app) -> None:  # type: ignore[no-untyped-def]
    analyst_name, analyst_token = make_account(exodus_app, "analyst")
    analyst = TestClient(web_app, base_url="https://testserver", client=("192.0.2.44", 1234),
                         headers={"Authorization": f"Bearer {analyst_token}"})
    supervisor = token_client(web_app, make_account(exodus_app, "supervisor")[1])
    fid = unique_id("AU")
    analyst.post("/api/filings", json=[filing_data(filing_id=fid)])
    analyst.post("/api/target", json={"filing_ids": [fid]})
    analyst.get(f"/api/filings/{fid}")
    analyst.get("/api/screen", params={"name": "Kalashnikov Concern", "country": "RU"})
    analyst.get("/api/worklist", params={"port": "2720"})
    assert analyst.post("/api/lookouts", json={"kind": "party", "value": f"Party {fid}", "reason": "audit test"}).status_code == 201
    mine = search(supervisor, actor=analyst_name)
    actions = {e["action"] for e in mine}
    assert {"filing.created", "targeting.run", "filing.viewed", "screening.queried", "worklist.viewed",
            "lookout.created"} <= actions
    # changes written by services that never see the request still say where they came from
    assert {e["remote"] for e in mine} == {"192.0.2.44"}
    viewed = next(e for e in mine if e["action"] == "filing.viewed")
    assert viewed["object_id"] == fid and viewed["remote"] == "192.0.2.44" and viewed["actor"].startswith("token:")
    screened = next(e for e in mine if e["action"] == "screening.queried")
    assert screened["detail"]["names"] == ["Kalashnikov Concern"] and screened["detail"]["hits"] >= 1


def test_web_pages_audit_their_reads(browser_as, client_as) -> None:  # type: ignore[no-untyped-def]
    fid = unique_id("AW")
    client_as("feed").post("/api/filings", json=[filing_data(filing_id=fid)])
    officer = browser_as("field_officer", ports=["2720"])
    assert officer.get(f"/filings/{fid}").status_code == 200
    events = search(client_as("supervisor"), object_id=fid, action="filing.viewed")
    assert len(events) == 1 and events[0]["actor"].startswith("user:field-officer-")
    assert events[0]["detail"]["via"] == "web"


def test_audit_search_filters_by_action_prefix_object_and_time(client_as) -> None:  # type: ignore[no-untyped-def]
    supervisor = client_as("supervisor")
    fid = unique_id("AS")
    client_as("feed").post("/api/filings", json=[filing_data(filing_id=fid)])
    assert {e["action"] for e in search(supervisor, object_id=fid, action="filing.")} == {"filing.created"}
    assert search(supervisor, object_id=fid, action="filing") == []  # a bare word is an exact verb
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert search(supervisor, object_id=fid, since=future) == []
    assert len(search(supervisor, object_id=fid, until=future)) == 1
    assert supervisor.get("/api/audit", params={"since": "yesterday"}).status_code == 422
    assert search(supervisor, action="audit.searched")  # searching is itself on the record


def test_audit_page_for_supervisors_only(browser_as) -> None:  # type: ignore[no-untyped-def]
    page = browser_as("supervisor").get("/audit", params={"action": "signin.succeeded"})
    assert page.status_code == 200 and "signin.succeeded" in page.text and "usa-table" in page.text
    assert browser_as("supervisor").get("/audit", params={"since": "not a date"}).status_code == 400
    assert browser_as("analyst").get("/audit").status_code == 403


def test_tampering_with_read_events_is_detected(exodus_app, client_as) -> None:  # type: ignore[no-untyped-def]
    fid = unique_id("AT")
    client_as("feed").post("/api/filings", json=[filing_data(filing_id=fid)])
    client_as("analyst").get(f"/api/filings/{fid}")
    with exodus_app.db.session() as session:
        assert verify(session).ok
        row = session.execute(select(AuditEventRow).where(AuditEventRow.object_id == fid,
                                                          AuditEventRow.action == "filing.viewed")).scalar_one()
        original = row.actor
        session.execute(update(AuditEventRow).where(AuditEventRow.id == row.id).values(actor="user:nobody"))
    with exodus_app.db.session() as session:
        report = verify(session)
        assert not report.ok and any(f"audit entry {row.id}" in p and "edited" in p for p in report.problems)
        session.execute(update(AuditEventRow).where(AuditEventRow.id == row.id).values(actor=original))
    with exodus_app.db.session() as session:
        assert verify(session).ok


def test_refused_requests_are_audited(client_as) -> None:  # type: ignore[no-untyped-def]
    viewer_name, viewer_token = make_account_for("policy_viewer", client_as)
    assert viewer_token.get("/api/worklist").status_code == 403
    denied = search(client_as("supervisor"), actor=viewer_name, action="access.denied")
    assert denied and denied[0]["object_id"] == "GET /api/worklist"
    assert denied[0]["detail"] == {"permission": "worklist.read"}


def make_account_for(role: str, client_as) -> tuple[str, TestClient]:  # type: ignore[no-untyped-def]
    client = client_as(role)
    return client.get("/api/me").json()["username"], client
