"""Permissions, roles and scopes: the data every access check reads.

A role grants a set of permissions; a role may be scoped to ports or to agencies,
in which case what it grants holds only for the ports or agencies of the account.
The roles live in `roles.yaml` beside this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from exodus.errors import DataSourceError, InvalidInput


class Permission(StrEnum):
    WORKLIST_READ = "worklist.read"
    FILING_READ = "filing.read"
    FILING_WRITE = "filing.write"
    TARGETING_RUN = "targeting.run"
    SCREENING_QUERY = "screening.query"
    SCREENING_DECIDE = "screening.decide"  # record or revoke a decision on a screening hit
    SCREENING_APPROVE = "screening.approve"  # second person's approval of a strong hit set aside
    LIST_READ = "list.read"
    LIST_UPDATE = "list.update"
    RULE_READ = "rule.read"
    RULE_WRITE = "rule.write"
    RULE_EVALUATE = "rule.evaluate"
    THRESHOLD_WRITE = "threshold.write"
    LOOKOUT_READ = "lookout.read"
    LOOKOUT_WRITE = "lookout.write"
    STATS_READ = "stats.read"
    REFERRAL_READ = "referral.read"
    REFERRAL_ANSWER = "referral.answer"
    CASE_READ = "case.read"
    CASE_WRITE = "case.write"
    AUDIT_SEARCH = "audit.search"
    AUDIT_VERIFY = "audit.verify"
    USER_MANAGE = "user.manage"
    TOKEN_MANAGE = "token.manage"


# Reads through these permissions show who is being looked at or what was found:
# every route, page and command that answers one writes an audit event (who, when,
# what, from where). Reads of rules, thresholds and aggregate numbers are not logged.
SENSITIVE_READS = frozenset({
    Permission.WORKLIST_READ, Permission.FILING_READ, Permission.SCREENING_QUERY,
    Permission.LOOKOUT_READ, Permission.REFERRAL_READ, Permission.CASE_READ, Permission.AUDIT_SEARCH,
})


class ScopeKind(StrEnum):
    PORT = "port"
    AGENCY = "agency"


AGENCIES = ("BIS", "DDTC", "OFAC", "NRC", "DOE", "DEA")


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    label: str
    description: str
    permissions: frozenset[Permission]
    scope: ScopeKind | None = None
    assignable: bool = True


def _role(name: str, data: Any) -> Role:
    if not isinstance(data, dict):
        raise DataSourceError(f"roles.yaml: role {name!r} must be a mapping")
    names = data.get("permissions", [])
    if names == "*":
        names = [p.value for p in Permission]
    unknown = [p for p in names if p not in Permission._value2member_map_]
    if unknown:
        raise DataSourceError(f"roles.yaml: role {name!r} names unknown permissions {unknown}")
    scope = data.get("scope")
    return Role(
        name=name,
        label=str(data.get("label", name)),
        description=str(data.get("description", "")),
        permissions=frozenset(Permission(p) for p in names),
        scope=ScopeKind(scope) if scope else None,
        assignable=bool(data.get("assignable", True)),
    )


@cache
def roles() -> dict[str, Role]:
    """Return every role by name, read once from roles.yaml."""
    text = (resources.files("exodus.auth") / "roles.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    return {name: _role(name, spec) for name, spec in data.items()}


def role(name: str) -> Role:
    """Return the role called `name`; unknown names are an error."""
    found = roles().get(name)
    if found is None:
        raise InvalidInput(f"unknown role {name!r}; known roles: {', '.join(n for n, r in roles().items() if r.assignable)}")
    return found
