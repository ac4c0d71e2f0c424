"""Fuzz every operation of the OpenAPI schema in-process: no input may cause a 5xx, and every
status an operation answers is one its OpenAPI responses list.

The run uses a copy of the prepared home, so operations that revoke tokens or disable
accounts cannot disturb other tests, and one account holding every assignable role so
that each operation is reached past its permission check.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET

from exodus.api.app import create_app
from exodus.auth import roles
from tests.accounts import make_account
from tests.conftest import exodus_on_copy, filing_data, unique_id

ALL_ROLES = [name for name, r in roles().items() if r.assignable and r.scope is None]


@pytest.fixture(scope="module")
def fuzz_target(exodus_home: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with exodus_on_copy(exodus_home, tmp_path_factory.mktemp("fuzz") / "home") as exodus:
        yield create_app(exodus)


# Operations that can lock the fuzzing account out run last, so every other operation
# is exercised past its permission check.
LAST = ("DELETE /api/tokens/{token_id}", "POST /api/users/{username}/disable")


def operations(app):  # type: ignore[no-untyped-def]
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) > 20
    return sorted(found, key=lambda op: op.label in LAST)


def fuzz_once(operation, mode, headers, failures, statuses):  # type: ignore[no-untyped-def]
    """Return a bounded Hypothesis test of one operation that records what it saw."""
    count = operation.label not in LAST
    documented = set(operation.definition.raw.get("responses", {}))

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call(headers=headers)
        if count:
            statuses[response.status_code] += 1
        if str(response.status_code) not in documented:
            failures.append(f"{operation.label} answered {response.status_code}, which its OpenAPI "
                            f"responses ({', '.join(sorted(documented))}) do not list: {response.text[:200]}")
        if response.status_code >= 500 or "Traceback" in response.text:
            body = case.body if case.body is not NOT_SET else ""
            failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {body} {case.query or ''}")
        case.validate_response(response, checks=[not_a_server_error])

    return run


# Schemathesis' pytest fixture loader (schemathesis.pytest.from_fixture) fails under
# pytest 9 (it reads a private node attribute), so the operations are driven through
# the Python API: one bounded Hypothesis run per operation, positive and negative data.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_with_a_server_error(fuzz_target, mode: GenerationMode) -> None:  # type: ignore[no-untyped-def]
    app = fuzz_target
    headers = {"Authorization": f"Bearer {make_account(app.state.exodus, *ALL_ROLES)[1]}"}
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for operation in operations(app):
        run = fuzz_once(operation, mode, headers, failures, statuses)
        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, report all at once
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:300]}")
    assert failures == []
    if mode is GenerationMode.POSITIVE:  # negative cases may also drop or spoil the credentials
        assert statuses[401] == 0 and statuses[403] == 0, statuses
    assert sum(n for code, n in statuses.items() if code < 300) > 50, statuses


def test_the_fuzzed_app_still_serves_real_work(fuzz_target) -> None:  # type: ignore[no-untyped-def]
    from tests.accounts import token_client

    app = fuzz_target
    client = token_client(app, make_account(app.state.exodus, "feed", "analyst")[1])
    fid = unique_id("FZ")
    assert client.post("/api/filings", json=[filing_data(filing_id=fid)]).json()["created"] == 1
    assert client.get(f"/api/filings/{fid}").status_code == 200
