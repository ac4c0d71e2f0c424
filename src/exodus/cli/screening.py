"""CLI commands for screening names and comparing two names."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from exodus.cli.output import Format, emit, err
from exodus.core.countries import check_country
from exodus.core.text import utf8_lines
from exodus.errors import ExodusError, InvalidInput

SCREEN_COLUMNS = ["id", "name", "score", "list", "entry_id", "entity_name", "matched_name", "explanation"]


def _read_parties(path: Path) -> tuple[list[tuple[str, str, str | None, str | None]], list[str]]:
    """Return the parties of a CSV file and a message per bad row (by line and field), which is left out."""
    from exodus.services.screening import NameQuery, check_query

    reader = csv.DictReader(utf8_lines(path))
    if reader.fieldnames:  # header names in any case and with stray spaces: ID,Name,Country
        reader.fieldnames = [(f or "").strip().lower() for f in reader.fieldnames]
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise InvalidInput(f"{path.name}: CSV header must have columns id,name[,country][,address]")
    rows, problems = [], []
    for row in reader:
        given_id = (row.get("id") or "").strip()
        where = f"{path.name} line {reader.line_num}{f' (id {given_id})' if given_id else ''}"
        name = (row.get("name") or "").strip()
        address = (row.get("address") or "").strip() or None
        try:
            country = check_query(NameQuery(name, row.get("country"), address), where).country
        except InvalidInput as exc:
            problems.append(exc.detail)
            continue
        rows.append((given_id or f"line {reader.line_num}", name, country, address))
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
    from exodus.cli.command import fail, services
    from exodus.services.screening import NameQuery, screen_names

    problems: list[str] = []
    try:
        if file is not None:
            parties, problems = _read_parties(file)
            for message in problems:
                err.print(f"[yellow]rejected:[/yellow] {escape(message)}", soft_wrap=True)
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
    """Compare two names with the screening matcher; explain the score.

    The matcher is the one screening uses: tokens weigh by their rarity on the
    loaded lists, and when the second name is a name of listed parties, the first
    is compared with every name those parties carry (aliases, other scripts).
    """
    from exodus.cli.command import fail, services

    try:
        if pairs is not None:
            reader = csv.DictReader(utf8_lines(pairs))
            if not reader.fieldnames or not {"query", "list_name"} <= set(reader.fieldnames):
                raise InvalidInput(f"{pairs.name}: CSV header must have columns query,list_name")
            rows, problems = _read_pairs(reader, pairs.name)
            columns = [c for c in reader.fieldnames if c is not None]
        elif name_a and name_b and name_a.strip() and name_b.strip():
            rows, problems = [{"query": name_a, "list_name": name_b}], []
            columns = ["query", "list_name"]
        else:
            raise InvalidInput("give NAME_A and NAME_B (neither empty), or --pairs pairs.csv")
        index = services().index()
    except ExodusError as exc:
        fail(exc)
    for message in problems:
        err.print(f"[yellow]rejected:[/yellow] {escape(message)}", soft_wrap=True)
    for row in rows:
        result = index.match(row["query"], row["list_name"])
        row.update({"score": round(result.score, 3), "match": int(result.match), "explanation": result.explanation})
    emit(rows, [c for c in columns if c not in ("score", "match", "explanation")] + ["score", "match", "explanation"], fmt)
    if problems:
        raise typer.Exit(1)


def _read_pairs(reader: csv.DictReader[str], name: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the rows of a pairs file with both names, and a message per other row (by line and field)."""
    from exodus.services.screening import MAX_NAME

    rows, problems = [], []
    for row in reader:
        where = f"{name} line {reader.line_num}"
        if None in row:
            problems.append(f"{where}: has more cells than the header")
            continue
        empty = [f for f in ("query", "list_name") if not (row.get(f) or "").strip()]
        if empty:
            problems.append(f"{where}: field {empty[0]!r} is " + ("missing" if row.get(empty[0]) is None else "empty"))
            continue
        long = next((f for f in ("query", "list_name") if len(row[f]) > MAX_NAME), None)
        if long:
            problems.append(f"{where}: field {long!r} is {len(row[long])} characters long; the limit is {MAX_NAME}")
            continue
        rows.append(dict(row))
    return rows, problems


# -- adjudication -------------------------------------------------------------------

