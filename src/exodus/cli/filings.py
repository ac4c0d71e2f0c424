"""`exodus filing`: read a stored filing's versions and what each correction changed."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from exodus.auth import Permission
from exodus.cli.command import services, session_as
from exodus.cli.output import Format, emit

filing_app = typer.Typer(help="Stored filings: their versions and corrections.", no_args_is_help=True)
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json (one array) or csv")]
CHANGE_COLUMNS = ["version", "filed_at", "received_at", "received_by", "origin", "field", "old", "new"]


def _change_rows(version: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per changed field of a version (one row saying so if it is the first or changed nothing)."""
    meta = {k: version[k] for k in ("version", "filed_at", "received_at", "received_by", "origin")}
    if version["version"] == 1:
        return [{**meta, "field": "(first version)"}]
    if not version["changes"]:
        return [{**meta, "field": "(no field changed)"}]
    return [{**meta, **change} for change in version["changes"]]


@filing_app.command("history")
def filing_history_cmd(
    filing_id: Annotated[str, typer.Argument(help="the filing's id")],
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Show every version of a filing and, for each correction, the fields it changed (old and new value)."""
    with session_as(services(), Permission.FILING_READ) as (who, session):
        from exodus.services.filing_versions import filing_versions

        found = filing_versions(session, who, filing_id, via="cli")
    if fmt is Format.JSON:
        emit(found["versions"], [], fmt)
        return
    emit([row for v in found["versions"] for row in _change_rows(v)], CHANGE_COLUMNS, fmt,
         title=f"Versions of filing {filing_id}")


@filing_app.command("show")
def filing_show(
    filing_id: Annotated[str, typer.Argument(help="the filing's id")],
    version: Annotated[int | None, typer.Option(min=1, help="a stored version (default: the current one)")] = None,
) -> None:
    """Print a filing as received (the current version, or --version N) in the interchange form (JSON)."""
    with session_as(services(), Permission.FILING_READ) as (who, session):
        from exodus.services.filing_versions import filing_version

        found = filing_version(session, who, filing_id, version, via="cli")
    json.dump(found, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


@filing_app.command("changes")
def filing_changes(
    filing_id: Annotated[str, typer.Argument(help="the filing's id")],
    from_version: Annotated[int | None, typer.Option("--from", min=1, help="default: the version before --to")] = None,
    to_version: Annotated[int | None, typer.Option("--to", min=1, help="default: the current version")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Show the fields that differ between two versions of a filing: field, old value, new value."""
    with session_as(services(), Permission.FILING_READ) as (who, session):
        from exodus.services.filing_versions import compare_versions

        found = compare_versions(session, who, filing_id, from_version, to_version, via="cli")
    emit(found["changes"], ["field", "old", "new"], fmt,
         title=f"Filing {filing_id}: version {found['from']['version']} to {found['to']['version']}")
