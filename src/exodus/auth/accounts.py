"""Accounts, passwords, web sessions, API tokens and sign-in throttling.

Passwords are hashed with argon2id. Session and token secrets are 256-bit random
values; only their SHA-256 is stored, so a copy of the database cannot be replayed.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from exodus.auth.policy import AGENCIES, ScopeKind, role
from exodus.auth.policy import roles as all_roles
from exodus.auth.principal import Principal
from exodus.auth.trail import note
from exodus.core.ports import check_port
from exodus.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied, TooManyAttempts
from exodus.storage.models import ApiTokenRow, SignInAttemptRow, UserRow, WebSessionRow

log = logging.getLogger(__name__)

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("exodus-timing-equaliser")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
TOKEN_PREFIX = "exo_"
LAST_USED_STEP = timedelta(minutes=1)  # resolution of a token's last use
_touched: dict[str, datetime] = {}  # token hash -> last use this process wrote
_touched_lock = Lock()
# Throttle: failed sign-ins within the window, per account and per remote address.
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
ATTEMPTS_KEPT = timedelta(days=1)
SYSTEM = Principal("system", ("operator",), via="cli")


def _now() -> datetime:
    return datetime.now(UTC)


def _sha256(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Accounts
# --------

MIN_DISTINCT = 5  # "aaaaaaaaaaaa" and "123123123123" are long but guessed at once


def check_password_strength(password: str, username: str = "") -> None:
    """Refuse passwords that are short, repetitive or built on the account's name."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password must have at least {MIN_PASSWORD} characters, got {len(password)}")
    if len(password) > 1024:
        raise InvalidInput("password must have at most 1024 characters")
    if len(set(password)) < MIN_DISTINCT:
        raise InvalidInput(f"password must use at least {MIN_DISTINCT} different characters")
    if len(username) >= 3 and username.lower() in password.lower():
        raise InvalidInput("password must not contain the account's name")


def _checked_scopes(roles: list[str], ports: list[str], agencies: list[str]) -> tuple[list[str], list[str]]:
    if not roles:
        raise InvalidInput("an account needs at least one role")
    kinds = set()
    for name in roles:
        r = role(name)
        if not r.assignable:
            raise InvalidInput(f"role {name!r} cannot be given to an account")
        kinds.add(r.scope)
    for port in ports:
        check_port(port)
    bad_agencies = [a for a in agencies if a not in AGENCIES]
    if bad_agencies:
        raise InvalidInput(f"agencies must be among {', '.join(AGENCIES)}, got {bad_agencies}")
    # A scope no role reads would be shown in listings yet limit nothing: refuse it.
    for kind, field, given in ((ScopeKind.PORT, "port", ports), (ScopeKind.AGENCY, "agency", agencies)):
        if given and kind not in kinds:
            scoped = ", ".join(sorted(n for n, r in all_roles().items() if r.scope is kind and r.assignable))
            raise InvalidInput(f"field {field!r}: roles {', '.join(sorted(roles))} have no {field} scope, so "
                               f"{field} {', '.join(given)} would limit nothing; only {scoped} can have one")
    if ScopeKind.PORT in kinds and not ports:
        raise InvalidInput("field 'port': a port-scoped role needs at least one port (e.g. 2720)")
    if ScopeKind.AGENCY in kinds and not agencies:
        raise InvalidInput(f"field 'agency': an agency-scoped role needs an agency ({', '.join(AGENCIES)})")
    return sorted(set(ports)), sorted(set(agencies))


