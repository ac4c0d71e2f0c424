"""Dependencies named once, so routes stay short."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from exodus.services.app import Exodus


def get_exodus(request: Request) -> Exodus:
    return request.app.state.exodus  # type: ignore[no-any-return]


def get_session(request: Request) -> Iterator[Session]:
    with get_exodus(request).db.session() as session:
        yield session


def current_actor(request: Request) -> str:
    """Name who is acting, for the audit log."""
    user = getattr(request.state, "user", None)
    return f"user:{user}" if user else f"api:{request.client.host if request.client else 'unknown'}"
