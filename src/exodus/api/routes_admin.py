"""REST API for accounts, API tokens and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from exodus.api.deps import ApiRoute, DbSession, require, signed_in
from exodus.api.schemas import (
    AuditPage,
    TokenCreated,
    TokenIn,
    TokenOut,
    UserChange,
    UserIn,
    UserOut,
    WhoAmI,
)
from exodus.auth import Permission, Principal
from exodus.auth import accounts as acc
from exodus.auth.trail import AuditQuery, note, search
from exodus.storage.models import UserRow

router = APIRouter(prefix="/api", route_class=ApiRoute)
UserManager = Annotated[Principal, Depends(require(Permission.USER_MANAGE))]
TokenManager = Annotated[Principal, Depends(require(Permission.TOKEN_MANAGE))]


@router.get("/me", response_model=WhoAmI, tags=["accounts"])
def whoami(who: Annotated[Principal, Depends(signed_in())]) -> dict[str, object]:
    """Return the caller's account, roles, scopes and permissions."""
    return {"username": who.username, "roles": list(who.roles), "ports": sorted(who.ports),
            "agencies": sorted(who.agencies), "permissions": sorted(who.permissions()), "via": who.via}


@router.get("/users", response_model=list[UserOut], tags=["accounts"])
def get_users(session: DbSession, who: UserManager) -> list[dict[str, object]]:
    """List every account with its roles and scopes. Refused with 409 when the name is taken."""
    return acc.list_users(session)


@router.post("/users", response_model=UserOut, status_code=201, tags=["accounts"])
def post_user(body: UserIn, session: DbSession, who: UserManager) -> dict[str, object]:
    """Create an account; port-scoped roles need ports, agency-scoped roles an agency."""
    user = acc.create_user(session, who, username=body.username, roles=body.roles, password=body.password,
                           ports=body.ports, agencies=body.agencies, display_name=body.display_name)
    return acc.user_dict(user)


@router.patch("/users/{username}", response_model=UserOut, tags=["accounts"])
def patch_user(username: str, body: UserChange, session: DbSession, who: UserManager) -> dict[str, object]:
    """Change an account's roles, ports or agencies: each given replaces the old; audited before and after.

    The account's sessions and tokens act with the new roles and scope from their next request.
    Refused with 409 when nothing would change or the last active administrator would lose the role.
    """
    return acc.user_dict(acc.update_user(session, who, username, roles=body.roles, ports=body.ports,
                                         agencies=body.agencies))


@router.post("/users/{username}/disable", response_model=UserOut, tags=["accounts"])
def disable_user(username: str, session: DbSession, who: UserManager) -> dict[str, object]:
    """Disable an account: it can no longer sign in, and its sessions and tokens stop working. Refused with 409 when the account is disabled already or is the last active administrator."""
    return acc.user_dict(acc.set_active(session, who, username, False))


@router.post("/users/{username}/enable", response_model=UserOut, tags=["accounts"])
def enable_user(username: str, session: DbSession, who: UserManager) -> dict[str, object]:
    """Enable a disabled account again. Refused with 409 when the account is enabled already."""
    return acc.user_dict(acc.set_active(session, who, username, True))


@router.post("/users/{username}/unlock", response_model=UserOut, tags=["accounts"])
def unlock_user(username: str, session: DbSession, who: UserManager) -> dict[str, object]:
    """Lift the lock that failed sign-ins put on an account; the audit log keeps the attempts. Refused with 409 when the account has no recent failed sign-ins."""
    acc.unlock(session, who, username)
    return acc.user_dict(acc.get_user(session, username))


@router.get("/tokens", response_model=list[TokenOut], tags=["accounts"])
def get_tokens(session: DbSession, who: TokenManager) -> list[dict[str, object]]:
    """List API tokens (never their secrets)."""
    return acc.list_tokens(session)


@router.post("/tokens", response_model=TokenCreated, status_code=201, tags=["accounts"])
def post_token(body: TokenIn, session: DbSession, who: TokenManager) -> dict[str, object]:
    """Create an API token acting as an account; the secret is in this answer only.

    Refused with 403 for an account that signs in with a password, unless it is the
    caller's own: tokens made here are for feeds and services."""
    acc.check_token_owner(session, who, body.username)
    secret, row = acc.create_token(session, who, body.username, body.name, body.days)
    return {**acc.token_dict(row, body.username.strip().lower()), "token": secret}


@router.delete("/tokens/{token_id}", response_model=TokenOut, tags=["accounts"])
def delete_token(token_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: DbSession, who: TokenManager) -> dict[str, object]:
    """Revoke an API token at once. Refused with 409 when the token was revoked already."""
    row = acc.revoke_token(session, who, token_id)
    user = session.get(UserRow, row.user_id)
    return acc.token_dict(row, user.username if user else "?")


@router.get("/audit", response_model=AuditPage, tags=["audit"])
def get_audit(
    session: DbSession,
    who: Annotated[Principal, Depends(require(Permission.AUDIT_SEARCH))],
    actor: Annotated[str | None, Query(max_length=100, description="part of the actor, e.g. jsmith")] = None,
    action: Annotated[str | None, Query(max_length=60, description="a verb (filing.viewed) or a prefix ending in '.'")] = None,
    object_type: Annotated[str | None, Query(max_length=60, examples=["filing"])] = None,
    object_id: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[datetime | None, Query(description="ISO 8601 time, inclusive")] = None,
    until: Annotated[datetime | None, Query(description="ISO 8601 time, exclusive")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, object]:
    """Search the audit log, newest first; the search itself is audited."""
    query = AuditQuery(actor, action, object_type, object_id, since, until, limit, offset)
    total, items = search(session, query)
    note(session, who, "audit.searched", "audit", "*",
         {k: str(v) for k, v in {"actor": actor, "action": action, "object_type": object_type,
                                 "object_id": object_id, "since": since, "until": until}.items() if v})
    session.commit()  # as the worklist: do not hold the audit write lock until the dependency ends
    return {"total": total, "items": items}
