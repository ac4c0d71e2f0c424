"""Who runs the `exodus` command.

Whoever can run the command holds the database credentials and could read every
table directly, so by default the command acts as the *local operator* (a role that
holds every permission, audited as `cli:<login name>`). To act as an account, set
EXODUS_USER=<username> (that account's roles and scopes then apply) or
EXODUS_TOKEN=<API token>. With EXODUS_CLI_AUTH=token a token is required.
Every command that touches data passes the result to `authorize`, the same check
the API and pages use.
"""

from __future__ import annotations

import getpass
import os

from sqlalchemy.orm import Session

from exodus.auth.accounts import get_user, principal_for, token_principal
from exodus.auth.config import load_auth_settings
from exodus.auth.principal import Principal
from exodus.errors import NotAuthenticated

LOCAL = "local"


def login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def cli_principal(session: Session, environ: dict[str, str] | None = None) -> Principal:
    """Return the principal of this command run, from EXODUS_TOKEN, EXODUS_USER or the login."""
    env = os.environ if environ is None else environ
    token = env.get("EXODUS_TOKEN")
    if token:
        try:
            return token_principal(session, token.strip(), LOCAL)
        except NotAuthenticated as exc:
            raise NotAuthenticated(f"EXODUS_TOKEN is not a valid, unrevoked, unexpired API token ({exc.detail})") from None
    if load_auth_settings(env).cli_auth == "token":
        raise NotAuthenticated("this installation requires EXODUS_TOKEN for the exodus command")
    username = env.get("EXODUS_USER")
    if username:
        user = get_user(session, username)
        if not user.active:
            raise NotAuthenticated(f"account {user.username!r} is disabled")
        return principal_for(user, via="cli", remote=LOCAL)
    return Principal(login_name(), ("operator",), via="cli", remote=LOCAL)
