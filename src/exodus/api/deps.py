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


DbSession = Annotated[Session, Depends(get_session)]
"""A route's unit-of-work session: committed when the route returns, rolled back on an error."""
# TODO: the commit runs when FastAPI closes the dependency, which under a burst of
# requests waits for a free worker thread; on SQLite a route that wrote (an audit
# note) holds the write lock until then. The busiest audited reads (worklist, audit
# log) commit in the handler; other routes that write should do the same, or the
# session should commit before the response is built.
