"""The `exodus` command: batch work on the embedded database or PostgreSQL."""

from __future__ import annotations

import csv
import getpass
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from exodus.auth import Permission
from exodus.cli.command import allowed, fail, failing_cleanly, services, session_as
from exodus.cli.output import Format, emit, err, progress
from exodus.errors import DatabaseUnavailable

class _Command(typer.Typer):
    """The command; a database it cannot reach ends it with one line, not a traceback."""

    def __call__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return super().__call__(*args, **kwargs)
        except DatabaseUnavailable as exc:
            print(f"error: {exc.detail}", file=sys.stderr)
            sys.exit(2)


app = _Command(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
               help="Exodus: command center for outbound export enforcement.")
log = logging.getLogger(__name__)

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="table, json (one array) or csv")]


def actor() -> str:
    """Name the login running the command (for setup steps that check no permission)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="log progress and details")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _count_records(path: Path) -> int | None:
    """Count the records of a filing file for the progress bar (None if it cannot be read).

    A JSON Lines record is a non-blank line; a CSV record is a filing, whose
    commodity lines are the rows with its filing_id.
    """
    try:
        if path.suffix.lower() == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                ids = set()
                for n, row in enumerate(csv.DictReader(handle)):
                    ids.add((row.get("filing_id") or "").strip() or f"(row {n})")
                return len(ids)
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="filings as .jsonl or .csv")],
    strict: Annotated[bool, typer.Option(help="store nothing if any record is bad")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Store the filings of FILE; bad records are reported by line and field."""
    ex = services()
    who = allowed(ex, Permission.FILING_WRITE)
    with failing_cleanly(), progress(f"ingesting {file.name}", _count_records(file)) as advance:
        report = ex.ingest(file, actor=who.actor, strict=strict, progress=advance)
    summary = report.to_dict()
    if fmt is Format.JSON:
        emit([summary], [], fmt)
    else:
        emit([{k: v for k, v in summary.items() if k != "errors"}],
             ["read", "created", "corrected", "unchanged", "stale", "rejected", "stored"], fmt)
        for message in report.errors:
            err.print(f"[yellow]rejected:[/yellow] {escape(message)}", soft_wrap=True)
        for message in report.warnings:
            err.print(f"[yellow]warning:[/yellow] {escape(message)}", soft_wrap=True)
    if report.errors or report.warnings:
        raise typer.Exit(1)


