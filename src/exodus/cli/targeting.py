"""`exodus rules`, `exodus lookouts`, `exodus thresholds` and `exodus evaluate`."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml

from exodus.auth import Permission
from exodus.cli.access import authorized
from exodus.cli.output import Format, emit, err
from exodus.errors import ExodusError, InvalidInput

rules_app = typer.Typer(
    help="Targeting rules: list, add, change, retire, history and what-if."
)
lookouts_app = typer.Typer(
    help="Lookouts on parties, addresses, codes, countries, ports, carriers and routes."
)
thresholds_app = typer.Typer(help="Score thresholds per port.")
FormatOpt = Annotated[
    Format, typer.Option("--format", "-f", help="table, json (one array) or csv")
]


def _services():  # type: ignore[no-untyped-def]
    from exodus.services.app import Exodus

    ex = Exodus()
    ex.ensure_ready()
    return ex


def _fail(exc: ExodusError) -> None:
    err.print(f"[red]error:[/red] {exc.detail}")
    raise typer.Exit(2)


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{name} must be a date YYYY-MM-DD, got {text!r}"
        ) from None


def _rules_from_file(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("rules") if isinstance(data, dict) and "rules" in data else data
    items = items if isinstance(items, list) else [items]
    if not all(isinstance(i, dict) for i in items):
        raise InvalidInput(f"{path.name}: expected a rule or a list of rules")
    return items


@rules_app.command("list")
def rules_list(
    retired: Annotated[bool, typer.Option(help="include retired rules")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """List the targeting rules in force (with --retired, every rule)."""
    from exodus.services import rules as rule_service

    ex = _services()
    try:
        authorized(ex, Permission.RULE_READ)
        rule_service.seed_rules(ex.db)
        with ex.db.session() as session:
            rows = rule_service.list_rules(session, include_retired=retired)
    except ExodusError as exc:
        _fail(exc)
    emit(
        rows,
        ["id", "category", "weight", "version", "retired", "description"],
        fmt,
        title="Targeting rules",
    )


@rules_app.command("history")
def rules_history(rule_id: str, fmt: FormatOpt = Format.TABLE) -> None:
    """Show every version of a rule: who, when, why."""
    from exodus.services import rules as rule_service

    ex = _services()
    try:
        authorized(ex, Permission.RULE_READ)
        with ex.db.session() as session:
            rows = rule_service.rule_history(session, rule_id)
    except ExodusError as exc:
        _fail(exc)
    emit(
        rows,
        ["version", "change", "actor", "at", "reason"],
        fmt,
        title=f"History of {rule_id}",
    )


@rules_app.command("apply")
def rules_apply(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, help="YAML with one rule or a list of rules"
        ),
    ],
    reason: Annotated[
        str,
        typer.Option(
            "--reason", "-r", help="why the rules change (kept in the history)"
        ),
    ],
) -> None:
    """Add the rules of FILE, or store a new version of those that exist."""
    from exodus.services import rules as rule_service

    ex = _services()
    try:
        who = authorized(ex, Permission.RULE_WRITE)
        rule_service.seed_rules(ex.db)
        with ex.db.session() as session:
            known = {r["id"] for r in rule_service.list_rules(session)}
            for data in _rules_from_file(file):
                if data.get("id") in known:
                    rule_service.change_rule(
                        session, str(data["id"]), data, actor=who.actor, reason=reason
                    )
                    err.print(f"changed {data['id']}")
                else:
                    rule_service.create_rule(
                        session, data, actor=who.actor, reason=reason
                    )
                    err.print(f"added {data.get('id')}")
    except ExodusError as exc:
        _fail(exc)


@rules_app.command("retire")
def rules_retire(
    rule_id: str,
    reason: Annotated[
        str, typer.Option("--reason", "-r", help="why the rule is retired")
    ],
) -> None:
    """Retire a rule; its history stays."""
    from exodus.services import rules as rule_service

    ex = _services()
    try:
        who = authorized(ex, Permission.RULE_WRITE)
        with ex.db.session() as session:
            rule_service.retire_rule(session, rule_id, actor=who.actor, reason=reason)
    except ExodusError as exc:
        _fail(exc)
    err.print(f"retired {rule_id}")


@rules_app.command("whatif")
def rules_whatif(
    rules: Annotated[
        Path,
        typer.Option(
            "--rules",
            exists=True,
            dir_okay=False,
            help="proposed rules: a whole rule set, or rules to add or replace",
        ),
    ],
    start: Annotated[str, typer.Option("--from", help="first export date YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last export date YYYY-MM-DD")],
    replace_all: Annotated[
        bool, typer.Option("--replace", help="FILE is the whole proposed rule set")
    ] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Run proposed rules on stored filings of a period; show per port what they add and remove."""
    from exodus.core.targeting.rules import parse_rules_text
    from exodus.services import rules as rule_service
    from exodus.services.whatif import propose

    ex = _services()
    try:
        authorized(ex, Permission.RULE_EVALUATE)
        rule_service.seed_rules(ex.db)
        text = rules.read_text(encoding="utf-8")
        if replace_all:
            proposed = parse_rules_text(text, rules.name)
        else:
            with ex.db.session() as session:
                proposed = propose(
                    rule_service.active_rules(session), _rules_from_file(rules)
                )
        report = ex.what_if(proposed, _day(start, "--from"), _day(end, "--to"))
    except ExodusError as exc:
        _fail(exc)
    if fmt is Format.JSON:
        emit([report], [], fmt)
        return
    rows = [
        {
            "port": p["port"],
            **{f"{a} before": p["before"][a] for a in ("review", "examine", "hold")},
            **{f"{a} after": p["after"][a] for a in ("review", "examine", "hold")},
            "added": p["added"],
            "removed": p["removed"],
            "workload change": p["workload_change"],
        }
        for p in report["ports"]
    ]
    emit(
        rows,
        list(rows[0]) if rows else ["port"],
        fmt,
        title=f"What-if on {report['filings']} filings, {start} to {end}",
    )
    err.print(
        f"total: +{report['total']['added']} -{report['total']['removed']} examined; "
        f"workload change {report['total']['workload_change']:+d}"
    )


