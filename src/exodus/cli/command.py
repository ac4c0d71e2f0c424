"""How a command runs: open the application, check who runs it, end on an error with one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from sqlalchemy.orm import Session

from exodus.auth import Permission, Principal
from exodus.cli.access import authorized
from exodus.cli.output import err
from exodus.errors import ExodusError


def services():  # type: ignore[no-untyped-def]
    from exodus.services.app import Exodus

    return Exodus()


def fail(exc: ExodusError) -> NoReturn:
    err.print(f"[red]error:[/red] {exc.detail}", soft_wrap=True)
    raise typer.Exit(2)


@contextmanager
def failing_cleanly() -> Iterator[None]:
    """End the command with one error line and exit status 2 on an ExodusError."""
    try:
        yield
    except ExodusError as exc:
        fail(exc)


def allowed(ex: Any, *permissions: Permission) -> Principal:
    """Return who runs the command if it holds every one of `permissions`; else end the command."""
    try:
        return authorized(ex, *permissions)
    except ExodusError as exc:
        fail(exc)


@contextmanager
def session_as(ex: Any, *permissions: Permission) -> Iterator[tuple[Principal, Session]]:
    """Yield who runs the command, if it holds every one of `permissions`, and a unit-of-work session.

    An ExodusError, from the check or the body, ends the command with one error line.
    """
    with failing_cleanly():
        who = authorized(ex, *permissions)
        with ex.db.session() as session:
            yield who, session
