"""Dependencies named once, so routes stay short."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from exodus.auth.deps import public, require, signed_in
from exodus.services.app import Exodus

__all__ = ["DbSession", "get_exodus", "get_session", "public", "require", "signed_in"]


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
