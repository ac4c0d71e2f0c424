"""OpenID Connect seam for sites with an identity provider (not required to run).

Configured by EXODUS_OIDC_ISSUER, EXODUS_OIDC_CLIENT_ID and EXODUS_OIDC_CLIENT_SECRET.
The intended flow: /signin/oidc redirects to the issuer's authorization endpoint
(code flow with PKCE and a `state` bound to the pre-session cookie); the callback
exchanges the code, checks the ID token's signature, issuer, audience and nonce,
then maps its `preferred_username` to an existing *local* account (roles and scopes
stay local data) and opens an ordinary session with `accounts.open_session`.
"""

from __future__ import annotations

from exodus.auth.config import AuthSettings


def oidc_enabled(settings: AuthSettings) -> bool:
    """Tell whether an identity provider is configured."""
    return bool(settings.oidc_issuer and settings.oidc_client_id)


# TODO: implement the code flow above; it needs a JOSE library for ID-token
# signatures (none is a dependency yet) and a mock issuer on 127.0.0.1 to test it.
