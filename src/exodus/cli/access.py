"""Who runs a command, checked with the same `authorize` as the API and pages.

See exodus.auth.local for how the person is identified (local operator,
EXODUS_USER or EXODUS_TOKEN).
"""

from __future__ import annotations

import sys
from typing import Any

from exodus.auth import Permission, Principal, authorize
from exodus.auth.local import cli_principal
from exodus.auth.trail import note
from exodus.errors import PermissionDenied
from exodus.storage.audit import set_origin


def authorized(ex: Any, *permissions: Permission) -> Principal:
    """Return the principal of this run if it holds every one of `permissions`.

    A refusal is written to the audit log, as the API's refusals are.
    """
    ex.db.ensure_schema()
    with ex.db.session() as session:
        principal = cli_principal(session)
    set_origin(principal.remote)  # audit events of this command come from "local"
    for permission in permissions:
        try:
            authorize(principal, permission)
        except PermissionDenied:
            with ex.db.session() as session:
                note(session, principal, "access.denied", "command", " ".join(sys.argv[1:4])[:200] or "exodus",
                     {"permission": permission.value})
            raise
    return principal
