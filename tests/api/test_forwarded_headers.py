"""`exodus serve` believes X-Forwarded-For only from the proxies named in EXODUS_TRUSTED_PROXIES."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from sqlalchemy import select

from exodus.api.app import create_app
from exodus.auth.config import load_auth_settings, server_options
from exodus.auth.refusals import REFUSED
from exodus.errors import InvalidInput
from exodus.storage.models import AuditEventRow

BOGUS = "exo_" + "F" * 43


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(exodus_app, env: dict[str, str]) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Run the app under uvicorn on 127.0.0.1 with the options `exodus serve` derives from `env`."""
    port = free_port()
    config = uvicorn.Config(create_app(exodus_app), host="127.0.0.1", port=port, log_level="warning",
                            **server_options(load_auth_settings(env)))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def refused_with_forged_address(base: str, forged: str) -> int:
    request = urllib.request.Request(f"{base}/api/worklist", headers={
        "Authorization": f"Bearer {BOGUS}", "X-Forwarded-For": forged})
    try:
        urllib.request.urlopen(request, timeout=10)
    except urllib.error.HTTPError as exc:
        return exc.code
    return 200


def refusals_from(exodus_app, remote: str) -> int:  # type: ignore[no-untyped-def]
    with exodus_app.db.session() as session:
        return len(session.execute(select(AuditEventRow.id).where(
            AuditEventRow.remote == remote, AuditEventRow.action == REFUSED)).all())


def forged_address() -> str:
    n = uuid.uuid4().int
    return f"203.0.113.{n % 250 + 1}" if n % 2 else f"198.51.100.{n % 250 + 1}"


def test_without_trusted_proxies_x_forwarded_for_does_not_change_the_recorded_remote(exodus_app) -> None:  # type: ignore[no-untyped-def]
    forged = forged_address()
    before = refusals_from(exodus_app, "127.0.0.1")
    with serving(exodus_app, {}) as base:
        assert refused_with_forged_address(base, forged) == 401
        assert refusals_from(exodus_app, forged) == 0
        assert refusals_from(exodus_app, "127.0.0.1") == before + 1  # the real peer


def test_a_named_proxy_is_believed(exodus_app) -> None:  # type: ignore[no-untyped-def]
    forged = forged_address()
    with serving(exodus_app, {"EXODUS_TRUSTED_PROXIES": "10.9.9.9, 127.0.0.1"}) as base:
        assert refused_with_forged_address(base, forged) == 401
        assert refusals_from(exodus_app, forged) == 1
    # a proxy that is not the peer is not believed
    other = forged_address()
    with serving(exodus_app, {"EXODUS_TRUSTED_PROXIES": "10.9.9.0/24"}) as base:
        assert refused_with_forged_address(base, other) == 401
        assert refusals_from(exodus_app, other) == 0


def test_the_setting_is_checked() -> None:
    assert server_options(load_auth_settings({})) == {"proxy_headers": False, "forwarded_allow_ips": ""}
    assert load_auth_settings({"EXODUS_TRUSTED_PROXIES": " 10.0.0.5 ,10.1.0.0/16,::1"}).trusted_proxies == (
        "10.0.0.5", "10.1.0.0/16", "::1")
    for bad in ("*", "proxy.example", "10.0.0.300"):
        with pytest.raises(InvalidInput, match="EXODUS_TRUSTED_PROXIES"):
            load_auth_settings({"EXODUS_TRUSTED_PROXIES": bad})