def create_user(session: Session, by: Principal, *, username: str, roles: list[str],
                password: str | None, ports: list[str] = [], agencies: list[str] = [],  # noqa: B006 - read only
                display_name: str = "") -> UserRow:
    """Create an account; a password is optional for accounts that only hold tokens."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput(f"username must be 2-64 lower-case letters, digits, . _ -; got {username!r}")
    ports, agencies = _checked_scopes(roles, ports, agencies)
    if password is not None:
        check_password_strength(password, username)
    if session.execute(select(UserRow.id).where(UserRow.username == username)).first():
        raise Conflict(f"an account named {username!r} exists already")
    user = UserRow(username=username, display_name=display_name[:200], roles=sorted(set(roles)),
                   ports=ports, agencies=agencies, active=True, created_at=_now(), created_by=by.actor,
                   password_hash=_hasher.hash(password) if password is not None else None)
    session.add(user)
    session.flush()
    note(session, by, "user.created", "user", username,
         {"roles": user.roles, "ports": ports, "agencies": agencies})
    return user


def get_user(session: Session, username: str) -> UserRow:
    user = session.execute(select(UserRow).where(UserRow.username == username.strip().lower())).scalar_one_or_none()
    if user is None:
        raise NotFound(f"no account named {username!r}")
    return user


def list_users(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(UserRow).order_by(UserRow.username)).scalars()
    return [user_dict(u) for u in rows]


def user_dict(user: UserRow) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "roles": list(user.roles),
            "ports": list(user.ports), "agencies": list(user.agencies), "active": user.active,
            "created_at": user.created_at.isoformat(), "created_by": user.created_by,
            "last_sign_in_at": user.last_sign_in_at.isoformat() if user.last_sign_in_at else None}


ADMINISTRATOR = "administrator"


def _keep_an_administrator(session: Session, user: UserRow, action: str) -> None:
    """Refuse `action` on `user` when it is the only active administrator left."""
    others = session.execute(select(UserRow.roles).where(UserRow.active.is_(True), UserRow.id != user.id)).scalars()
    if not any(ADMINISTRATOR in roles for roles in others):
        raise Conflict(f"account {user.username!r} is the last active administrator; "
                       f"{action} would leave no one to manage accounts (make another administrator first)")


def update_user(session: Session, by: Principal, username: str, *, roles: list[str] | None = None,
                ports: list[str] | None = None, agencies: list[str] | None = None) -> UserRow:
    """Replace the roles, ports or agencies of an account (those given; None keeps the old).

    The new scope holds at once: sessions and tokens look the account up on every request.
    Audited with the values before and after.
    """
    user = get_user(session, username)
    if roles is None and ports is None and agencies is None:
        raise InvalidInput("say what to change: roles, ports or agencies")
    new_roles = sorted(set(roles)) if roles is not None else list(user.roles)
    new_ports = ports if ports is not None else list(user.ports)
    new_agencies = agencies if agencies is not None else list(user.agencies)
    # A change of roles drops a scope the new roles no longer read, unless it was given again.
    kinds = {role(name).scope for name in new_roles}
    if ports is None and ScopeKind.PORT not in kinds:
        new_ports = []
    if agencies is None and ScopeKind.AGENCY not in kinds:
        new_agencies = []
    new_ports, new_agencies = _checked_scopes(new_roles, new_ports, new_agencies)
    before = {"roles": list(user.roles), "ports": list(user.ports), "agencies": list(user.agencies)}
    after = {"roles": new_roles, "ports": new_ports, "agencies": new_agencies}
    if before == after:
        raise Conflict(f"account {user.username!r} has these roles and scopes already")
    if ADMINISTRATOR in user.roles and ADMINISTRATOR not in new_roles and user.active:
        _keep_an_administrator(session, user, "removing its administrator role")
    user.roles, user.ports, user.agencies = new_roles, new_ports, new_agencies
    changed = sorted(k for k in after if before[k] != after[k])
    note(session, by, "user.changed", "user", user.username, {"changed": changed, "before": before, "after": after})
    log.info("account %s changed by %s: %s", user.username, by.actor, changed)
    return user


def set_active(session: Session, by: Principal, username: str, active: bool) -> UserRow:
    """Enable or disable an account; disabling ends its sessions at once."""
    user = get_user(session, username)
    if not active and user.username == by.username:
        raise InvalidInput("you cannot disable your own account")
    if not active and user.active and ADMINISTRATOR in user.roles:
        _keep_an_administrator(session, user, "disabling it")
    if user.active == active:
        raise Conflict(f"account {user.username!r} is {'enabled' if active else 'disabled'} already")
    user.active = active
    if not active:
        session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user.id))
    note(session, by, "user.enabled" if active else "user.disabled", "user", user.username)
    return user


def set_password(session: Session, by: Principal, username: str, password: str) -> None:
    user = get_user(session, username)
    check_password_strength(password, user.username)
    user.password_hash = _hasher.hash(password)
    session.execute(delete(WebSessionRow).where(WebSessionRow.user_id == user.id))
    note(session, by, "user.password_set", "user", user.username)


def unlock(session: Session, by: Principal, username: str) -> int:
    """Lift the sign-in throttle of an account; return how many failed attempts it forgot.

    The attempts table only throttles: every failed sign-in stays in the audit log.
    """
    user = get_user(session, username)
    since = _now() - THROTTLE_WINDOW
    cleared = session.execute(
        delete(SignInAttemptRow).where(SignInAttemptRow.username == user.username,
                                       SignInAttemptRow.succeeded.is_(False), SignInAttemptRow.at >= since)
    ).rowcount or 0
    if not cleared:
        raise Conflict(f"account {user.username!r} has no recent failed sign-ins to clear")
    note(session, by, "user.unlocked", "user", user.username, {"failed_attempts_cleared": cleared})
    return cleared


def principal_for(user: UserRow, *, via: str, remote: str | None = None,
                  csrf: str | None = None, token_id: int | None = None) -> Principal:
    return Principal(user.username, tuple(user.roles), frozenset(user.ports), frozenset(user.agencies),
                     via=via, remote=remote, csrf=csrf, token_id=token_id)


def ensure_admin(session: Session, password: str | None = None) -> tuple[bool, str | None]:
    """Create the first administrator when there is no account yet.

    Returns whether it was created and the generated password (None when `password`
    was given). The first administrator is also a supervisor, so a new site can see
    its worklist and audit log at once.
    """
    if session.execute(select(func.count()).select_from(UserRow)).scalar_one():
        return False, None
    generated = None if password else secrets.token_urlsafe(15)
    create_user(session, SYSTEM, username="admin", roles=["administrator", "supervisor"],
                password=password or generated, display_name="First administrator")
    return True, generated


# Sign-in
# -------

def _recent_failures(session: Session, column: Any, value: str) -> int:
    since = _now() - THROTTLE_WINDOW
    return session.execute(
        select(func.count()).select_from(SignInAttemptRow)
        .where(column == value, SignInAttemptRow.succeeded.is_(False), SignInAttemptRow.at >= since)
    ).scalar_one()


def _throttle(session: Session, username: str, remote: str) -> None:
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    if _recent_failures(session, SignInAttemptRow.username, username) >= MAX_FAILURES_PER_ACCOUNT:
        raise TooManyAttempts(f"too many failed sign-ins for this account; try again within {minutes} minutes")
    if _recent_failures(session, SignInAttemptRow.remote, remote) >= MAX_FAILURES_PER_ADDRESS:
        raise TooManyAttempts(f"too many failed sign-ins from your address; try again within {minutes} minutes")


def authenticate(session: Session, username: str, password: str, remote: str) -> UserRow | None:
    """Return the active account whose password matches, or None; throttled and audited.

    Raises TooManyAttempts before checking anything when the account or the address
    has failed too often. A failure returns None so the caller commits its record.
    """
    username = username.strip().lower()[:64]
    remote = (remote or "unknown")[:100]
    _throttle(session, username, remote)
    user = session.execute(select(UserRow).where(UserRow.username == username)).scalar_one_or_none()
    stored = user.password_hash if user is not None and user.active and user.password_hash else _DUMMY_HASH
    try:
        ok = _hasher.verify(stored, password) and stored is not _DUMMY_HASH
    except (VerificationError, InvalidHashError):
        ok = False
    # Attempts only feed the throttle; the audit log keeps the lasting record.
    session.execute(delete(SignInAttemptRow).where(SignInAttemptRow.at < _now() - ATTEMPTS_KEPT))
    session.add(SignInAttemptRow(at=_now(), username=username, remote=remote, succeeded=ok))
    actor = Principal(username, (), via="session", remote=remote)
    if not ok or user is None:
        note(session, actor, "signin.failed", "user", username)
        return None
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    user.last_sign_in_at = _now()
    note(session, actor, "signin.succeeded", "user", username)
    return user


# Web sessions
# ------------

def open_session(session: Session, user: UserRow, remote: str | None, hours: float) -> tuple[str, Principal]:
    """Start a session for `user`; return the cookie secret and the principal."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
    session.add(WebSessionRow(token_hash=_sha256(secret), user_id=user.id, csrf_token=csrf, created_at=now,
                              expires_at=now + timedelta(hours=hours), remote=remote))
    return secret, principal_for(user, via="session", remote=remote, csrf=csrf)


