"""Accounts, passwords, tokens, throttling and the first administrator, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from exodus.auth import Permission, Principal, ScopeKind, authorize
from exodus.auth import accounts as acc
from exodus.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    TooManyAttempts,
)
from exodus.storage.audit import verify
from exodus.storage.db import Database
from exodus.storage.models import ApiTokenRow, AuditEventRow, UserRow

PASSWORD = "a long enough passphrase"


def add(db: Database, username: str, *roles: str, **scope: list[str]) -> None:
    with db.session() as session:
        acc.create_user(session, acc.SYSTEM, username=username, roles=list(roles), password=PASSWORD, **scope)


def test_passwords_are_argon2_hashes_and_checked(database: Database) -> None:
    add(database, "ana", "analyst")
    with database.session() as session:
        stored = session.execute(select(UserRow.password_hash).where(UserRow.username == "ana")).scalar_one()
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
        assert acc.authenticate(session, "ana", PASSWORD, "10.0.0.1") is not None
        assert acc.authenticate(session, "ANA ", PASSWORD, "10.0.0.1") is not None  # names are case-blind
        assert acc.authenticate(session, "ana", "wrong password!", "10.0.0.1") is None
        assert acc.authenticate(session, "nobody", PASSWORD, "10.0.0.1") is None


def test_tokens_are_hashed_shown_once_and_revocable(database: Database) -> None:
    add(database, "feeder", "feed")
    with database.session() as session:
        secret, row = acc.create_token(session, acc.SYSTEM, "feeder", "nightly")
        token_id = row.id
    with database.session() as session:
        stored = session.get(ApiTokenRow, token_id)
        assert stored is not None and secret not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
        principal = acc.resolve_token(session, secret, "10.0.0.2")
        assert principal is not None and principal.username == "feeder" and principal.actor == f"token:feeder#{token_id}"
        assert acc.resolve_token(session, secret + "x", "10.0.0.2") is None
        acc.revoke_token(session, acc.SYSTEM, token_id)
    with database.session() as session:
        assert acc.resolve_token(session, secret, "10.0.0.2") is None


def test_disabling_an_account_stops_its_tokens_and_sessions(database: Database) -> None:
    add(database, "leaver", "supervisor")
    with database.session() as session:
        secret, _ = acc.create_token(session, acc.SYSTEM, "leaver", "laptop")
        cookie, _principal = acc.open_session(session, acc.get_user(session, "leaver"), "10.0.0.3", 1)
    with database.session() as session:
        acc.set_active(session, acc.SYSTEM, "leaver", False)
    with database.session() as session:
        assert acc.resolve_token(session, secret, None) is None
        assert acc.resolve_session(session, cookie, None) is None
        assert acc.authenticate(session, "leaver", PASSWORD, "10.0.0.3") is None


def test_sign_in_is_throttled_per_account(database: Database) -> None:
    add(database, "target", "analyst")
    add(database, "bystander", "analyst")
    for n in range(acc.MAX_FAILURES_PER_ACCOUNT):
        with database.session() as session:
            assert acc.authenticate(session, "target", f"guess number {n}", f"10.1.0.{n}") is None
    with database.session() as session, pytest.raises(TooManyAttempts, match="this account"):
        acc.authenticate(session, "target", PASSWORD, "10.1.0.99")  # even the right password waits
    with database.session() as session:
        assert acc.authenticate(session, "bystander", PASSWORD, "10.1.0.1") is not None


def test_sign_in_is_throttled_per_address(database: Database) -> None:
    add(database, "victim", "analyst")
    for n in range(acc.MAX_FAILURES_PER_ADDRESS):
        with database.session() as session:
            acc.authenticate(session, f"spray{n}", "password123456", "10.2.0.1")
    with database.session() as session, pytest.raises(TooManyAttempts, match="your address"):
        acc.authenticate(session, "victim", PASSWORD, "10.2.0.1")
    with database.session() as session:
        assert acc.authenticate(session, "victim", PASSWORD, "10.2.0.2") is not None


def test_first_administrator_is_created_once(database: Database) -> None:
    with database.session() as session:
        created, generated = acc.ensure_admin(session)
        assert created and generated and len(generated) >= 16
    with database.session() as session:
        assert acc.ensure_admin(session) == (False, None)
        admin = acc.authenticate(session, "admin", generated, "127.0.0.1")
        assert admin is not None and set(admin.roles) == {"administrator", "supervisor"}


def test_first_administrator_takes_the_given_password(database: Database) -> None:
    with database.session() as session:
        assert acc.ensure_admin(session, "from the environment") == (True, None)
        assert acc.authenticate(session, "admin", "from the environment", "127.0.0.1") is not None


@pytest.mark.parametrize(("roles", "scope", "message"), [
    (["field_officer"], {}, "port-scoped role needs at least one port"),
    (["agency_liaison"], {}, "agency-scoped role needs an agency"),
    (["agency_liaison"], {"agencies": ["CIA"]}, "agencies must be among"),
    (["field_officer"], {"ports": ["LAX"]}, "4-digit Schedule D"),
    (["field_officer"], {"ports": ["2720", "9999"]}, "port 9999 is not a Schedule D port"),
    (["operator"], {}, "cannot be given"),
    (["wizard"], {}, "unknown role"),
    ([], {}, "at least one role"),
])
def test_roles_and_scopes_are_checked(database: Database, roles: list[str], scope: dict[str, list[str]], message: str) -> None:
    with database.session() as session, pytest.raises(InvalidInput, match=message):
        acc.create_user(session, acc.SYSTEM, username="someone", roles=roles, password=PASSWORD, **scope)


def test_short_passwords_and_duplicate_names_are_refused(database: Database) -> None:
    add(database, "taken", "analyst")
    with database.session() as session, pytest.raises(InvalidInput, match="at least 12"):
        acc.create_user(session, acc.SYSTEM, username="shorty", roles=["analyst"], password="short")
    with database.session() as session, pytest.raises(Exception, match="exists already"):
        acc.create_user(session, acc.SYSTEM, username="taken", roles=["analyst"], password=PASSWORD)


def test_account_changes_and_sign_ins_are_in_the_verified_chain(database: Database) -> None:
    add(database, "audited", "analyst")
    with database.session() as session:
        acc.authenticate(session, "audited", "not the password", "10.3.0.1")
        acc.authenticate(session, "audited", PASSWORD, "10.3.0.1")
        acc.create_token(session, acc.SYSTEM, "audited", "ci")
    with database.session() as session:
        events = [(e.action, e.object_id, e.remote) for e in session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars()]
        assert events[:4] == [("user.created", "audited", None), ("signin.failed", "audited", "10.3.0.1"),
                              ("signin.succeeded", "audited", "10.3.0.1"), ("token.created", events[3][1], None)]
        assert verify(session).ok


def test_authorize_is_the_one_check() -> None:
    officer = Principal("o", ("field_officer",), ports=frozenset({"2720"}))
    assert authorize(officer, Permission.WORKLIST_READ) is officer
    assert officer.ports_for(Permission.WORKLIST_READ) == {"2720"}
    with pytest.raises(PermissionDenied, match="may not use rule.write"):
        authorize(officer, Permission.RULE_WRITE)
    with pytest.raises(NotAuthenticated):
        authorize(None, Permission.WORKLIST_READ)
    both = Principal("b", ("field_officer", "investigator"), ports=frozenset({"2720"}))
    assert both.ports_for(Permission.FILING_READ) is None  # the investigator role reads any port
    assert both.ports_for(Permission.WORKLIST_READ) == {"2720"}
    liaison = Principal("l", ("agency_liaison",), agencies=frozenset({"BIS"}))
    assert liaison.scope(Permission.REFERRAL_READ, ScopeKind.AGENCY) == {"BIS"}
    assert liaison.scope(Permission.WORKLIST_READ, ScopeKind.PORT) == frozenset()


def test_roles_are_data_and_the_local_operator_holds_every_permission() -> None:
    from exodus.auth import roles

    assert roles()["operator"].permissions == set(Permission)
    assert not roles()["operator"].assignable
    assert roles()["field_officer"].scope is ScopeKind.PORT and roles()["agency_liaison"].scope is ScopeKind.AGENCY
    assert roles()["policy_viewer"].permissions == {Permission.STATS_READ}
    granted = set().union(*(r.permissions for name, r in roles().items() if name != "operator"))
    assert granted == set(Permission)  # every permission reaches someone


def test_events_carry_the_origin_of_their_request_or_command(database: Database) -> None:
    """Services write events without knowing the caller's address; the origin set for the request fills it in."""
    import contextvars

    from exodus.storage.audit import AuditEvent, record, set_origin

    def in_request(origin: str | None, event: AuditEvent) -> None:
        def run() -> None:
            set_origin(origin)
            with database.session() as session:
                record(session, [event])
        contextvars.copy_context().run(run)

    in_request("203.0.113.7", AuditEvent("user:ana", "lookout.created", "lookout", "1"))
    in_request("203.0.113.7", AuditEvent("user:ana", "signin.succeeded", "user", "ana", remote="198.51.100.1"))
    in_request(None, AuditEvent("system", "list.loaded", "list_version", "1"))
    with database.session() as session:
        remotes = [r for (r,) in session.execute(select(AuditEventRow.remote).order_by(AuditEventRow.id))]
        assert remotes == ["203.0.113.7", "198.51.100.1", None]  # an explicit address wins; none leaks over
        assert verify(session).ok


