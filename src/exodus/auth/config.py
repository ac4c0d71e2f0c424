"""Settings of sign-in, sessions and the CLI identity, read from EXODUS_* variables.

| variable | default | meaning |
| --- | --- | --- |
| EXODUS_ADMIN_PASSWORD | (generated, printed once) | password of the first administrator |
| EXODUS_SESSION_HOURS | 12 | a web session ends this long after sign-in |
| EXODUS_COOKIE_SECURE | auto | `auto`: Secure cookies except over plain http to a loopback host; `always` |
| EXODUS_CLI_AUTH | local | `local`: the CLI acts as the local operator or EXODUS_USER; `token`: EXODUS_TOKEN required |
| EXODUS_TRUSTED_PROXIES | (none) | comma list of proxy addresses (or networks) whose X-Forwarded-For/-Proto `exodus serve` believes |
| EXODUS_OIDC_ISSUER, EXODUS_OIDC_CLIENT_ID, EXODUS_OIDC_CLIENT_SECRET | unset | identity provider (see oidc.py) |
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from exodus.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class AuthSettings:
    admin_password: str | None
    session_hours: float
    cookie_secure: str
    cli_auth: str
    trusted_proxies: tuple[str, ...]
    oidc_issuer: str | None
    oidc_client_id: str | None
    oidc_client_secret: str | None


COOKIE_SECURE = ("auto", "always")
CLI_AUTH = ("local", "token")


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = (env.get(name) or default).strip().lower()
    if value not in allowed:
        raise InvalidInput(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _hours(env: Mapping[str, str]) -> float:
    text = env.get("EXODUS_SESSION_HOURS") or "12"
    try:
        hours = float(text)
    except ValueError:
        hours = 0.0
    if not 0 < hours <= 24 * 30:
        raise InvalidInput(f"EXODUS_SESSION_HOURS must be a number of hours between 0 and 720; got {text!r}")
    return hours


def _proxies(env: Mapping[str, str]) -> tuple[str, ...]:
    """Return the addresses or networks named in EXODUS_TRUSTED_PROXIES (none by default)."""
    text = env.get("EXODUS_TRUSTED_PROXIES") or ""
    found = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            network = ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise InvalidInput(f"EXODUS_TRUSTED_PROXIES must list IP addresses or networks separated by commas; "
                               f"{item!r} is neither") from None
        found.append(str(network.network_address) if network.num_addresses == 1 else str(network))
    return tuple(found)


def server_options(settings: AuthSettings) -> dict[str, Any]:
    """Return uvicorn's options for forwarded headers: believed only from the trusted proxies.

    Without EXODUS_TRUSTED_PROXIES, X-Forwarded-For is ignored whoever sends it (uvicorn
    would otherwise trust it from 127.0.0.1), so a client cannot choose the address the
    sign-in throttle and the audit log see.
    """
    if not settings.trusted_proxies:
        return {"proxy_headers": False, "forwarded_allow_ips": ""}
    return {"proxy_headers": True, "forwarded_allow_ips": ",".join(settings.trusted_proxies)}


def load_auth_settings(environ: Mapping[str, str] | None = None) -> AuthSettings:
    """Return auth settings from `environ` (the process environment by default).

    A misspelt value is an error, never a silent fallback to a weaker default.
    """
    env = os.environ if environ is None else environ
    return AuthSettings(
        admin_password=env.get("EXODUS_ADMIN_PASSWORD") or None,
        session_hours=_hours(env),
        cookie_secure=_choice(env, "EXODUS_COOKIE_SECURE", "auto", COOKIE_SECURE),
        cli_auth=_choice(env, "EXODUS_CLI_AUTH", "local", CLI_AUTH),
        trusted_proxies=_proxies(env),
        oidc_issuer=env.get("EXODUS_OIDC_ISSUER") or None,
        oidc_client_id=env.get("EXODUS_OIDC_CLIENT_ID") or None,
        oidc_client_secret=env.get("EXODUS_OIDC_CLIENT_SECRET") or None,
    )
