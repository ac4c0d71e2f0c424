"""Refused API requests leave an audit entry, without the presented secret; a flood is summarised."""

from __future__ import annotations

import json
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from exodus.api.app import create_app
from exodus.auth import refusals
from exodus.auth.accounts import SYSTEM, revoke_token
from exodus.auth.refusals import DENIALS_SUPPRESSED, REFUSED, SUPPRESSED, RefusalLimiter
from exodus.storage.audit import verify
from exodus.storage.models import ApiTokenRow, AuditEventRow, UserRow
from tests.accounts import make_account
from tests.conftest import filing_data, unique_id

BOGUS = "exo_" + "Q" * 43  # well-formed, but no such token


def new_address() -> str:
    n = uuid.uuid4().int
    return f"198.18.{n % 250}.{(n >> 8) % 250}"


def caller(app, address: str, token: str | None = None) -> TestClient:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return TestClient(app, base_url="https://testserver", client=(address, 4321), headers=headers,
                      follow_redirects=False)


def entries_from(exodus, address: str) -> list[AuditEventRow]:  # type: ignore[no-untyped-def]
    with exodus.db.session() as session:
        rows = session.execute(select(AuditEventRow).where(AuditEventRow.remote == address)
                               .order_by(AuditEventRow.id)).scalars().all()
        session.expunge_all()
    return list(rows)


def stored_text(rows: list[AuditEventRow]) -> str:
    return json.dumps([[r.actor, r.action, r.object_type, r.object_id, r.detail, r.remote] for r in rows])


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_unknown_bearer_token_is_refused_and_audited_without_the_token(web_app, exodus_app) -> None:  # type: ignore[no-untyped-def]
    address = new_address()
    resp = caller(web_app, address, BOGUS).get("/api/worklist", params={"port": "2720"})
    assert resp.status_code == 401
    [entry] = entries_from(exodus_app, address)
    assert (entry.actor, entry.action, entry.object_type, entry.object_id) == (
        "anonymous", REFUSED, "route", "GET /api/worklist")
    assert entry.detail == {"reason": "unknown API token", "permission": "worklist.read"}
    assert BOGUS not in stored_text([entry]) and BOGUS[4:16] not in stored_text([entry])


def test_a_revoked_token_and_a_missing_one_say_why(web_app, exodus_app) -> None:  # type: ignore[no-untyped-def]
    username, secret = make_account(exodus_app, "analyst")
    with exodus_app.db.session() as session:
        token_id = session.execute(select(ApiTokenRow.id).join(UserRow, UserRow.id == ApiTokenRow.user_id)
                                   .where(UserRow.username == username)).scalar_one()
        revoke_token(session, SYSTEM, token_id)
    address = new_address()
    assert caller(web_app, address, secret).post("/api/filings", json=[]).status_code == 401
    assert caller(web_app, address).get("/api/audit").status_code == 401
    revoked, missing = entries_from(exodus_app, address)
    assert revoked.detail["reason"] == f"revoked API token {token_id} of {username!r}"
    assert revoked.object_id == "POST /api/filings"
    assert missing.detail["reason"] == "no API token or session" and missing.object_id == "GET /api/audit"
    assert secret not in stored_text([revoked, missing])


def test_a_flood_of_bad_tokens_is_capped_per_source_and_summarised(exodus_app) -> None:  # type: ignore[no-untyped-def]
    app = create_app(exodus_app)
    clock = Clock()
    app.state.refusals = RefusalLimiter(per_source=3, window=60, clock=clock)
    flooder, other = new_address(), new_address()
    with caller(app, flooder, BOGUS) as flood:  # entering runs the app's lifespan; leaving ends it
        assert {flood.get("/api/worklist").status_code for _ in range(25)} == {401}
        assert caller(app, other, BOGUS).get("/api/worklist").status_code == 401
        assert [e.action for e in entries_from(exodus_app, flooder)] == [REFUSED] * 3
        assert [e.action for e in entries_from(exodus_app, other)] == [REFUSED]  # not crowded out
        clock.now += 60
        assert flood.get("/api/worklist").status_code == 401  # a new window: summary, then this one
        assert [e.action for e in entries_from(exodus_app, flooder)] == [REFUSED] * 3 + [SUPPRESSED, REFUSED]
        assert flood.get("/api/worklist").status_code == 401
    rows = entries_from(exodus_app, flooder)
    summaries = [e for e in rows if e.action == SUPPRESSED]
    assert [s.detail["suppressed"] for s in summaries] == [22]  # the second window suppressed nothing
    assert summaries[0].detail["reason"] == f"22 more refusals from {flooder} suppressed in 1 minute"
    assert summaries[0].object_id == flooder
    with exodus_app.db.session() as session:
        assert verify(session).ok


