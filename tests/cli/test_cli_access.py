"""Every `exodus` command against every role, as the API and page routes are in tests/api.

Commands are enumerated from the live Typer app, so a command added later is covered
without editing this file. Each command that touches data must call
`exodus.cli.access.authorized` (directly, or through `exodus.cli.command`) with the
permissions it needs (its declaration, read from its compiled code); it is then run as an
account of every role lacking one of them and must refuse with the `authorize` message
before doing anything. A command that calls no check fails here unless it is listed in
NO_DATA with the reason it needs none.
"""

from __future__ import annotations

import contextvars
import inspect
import json
from pathlib import Path
from types import CodeType
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from exodus.auth import Permission, roles
from exodus.cli.main import app
from exodus.services.app import Exodus
from exodus.settings import load_settings
from exodus.storage.db import Database
from tests.accounts import make_account
from tests.cli import home_copy

# Commands that read or change no stored data, and why they need no permission.
NO_DATA = {
    "sample": "writes generated filings to a file or standard output",
    "match": "compares two names given on its command line, weighed by the public lists",
    "serve": "starts the server; every page and API route checks access itself",
}
# Arguments that get a command past its own argument checks to the access check.
# {file} is an existing empty file. A new command with required arguments needs a line.
ARGS = {
    "adjudicate record": ["--party", "Acme", "--entry", "X:1", "--decision", "false_positive", "--reason", "test"],
    "adjudicate approve": ["1"],
    "adjudicate revoke": ["1"],
    "determine": ["--country", "DE", "--eccn", "EAR99"],
    "filing changes": ["X1"],
    "filing history": ["X1"],
    "filing show": ["X1"],
    "ingest": ["{file}"],
    "lists update": ["{file}"],
    "lookouts add": ["party", "Acme", "--reason", "test of access"],
    "lookouts cancel": ["1", "--reason", "test of access"],
    "rules apply": ["{file}", "--reason", "test of access"],
    "rules history": ["RF-NONE"],
    "rules show": ["RF-NONE"],
    "rules retire": ["RF-NONE", "--reason", "test of access"],
    "rules whatif": ["--rules", "{file}", "--from", "2026-01-01", "--to", "2026-01-02"],
    "screen": ["Acme"],
    "target": ["{file}"],
    "thresholds clear": ["2720", "--reason", "test of access"],
    "thresholds set": ["2720", "10", "20", "30", "--reason", "test of access"],
    "tokens create": ["nobody"],
    "tokens revoke": ["1"],
    "users add": ["nobody", "--role", "analyst"],
    "users set": ["nobody", "--role", "analyst"],
    "users disable": ["nobody"],
    "users enable": ["nobody"],
    "users unlock": ["nobody"],
    "users password": ["nobody"],
}
ASSIGNABLE = [name for name, r in roles().items() if r.assignable]
runner = CliRunner()