def resolve_session(session: Session, secret: str, remote: str | None) -> Principal | None:
    """Return the principal of a live session cookie, or None."""
    try:
        return session_principal(session, secret, remote)
    except NotAuthenticated:
        return None


def session_principal(session: Session, secret: str, remote: str | None) -> Principal:
    """Return the principal of a live session cookie; raise NotAuthenticated saying why not (for the audit log)."""
    found = session.execute(
        select(WebSessionRow, UserRow).join(UserRow, UserRow.id == WebSessionRow.user_id)
        .where(WebSessionRow.token_hash == _sha256(secret))
    ).first()
    if found is None:
        raise NotAuthenticated("unknown or ended session")
    web, user = found
    if not user.active:
        raise NotAuthenticated(f"session of disabled account {user.username!r}")
    if _as_utc(web.expires_at) <= _now():
        raise NotAuthenticated(f"expired session of {user.username!r}")
    return principal_for(user, via="session", remote=remote, csrf=web.csrf_token)


def close_session(session: Session, principal: Principal, secret: str) -> None:
    session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == _sha256(secret)))
    note(session, principal, "signout", "user", principal.username)


# API tokens
# ----------

def create_token(session: Session, by: Principal, username: str, name: str,
                 days: int | None = None) -> tuple[str, ApiTokenRow]:
    """Create a token acting as `username`; the secret is returned once, never stored."""
    user = get_user(session, username)
    if not user.active:
        raise InvalidInput(f"account {user.username!r} is disabled")
    name = name.strip()[:100] or "token"
    if days is not None and not 1 <= days <= 3650:
        raise InvalidInput(f"days must be between 1 and 3650, got {days}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    row = ApiTokenRow(token_hash=_sha256(secret), prefix=secret[:12], name=name, user_id=user.id,
                      created_at=now, created_by=by.actor,
                      expires_at=now + timedelta(days=days) if days else None)
    session.add(row)
    session.flush()
    note(session, by, "token.created", "api_token", str(row.id), {"user": user.username, "name": name})
    return secret, row


