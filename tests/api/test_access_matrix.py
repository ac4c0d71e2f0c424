"""Every route of the app, API and pages, against every role and anonymous callers.

The routes are enumerated from the live app, so a route added later is covered
without editing this file; a route that declares no access rule fails here (and is
refused at runtime by the app's guard).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from exodus.api.app import create_app
from exodus.auth import roles
from exodus.auth.deps import Access, app_routes, route_access
from tests.accounts import make_account, token_client
from tests.conftest import filing_data, unique_id

# Routes FastAPI and Starlette add themselves: the OpenAPI schema, its viewer, static files.
FRAMEWORK_PATHS = {"/api/openapi.json", "/api/docs", "/docs/oauth2-redirect", "/static"}
# Everything else anyone may reach without signing in.
PUBLIC = {("GET", "/api/health"), ("GET", "/"), ("GET", "/signin"), ("POST", "/signin")}
ASSIGNABLE = [name for name, r in roles().items() if r.assignable]
SAMPLE_PORT = "2720"


class Route:
    """One method of one route, with its full path and dependencies."""

    def __init__(self, path: str, context: Any) -> None:
        self.path = path
        self.dependant = context.dependant


def api_routes(app: FastAPI) -> list[tuple[str, Route]]:
    routes = [(method, Route(path, context)) for method, path, context in app_routes(app)]
    assert len(routes) > 20, "route enumeration found too few routes"
    return routes


def declared(route: Route) -> Access:
    found = route_access(route)
    assert len(found) == 1, f"{route.path} declares {len(found)} access rules"
    return found[0]


@pytest.fixture(scope="module")
def filing_id(client_as) -> str:  # type: ignore[no-untyped-def]
    """A stored filing at SAMPLE_PORT, so port-scoped readers are allowed to open it."""
    fid = unique_id("M")
    feed = client_as("feed")
    assert feed.post("/api/filings", json=[filing_data(filing_id=fid, port_of_export=SAMPLE_PORT)]).status_code == 200
    return fid


def concrete(path: str, filing_id: str) -> str:
    values = {"filing_id": filing_id, "username": "nobody-here", "token_id": "999999"}
    return re.sub(r"{(\w+)(:\w+)?}", lambda m: values.get(m.group(1), "x-none"), path)


def call(client: TestClient, method: str, path: str) -> Any:
    return client.request(method, path)


@pytest.fixture(scope="module")
def clients(web_app, exodus_app) -> dict[str, TestClient]:  # type: ignore[no-untyped-def]
    return {name: token_client(web_app, make_account(exodus_app, name)[1]) for name in ASSIGNABLE}


def test_every_route_declares_exactly_one_access_rule(web_app: FastAPI) -> None:
    problems = [f"{m} {r.path}: {len(route_access(r))} rules" for m, r in api_routes(web_app) if len(route_access(r)) != 1]
    assert problems == []


def test_only_framework_routes_are_outside_the_check(web_app: FastAPI) -> None:
    others = {context.path for context in iter_route_contexts(web_app.routes)
              if not isinstance(context.original_route, APIRoute)}
    assert others <= FRAMEWORK_PATHS


def test_public_routes_are_exactly_the_sign_in_and_health_routes(web_app: FastAPI) -> None:
    public = {(m, r.path) for m, r in api_routes(web_app) if declared(r).public}
    assert public == PUBLIC


def test_anonymous_callers_are_refused_everywhere_but_public_routes(web_app: FastAPI, filing_id: str) -> None:
    anonymous = TestClient(web_app, base_url="https://testserver", follow_redirects=False)
    for method, route in api_routes(web_app):
        if (method, route.path) in PUBLIC:
            continue
        resp = call(anonymous, method, concrete(route.path, filing_id))
        where = f"{method} {route.path}"
        if route.path.startswith("/api"):
            assert resp.status_code == 401, where
            assert resp.headers["WWW-Authenticate"] == "Bearer", where
        else:
            assert resp.status_code == 303, where
            assert resp.headers["location"].startswith("/signin?next="), where


def test_each_role_reaches_exactly_what_its_permissions_allow(
        web_app: FastAPI, clients: dict[str, TestClient], filing_id: str) -> None:
    checked = 0
    for method, route in api_routes(web_app):
        access = declared(route)
        if access.public:
            continue
        for name, client in clients.items():
            allowed = access.permission is None or access.permission in roles()[name].permissions
            resp = call(client, method, concrete(route.path, filing_id))
            where = f"{name} {method} {route.path} -> {resp.status_code}"
            if allowed:
                assert resp.status_code not in (401, 403), where
            else:
                assert resp.status_code == 403, where
            assert resp.status_code < 500, where
            checked += 1
    assert checked >= 8 * 20


def test_officers_of_another_port_cannot_open_a_filing_anywhere(web_app: FastAPI, exodus_app, filing_id: str) -> None:  # type: ignore[no-untyped-def]
    elsewhere = token_client(web_app, make_account(exodus_app, "field_officer", ports=["3901"])[1])
    home = token_client(web_app, make_account(exodus_app, "field_officer", ports=[SAMPLE_PORT])[1])
    routes = [(m, r) for m, r in api_routes(web_app) if "{filing_id}" in r.path and m == "GET"]
    assert len(routes) >= 2  # the API detail and the filing page at least
    for method, route in routes:
        path = concrete(route.path, filing_id)
        assert call(elsewhere, method, path).status_code == 404, path
        assert call(home, method, path).status_code == 200, path


def test_sensitive_routes_match_the_intended_roles(web_app: FastAPI) -> None:
    """Spell out, for the most sensitive routes, who must reach them: data and intent agree."""
    intended = {
        ("GET", "/api/worklist"): {"field_officer", "analyst", "supervisor"},
        ("GET", "/api/filings/{filing_id}"): {"field_officer", "analyst", "supervisor", "investigator"},
        ("GET", "/api/stats"): {"analyst", "supervisor", "policy_viewer"},
        ("GET", "/api/audit"): {"supervisor"},
        ("POST", "/api/users"): {"administrator"},
        ("POST", "/api/tokens"): {"administrator"},
        ("POST", "/api/filings"): {"analyst", "feed"},
    }
    routes = {(m, r.path): declared(r) for m, r in api_routes(web_app)}
    for key, who in intended.items():
        permission = routes[key].permission
        assert {n for n in ASSIGNABLE if permission in roles()[n].permissions} == who, key


def test_a_route_without_a_declaration_fails_the_check_and_is_refused(exodus_app, web_app: FastAPI) -> None:  # type: ignore[no-untyped-def]
    app = create_app(exodus_app)
    extra = APIRouter()

    @extra.get("/api/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "data"}

    app.include_router(extra)
    undeclared = [r.path for _m, r in api_routes(app) if len(route_access(r)) != 1]
    assert undeclared == ["/api/forgotten"]
    admin = token_client(app, make_account(exodus_app, "administrator", "supervisor", "analyst")[1])
    refused = admin.get("/api/forgotten")
    assert refused.status_code == 403 and "declares no access rule" in refused.json()["detail"]