def test_revoking_or_disabling_twice_is_refused(database: Database) -> None:
    add(database, "twice", "feed")
    with database.session() as session:
        _secret, row = acc.create_token(session, acc.SYSTEM, "twice", "once")
        token_id = row.id
    with database.session() as session:
        acc.revoke_token(session, acc.SYSTEM, token_id)
        acc.set_active(session, acc.SYSTEM, "twice", False)
    with database.session() as session:
        with pytest.raises(Conflict, match="revoked already"):
            acc.revoke_token(session, acc.SYSTEM, token_id)
        with pytest.raises(Conflict, match="disabled already"):
            acc.set_active(session, acc.SYSTEM, "twice", False)


def test_requests_arriving_together_write_a_token_use_once(database: Database) -> None:
    add(database, "burst", "feed")
    with database.session() as session:
        secret, _row = acc.create_token(session, acc.SYSTEM, "burst", "feed")
    # Two sessions read the token before either commits, as concurrent requests do.
    first, second = database.sessions(), database.sessions()
    try:
        assert acc.resolve_token(first, secret, None) is not None
        assert acc.resolve_token(second, secret, None) is not None
        assert first.dirty and not second.dirty
    finally:
        first.close()
        second.close()


def test_weak_passwords_are_refused(database: Database) -> None:
    with database.session() as session:
        for weak, why in (("aaaaaaaaaaaaaa", "different characters"), ("123123123123", "different characters"),
                          ("x4longname-2024!", "account's name")):
            with pytest.raises(InvalidInput, match=why):
                acc.create_user(session, acc.SYSTEM, username="x4longname", roles=["analyst"], password=weak)
    add(database, "changer", "analyst")
    with database.session() as session, pytest.raises(InvalidInput, match="account's name"):
        acc.set_password(session, acc.SYSTEM, "changer", "Changer's new password")