@lookouts_app.command("list")
def lookouts_list(
    live: Annotated[bool, typer.Option(help="only lookouts in force today")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """List lookouts, newest first."""
    from exodus.services import lookouts as lk

    from exodus.auth.trail import note

    ex = _services()
    try:
        who = authorized(ex, Permission.LOOKOUT_READ)
        with ex.db.session() as session:
            rows = lk.list_lookouts(session, live_only=live)
            note(session, who, "lookouts.viewed", "lookout", "*", {"live": live, "shown": len(rows), "via": "cli"})
    except ExodusError as exc:
        _fail(exc)
    emit(
        rows,
        [
            "id",
            "kind",
            "value",
            "priority",
            "expires",
            "active",
            "expired",
            "reason",
            "created_by",
        ],
        fmt,
    )


@lookouts_app.command("add")
def lookouts_add(
    kind: Annotated[
        str,
        typer.Argument(
            help="party, address, hs, eccn, country, port, carrier or route"
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(help="e.g. a name, 854231, 3A001, AE, 2720, 2720>AE, via:AE"),
    ],
    reason: Annotated[str, typer.Option("--reason", "-r")],
    priority: Annotated[str, typer.Option(help="high, medium or low")] = "medium",
    expires: Annotated[
        str | None, typer.Option(help="last export date it matches, YYYY-MM-DD")
    ] = None,
) -> None:
    """Place a lookout; matching filings, stored or to come, are flagged and notified."""
    ex = _services()
    try:
        who = authorized(ex, Permission.LOOKOUT_WRITE)
        row = ex.place_lookout(
            kind=kind,
            value=value,
            reason=reason,
            priority=priority,
            expires=_day(expires, "--expires") if expires else None,
            actor=who.actor,
        )
    except ExodusError as exc:
        _fail(exc)
    err.print(f"lookout {row['id']} placed on {kind} {row['value']!r}; "
              f"{row['matched_filings']} stored filings matched, flagged and notified")


@lookouts_app.command("cancel")
def lookouts_cancel(
    lookout_id: int, reason: Annotated[str, typer.Option("--reason", "-r")]
) -> None:
    """Stop a lookout before it expires."""
    from exodus.services import lookouts as lk

    ex = _services()
    try:
        who = authorized(ex, Permission.LOOKOUT_WRITE)
        with ex.db.session() as session:
            lk.cancel_lookout(session, lookout_id, actor=who.actor, reason=reason)
    except ExodusError as exc:
        _fail(exc)
    err.print(f"lookout {lookout_id} cancelled")


@lookouts_app.command("notifications")
def lookouts_notifications(
    unread: Annotated[bool, typer.Option(help="only unread")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """List filings that matched lookouts, newest first."""
    from exodus.services import lookouts as lk

    from exodus.auth.trail import note

    ex = _services()
    try:
        who = authorized(ex, Permission.LOOKOUT_READ)
        with ex.db.session() as session:
            rows = lk.notifications(session, unread_only=unread,
                                    allowed_ports=who.ports_for(Permission.LOOKOUT_READ))
            note(session, who, "notifications.viewed", "lookout", "*",
                 {"unread": unread, "shown": len(rows), "via": "cli"})
    except ExodusError as exc:
        _fail(exc)
    emit(
        rows,
        [
            "id",
            "created_at",
            "lookout",
            "filing_id",
            "port_of_export",
            "priority",
            "read",
        ],
        fmt,
    )


@thresholds_app.command("list")
def thresholds_list(fmt: FormatOpt = Format.TABLE) -> None:
    """Show the default thresholds and each port's own."""
    from exodus.services import lookouts as lk

    ex = _services()
    try:
        authorized(ex, Permission.RULE_READ)
        with ex.db.session() as session:
            rows = lk.list_thresholds(session)
    except ExodusError as exc:
        _fail(exc)
    emit(rows, ["port", "review", "examine", "hold", "updated_by", "reason"], fmt)


@thresholds_app.command("set")
def thresholds_set(
    port: str,
    review: float,
    examine: float,
    hold: float,
    reason: Annotated[str, typer.Option("--reason", "-r")] = "",
) -> None:
    """Set a port's review, examine and hold thresholds (0-100, rising)."""
    from exodus.core.targeting.model import Thresholds
    from exodus.services import lookouts as lk

    ex = _services()
    try:
        who = authorized(ex, Permission.THRESHOLD_WRITE)
        with ex.db.session() as session:
            lk.set_thresholds(
                session,
                port,
                Thresholds(review, examine, hold),
                actor=who.actor,
                reason=reason,
            )
    except ExodusError as exc:
        _fail(exc)
    err.print(f"port {port}: review {review}, examine {examine}, hold {hold}")


def evaluate(
    cases: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="enforcement cases CSV (default: the bundled set)",
        ),
    ] = None,
    lawful_per_case: Annotated[
        int, typer.Option(min=50, help="generated lawful filings per case")
    ] = 60,
    seed: Annotated[int, typer.Option(help="same seed, same lawful trade")] = 11,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Target real enforcement cases among lawful trade; report recall, lawful examined and precision."""
    from exodus.services.app import Exodus

    ex = Exodus()
    try:
        ex.ensure_ready()
        authorized(ex, Permission.RULE_READ)
        started = datetime.now()
        report = ex.evaluate(cases, lawful_per_case=lawful_per_case, seed=seed)
    except ExodusError as exc:
        _fail(exc)
    if fmt is Format.JSON:
        typer.echo(json.dumps(report, indent=2))
        return
    rows = [{"slice": "overall", **report["overall"]}]
    rows += [
        {"slice": f"visibility: {k}", **v} for k, v in report["by_visibility"].items()
    ]
    rows += [{"slice": f"category: {k}", **v} for k, v in report["by_category"].items()]
    rows += [
        {"slice": f"split {name}: {half}", **v}
        for name, halves in report["splits"].items()
        for half, v in halves.items()
    ]
    emit(
        rows,
        [
            "slice",
            "cases",
            "caught",
            "recall",
            "lawful",
            "lawful_examined",
            "lawful_examined_share",
        ],
        fmt,
        title="Targeting on enforcement cases",
    )
    if fmt is Format.TABLE:
        targets = report["targets"]
        err.print(
            f"targets for cases {targets['visibility']}: recall {targets['recall']} "
            f"(target {targets['recall_target']}), lawful examined {targets['lawful_examined_share']} "
            f"(target {targets['lawful_examined_target']}): {'met' if targets['met'] else 'not met'}"
        )
        err.print(
            "precision among the top-ranked: "
            + ", ".join(f"top {k}: {v:.2f}" for k, v in report["precision_at"].items())
        )
        for miss in report["missed"]:
            err.print(
                f"missed {miss['case_id']} ({miss['visibility']}, {miss['action']}, score {miss['score']:.0f})"
            )
        err.print(f"done in {(datetime.now() - started).total_seconds():.0f}s")
