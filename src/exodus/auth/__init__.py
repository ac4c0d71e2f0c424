"""People, roles and trust: accounts, sessions, API tokens and the one access check."""

from exodus.auth.policy import AGENCIES, Permission, Role, ScopeKind, role, roles
from exodus.auth.principal import Principal, authorize

__all__ = ["AGENCIES", "Permission", "Principal", "Role", "ScopeKind", "authorize", "role", "roles"]