def test_an_administrator_enables_and_unlocks_accounts(database: Database) -> None:
    add(database, "locked", "analyst")
    with database.session() as session:
        for n in range(acc.MAX_FAILURES_PER_ACCOUNT):
            assert acc.authenticate(session, "locked", f"guess number {n}", f"10.4.0.{n}") is None
    with database.session() as session, pytest.raises(TooManyAttempts):
        acc.authenticate(session, "locked", PASSWORD, "10.4.0.99")
    with database.session() as session:
        assert acc.unlock(session, acc.SYSTEM, "locked") == acc.MAX_FAILURES_PER_ACCOUNT
    with database.session() as session:
        assert acc.authenticate(session, "locked", PASSWORD, "10.4.0.99") is not None
        with pytest.raises(Conflict, match="no recent failed sign-ins"):
            acc.unlock(session, acc.SYSTEM, "locked")
        acc.set_active(session, acc.SYSTEM, "locked", False)
    with database.session() as session:
        assert acc.authenticate(session, "locked", PASSWORD, "10.4.0.99") is None
        acc.set_active(session, acc.SYSTEM, "locked", True)
    with database.session() as session:
        assert acc.authenticate(session, "locked", PASSWORD, "10.4.0.99") is not None
        actions = session.execute(select(AuditEventRow.action).where(AuditEventRow.object_id == "locked")).scalars().all()
        assert {"user.unlocked", "user.disabled", "user.enabled"} <= set(actions)
        assert verify(session).ok


