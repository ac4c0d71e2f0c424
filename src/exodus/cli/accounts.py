"""`exodus users ...` and `exodus tokens ...`: accounts and API tokens from the shell."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer

from exodus.auth import Permission
from exodus.cli.command import services, session_as
from exodus.cli.output import Format, emit, err
from exodus.errors import InvalidInput

users_app = typer.Typer(help="Accounts, their roles and scopes.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for machines.", no_args_is_help=True)
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json or csv")]
USER_COLUMNS = ["username", "display_name", "roles", "ports", "agencies", "active", "last_sign_in_at"]
TOKEN_COLUMNS = ["id", "name", "user", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]


def _password(ask: bool) -> str | None:
    """Take the new password from EXODUS_NEW_PASSWORD, or ask twice on the terminal."""
    given = os.environ.get("EXODUS_NEW_PASSWORD")
    if given or not ask:
        return given or None
    first = getpass.getpass("Password (at least 12 characters): ")
    if first != getpass.getpass("Repeat the password: "):
        raise InvalidInput("the two passwords differ")
    return first


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="lower-case login name")],
    role: Annotated[list[str], typer.Option("--role", "-r", help="role (repeat for more): field_officer, analyst, supervisor, policy_viewer, administrator, agency_liaison, investigator, feed")],
    port: Annotated[list[str] | None, typer.Option("--port", "-p", help="Schedule D port (repeat); needed by field_officer")] = None,
    agency: Annotated[list[str] | None, typer.Option("--agency", "-a", help="BIS, DDTC, OFAC, NRC, DOE or DEA; needed by agency_liaison")] = None,
    name: Annotated[str, typer.Option(help="full name")] = "",
    no_password: Annotated[bool, typer.Option("--no-password", help="token-only machine account")] = False,
) -> None:
    """Add an account; the password is asked for (or read from EXODUS_NEW_PASSWORD)."""
    from exodus.auth.accounts import create_user

    with session_as(services(), Permission.USER_MANAGE) as (who, session):
        password = None if no_password else _password(ask=True)
        create_user(session, who, username=username, roles=role, password=password,
                    ports=port or [], agencies=[a.upper() for a in agency or []], display_name=name)
    err.print(f"account {username} added")


@users_app.command("set")
def users_set(
    username: Annotated[str, typer.Argument(help="account to change")],
    role: Annotated[list[str] | None, typer.Option("--role", "-r", help="new roles (repeat); replace all the old ones")] = None,
    port: Annotated[list[str] | None, typer.Option("--port", "-p", help="new Schedule D ports (repeat); replace the old ones")] = None,
    agency: Annotated[list[str] | None, typer.Option("--agency", "-a", help="new agencies (repeat); replace the old ones")] = None,
) -> None:
    """Change an account's roles, ports or agencies (those given replace the old); audited before and after."""
    from exodus.auth.accounts import update_user, user_dict

    with session_as(services(), Permission.USER_MANAGE) as (who, session):
        user = user_dict(update_user(session, who, username, roles=role or None, ports=port or None,
                                     agencies=[a.upper() for a in agency] if agency else None))
    err.print(f"account {user['username']}: roles {', '.join(user['roles'])}; "
              f"ports {', '.join(user['ports']) or '-'}; agencies {', '.join(user['agencies']) or '-'}")


@users_app.command("list")
def users_list(fmt: FormatOpt = Format.TABLE) -> None:
    """List accounts with their roles and scopes."""
    from exodus.auth.accounts import list_users

    with session_as(services(), Permission.USER_MANAGE) as (_who, session):
        rows = list_users(session)
    emit(rows, USER_COLUMNS, fmt, title="Accounts")


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument(help="account to disable")]) -> None:
    """Disable an account: no sign-in, sessions end, its tokens stop working."""
    from exodus.auth.accounts import set_active

    with session_as(services(), Permission.USER_MANAGE) as (who, session):
        set_active(session, who, username, False)
    err.print(f"account {username} disabled")


@users_app.command("enable")
def users_enable(username: Annotated[str, typer.Argument(help="account to enable")]) -> None:
    """Enable a disabled account again (its old sessions stay ended)."""
    from exodus.auth.accounts import set_active

    with session_as(services(), Permission.USER_MANAGE) as (who, session):
        set_active(session, who, username, True)
    err.print(f"account {username} enabled")


@users_app.command("unlock")
def users_unlock(username: Annotated[str, typer.Argument(help="account locked by failed sign-ins")]) -> None:
    """Lift the lock that failed sign-ins put on an account (the audit log keeps them)."""
    from exodus.auth.accounts import unlock

    with session_as(services(), Permission.USER_MANAGE) as (who, session):
        cleared = unlock(session, who, username)
    err.print(f"account {username} unlocked ({cleared} failed sign-ins cleared)")


@users_app.command("password")
def users_password(username: Annotated[str, typer.Argument(help="account whose password to set")]) -> None:
    """Set a new password (asked for, or EXODUS_NEW_PASSWORD); ends the account's sessions."""
    from exodus.auth.accounts import set_password

    with session_as(services(), Permission.USER_MANAGE) as (who, session):
        password = _password(ask=True)
        if password is None:
            raise InvalidInput("no password given")
        set_password(session, who, username, password)
    err.print(f"password of {username} set")


@tokens_app.command("create")
def tokens_create(
    username: Annotated[str, typer.Argument(help="account the token acts as")],
    name: Annotated[str, typer.Option(help="what the token is for")] = "token",
    days: Annotated[int | None, typer.Option(min=1, max=3650, help="expire after this many days")] = None,
) -> None:
    """Create an API token and print its secret once, on standard output."""
    from exodus.auth.accounts import create_token

    with session_as(services(), Permission.TOKEN_MANAGE) as (who, session):
        secret, row = create_token(session, who, username, name, days)
        token_id = row.id
    typer.echo(secret)
    err.print(f"token {token_id} for {username}: shown once, store it now; revoke with `exodus tokens revoke {token_id}`")


@tokens_app.command("list")
def tokens_list(fmt: FormatOpt = Format.TABLE) -> None:
    """List API tokens (never their secrets)."""
    from exodus.auth.accounts import list_tokens

    with session_as(services(), Permission.TOKEN_MANAGE) as (_who, session):
        rows = list_tokens(session)
    emit(rows, TOKEN_COLUMNS, fmt, title="API tokens")


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[int, typer.Argument(help="token id from `exodus tokens list`")]) -> None:
    """Revoke an API token at once."""
    from exodus.auth.accounts import revoke_token

    with session_as(services(), Permission.TOKEN_MANAGE) as (who, session):
        revoke_token(session, who, token_id)
    err.print(f"token {token_id} revoked")