adjudicate_app = typer.Typer(help="Record analysts' decisions on screening hits.", no_args_is_help=True)
DECISION_COLUMNS = ["id", "party_name", "party_country", "entity_id", "source", "decision", "status", "hit_score",
                    "reason", "decided_by", "decided_at", "approved_by", "approved_at", "revoked_by", "revoked_at",
                    "replaces", "superseded_by_decision", "superseded_at"]


@adjudicate_app.command("record")
def adjudicate_record(
    party: Annotated[str, typer.Option(help="the party's name as filed")],
    entry: Annotated[str, typer.Option(help="the list entry id, e.g. SDN:12345")],
    decision: Annotated[str, typer.Option(help="true_match or false_positive")],
    reason: Annotated[str, typer.Option(help="why: what tells the party from the listed one")],
    country: Annotated[str | None, typer.Option(help="ISO country of the party")] = None,
    address: Annotated[str | None, typer.Option(help="the party's address and city as filed")] = None,
    replaces: Annotated[int | None, typer.Option(
        help="id of the decision on record for this party and entry that this one replaces")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """Record a true match or false positive for a party and list entry.

    The party must have a hit on the entry at the screening threshold in force.
    One decision is on record per party and entry: another one is refused unless
    it names the one it replaces (--replaces ID), which is then marked superseded.

    A false positive on a strong hit waits for a second person's approval
    (`exodus adjudicate approve`). The stored filings naming the party are re-targeted.
    """
    from exodus.auth import Permission
    from exodus.cli.access import authorized
    from exodus.cli.command import failing_cleanly, services
    from exodus.services import adjudication

    with failing_cleanly():
        country = check_country(country, "--country")
        ex = services()
        who = authorized(ex, Permission.SCREENING_DECIDE)
        row = adjudication.decide(ex, who, party_name=party, country=country, entity_id=entry,
                                  verdict=decision, reason=reason, via="cli", address=address,
                                  replaces=replaces)
    _decision_done(row, fmt, "Decision recorded")


def _decision_done(row: dict[str, object], fmt: Format, title: str) -> None:
    """Print a decision and, on stderr, whether it waits for approval and what was re-targeted."""
    emit([row], DECISION_COLUMNS, fmt, title=title)
    if row["status"] == "pending approval":
        err.print(f"decision {row['id']} sets nothing aside until another person approves it "
                  f"(strong hit, score {row['hit_score']}): exodus adjudicate approve {row['id']}")
    err.print(f"re-targeted {row['retargeted_filings']} stored filings naming the party")
    if row.get("warning"):
        err.print(f"[yellow]warning:[/yellow] {row['warning']}")


@adjudicate_app.command("approve")
def adjudicate_approve(
    decision_id: Annotated[int, typer.Argument(help="the decision's id")],
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """Approve a false positive on a strong hit recorded by someone else; it then sets the hit aside."""
    from exodus.auth import Permission
    from exodus.cli.access import authorized
    from exodus.cli.command import failing_cleanly, services
    from exodus.services import adjudication

    with failing_cleanly():
        ex = services()
        row = adjudication.approve(ex, authorized(ex, Permission.SCREENING_APPROVE), decision_id, via="cli")
    _decision_done(row, fmt, "Decision approved")


@adjudicate_app.command("list")
def adjudicate_list(
    party: Annotated[str | None, typer.Option(help="only this party (name as filed)")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country of the party")] = None,
    entry: Annotated[str | None, typer.Option(help="only this list entry id")] = None,
    revoked: Annotated[bool, typer.Option("--revoked", help="include revoked and superseded decisions")] = False,
    pending: Annotated[bool, typer.Option("--pending", help="only false positives awaiting approval")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """List decisions on screening hits, newest first."""
    from exodus.auth import Permission
    from exodus.auth.trail import note
    from exodus.cli.access import authorized
    from exodus.cli.command import fail, services
    from exodus.services import adjudication

    try:
        ex = services()
        # Decisions name parties of every port: all-port roles only.
        who = authorized(ex, Permission.LIST_READ)
        with ex.db.session() as session:
            found = adjudication.list_decisions(session, party_name=party, country=country,
                                                entity_id=entry, include_revoked=revoked, pending=pending)
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
    from exodus.cli.access import authorized
    from exodus.cli.command import failing_cleanly, services
    from exodus.services import adjudication

    with failing_cleanly():
        ex = services()
        row = adjudication.revoke(ex, authorized(ex, Permission.SCREENING_DECIDE), decision_id, via="cli")
    _decision_done(row, fmt, "Decision revoked")