@pytest.mark.parametrize(("roles", "scope", "field"), [
    (["analyst"], {"ports": ["3801"]}, "'port'"),
    (["supervisor", "feed"], {"ports": ["2720"]}, "'port'"),
    (["investigator"], {"agencies": ["BIS"]}, "'agency'"),
    (["field_officer"], {"ports": ["2720"], "agencies": ["BIS"]}, "'agency'"),
])
def test_a_scope_no_role_reads_is_refused(database: Database, roles: list[str], scope: dict[str, list[str]],
                                          field: str) -> None:
    with database.session() as session, pytest.raises(InvalidInput, match=f"field {field}: .*would limit nothing"):
        acc.create_user(session, acc.SYSTEM, username="scoped", roles=roles, password=PASSWORD, **scope)
    with database.session() as session:
        assert session.execute(select(UserRow).where(UserRow.username == "scoped")).first() is None


def test_an_account_is_rescoped_and_the_change_is_audited(database: Database) -> None:
    add(database, "moved", "field_officer", ports=["2720"])
    admin = Principal("boss", ("administrator",), via="session")
    with database.session() as session:
        secret, _row = acc.create_token(session, acc.SYSTEM, "moved", "laptop")
        assert acc.token_principal(session, secret, None).ports == frozenset({"2720"})
        acc.update_user(session, admin, "moved", ports=["3801"])
    with database.session() as session:
        # The token acts with the new scope at its next use.
        assert acc.token_principal(session, secret, None).ports == frozenset({"3801"})
        event = session.execute(select(AuditEventRow).where(AuditEventRow.action == "user.changed")).scalar_one()
        assert event.actor == "user:boss" and event.object_id == "moved" and event.at is not None
        assert event.detail == {"changed": ["ports"],
                                "before": {"roles": ["field_officer"], "ports": ["2720"], "agencies": []},
                                "after": {"roles": ["field_officer"], "ports": ["3801"], "agencies": []}}
        # A new role without a port scope drops the ports; a liaison needs its agency.
        user = acc.update_user(session, admin, "moved", roles=["analyst"])
        assert (user.roles, user.ports, user.agencies) == (["analyst"], [], [])
        with pytest.raises(InvalidInput, match="field 'agency': an agency-scoped role needs an agency"):
            acc.update_user(session, admin, "moved", roles=["agency_liaison"])
        with pytest.raises(InvalidInput, match="field 'port': roles analyst have no port scope"):
            acc.update_user(session, admin, "moved", ports=["2720"])
        with pytest.raises(InvalidInput, match="port 9999 is not a Schedule D port"):
            acc.update_user(session, admin, "moved", roles=["field_officer"], ports=["9999"])
        with pytest.raises(Conflict, match="already"):
            acc.update_user(session, admin, "moved", roles=["analyst"])
        with pytest.raises(NotFound):
            acc.update_user(session, admin, "ghost", roles=["analyst"])
        assert verify(session).ok


def test_the_last_administrator_cannot_be_removed(database: Database) -> None:
    add(database, "root", "administrator")
    add(database, "deputy", "administrator", "supervisor")
    with database.session() as session:
        acc.set_active(session, acc.SYSTEM, "deputy", False)
        with pytest.raises(Conflict, match="last active administrator"):
            acc.update_user(session, acc.SYSTEM, "root", roles=["supervisor"])
        with pytest.raises(Conflict, match="last active administrator"):
            acc.set_active(session, acc.SYSTEM, "root", False)
        acc.set_active(session, acc.SYSTEM, "deputy", True)
        acc.update_user(session, acc.SYSTEM, "root", roles=["supervisor"])
        assert acc.get_user(session, "root").roles == ["supervisor"]
        with pytest.raises(Conflict, match="'deputy' is the last active administrator"):
            acc.update_user(session, acc.SYSTEM, "deputy", roles=["supervisor"])