def test_the_summary_of_the_last_window_is_written_when_the_server_stops(exodus_app) -> None:  # type: ignore[no-untyped-def]
    app = create_app(exodus_app)
    app.state.refusals = RefusalLimiter(per_source=1, window=60, clock=Clock())
    address = new_address()
    with caller(app, address, BOGUS) as flood:
        for _ in range(4):
            flood.get("/api/worklist")
        assert [e.action for e in entries_from(exodus_app, address)] == [REFUSED]
    summary = entries_from(exodus_app, address)[-1]
    assert summary.action == SUPPRESSED and summary.detail["suppressed"] == 3


def test_an_officer_asking_for_another_ports_filing_gets_404_and_an_audit_entry(web_app, client_as, exodus_app) -> None:  # type: ignore[no-untyped-def]
    elsewhere = unique_id("OP")
    assert client_as("feed").post("/api/filings", json=[filing_data(filing_id=elsewhere, port_of_export="3901")]
                                  ).status_code == 200
    username, token = make_account(exodus_app, "field_officer", ports=["2720"])
    address = new_address()
    officer = caller(web_app, address, token)
    assert officer.get(f"/api/filings/{elsewhere}").status_code == 404
    assert officer.get(f"/api/filings/{elsewhere}/licensing").status_code == 404
    assert officer.get(f"/api/filings/{unique_id('NONE')}").status_code == 404  # truly missing: nothing to audit
    denied = entries_from(exodus_app, address)
    assert [(e.action, e.object_type, e.object_id) for e in denied] == [("access.denied", "filing", elsewhere)] * 2
    assert denied[0].actor.startswith(f"token:{username}#")
    assert denied[0].detail["reason"] == "filing of port 3901, outside the account's ports (2720)"
    assert denied[0].detail["permission"] == "filing.read" and denied[1].detail["part"] == "licensing"
    # the 404 itself says nothing of the other port
    assert "3901" not in officer.get(f"/api/filings/{elsewhere}").text


def test_a_routes_audit_note_is_committed_before_its_response_is_sent(web_app, client_as, exodus_app) -> None:  # type: ignore[no-untyped-def]
    """The request's session commits when the route returns, not after the response went out."""
    import anyio

    fid = unique_id("CM")
    assert client_as("feed").post("/api/filings", json=[filing_data(filing_id=fid)]).status_code == 200
    _username, token = make_account(exodus_app, "analyst")
    seen_at_start: list[int] = []

    def viewed() -> int:
        with exodus_app.db.session() as session:  # another connection: sees only committed rows
            return len(session.execute(select(AuditEventRow.id).where(
                AuditEventRow.object_id == fid, AuditEventRow.action == "filing.viewed")).all())

    async def receive() -> dict:  # type: ignore[type-arg]
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:  # type: ignore[type-arg]
        if message["type"] == "http.response.start":
            assert message["status"] == 200
            seen_at_start.append(await anyio.to_thread.run_sync(viewed))

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
             "scheme": "https", "path": f"/api/filings/{fid}", "raw_path": f"/api/filings/{fid}".encode(),
             "query_string": b"", "root_path": "", "client": (new_address(), 1), "server": ("testserver", 443),
             "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())]}
    anyio.run(web_app, scope, receive, send)
    assert seen_at_start == [1]


def test_an_account_asking_again_and_again_is_limited_per_actor_then_summarised(client_as, exodus_app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    elsewhere = unique_id("FL")
    assert client_as("feed").post("/api/filings", json=[filing_data(filing_id=elsewhere, port_of_export="3901")]
                                  ).status_code == 200
    clock = Clock()
    monkeypatch.setattr(refusals, "DENIALS", RefusalLimiter(per_source=10, by="actor", clock=clock,
                                                            action=DENIALS_SUPPRESSED, noun="denial"))
    username, token = make_account(exodus_app, "field_officer", ports=["2720"])
    address = new_address()
    app = create_app(exodus_app)
    with caller(app, address, token) as officer:
        assert {officer.get(f"/api/filings/{elsewhere}").status_code for _ in range(30)} == {404}
        assert {officer.get("/api/audit").status_code for _ in range(5)} == {403}  # denied by route, same limit
        assert [e.action for e in entries_from(exodus_app, address)] == ["access.denied"] * 10
        clock.now += 60
        assert officer.get(f"/api/filings/{elsewhere}").status_code == 404
        rows = entries_from(exodus_app, address)
        assert [e.action for e in rows] == ["access.denied"] * 10 + [DENIALS_SUPPRESSED, "access.denied"]
        summary = rows[10]
        assert summary.actor.startswith(f"token:{username}#") and summary.detail["suppressed"] == 25
        assert summary.detail["top"] == [{"actor": summary.actor, "suppressed": 25}]
        for _ in range(10):
            officer.get(f"/api/filings/{elsewhere}")
    # the denial left over when the server stops gets its summary too
    with exodus_app.db.session() as session:
        summaries = session.execute(select(AuditEventRow).where(
            AuditEventRow.actor == summary.actor, AuditEventRow.action == DENIALS_SUPPRESSED)
            .order_by(AuditEventRow.id)).scalars().all()
        assert [s.detail["suppressed"] for s in summaries] == [25, 1]
        assert verify(session).ok
