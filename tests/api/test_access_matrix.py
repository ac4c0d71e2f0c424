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
from exodus.auth.policy import SENSITIVE_READS
from exodus.storage.models import AuditEventRow
from tests.accounts import form_token, make_account, sign_in, token_client
from tests.conftest import filing_data, unique_id

# Routes FastAPI and Starlette add themselves: the OpenAPI schema and static files.
FRAMEWORK_PATHS = {"/api/openapi.json", "/static"}
# Everything else anyone may reach without signing in.
PUBLIC = {("GET", "/api/health"), ("GET", "/api/docs"), ("GET", "/"), ("GET", "/signin"), ("POST", "/signin")}
ASSIGNABLE = [name for name, r in roles().items() if r.assignable]
# Every role without a port or agency limit: an account holding them all reaches every route.
UNSCOPED = [name for name in ASSIGNABLE if roles()[name].scope is None]
SAMPLE_PORT = "2720"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Query parameters with which a read route actually reads something.
EXAMPLE_QUERIES = {"/api/screen": {"name": "Kalashnikov Concern"}, "/screen": {"name": "Kalashnikov Concern"}}


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


def concrete(path: str, filing_id: str, **more: str) -> str:
    values = {"filing_id": filing_id, "username": "nobody-here", "token_id": "999999", "number": "1", **more}
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
        ("PATCH", "/api/users/{username}"): {"administrator"},
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


def browser_with_every_role(web_app: FastAPI, exodus_app) -> TestClient:  # type: ignore[no-untyped-def]
    username, _ = make_account(exodus_app, *UNSCOPED)
    return sign_in(TestClient(web_app, base_url="https://testserver", follow_redirects=False), username)


def test_every_state_changing_route_refuses_a_session_without_its_csrf_token(
        web_app: FastAPI, exodus_app, filing_id: str) -> None:  # type: ignore[no-untyped-def]
    browser = browser_with_every_role(web_app, exodus_app)
    token = form_token(browser.get("/worklist").text)
    routes = [(m, r) for m, r in api_routes(web_app) if m in UNSAFE and not declared(r).public]
    routes.sort(key=lambda item: item[1].path == "/signout")  # signing out ends the session: last
    assert len(routes) > 15
    for method, route in routes:
        path, where = concrete(route.path, filing_id), f"{method} {route.path}"
        for headers in ({}, {"X-CSRF-Token": "forged"}):
            refused = browser.request(method, path, headers=headers)
            assert refused.status_code == 403 and "CSRF" in refused.text, where
        form = browser.request(method, path, data={"csrf_token": "forged"})
        assert form.status_code == 403 and "CSRF" in form.text, where
        passed = browser.request(method, path, headers={"X-CSRF-Token": token})
        assert passed.status_code not in (401, 403) and passed.status_code < 500, f"{where} -> {passed.status_code}"


def test_every_form_that_posts_carries_the_csrf_token(web_app: FastAPI, exodus_app, filing_id: str) -> None:  # type: ignore[no-untyped-def]
    browser = browser_with_every_role(web_app, exodus_app)
    rule_id = token_client(web_app, make_account(exodus_app, "analyst")[1]).get("/api/rules").json()[0]["id"]
    pages = [r for m, r in api_routes(web_app)
             if m == "GET" and not r.path.startswith("/api") and not declared(r).public]
    forms = set()
    for route in pages:
        page = browser.get(concrete(route.path, filing_id, rule_id=rule_id), params=EXAMPLE_QUERIES.get(route.path))
        for form in re.findall(r"<form\b.*?</form>", page.text, re.S):
            if 'method="post"' in form:
                action = re.search(r'action="([^"]*)"', form)
                assert re.search(r'name="csrf_token" value="[\w-]{20,}"', form), f"{route.path}: {form[:200]}"
                forms.add(action.group(1) if action else route.path)
    assert {"/signout", "/admin/users", "/admin/tokens", "/rules", "/thresholds", "/lookouts", "/whatif"} <= forms


def audit_events_by(exodus_app, username: str) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    with exodus_app.db.session() as session:
        return session.execute(select(func.count()).select_from(AuditEventRow)
                               .where(AuditEventRow.actor.like(f"token:{username}#%"))).scalar_one()


def test_every_sensitive_read_leaves_an_audit_event(web_app: FastAPI, exodus_app, filing_id: str) -> None:  # type: ignore[no-untyped-def]
    """A route or page that reads through a permission of SENSITIVE_READS must write who read what."""
    username, token = make_account(exodus_app, *UNSCOPED)
    client = token_client(web_app, token)
    reads = [r for m, r in api_routes(web_app) if m == "GET" and declared(r).permission in SENSITIVE_READS]
    assert len(reads) >= 8
    for route in reads:
        before = audit_events_by(exodus_app, username)
        answer = client.get(concrete(route.path, filing_id), params=EXAMPLE_QUERIES.get(route.path))
        assert answer.status_code == 200, f"GET {route.path} -> {answer.status_code}"
        assert audit_events_by(exodus_app, username) > before, f"GET {route.path} read without an audit event"


def test_an_officer_of_another_port_never_sees_a_ports_filing_in_any_answer(
        web_app: FastAPI, exodus_app, client_as) -> None:  # type: ignore[no-untyped-def]
    """One filing at SAMPLE_PORT, targeted and matching a lookout, so it shows in lists as well as on its pages."""
    fid = unique_id("SL")
    exporter, carrier = f"Exporter of {fid}", f"CARRIER {unique_id('K')}"  # lookouts themselves are not per port
    assert client_as("analyst").post("/api/lookouts", json={"kind": "carrier", "value": carrier,
                                                           "reason": "scope test"}).status_code == 201
    feed = client_as("feed")
    feed.post("/api/filings", json=[filing_data(filing_id=fid, port_of_export=SAMPLE_PORT, carrier=carrier,
                                                country_of_destination="NZ",
                                                usppi={"name": exporter, "country": "US"})])
    assert feed.post("/api/target", json={"filing_ids": [fid]}).status_code == 200
    home = token_client(web_app, make_account(exodus_app, "field_officer", ports=[SAMPLE_PORT])[1])
    away = token_client(web_app, make_account(exodus_app, "field_officer", ports=["3901"])[1])
    narrow = {"port": SAMPLE_PORT, "destination": "NZ"}
    queries = {**EXAMPLE_QUERIES, "/api/worklist": {**narrow, "limit": "500"}, "/worklist": narrow}
    officer = roles()["field_officer"].permissions
    reads = [r for m, r in api_routes(web_app)
             if m == "GET" and not declared(r).public and declared(r).permission in officer | {None}]
    shown_at_home = set()
    for route in reads:
        path = concrete(route.path, fid)
        if fid in home.get(path, params=queries.get(route.path)).text:
            shown_at_home.add(route.path)
        for params in (queries.get(route.path), None):
            answer, where = away.get(path, params=params), f"GET {route.path} shows port {SAMPLE_PORT} to 3901"
            assert exporter not in answer.text, where
            if "{filing_id}" in route.path:  # the answer may repeat the id asked for, and must say not found
                assert answer.status_code == 404, where
            else:
                assert fid not in answer.text, where
    # The home officer does see it, so the check above would catch a leak.
    assert {"/api/worklist", "/worklist", "/api/filings/{filing_id}", "/filings/{filing_id}",
            "/api/notifications", "/lookouts"} <= shown_at_home
