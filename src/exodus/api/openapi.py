"""The OpenAPI document, with the refusals each operation can answer.

FastAPI documents only the success status and 422 for a body or query it
validates. Every operation of Exodus can also refuse: unknown callers (401) and
callers without the permission (403) on every non-public route, a record that
does not exist (404) where the path or a body names one, input the domain refuses (400)
where a body, a path or a query carries input, a body over the size limit (413)
where one is sent, and whatever the
operation's own description says it answers (a 409 on a stale change, a 428
without a base version, a 429 when sign-in is throttled).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from exodus.auth.deps import app_routes, route_access

REFUSALS = {
    "400": "The input is refused: the detail names the record and the field.",
    "401": "No valid credentials: send `Authorization: Bearer exo_...` or sign in.",
    "403": "The account lacks the permission, or the record is outside its ports.",
    "404": "No such record (or one outside the caller's ports, told as missing).",
    "409": "The change conflicts with what is stored: the detail names the record on file.",
    "413": "The body is larger than the limit.",
    "422": "The body or query does not fit the schema: `problems` names each field.",
    "428": "The change must state the version it starts from.",
    "429": "Too many attempts: wait and try again.",
    "503": "The database or a service it needs is unavailable.",
}
_ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["detail"],
}
_CODE = re.compile(r"\b(4(?:0[0-9]|1[0-9]|2[0-9])|503)\b")


def refusals(route: Any, path: str, method: str) -> set[str]:
    """Return the error statuses the route at `path` can answer for `method`."""
    codes = {"503"}
    access = route_access(route)
    if not any(a.public for a in access):
        codes |= {"401", "403"}
    if "{" in path:
        codes.add("404")
    original = getattr(route, "original_route", route)
    if method in ("POST", "PUT", "PATCH", "DELETE"):
        codes |= {"400", "404", "413"}  # a body may name a record (an account, a list entry) that is missing
    elif "{" in path or getattr(getattr(original, "dependant", None), "query_params", None):
        codes.add("400")  # a value of the right type the domain refuses (an unknown port, version 0)
    codes.update(_CODE.findall(getattr(original, "description", "") or ""))
    return codes


def install(app: FastAPI) -> None:
    """Make `app.openapi()` document each operation's refusals (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        paths = schema.get("paths", {})
        for method, path, route in app_routes(app):
            operation = paths.get(path, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code in sorted(refusals(route, path, method)):
                responses.setdefault(code, {
                    "description": REFUSALS.get(code, "Refused."),
                    "content": {"application/json": {"schema": _ERROR}},
                })
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