def commands(root: Any = None, prefix: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    """Return (name, click command) for every leaf command under `root`, e.g. ("lookouts add", cmd)."""
    node = typer.main.get_command(app) if root is None else root
    if hasattr(node, "commands"):
        found = []
        for name, sub in sorted(node.commands.items()):
            found += commands(sub, (*prefix, name))
        return found
    return [(" ".join(prefix), node)]


def code_names(code: CodeType) -> set[str]:
    """Return the global and attribute names a function's compiled code uses, nested code included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= code_names(const)
    return names


# The access check, and the helpers of exodus.cli.command that make it.
ACCESS_CHECKS = {"authorized", "allowed", "session_as"}


def declared(command: Any) -> set[Permission] | None:
    """Return the permissions a command names beside its access check, or None without one.

    Read from the compiled code, not the source file, so an edit made while the
    tests run cannot shift what is read.
    """
    names = code_names(inspect.unwrap(command.callback).__code__)
    if not ACCESS_CHECKS & names:
        return None
    return {p for p in Permission if p.name in names}


def undeclared(found: list[tuple[str, Any]]) -> list[str]:
    return [name for name, command in found if name not in NO_DATA and not declared(command)]


@pytest.fixture(scope="module")
def home(exodus_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = home_copy(exodus_home, tmp_path_factory.mktemp("cli-access"))
    (copy / "empty.csv").write_text("", encoding="utf-8")
    return copy


@pytest.fixture(scope="module")
def accounts(home: Path) -> dict[str, str]:
    """One account per assignable role in the copied home: role -> username."""
    settings = load_settings({"EXODUS_HOME": str(home)})
    ex = Exodus(settings, Database(settings.database_url))
    made = {name: make_account(ex, name)[0] for name in ASSIGNABLE}
    ex.db.dispose()
    return made


def run(home: Path, name: str, username: str | None = None, extra: list[str] | None = None,
        args: list[str] | None = None) -> Any:
    """Run `exodus <name> ARGS` (or `args`) in this process as `username` (the local operator if None)."""
    args = [a.replace("{file}", str(home / "empty.csv")) for a in ARGS.get(name, [])] if args is None else args
    env = {"EXODUS_HOME": str(home), "EXODUS_USER": username or "", "EXODUS_TOKEN": "", "EXODUS_CLI_AUTH": "local",
           "EXODUS_NEW_PASSWORD": "long enough password"}
    # A fresh context: the audit origin a command sets must not leak into other tests.
    return contextvars.copy_context().run(runner.invoke, app, [*name.split(), *args, *(extra or [])], env=env)


def test_commands_are_enumerated_and_the_lists_here_are_current() -> None:
    names = {name for name, _ in commands()}
    assert len(names) > 25, names
    assert {"users add", "audit verify", "lookouts notifications", "target"} <= names
    assert set(NO_DATA) <= names and set(ARGS) <= names, (set(NO_DATA) | set(ARGS)) - names


def test_every_command_that_touches_data_calls_the_access_check() -> None:
    assert undeclared(commands()) == []


def test_a_command_without_a_check_is_caught() -> None:
    extra = typer.Typer()

    @extra.command("leak")
    def leak() -> None:
        """Print every filing (and check nothing)."""

    @extra.command("guarded")
    def guarded() -> None:
        from exodus.cli.access import authorized

        authorized(None, Permission.FILING_READ)

    found = commands(typer.main.get_command(extra), ("extra",))
    assert undeclared(found) == ["extra leak"]
    assert declared(dict(found)["extra guarded"]) == {Permission.FILING_READ}


def test_each_command_refuses_every_role_lacking_its_permissions(home: Path, accounts: dict[str, str]) -> None:
    refused = 0
    for name, command in commands():
        needed = declared(command)
        if needed is None:
            continue
        for role_name, username in accounts.items():
            missing = needed - roles()[role_name].permissions
            if not missing:
                continue
            result = run(home, name, username)
            where = f"exodus {name} as {role_name}: exit {result.exit_code}: {result.output[-300:]}"
            assert result.exit_code == 2, where
            assert f"{username} ({role_name}) may not use" in result.output, where
            assert any(p.value in result.output for p in missing), where
            refused += 1
    assert refused > 80


def test_the_local_operator_and_holders_of_the_permission_get_past_the_check(home: Path, accounts: dict[str, str]) -> None:
    for name, role_name in [("lists status", "analyst"), ("rules list", "field_officer"), ("audit verify", "administrator"),
                            ("users list", "administrator"), ("screen", "investigator"), ("audit search", "supervisor")]:
        for username in (accounts[role_name], None):
            result = run(home, name, username, ["--format", "json"] if name not in ("audit verify",) else [])
            assert result.exit_code == 0, f"exodus {name} as {username}: {result.output[-300:]}"


def test_an_officer_sees_only_lookout_notifications_of_their_port(home: Path, accounts: dict[str, str]) -> None:
    from tests.conftest import filing_data, unique_id

    carrier = f"CARRIER {unique_id('CL')}"
    filings = home / "two-ports.jsonl"
    ids = {"2720": unique_id("CA"), "3901": unique_id("CB")}
    filings.write_text("".join(json.dumps(filing_data(filing_id=fid, port_of_export=port, carrier=carrier)) + "\n"
                               for port, fid in ids.items()), encoding="utf-8")
    placed = contextvars.copy_context().run(
        runner.invoke, app, ["lookouts", "add", "carrier", carrier, "--reason", "scope test"], env={"EXODUS_HOME": str(home)})
    assert placed.exit_code == 0, placed.output
    targeted = contextvars.copy_context().run(
        runner.invoke, app, ["target", str(filings), "--format", "json"], env={"EXODUS_HOME": str(home)})
    assert targeted.exit_code == 0, targeted.output

    def seen(username: str | None) -> set[str]:
        result = run(home, "lookouts notifications", username, ["--format", "json"])
        assert result.exit_code == 0, result.output
        return {n["filing_id"] for n in json.loads(result.stdout)}

    assert set(ids.values()) <= seen(accounts["analyst"])
    officer = seen(accounts["field_officer"])  # an officer of 2720
    assert ids["2720"] in officer and ids["3901"] not in officer


def test_reads_and_targeting_from_the_command_line_are_audited_as_local(home: Path, accounts: dict[str, str]) -> None:
    analyst = accounts["analyst"]
    from tests.conftest import filing_data, unique_id

    filing = home / "one.jsonl"
    filing.write_text(json.dumps(filing_data(filing_id=unique_id("CT"))) + "\n", encoding="utf-8")
    for name, args in [("lookouts list", []), ("lookouts notifications", []), ("adjudicate list", []),
                       ("screen", ["Acme"]), ("target", [str(filing)])]:
        result = run(home, name, analyst, ["--format", "json"], args)
        assert result.exit_code == 0, f"{name}: {result.output[-300:]}"
    found = run(home, "audit search", None, ["--actor", f"cli:{analyst}", "--limit", "500", "--format", "json"])
    events = json.loads(found.stdout)
    assert {"lookouts.viewed", "notifications.viewed", "screening.decisions_viewed", "screening.queried",
            "targeting.run"} <= {e["action"] for e in events}
    assert {e["remote"] for e in events} == {"local"}


def test_sensitive_commands_reach_the_intended_roles() -> None:
    """Spell out, for the most sensitive commands, which roles they serve: data and intent agree."""
    intended = {
        "users add": {"administrator"}, "users set": {"administrator"}, "users password": {"administrator"},
        "tokens create": {"administrator"},
        "audit search": {"supervisor"}, "lists update": {"analyst"}, "ingest": {"analyst", "feed"},
        "rules apply": {"analyst"}, "lookouts notifications": {"field_officer", "analyst", "supervisor"},
    }
    found = dict(commands())
    for name, who in intended.items():
        needed = declared(found[name])
        assert needed, name
        assert {r for r in ASSIGNABLE if needed <= roles()[r].permissions} == who, name
