"""Dependencies named once, so routes stay short."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from exodus.auth.deps import public, refusal_before_body, require, signed_in
from exodus.errors import InvalidInput
from exodus.services.app import Exodus

__all__ = ["ApiRoute", "DbSession", "get_exodus", "get_session", "public", "require", "signed_in"]


def _pairs_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise InvalidInput(f"the JSON body gives the key {key!r} twice in one object; the last would "
                               "silently win, so say it once")
        seen[key] = value
    return seen


class ApiRoute(APIRoute):
    """An API route whose JSON body is parsed once, refusing an object that gives a key twice.

    JSON parsers keep the last of two equal keys silently ("weight": 0.1, "weight": 0.9).
    The body is parsed here with that check and kept on the request, so FastAPI reads
    the parsed body instead of parsing it again. A caller who would be refused anyway
    is told that first, as for any other bad body.
    """

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            if "json" in request.headers.get("content-type", "") and (body := await request.body()):
                try:
                    request._json = json.loads(body, object_pairs_hook=_pairs_once)
                except InvalidInput as twice:
                    raise (await refusal_before_body(request)) or twice from None
                except ValueError:
                    pass  # not JSON: FastAPI's own parsing answers it
            return await handler(request)

        return route


def get_exodus(request: Request) -> Exodus:
    return request.app.state.exodus  # type: ignore[no-any-return]


def get_session(request: Request) -> Iterator[Session]:
    with get_exodus(request).db.session() as session:
        yield session


DbSession = Annotated[Session, Depends(get_session, scope="function")]
"""A route's unit-of-work session: committed when the route returns, rolled back on an error.

Scoped to the route function: it commits as soon as the route has built its
response, before that is sent, so a route that wrote (an audit note) does not hold
SQLite's write lock while the response goes out to a slow client. FastAPI closes it
without waiting for a free worker thread. A route must not hand out anything that
reads from the session after it returns (none streams).
"""
