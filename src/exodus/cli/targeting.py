"""`exodus rules`, `exodus lookouts`, `exodus thresholds` and `exodus evaluate`."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from exodus.auth import Permission
from exodus.cli.command import allowed, failing_cleanly, services, session_as
from exodus.cli.output import Format, emit, err
from exodus.errors import InvalidInput

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
    ex = services()
    ex.ensure_ready()
    return ex


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{name} must be a date YYYY-MM-DD, got {text!r}"
        ) from None


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name}: not UTF-8 text (byte {exc.start})") from None


def _rules_from_file(path: Path) -> list[dict[str, Any]]:
    from exodus.services.rules import rules_in_text

    return rules_in_text(_text(path), path.name)


def _stated_version(data: dict[str, Any]) -> int | None:
    """Return the `base_version` a rule document states (the version it was edited from), if any."""
    stated = data.get("base_version")
    if stated is None:
        return None
    if isinstance(stated, bool) or not isinstance(stated, int) or stated < 1:
        raise InvalidInput(f"rule {data.get('id')!r}: base_version must be a version number, got {stated!r}")
    return stated


@rules_app.command("list")
def rules_list(
    retired: Annotated[bool, typer.Option(help="include retired rules")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """List the targeting rules in force (with --retired, every rule)."""
    from exodus.services import rules as rule_service

    ex = _services()
    with session_as(ex, Permission.RULE_READ) as (_who, session):
        rows = rule_service.list_rules(session, include_retired=retired)  # stores the shipped rules first
    emit(
        rows,
        ["id", "category", "weight", "version", "retired", "description"],
        fmt,
        title="Targeting rules",
    )


@rules_app.command("show")
def rules_show(rule_id: str, fmt: FormatOpt = Format.TABLE) -> None:
    """Show one rule: its definition (as YAML in the table format), version and state."""
    import yaml

    from exodus.services import rules as rule_service

    with session_as(_services(), Permission.RULE_READ) as (_who, session):
        rule = rule_service.get_rule(session, rule_id)
    if fmt is Format.TABLE:
        typer.echo(yaml.safe_dump(rule, sort_keys=False, allow_unicode=True), nl=False)
    else:
        emit([rule], list(rule), fmt)


@rules_app.command("history")
def rules_history(rule_id: str, fmt: FormatOpt = Format.TABLE) -> None:
    """Show every version of a rule: who, when, why."""
    from exodus.services import rules as rule_service

    with session_as(_services(), Permission.RULE_READ) as (_who, session):
        rows = rule_service.rule_history(session, rule_id)
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
    """Add the rules of FILE, or store a new version of those that exist.

    A rule identical to the one in force stores nothing and is reported unchanged.
    All or nothing: one invalid rule stores none of them. A rule may state the
    version it was edited from (`base_version: N`); it is refused if the rule
    changed since."""
    from exodus.services import rules as rule_service

    ex = _services()
    done: list[str] = []
    with session_as(ex, Permission.RULE_WRITE) as (who, session):
        listed = {r["id"]: r for r in rule_service.list_rules(session)}  # stores the shipped rules first
        known = set(listed)
        for data in _rules_from_file(file):
            if data.get("id") in known and rule_service.unchanged(
                session, str(data["id"]), data, _stated_version(data)
            ):
                done.append(f"unchanged {data['id']}")
            elif data.get("id") in known:
                rule_service.change_rule(
                    session, str(data["id"]), data, actor=who.actor, reason=reason,
                    base_version=_stated_version(data),
                )
                done.append(f"{'reinstated' if listed[data['id']]['retired'] else 'changed'} {data['id']}")
            else:
                rule_service.create_rule(
                    session, data, actor=who.actor, reason=reason
                )
                done.append(f"added {data.get('id')}")
    for line in done:  # only once all of them are stored
        err.print(line)


@rules_app.command("retire")
def rules_retire(
    rule_id: str,
    reason: Annotated[
        str, typer.Option("--reason", "-r", help="why the rule is retired")
    ],
    base_version: Annotated[int | None, typer.Option(
        "--base-version", min=1, help="the version you saw; a version stored since is not retired unseen")] = None,
) -> None:
    """Retire a rule; its history stays."""
    from exodus.services import rules as rule_service

    with session_as(_services(), Permission.RULE_WRITE) as (who, session):
        rule_service.retire_rule(session, rule_id, actor=who.actor, reason=reason, base_version=base_version)
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
    allowed(ex, Permission.RULE_EVALUATE)
    with failing_cleanly():
        rule_service.seed_rules(ex.db)
        if replace_all:
            proposed = parse_rules_text(_text(rules), rules.name)
        else:
            with ex.db.session() as session:
                proposed = propose(
                    rule_service.active_rules(session), _rules_from_file(rules)
                )
        report = ex.what_if(proposed, _day(start, "--from"), _day(end, "--to"))
    if fmt is Format.JSON:
        emit([report], [], fmt)
        return
    if not report["filings"]:
        err.print(f"no stored filings were exported from {start} to {end}: nothing to compare")
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

    with session_as(_services(), Permission.LOOKOUT_READ) as (who, session):
        rows = lk.list_lookouts(session, live_only=live)
        note(session, who, "lookouts.viewed", "lookout", "*", {"live": live, "shown": len(rows), "via": "cli"})
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
    who = allowed(ex, Permission.LOOKOUT_WRITE)
    with failing_cleanly():
        row = ex.place_lookout(
            kind=kind,
            value=value,
            reason=reason,
            priority=priority,
            expires=_day(expires, "--expires") if expires else None,
            actor=who.actor,
        )
    err.print(f"lookout {row['id']} placed on {kind} {row['value']!r}; "
              f"{row['matched_filings']} stored filings matched, flagged and notified")


@lookouts_app.command("cancel")
def lookouts_cancel(
    lookout_id: int, reason: Annotated[str, typer.Option("--reason", "-r")]
) -> None:
    """Stop a lookout before it expires."""
    ex = _services()
    who = allowed(ex, Permission.LOOKOUT_WRITE)
    with failing_cleanly():
        done = ex.cancel_lookout(lookout_id, actor=who.actor, reason=reason)
    err.print(f"lookout {lookout_id} cancelled; {done['retargeted_filings']} stored filings it matched re-targeted")


@lookouts_app.command("notifications")
def lookouts_notifications(
    unread: Annotated[bool, typer.Option(help="only unread")] = False,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="at most this many")] = 200,
    offset: Annotated[int, typer.Option(min=0, help="skip this many of the newest first")] = 0,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """List filings that matched lookouts, newest first (page with --limit and --offset)."""
    from exodus.services import lookouts as lk

    from exodus.auth.trail import note

    with session_as(_services(), Permission.LOOKOUT_READ) as (who, session):
        ports = who.ports_for(Permission.LOOKOUT_READ)
        rows = lk.notifications(session, unread_only=unread, limit=limit, offset=offset, allowed_ports=ports)
        total = lk.unread_count(session, ports) if unread else None
        note(session, who, "notifications.viewed", "lookout", "*",
             {"unread": unread, "shown": len(rows), "via": "cli"})
    if total is not None and offset + len(rows) < total:
        err.print(f"showing {offset + 1} to {offset + len(rows)} of {total} unread; "
                  f"--offset {offset + len(rows)} shows the next")
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

    with session_as(_services(), Permission.RULE_READ) as (_who, session):
        rows = lk.list_thresholds(session)
    emit(rows, ["port", "review", "examine", "hold", "updated_by", "reason"], fmt)


@thresholds_app.command("set")
def thresholds_set(
    port: str,
    review: float,
    examine: float,
    hold: float,
    reason: Annotated[str, typer.Option("--reason", "-r", help="why the thresholds change (kept and audited)")],
) -> None:
    """Set a port's review, examine and hold thresholds (0-100, rising)."""
    from exodus.core.targeting.model import Thresholds
    from exodus.services import lookouts as lk

    with session_as(_services(), Permission.THRESHOLD_WRITE) as (who, session):
        done = lk.set_thresholds(
            session, port, Thresholds(review, examine, hold), actor=who.actor, reason=reason
        )
    err.print(f"port {port}: review {review}, examine {examine}, hold {hold}; "
              f"{done['actions_changed']} current actions changed")


