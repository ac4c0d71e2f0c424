"""CLI commands for screening names and comparing two names."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from exodus.cli.output import Format, emit, err
from exodus.core.countries import check_country
from exodus.core.text import utf8_lines
from exodus.errors import ExodusError, InvalidInput

SCREEN_COLUMNS = ["id", "name", "score", "list", "entry_id", "entity_name", "matched_name", "explanation"]


def _read_parties(path: Path) -> tuple[list[tuple[str, str, str | None, str | None]], list[str]]:
    """Return the parties of a CSV file and a message per bad row (by line and field), which is left out."""
    reader = csv.DictReader(utf8_lines(path))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise InvalidInput(f"{path.name}: CSV header must have columns id,name[,country][,address]")
    rows, problems = [], []
    for row in reader:
        where = f"{path.name} line {reader.line_num}"
        name = (row.get("name") or "").strip()
        ident = (row.get("id") or "").strip() or f"line {reader.line_num}"
        try:
            if not name:
                raise InvalidInput(f"{where}: field 'name' is empty")
            country = check_country(row.get("country"), f"{where}: field 'country'")
        except InvalidInput as exc:
            problems.append(exc.detail)
            continue
        rows.append((ident, name, country, (row.get("address") or "").strip() or None))
    return rows, problems


def screen(
    names: Annotated[list[str] | None, typer.Argument(help="names to screen")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country of the party, raises or lowers confidence")] = None,
    threshold: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="minimum score of a hit")] = None,
    file: Annotated[Path | None, typer.Option("--file", exists=True, dir_okay=False, help="CSV with id,name[,country][,address]")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """Screen names against the restricted-party lists; one row per hit."""
    from exodus.auth import Permission
    from exodus.auth.trail import note
    from exodus.cli.access import authorized
    from exodus.cli.main import fail, services
    from exodus.services.screening import NameQuery, screen_names

    problems: list[str] = []
    try:
        if file is not None:
            parties, problems = _read_parties(file)
            for message in problems:
                err.print(f"[yellow]rejected:[/yellow] {message}")
        elif names:
            parties = [(name, name, check_country(country, "--country"), None) for name in names]
        else:
            raise InvalidInput("name one or more NAMEs, or --file parties.csv")
        ex = services()
        who = authorized(ex, Permission.SCREENING_QUERY)
        queries = [NameQuery(n, c, a, i) for i, n, c, a in parties]
        results = screen_names(ex.index(), queries, threshold)
        with ex.db.session() as session:
            note(session, who, "screening.queried", "party", queries[0].name[:200] if queries else "",
                 {"names": [q.name for q in queries[:50]], "queries": len(queries),
                  "hits": sum(len(h) for h in results), "via": "cli"})
    except ExodusError as exc:
        fail(exc)
    rows = []
    for (ident, name, _c, _a), hits in zip(parties, results, strict=True):
        for hit in hits:
            rows.append({"id": ident, "name": name, "score": round(hit.score, 3), "list": hit.source,
                         "entry_id": hit.entity_id, "entity_name": hit.entity_name,
                         "matched_name": hit.matched_name, "explanation": hit.explanation})
    if fmt is Format.TABLE and not rows:
        err.print("no hits")
    emit(rows, SCREEN_COLUMNS, fmt, title="Screening hits")
    if problems:
        raise typer.Exit(1)


def match(
    name_a: Annotated[str | None, typer.Argument(help="first name (the query)")] = None,
    name_b: Annotated[str | None, typer.Argument(help="second name (the list name)")] = None,
    pairs: Annotated[Path | None, typer.Option("--pairs", exists=True, dir_okay=False, help="CSV with query,list_name")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """Compare two names with the screening matcher; explain the score."""
    from exodus.cli.main import fail
    from exodus.core.screening import match_names

    try:
        if pairs is not None:
            reader = csv.DictReader(utf8_lines(pairs))
            if not reader.fieldnames or not {"query", "list_name"} <= set(reader.fieldnames):
                raise InvalidInput(f"{pairs.name}: CSV header must have columns query,list_name")
            rows = [dict(row) for row in reader]
            columns = list(rows[0].keys()) if rows else ["query", "list_name"]
        elif name_a and name_b:
            rows = [{"query": name_a, "list_name": name_b}]
            columns = ["query", "list_name"]
        else:
            raise InvalidInput("give NAME_A and NAME_B, or --pairs pairs.csv")
    except ExodusError as exc:
        fail(exc)
    for row in rows:
        result = match_names(row["query"] or "", row["list_name"] or "")
        row.update({"score": round(result.score, 3), "match": int(result.match), "explanation": result.explanation})
    emit(rows, [c for c in columns if c not in ("score", "match", "explanation")] + ["score", "match", "explanation"], fmt)


# -- adjudication -------------------------------------------------------------------

adjudicate_app = typer.Typer(help="Record analysts' decisions on screening hits.", no_args_is_help=True)
DECISION_COLUMNS = ["id", "party_name", "party_country", "entity_id", "source", "decision", "reason",
                    "decided_by", "decided_at", "revoked_by", "revoked_at"]


@adjudicate_app.command("record")
def adjudicate_record(
    party: Annotated[str, typer.Option(help="the party's name as filed")],
    entry: Annotated[str, typer.Option(help="the list entry id, e.g. SDN:12345")],
    decision: Annotated[str, typer.Option(help="true_match or false_positive")],
    reason: Annotated[str, typer.Option(help="why: what tells the party from the listed one")],
    country: Annotated[str | None, typer.Option(help="ISO country of the party")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """Record a true match or false positive for a party and list entry."""
    from exodus.auth import Permission
    from exodus.auth.trail import note
    from exodus.cli.access import authorized
    from exodus.cli.main import fail, services
    from exodus.errors import NotFound
    from exodus.services import adjudication

    try:
        country = check_country(country, "--country")
        ex = services()
        who = authorized(ex, Permission.LOOKOUT_WRITE)
        entity = next((e for e in ex.index().entities if e.id == entry), None)
        if entity is None:
            raise NotFound(f"no list entry {entry!r} in the active lists")
        with ex.db.session() as session:
            row = adjudication.record_decision(session, party_name=party, country=country, entity=entity,
                                               verdict=decision, reason=reason, user=who.username)
            note(session, who, "screening.decided", "party", party[:200],
                 {"entity_id": entry, "decision": row.decision, "decision_id": row.id, "via": "cli"})
            rows = [adjudication.decision_dict(row)]
    except ExodusError as exc:
        fail(exc)
    emit(rows, DECISION_COLUMNS, fmt, title="Decision recorded")


@adjudicate_app.command("list")
def adjudicate_list(
    party: Annotated[str | None, typer.Option(help="only this party (name as filed)")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country of the party")] = None,
    entry: Annotated[str | None, typer.Option(help="only this list entry id")] = None,
    revoked: Annotated[bool, typer.Option("--revoked", help="include revoked decisions")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """List decisions on screening hits, newest first."""
    from exodus.auth import Permission
    from exodus.auth.trail import note
    from exodus.cli.access import authorized
    from exodus.cli.main import fail, services
    from exodus.services import adjudication

    try:
        ex = services()
        # Decisions name parties of every port: all-port roles only.
        who = authorized(ex, Permission.LIST_READ)
        with ex.db.session() as session:
            found = adjudication.list_decisions(session, party_name=party, country=country,
                                                entity_id=entry, include_revoked=revoked)
            rows = [adjudication.decision_dict(r) for r in found]
            note(session, who, "screening.decisions_viewed", "party", party or "*",
                 {"entity_id": entry, "shown": len(rows), "via": "cli"})
    except ExodusError as exc:
        fail(exc)
    if fmt is Format.TABLE and not rows:
        err.print("no decisions")
    emit(rows, DECISION_COLUMNS, fmt, title="Screening decisions")


@adjudicate_app.command("revoke")
def adjudicate_revoke(
    decision_id: Annotated[int, typer.Argument(help="the decision's id")],
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """Revoke a decision; it stays on record with who revoked it and when."""
    from exodus.auth import Permission
    from exodus.auth.trail import note
    from exodus.cli.access import authorized
    from exodus.cli.main import fail, services
    from exodus.services import adjudication

    try:
        ex = services()
        who = authorized(ex, Permission.LOOKOUT_WRITE)
        with ex.db.session() as session:
            row = adjudication.revoke_decision(session, decision_id, who.username)
            note(session, who, "screening.decision_revoked", "party", row.party_name[:200],
                 {"entity_id": row.entity_id, "decision_id": row.id, "via": "cli"})
            rows = [adjudication.decision_dict(row)]
    except ExodusError as exc:
        fail(exc)
    emit(rows, DECISION_COLUMNS, fmt, title="Decision revoked")
