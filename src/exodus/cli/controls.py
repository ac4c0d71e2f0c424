"""`exodus determine`: the license determination for one item, destination and parties."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated

import typer

from rich.console import Console

from exodus.cli.output import Format, emit
from exodus.errors import ExodusError, InvalidInput

REASON_COLUMNS = ["code", "text", "citation"]


def determine(
    country: Annotated[str, typer.Option("--country", "-c", help="destination: ISO code or name (e.g. CN, Hong Kong, UA-43)")],
    eccn: Annotated[str | None, typer.Option(help="ECCN with paragraph (3A001.a.1) or EAR99")] = None,
    usml: Annotated[str | None, typer.Option(help="USML category, e.g. XI(c)")] = None,
    cas: Annotated[str | None, typer.Option(help="CAS number of a chemical, e.g. 111-48-8")] = None,
    hts: Annotated[str | None, typer.Option(help="Schedule B / HTS code, 6 to 10 digits")] = None,
    description: Annotated[str | None, typer.Option(help="the item's description")] = None,
    party: Annotated[list[str] | None, typer.Option("--party", "-p", help="a party's name, screened first (repeat)")] = None,
    end_use: Annotated[str | None, typer.Option("--end-use", help="declared end use, in words or a code (military, nuclear...)")] = None,
    value: Annotated[float | None, typer.Option(min=0, help="value in USD (LVS limits)")] = None,
    weight: Annotated[float | None, typer.Option(min=0, help="weight in kg (DEA thresholds)")] = None,
    on: Annotated[str | None, typer.Option("--date", help="export date (ISO); picks the reference edition in force")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="table, json (one object) or csv (one row per reason)")] = Format.TABLE,
) -> None:
    """Tell whether an item needs a license to a destination, for these parties and end use."""
    from exodus.auth import Permission
    from exodus.auth.trail import note
    from exodus.cli.access import authorized
    from exodus.cli.command import fail, services
    from exodus.services.controls import DetermineQuery, determine_query

    try:
        try:
            export_date = date.fromisoformat(on) if on else None
        except ValueError:
            raise InvalidInput(f"--date must be an ISO date (YYYY-MM-DD), got {on!r}") from None
        query = DetermineQuery(country=country, eccn=eccn, usml=usml, cas=cas, hts=hts,
                               description=description, parties=tuple(party or ()), end_use=end_use,
                               value_usd=value, weight_kg=weight, export_date=export_date)
        query.item()  # refuse a query without an item before touching the database
        ex = services()
        who = authorized(ex, Permission.SCREENING_QUERY)
        index = ex.index() if query.parties else None
        result = determine_query(index, query, ex.settings.screen_threshold)
        with ex.db.session() as session:
            note(session, who, "controls.determined", "item", result["classification"] or usml or cas or hts or "item",
                 {"destination": result["destination"], "outcome": result["outcome"],
                  "names": list(query.parties), "via": "cli"})
    except ExodusError as exc:
        fail(exc)
    if fmt is Format.JSON:
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    if fmt is Format.CSV:
        rows = [{"outcome": result["outcome"], "agencies": result["agencies"], **r} for r in result["reasons"]]
        emit(rows, ["outcome", "agencies", *REASON_COLUMNS], fmt)
        return
    _print(result)


def _print(result: dict) -> None:  # type: ignore[type-arg]
    out = Console(width=max(120, Console().width))
    outcome = result["outcome"].replace("_", " ")
    out.print(f"[bold]{outcome}[/bold] — {result['classification'] or result['jurisdiction']} to "
              f"{result['destination']}; agencies: {', '.join(result['agencies'])} "
              f"(reference edition {result['reference_edition']})")
    for party in result["parties"]:
        listed = ", ".join(f"{h['source']} {h['entity_name']} ({h['score']:.2f})" for h in party["hits"]) or "no list hit"
        out.print(f"party {party['name']!r}: {listed}")
    emit(result["reasons"], REASON_COLUMNS, Format.TABLE, title="Reasons")
    if result["license_exceptions"]:
        emit(result["license_exceptions"], ["symbol", "basis", "conditions", "citation"], Format.TABLE,
             title="License exceptions that may apply")