@app.command("target")
def target_cmd(
    file: Annotated[Path | None, typer.Argument(exists=True, dir_okay=False, help="filings to store (if new) and target")] = None,
    all_stored: Annotated[bool, typer.Option("--all", help="target every stored filing (not with a FILE)")] = False,
    port: Annotated[str | None, typer.Option(
        help="print only this port's filings: its worklist, ranked (a Schedule D code)")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Target filings and print filing_id, score, action and reasons, highest score first."""
    if file is None and not all_stored:
        err.print("[red]error:[/red] name a FILE of filings, or --all for every stored filing")
        raise typer.Exit(2)
    if file is not None and all_stored:
        err.print("[red]error:[/red] --all and a FILE cannot be combined: name a FILE to store and target its "
                  "filings, or --all alone to target every stored filing")
        raise typer.Exit(2)
    ex = services()
    rejected = False
    who = allowed(ex, Permission.TARGETING_RUN, *([Permission.FILING_WRITE] if file else []))
    with failing_cleanly():
        if port is not None:
            from exodus.core.ports import check_port

            check_port(port, "--port")
        ids = None
        if file is not None:
            report = ex.ingest(file, actor=who.actor)
            rejected = bool(report.errors or report.warnings)
            for message in report.errors:
                err.print(f"[yellow]rejected:[/yellow] {escape(message)}", soft_wrap=True)
            for message in report.warnings:
                err.print(f"[yellow]warning:[/yellow] {escape(message)}", soft_wrap=True)
            ids = report.filing_ids
        ex.ensure_ready(actor=who.actor)
        total = len(ids) if ids is not None else None
        with progress("targeting", total) as advance:
            results = ex.target(ids, progress=advance)
        audit_targeting(ex, who, ids, len(results))
    rows = sorted((r.to_dict() for r in results), key=lambda r: -r["score"])
    if port is not None:
        rows = [r for r in rows if r["filing_id"] in _filings_of_port(ex, port, [r["filing_id"] for r in rows])]
    if fmt is Format.TABLE or fmt is Format.CSV:
        for row in rows:
            row["reasons"] = [f"[{x['rule_id']}] {x['text']}" for x in row["reasons"]]
    emit(rows, ["filing_id", "score", "action", "reasons"], fmt, title="Targeting results")
    if rejected:
        raise typer.Exit(1)  # as `exodus ingest`: the good records are stored and targeted


def _filings_of_port(ex, port: str, ids: list[str]) -> set[str]:  # type: ignore[no-untyped-def]
    """Return which of the stored filings `ids` leave from `port`."""
    from sqlalchemy import select

    from exodus.storage.models import FilingRow

    found: set[str] = set()
    with ex.db.session() as session:
        for start in range(0, len(ids), 900):
            found.update(session.execute(select(FilingRow.filing_id).where(
                FilingRow.port_of_export == port, FilingRow.filing_id.in_(ids[start:start + 900]))).scalars())
    return found


def audit_targeting(ex, who, ids: list[str] | None, targeted: int) -> None:  # type: ignore[no-untyped-def]
    """Record a targeting run of the CLI, as the API does for POST /api/target."""
    from exodus.auth.trail import note

    with ex.db.session() as session:
        note(session, who, "targeting.run", "filing", ",".join(ids[:20]) if ids else "*",
             {"requested": len(ids) if ids is not None else "all", "targeted": targeted, "via": "cli"})


@app.command()
def sample(
    count: Annotated[int, typer.Option(min=1, max=5_000_000, help="number of filings")] = 500,
    seed: Annotated[int, typer.Option(help="same seed, same filings")] = 1,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of standard output")] = None,
    risk_share: Annotated[float, typer.Option(min=0.0, max=1.0, help="share of filings built on risk patterns")] = 0.04,
    csv_format: Annotated[bool, typer.Option("--csv", help="write CSV (one row per line) instead of JSON Lines")] = False,
) -> None:
    """Write realistic sample filings as JSON Lines (or CSV); an --output file's extension says which."""
    from exodus.core.filings.parse import file_kind
    from exodus.errors import InvalidInput
    from exodus.sample.generator import SampleGenerator, listed_names_from_bundle

    if output is not None:
        # Written as `exodus ingest` reads it back: .csv is CSV, .jsonl/.ndjson/.json JSON Lines.
        with failing_cleanly():
            kind = file_kind(output)
        if csv_format and kind != "csv":
            fail(InvalidInput(f"{output}: --csv writes CSV; name the file .csv"))
        csv_format = kind == "csv"
    generator = SampleGenerator(seed, listed=listed_names_from_bundle(), risk_share=risk_share)
    try:
        handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    except OSError as exc:
        fail(InvalidInput(f"cannot write {output}: {exc.strerror or exc}"))
    try:
        if csv_format:
            import csv

            from exodus.core.filings import CSV_COLUMNS, filing_to_csv_rows

            writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
            writer.writeheader()
            for filing in generator.filings(count):
                writer.writerows(filing_to_csv_rows(filing))
        else:
            for filing in generator.filings(count):
                handle.write(json.dumps(filing.to_dict(), ensure_ascii=False) + "\n")
    finally:
        if output:
            handle.close()
    if output:
        err.print(f"wrote {count} filings to {output}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Start the web command center and the REST API."""
    import uvicorn

    from exodus.api.app import create_app
    from exodus.auth.config import load_auth_settings, server_options

    with failing_cleanly():  # a misspelt proxy stops here, before the server starts
        forwarded = server_options(load_auth_settings())
    ex = services()
    ex.ensure_ready(actor=actor())
    _first_administrator(ex)
    ex.index()
    err.print(f"sign in at http://{host}:{port}/signin")
    uvicorn.run(create_app(ex), host=host, port=port, log_level="info", **forwarded)


def _first_administrator(ex) -> None:  # type: ignore[no-untyped-def]
    """Create the first administrator if there is no account; print its password once."""
    from exodus.auth.accounts import ensure_admin
    from exodus.auth.config import load_auth_settings

    with ex.db.session() as session:
        created, generated = ensure_admin(session, load_auth_settings().admin_password)
    if generated:
        err.print("[bold]First administrator created.[/bold] Sign in as [bold]admin[/bold] with password "
                  f"[bold]{generated}[/bold]\n(shown this once; change it with `exodus users password admin`)")
    elif created:
        err.print("First administrator [bold]admin[/bold] created with the password in EXODUS_ADMIN_PASSWORD.")


from exodus.cli import screening as _screening  # noqa: E402 - commands register on `app`

app.command()(_screening.screen)
app.command()(_screening.match)
from exodus.cli import controls as _controls  # noqa: E402

app.command()(_controls.determine)
app.add_typer(_screening.adjudicate_app, name="adjudicate")

from exodus.cli.batch import batch_app  # noqa: E402
from exodus.cli.filings import filing_app  # noqa: E402

app.add_typer(filing_app, name="filing")

app.add_typer(batch_app, name="batch")
from exodus.cli.accounts import tokens_app, users_app  # noqa: E402

app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")

from exodus.cli import targeting as _targeting  # noqa: E402 - rules, lookouts, thresholds, evaluate

app.add_typer(_targeting.rules_app, name="rules")
app.add_typer(_targeting.lookouts_app, name="lookouts")
app.add_typer(_targeting.thresholds_app, name="thresholds")
app.command()(_targeting.evaluate)

lists_app = typer.Typer(help="Screening lists and their versions.")
app.add_typer(lists_app, name="lists")


@lists_app.command("update")
def lists_update(
    source: Annotated[str, typer.Argument(
        help="path or https URL of a newer list release, or a folder of OFAC legacy files")],
    allow_older: Annotated[bool, typer.Option(
        "--allow-older", help="load a release published before the active one (a rollback); needs --reason")] = False,
    allow_missing_side_files: Annotated[bool, typer.Option(
        "--allow-missing-side-files",
        help="load an OFAC set although alias/address/remarks files are missing beside it; needs --reason")] = False,
    reason: Annotated[str | None, typer.Option(help="why; kept in the audit log")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Load a newer list release, report what changed and re-screen affected filings.

    An OFAC file (sdn.csv, cons_prim.csv) brings its side files from the same folder or
    URL base; a folder of OFAC files loads each set it holds.
    """
    ex = services()
    who = allowed(ex, Permission.LIST_UPDATE)
    with failing_cleanly():
        reports = ex.update_lists(source, actor=who.actor, allow_older=allow_older, reason=reason,
                                  allow_missing_side_files=allow_missing_side_files)
    for report in reports:
        if report.outcome == "no change":
            err.print(f"{report.source}: this release is the active version {report.version_id}; nothing stored")
    emit([report.to_dict() for report in reports], ["source", "version_id", "outcome", "entities", "problems", "added", "removed", "changed",
                              "rescreened_filings"], fmt)


@lists_app.command("rescreen")
def lists_rescreen(fmt: FormatOpt = Format.TABLE) -> None:
    """Complete the re-screens that list updates left pending (e.g. after a failure)."""
    ex = services()
    allowed(ex, Permission.LIST_UPDATE, Permission.TARGETING_RUN)
    with failing_cleanly():
        done = ex.rescreen_pending()
    if not done and fmt is Format.TABLE:
        print("nothing pending")
        return
    emit([{"rescreened_filings": done}], ["rescreened_filings"], fmt)


@lists_app.command("status")
def lists_status(fmt: FormatOpt = Format.TABLE) -> None:
    """Show the active version of each list."""
    from exodus.services.lists import active_versions

    ex = services()
    who = allowed(ex, Permission.LIST_READ)
    ex.ensure_ready(actor=who.actor)
    with ex.db.session() as session:
        rows = [{"source": v.source, "version_id": v.id, "published": v.published, "entities": v.entity_count,
                 "problems": v.problem_count, "checksum": v.checksum[:16], "loaded_at": v.loaded_at, "origin": v.origin}
                for v in active_versions(session)]
    emit(rows, ["source", "version_id", "published", "entities", "problems", "checksum", "loaded_at", "origin"], fmt)


audit_app = typer.Typer(help="The tamper-evident audit log.")
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    head: Annotated[str | None, typer.Option(help="a head hash printed by an earlier verify; it must still be in the chain")] = None,
) -> None:
    """Check that no audit entry was edited, removed or reordered."""
    from exodus.storage.audit import verify

    ex = services()
    allowed(ex, Permission.AUDIT_VERIFY)
    with failing_cleanly(), ex.db.session() as session:
        report = verify(session, anchor=head.strip().lower() if head else None)
    if report.ok:
        err.print(f"[green]audit chain intact[/green]: {report.checked} entries")
        err.print(f"head {report.head} (note it elsewhere; `exodus audit verify --head` checks a later chain still holds it)",
                  soft_wrap=True)
        return
    for problem in report.problems:
        err.print(f"[red]{problem}[/red]", soft_wrap=True)
    raise typer.Exit(1)


@audit_app.command("search")
def audit_search(
    actor_part: Annotated[str | None, typer.Option("--actor", help="part of the actor name")] = None,
    action: Annotated[str | None, typer.Option(help="a verb (filing.viewed) or a prefix ending in '.'")] = None,
    object_type: Annotated[str | None, typer.Option("--type", help="object type: filing, user, party, rule...")] = None,
    object_id: Annotated[str | None, typer.Option("--object", help="part of the object id")] = None,
    since: Annotated[str | None, typer.Option(help="ISO date or time, UTC, inclusive")] = None,
    until: Annotated[str | None, typer.Option(help="ISO date or time, UTC, exclusive")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 50,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Search the audit log, newest first (the search itself is audited)."""
    from datetime import datetime

    from exodus.auth.trail import AuditQuery, note, search
    from exodus.errors import InvalidInput

    def when(text: str | None, option: str) -> datetime | None:
        try:
            return datetime.fromisoformat(text) if text else None
        except ValueError:
            raise InvalidInput(f"{option} must be an ISO date or time, got {text!r}") from None

    with session_as(services(), Permission.AUDIT_SEARCH) as (who, session):
        query = AuditQuery(actor_part, action, object_type, object_id, when(since, "--since"), when(until, "--until"), limit)
        _total, rows = search(session, query)
        asked = {"actor": actor_part, "action": action, "object_type": object_type, "object_id": object_id,
                 "since": since, "until": until}
        note(session, who, "audit.searched", "audit", "*", {k: v for k, v in asked.items() if v})
    emit(rows, ["id", "at", "actor", "remote", "action", "object_type", "object_id", "detail"], fmt, title="Audit log")


@app.command()
def init() -> None:
    """Create or upgrade the database and load the bundled lists."""
    ex = services()
    who = allowed(ex, Permission.LIST_UPDATE)
    ex.ensure_ready(actor=who.actor)
    _first_administrator(ex)
    ex.index()
    err.print(f"database ready at {ex.settings.database_url}")


if __name__ == "__main__":
    app()
