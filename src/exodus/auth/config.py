"""Settings of sign-in, sessions and the CLI identity, read from EXODUS_* variables.

| variable | default | meaning |
| --- | --- | --- |
| EXODUS_ADMIN_PASSWORD | (generated, printed once) | password of the first administrator |
| EXODUS_SESSION_HOURS | 12 | a web session ends this long after sign-in |
| EXODUS_COOKIE_SECURE | auto | `auto`: Secure cookies except over plain http to a loopback host; `always` |
| EXODUS_CLI_AUTH | local | `local`: the CLI acts as the local operator or EXODUS_USER; `token`: EXODUS_TOKEN required |
| EXODUS_OIDC_ISSUER, EXODUS_OIDC_CLIENT_ID, EXODUS_OIDC_CLIENT_SECRET | unset | identity provider (see oidc.py) |
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AuthSettings:
    admin_password: str | None
    session_hours: float
    cookie_secure: str
    cli_auth: str
    oidc_issuer: str | None
    oidc_client_id: str | None
    oidc_client_secret: str | None


def load_auth_settings(environ: dict[str, str] | None = None) -> AuthSettings:
    """Return auth settings from `environ` (the process environment by default)."""
    env = os.environ if environ is None else environ
    return AuthSettings(
        admin_password=env.get("EXODUS_ADMIN_PASSWORD") or None,
        session_hours=float(env.get("EXODUS_SESSION_HOURS", "12")),
        cookie_secure=env.get("EXODUS_COOKIE_SECURE", "auto"),
        cli_auth=env.get("EXODUS_CLI_AUTH", "local"),
        oidc_issuer=env.get("EXODUS_OIDC_ISSUER") or None,
        oidc_client_id=env.get("EXODUS_OIDC_CLIENT_ID") or None,
        oidc_client_secret=env.get("EXODUS_OIDC_CLIENT_SECRET") or None,
    )
