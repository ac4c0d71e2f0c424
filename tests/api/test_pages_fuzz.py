"""Fuzz every page route's query, form and path parameters: no input may cause a 5xx.

The pages are left out of the OpenAPI schema, so schemathesis does not reach them;
this does the same for them with Hypothesis. Parameters are read from each route's
declared dependencies, so a page added later is fuzzed without editing this file.
It runs on a copy of the prepared home, as one account holding every unscoped role.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from fastapi.testclient import TestClient

from exodus.api.app import create_app
from exodus.auth import roles
from exodus.auth.deps import app_routes
from tests.accounts import make_account
from tests.conftest import exodus_on_copy

UNSCOPED = [name for name, r in roles().items() if r.assignable and r.scope is None]
# Routes that could lock the fuzzing account out run last.
LAST = ("/admin/tokens/{token_id}/revoke", "/admin/users/{username}/disable", "/signout")
values = st.one_of(
    st.text(max_size=60),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(str),
    st.sampled_from(["", " ", "2720", "release", "hold", "RU", "../..", "%00", "<script>x</script>", "'; --", "\x00"]),
)


def fields(dependant: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Return the query, form and path parameters of a route and its dependencies."""
    query, form, path = list(dependant.query_params), list(dependant.body_params), list(dependant.path_params)
    for sub in dependant.dependencies:
        more = fields(sub)
        query, form, path = query + more[0], form + more[1], path + more[2]
    return query, form, path


def pages(app: Any) -> list[tuple[str, str, Any]]:
    found = [(m, p, c) for m, p, c in app_routes(app) if not p.startswith(("/api", "/static"))]
    assert len(found) > 15
    return sorted(found, key=lambda item: item[1] in LAST)


@pytest.fixture(scope="module")
def fuzz_app(exodus_home: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with exodus_on_copy(exodus_home, tmp_path_factory.mktemp("pages-fuzz") / "home") as exodus:
        yield create_app(exodus)


def request_strategy(dependant: Any) -> st.SearchStrategy[dict[str, Any]]:
    query, form, path = fields(dependant)

    def params(found: list[Any]) -> st.SearchStrategy[dict[str, Any]]:
        def value(field: Any) -> st.SearchStrategy[Any]:
            many = "list" in str(field.field_info.annotation)
            return st.lists(values, max_size=3) if many else values

        return st.fixed_dictionaries({}, optional={f.alias: value(f) for f in found})

    segments = st.fixed_dictionaries({f.alias: values.filter(lambda v: v.strip() not in ("", ".", ".."))
                                      for f in path})
    return st.fixed_dictionaries({"query": params(query), "form": params(form), "path": segments})


def fuzz_once(client: Any, method: str, path: str, dependant: Any, failures: list[str]) -> Any:
    """Return a bounded Hypothesis test of one page route that records each 5xx."""

    @given(request=request_strategy(dependant))
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(request: dict[str, Any]) -> None:
        url = path
        for name, value in request["path"].items():
            url = url.replace("{" + name + "}", quote(value, safe=""))
        sent: dict[str, Any] = {"params": request["query"]}
        if method == "POST":
            sent["data"] = request["form"]
        answer = client.request(method, url, **sent)
        if answer.status_code >= 500 or "Traceback" in answer.text:
            failures.append(f"{method} {url} {request} -> {answer.status_code}")

    return run


def test_no_page_answers_with_a_server_error(fuzz_app) -> None:  # type: ignore[no-untyped-def]
    token = make_account(fuzz_app.state.exodus, *UNSCOPED)[1]
    client = TestClient(fuzz_app, base_url="https://testserver", headers={"Authorization": f"Bearer {token}"},
                        follow_redirects=False, raise_server_exceptions=False)
    failures: list[str] = []
    for method, path, context in pages(fuzz_app):
        fuzz_once(client, method, path, context.dependant, failures)()
    assert failures == []
    fresh = make_account(fuzz_app.state.exodus, "analyst")[1]  # the fuzzing may have revoked its own token
    assert client.get("/worklist", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
