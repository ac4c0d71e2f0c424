"""Who runs a command, checked with the same `authorize` as the API and pages.

See exodus.auth.local for how the person is identified (local operator,
EXODUS_USER or EXODUS_TOKEN).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from exodus.auth import Permission, Principal, authorize
from exodus.auth.local import LOCAL, cli_principal, login_name
from exodus.auth.refusals import Refusal, RefusalLimiter, audit_refusal
from exodus.auth.trail import deny
from exodus.errors import NotAuthenticated, NotFound, PermissionDenied
from exodus.storage.audit import set_origin

# One command run is one process, so this limits only a run that is refused repeatedly.
_refusals = RefusalLimiter()


def _command() -> str:
    return " ".join(sys.argv[1:4])[:200] or "exodus"


def authorized(ex: Any, *permissions: Permission) -> Principal:
    """Return the principal of this run if it holds every one of `permissions`.

    A refusal is written to the audit log, as the API's refusals are: also one
    before anyone is known (a bad EXODUS_TOKEN, an unknown or disabled EXODUS_USER),
    as `auth.refused` by the login that ran the command.
    """
    ex.db.ensure_schema()
    try:
        with ex.db.session() as session:
            principal = cli_principal(session)
    except (NotAuthenticated, NotFound) as exc:
        claimed = os.environ.get("EXODUS_USER", "").strip().lower()[:64]
        detail = {"as_user": claimed} if claimed and not os.environ.get("EXODUS_TOKEN") else {}
        audit_refusal(ex.db, _refusals, Refusal(LOCAL, exc.detail, _command(),
                                                Principal(login_name(), (), via="cli").actor, detail, "command"))
        raise
    set_origin(principal.remote)  # audit events of this command come from "local"
    for permission in permissions:
        try:
            authorize(principal, permission)
        except PermissionDenied:
            with ex.db.session() as session:
                deny(session, principal, "command", _command(), {"permission": permission.value})
            raise
    return principal
