"""Accounts for tests: one per role (with a port or agency where the role needs one).

`make_account` writes straight to the database; `sign_in` goes through the real
sign-in form, so web tests exercise cookies and CSRF as a browser would.
"""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from exodus.auth.accounts import SYSTEM, create_token, create_user
from exodus.services.app import Exodus

PASSWORD = "correct horse battery staple"
# The scope each scoped role gets unless a test says otherwise.
DEFAULT_SCOPE: dict[str, dict[str, list[str]]] = {
    "field_officer": {"ports": ["2720"]},
    "agency_liaison": {"agencies": ["BIS"]},
}


def make_account(exodus: Exodus, *roles: str, ports: list[str] | None = None,
                 agencies: list[str] | None = None) -> tuple[str, str]:
    """Create an account holding `roles`; return its username and a fresh API token."""
    scope: dict[str, list[str]] = {"ports": [], "agencies": []}
    for name in roles:
        for key, values in DEFAULT_SCOPE.get(name, {}).items():
            scope[key] = values
    username = f"{roles[0].replace('_', '-')}-{uuid.uuid4().hex[:8]}"
    with exodus.db.session() as session:
        # A feed is a service: it has no password and signs in only with tokens, as in production.
        password = None if set(roles) == {"feed"} else PASSWORD
        create_user(session, SYSTEM, username=username, roles=list(roles), password=password,
                    ports=ports if ports is not None else scope["ports"],
                    agencies=agencies if agencies is not None else scope["agencies"])
        secret, _row = create_token(session, SYSTEM, username, "test")
    return username, secret


def token_client(app, token: str) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, base_url="https://testserver", headers={"Authorization": f"Bearer {token}"},
                      follow_redirects=False)


def form_token(html: str) -> str:
    """Return the CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """Sign `client` in through the sign-in form; fail the test if that does not work."""
    page = client.get("/signin")
    done = client.post("/signin", data={"username": username, "password": password,
                                        "csrf_token": form_token(page.text), "next": "/"})
    assert done.status_code == 303, done.text
    return client
