"""Who is acting, and the one function that decides whether they may."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from exodus.auth.policy import Permission, Role, ScopeKind, role
from exodus.errors import NotAuthenticated, PermissionDenied

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in account (or the local operator) with its roles and scopes.

    `via` says how it was identified: session, token or cli.
    """

    username: str
    roles: tuple[str, ...]
    ports: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    via: str = "session"
    remote: str | None = None
    csrf: str | None = field(default=None, repr=False)
    token_id: int | None = None

    @property
    def actor(self) -> str:
        """Name the principal in the audit log."""
        if self.via == "token":
            return f"token:{self.username}#{self.token_id}"
        return f"{'cli' if self.via == 'cli' else 'user'}:{self.username}"

    def _roles(self) -> list[Role]:
        return [role(name) for name in self.roles]

    def permissions(self) -> frozenset[Permission]:
        granted: set[Permission] = set()
        for r in self._roles():
            granted |= r.permissions
        return frozenset(granted)

    def allows(self, permission: Permission) -> bool:
        return permission in self.permissions()

    def scope(self, permission: Permission, kind: ScopeKind) -> frozenset[str] | None:
        """Return the ports (or agencies) `permission` is limited to; None means all.

        A role scoped to `kind` contributes the account's ports (agencies); any other
        role granting the permission lifts the limit.
        """
        limited: set[str] = set()
        granted = False
        for r in self._roles():
            if permission not in r.permissions:
                continue
            granted = True
            if r.scope is not kind:
                return None
            limited |= self.ports if kind is ScopeKind.PORT else self.agencies
        return frozenset(limited) if granted else frozenset()

    def ports_for(self, permission: Permission) -> frozenset[str] | None:
        return self.scope(permission, ScopeKind.PORT)


def authorize(principal: Principal | None, permission: Permission | None) -> Principal:
    """Return `principal` if it may use `permission`; raise otherwise.

    This is the single access check of Exodus: API routes, pages and CLI commands all
    call it. `permission=None` asks only that someone is signed in.
    """
    if principal is None:
        # The callers audit this refusal (exodus.auth.refusals: rate-limited per source).
        raise NotAuthenticated("sign in first: no valid session or API token")
    if permission is not None and not principal.allows(permission):
        log.warning("denied %s to %s", permission, principal.actor)
        raise PermissionDenied(
            f"{principal.username} ({', '.join(principal.roles)}) may not use {permission.value}")
    return principal
