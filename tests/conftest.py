"""Shared fixtures.

Storage tests run twice, on SQLite (a temp file) and on PostgreSQL (a fresh schema
in the `test` database at 127.0.0.1:5432, or EXODUS_TEST_POSTGRES_URL). When
PostgreSQL cannot be reached the PostgreSQL half is skipped locally but fails in CI
(CI=true), so a green CI run always covers both backends.

`filing_data()` builds one valid filing in interchange form; tests change the
fields they care about.
"""

from __future__ import annotations

import copy
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from exodus.storage.db import Database

PG_BASE = os.environ.get("EXODUS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

BASE_FILING: dict[str, Any] = {
    "filing_id": "X20261201000001",
    "filed_at": "2026-12-01T09:30:00Z",
    "export_date": "2026-12-02",
    "port_of_export": "2720",
    "mode_of_transport": "40",
    "carrier": "LUFTHANSA CARGO",
    "country_of_destination": "DE",
    "usppi": {"name": "Keystone Instruments Inc.", "address": "100 Commerce St", "city": "San Jose, CA",
              "country": "US", "id": "12-3456789"},
    "ultimate_consignee": {"name": "Hanse Maschinenbau GmbH", "address": "Industriestrasse 5", "city": "Hamburg",
                           "country": "DE", "type": "D"},
    "routed_export": False,
    "related_parties": False,
    "lines": [
        {"schedule_b": "8481804090", "description": "Valves for pipelines, stainless steel", "quantity": 40,
         "unit": "NO", "value_usd": 12000, "weight_kg": 220, "eccn": "EAR99", "license_code": "C33"},
    ],
}


def filing_data(**changes: Any) -> dict[str, Any]:
    """Return a valid filing dict with `changes` applied (top-level keys)."""
    data = copy.deepcopy(BASE_FILING)
    data.update(copy.deepcopy(changes))
    return data


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_BASE)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means the service is not there
        return False


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'exodus.db'}")
        db.ensure_schema()
        yield db
        db.dispose()
        return
    if not _postgres_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL not reachable at {PG_BASE}")
        pytest.skip("PostgreSQL not reachable")
    schema = f"exodus_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_BASE else "?"
    db = Database(f"{PG_BASE}{sep}options=-csearch_path%3D{schema}")
    try:
        db.ensure_schema()
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def exodus_home(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An EXODUS_HOME with the schema migrated and the bundled lists loaded."""
    from exodus.services.app import Exodus
    from exodus.settings import load_settings

    home = tmp_path_factory.mktemp("exodus-home")
    settings = load_settings({"EXODUS_HOME": str(home)})
    app = Exodus(settings, Database(settings.database_url))
    app.ensure_ready(actor="test-setup")
    app.index()
    app.db.dispose()
    return home


@contextmanager
def exodus_on_copy(exodus_home: Path, home: Path) -> Iterator[Any]:
    """Yield an Exodus instance on its own copy of `exodus_home`, made at `home`."""
    from exodus.services.app import Exodus
    from exodus.settings import load_settings

    shutil.copytree(exodus_home, home)
    settings = load_settings({"EXODUS_HOME": str(home)})
    app = Exodus(settings, Database(settings.database_url))
    try:
        yield app
    finally:
        app.db.dispose()


@pytest.fixture(scope="session")
def exodus_app(exodus_home):  # type: ignore[no-untyped-def]
    """The shared Exodus instance over `exodus_home`."""
    from exodus.services.app import Exodus
    from exodus.settings import load_settings

    settings = load_settings({"EXODUS_HOME": str(exodus_home)})
    app = Exodus(settings, Database(settings.database_url))
    yield app
    app.db.dispose()


@pytest.fixture(scope="session")
def web_app(exodus_app):  # type: ignore[no-untyped-def]
    """One FastAPI app over the shared Exodus instance."""
    from exodus.api.app import create_app

    return create_app(exodus_app)


@pytest.fixture(scope="session")
def client_as(web_app, exodus_app):  # type: ignore[no-untyped-def]
    """Return `make(*roles, ports=None, agencies=None)`: a TestClient with an API token of such an account."""
    from tests.accounts import make_account, token_client

    def make(*roles: str, ports: list[str] | None = None, agencies: list[str] | None = None):  # type: ignore[no-untyped-def]
        _username, token = make_account(exodus_app, *roles, ports=ports, agencies=agencies)
        return token_client(web_app, token)

    return make


@pytest.fixture(scope="session")
def browser_as(web_app, exodus_app):  # type: ignore[no-untyped-def]
    """Return `make(*roles, ports=None)`: a TestClient signed in through the sign-in form."""
    from fastapi.testclient import TestClient

    from tests.accounts import make_account, sign_in

    def make(*roles: str, ports: list[str] | None = None, agencies: list[str] | None = None):  # type: ignore[no-untyped-def]
        username, _token = make_account(exodus_app, *roles, ports=ports, agencies=agencies)
        return sign_in(TestClient(web_app, base_url="https://testserver", follow_redirects=False), username)

    return make


def unique_id(prefix: str = "T") -> str:
    """Return a filing id no other test uses."""
    return f"{prefix}{uuid.uuid4().hex[:12].upper()}"