@thresholds_app.command("clear")
def thresholds_clear(
    port: str,
    reason: Annotated[str, typer.Option("--reason", "-r", help="why the port returns to the defaults")],
) -> None:
    """Return a port to the default thresholds."""
    from exodus.services import lookouts as lk

    with session_as(_services(), Permission.THRESHOLD_WRITE) as (who, session):
        done = lk.clear_thresholds(session, port, actor=who.actor, reason=reason)
    err.print(f"port {port}: default thresholds (review {done['review']}, examine {done['examine']}, "
              f"hold {done['hold']}); {done['actions_changed']} current actions changed")


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
    fmt: Annotated[Format, typer.Option(
        "--format", "-f", help="table, json (one report object) or csv (slice, target and precision rows)",
    )] = Format.TABLE,
) -> None:
    """Target real enforcement cases among lawful trade; report recall, lawful examined and precision."""
    ex = services()
    with failing_cleanly():
        ex.ensure_ready()
        allowed(ex, Permission.RULE_READ)
        started = datetime.now()
        report = ex.evaluate(cases, lawful_per_case=lawful_per_case, seed=seed)
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
    columns = ["slice", "cases", "caught", "recall", "lawful", "lawful_examined", "lawful_examined_share",
               "precision"]
    targets = dict(report["targets"])
    # Shares are compared with a 2% target: two decimals would hide 1.8% against 2%.
    for row in (*rows, targets):
        for key in ("lawful_examined_share", "lawful_examined_target"):
            if isinstance(row.get(key), float):
                row[key] = f"{row[key]:.4f}"
    summary = [
        {"slice": f"targets for cases {targets['visibility']}", "recall": targets["recall"],
         "lawful_examined_share": targets["lawful_examined_share"], "recall_target": targets["recall_target"],
         "lawful_examined_target": targets["lawful_examined_target"], "targets_met": targets["met"]},
    ]
    tops = [f"top_{k}" for k in report["precision_at"]]
    ranked = [{"slice": "overall", **{f"top_{k}": v for k, v in report["precision_at"].items()}}]
    for title, key in (("visibility", "precision_at_by_visibility"), ("category", "precision_at_by_category")):
        ranked += [{"slice": f"{title}: {name}", **{f"top_{k}": v for k, v in at.items()}}
                   for name, at in report[key].items()]
    for row in ranked:
        row["slice"] = f"precision among the top-ranked, {row['slice']}"
    if fmt is Format.CSV:  # one CSV: the slices, then the targets row, then precision among the top-ranked
        emit(rows + summary + ranked,
             columns + ["recall_target", "lawful_examined_target", "targets_met", *tops], fmt)
    else:
        emit(rows, columns, fmt, title="Targeting on enforcement cases")
        emit(summary, ["slice", "recall", "recall_target", "lawful_examined_share", "lawful_examined_target",
                       "targets_met"], fmt, title="Targets")
        emit([{**row, "slice": row["slice"].removeprefix("precision among the top-ranked, ")} for row in ranked],
             ["slice", *tops], fmt, title="Precision among the top-ranked (share of violations among the k "
             "highest scores)")
        if report["missed"]:
            emit(report["missed"], ["case_id", "visibility", "category", "action", "score"], fmt,
                 title="Cases missed")
    err.print(f"done in {(datetime.now() - started).total_seconds():.0f}s")