def check_token_owner(session: Session, by: Principal, username: str) -> None:
    """Refuse, on the API and the web, a token made by one person to act as another who signs in.

    A token acting as a person would let whoever made it act, and be audited, as that
    person. Over the network an administrator makes tokens for accounts without a
    password (feeds, gateways, services) and for their own account; the local
    command line, run by whoever runs the server, is not held to this.
    """
    user = get_user(session, username)
    if user.password_hash and user.username != by.username:
        raise PermissionDenied(
            f"account {user.username!r} signs in with a password: a token acting as a person is not made "
            "by someone else over the network (it would let its maker act as that person); make tokens "
            "for accounts without a password (feeds, services)")


def revoke_token(session: Session, by: Principal, token_id: int) -> ApiTokenRow:
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        raise NotFound(f"no API token with id {token_id}")
    if row.revoked_at is not None:
        raise Conflict(f"API token {token_id} was revoked already, at {_as_utc(row.revoked_at).isoformat()}")
    row.revoked_at = _now()
    note(session, by, "token.revoked", "api_token", str(token_id))
    return row


def list_tokens(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(ApiTokenRow, UserRow.username).join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .order_by(ApiTokenRow.id)).all()
    return [token_dict(t, username) for t, username in rows]


def token_dict(row: ApiTokenRow, username: str) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {"id": row.id, "name": row.name, "user": username, "prefix": row.prefix,
            "created_at": iso(row.created_at), "created_by": row.created_by,
            "expires_at": iso(row.expires_at), "revoked_at": iso(row.revoked_at),
            "last_used_at": iso(row.last_used_at)}


def _touch_due(token_hash: str, stored: datetime | None, now: datetime) -> bool:
    """Tell whether to write a token's last use now: when a minute out of date.

    A busy token's checks stay reads, not writes. Requests that arrive together all
    read the same old time, so this process also remembers what it wrote: one of
    them writes, instead of each queueing for the database's write lock.
    """
    with _touched_lock:
        known = [moment for moment in (_as_utc(stored) if stored else None, _touched.get(token_hash)) if moment]
        if known and now - max(known) < LAST_USED_STEP:
            return False
        _touched[token_hash] = now
        return True


def resolve_token(session: Session, secret: str, remote: str | None) -> Principal | None:
    """Return the principal of a live, unrevoked token, or None."""
    try:
        return token_principal(session, secret, remote)
    except NotAuthenticated:
        return None


def token_principal(session: Session, secret: str, remote: str | None) -> Principal:
    """Return the principal of a live, unrevoked token; raise NotAuthenticated saying why not.

    The reason names a known token by id and account, never by its secret (for the audit log).
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise NotAuthenticated("malformed API token")
    found = session.execute(
        select(ApiTokenRow, UserRow).join(UserRow, UserRow.id == ApiTokenRow.user_id)
        .where(ApiTokenRow.token_hash == _sha256(secret))
    ).first()
    if found is None:
        raise NotAuthenticated("unknown API token")
    token, user = found
    now = _now()
    if token.revoked_at is not None:
        raise NotAuthenticated(f"revoked API token {token.id} of {user.username!r}")
    if not user.active:
        raise NotAuthenticated(f"API token {token.id} of disabled account {user.username!r}")
    if token.expires_at is not None and _as_utc(token.expires_at) <= now:
        raise NotAuthenticated(f"expired API token {token.id} of {user.username!r}")
    if _touch_due(token.token_hash, token.last_used_at, now):
        token.last_used_at = now
    return principal_for(user, via="token", remote=remote, token_id=token.id)
