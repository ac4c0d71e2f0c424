"""`exodus users`, `exodus tokens`, the first administrator and who the CLI acts as."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli import exodus, home_copy

PASSWORD = "a long enough passphrase"


@pytest.fixture()
def home(exodus_home: Path, tmp_path: Path) -> Path:
    """A copy of the prepared home with no accounts yet, as on a first run."""
    copy = home_copy(exodus_home, tmp_path)
    engine = create_engine(f"sqlite:///{copy / 'exodus.db'}")
    with engine.begin() as conn:
        for table in ("api_tokens", "web_sessions", "signin_attempts", "users"):
            conn.execute(text(f"DELETE FROM {table}"))
    engine.dispose()
    return copy


def test_first_run_creates_the_administrator_and_prints_the_password(home: Path) -> None:
    # Creating it only once, and taking EXODUS_ADMIN_PASSWORD, are covered in tests/auth.
    first = exodus(home, "init")
    assert first.returncode == 0, first.stderr
    assert "First administrator created" in first.stderr and "Sign in as admin with password" in first.stderr
    password = first.stderr.split("with password", 1)[1].split()[0]
    listed = json.loads(exodus(home, "users", "list", "--format", "json").stdout)
    assert [(u["username"], sorted(u["roles"])) for u in listed] == [("admin", ["administrator", "supervisor"])]
    assert password not in json.dumps(listed) and len(password) >= 16


def test_users_and_tokens_commands(home: Path) -> None:
    added = exodus(home, "users", "add", "jsmith", "--role", "field_officer", "--port", "2720", "--name", "J. Smith",
                   EXODUS_NEW_PASSWORD=PASSWORD)
    assert added.returncode == 0, added.stderr
    refused = exodus(home, "users", "add", "nobody", "--role", "field_officer", EXODUS_NEW_PASSWORD=PASSWORD)
    assert refused.returncode == 2 and "needs at least one port" in refused.stderr
    exodus(home, "users", "add", "aes-feed", "--role", "feed", "--no-password")
    created = exodus(home, "tokens", "create", "aes-feed", "--name", "nightly", "--days", "30")
    secret = created.stdout.strip()
    assert created.returncode == 0 and secret.startswith("exo_") and "shown once" in created.stderr
    tokens = json.loads(exodus(home, "tokens", "list", "--format", "json").stdout)
    assert tokens[0]["name"] == "nightly" and secret not in json.dumps(tokens)
    assert exodus(home, "lists", "status", EXODUS_TOKEN=secret).returncode == 2  # a feed may not read lists
    assert exodus(home, "tokens", "revoke", str(tokens[0]["id"])).returncode == 0
    revoked = exodus(home, "audit", "verify", EXODUS_TOKEN=secret)
    assert revoked.returncode == 2 and "EXODUS_TOKEN is not a valid" in revoked.stderr
    assert exodus(home, "users", "disable", "jsmith").returncode == 0
    users = {u["username"]: u for u in json.loads(exodus(home, "users", "list", "--format", "json").stdout)}
    assert users["jsmith"]["active"] is False and users["jsmith"]["ports"] == ["2720"]


def test_users_set_rescopes_an_account_and_refuses_a_scope_its_roles_ignore(home: Path) -> None:
    name = f"moved{uuid.uuid4().hex[:8]}"  # the home is shared: one account of its own
    refused = exodus(home, "users", "add", "zz2", "--role", "analyst", "--port", "3801", EXODUS_NEW_PASSWORD=PASSWORD)
    assert refused.returncode == 2 and "field 'port'" in refused.stderr and "field_officer" in refused.stderr
    refused = exodus(home, "users", "add", "zz3", "--role", "investigator", "--agency", "bis", "--no-password")
    assert refused.returncode == 2 and "field 'agency'" in refused.stderr
    exodus(home, "users", "add", name, "--role", "field_officer", "--port", "2720", EXODUS_NEW_PASSWORD=PASSWORD)
    moved = exodus(home, "users", "set", name, "--port", "3801", "--port", "2720")
    assert moved.returncode == 0, moved.stderr
    assert "ports 2720, 3801" in moved.stderr
    bad = exodus(home, "users", "set", name, "--port", "9999")
    assert bad.returncode == 2 and "port 9999 is not a Schedule D port" in bad.stderr
    promoted = exodus(home, "users", "set", name, "--role", "analyst", "--role", "supervisor")
    assert promoted.returncode == 0, promoted.stderr
    users = {u["username"]: u for u in json.loads(exodus(home, "users", "list", "--format", "json").stdout)}
    assert users[name]["roles"] == ["analyst", "supervisor"] and users[name]["ports"] == []
    assert "zz2" not in users and "zz3" not in users
    changes = json.loads(exodus(home, "audit", "search", "--action", "user.changed", "--object", name, "--format", "json").stdout)
    assert [c["detail"]["changed"] for c in changes] == [["ports", "roles"], ["ports"]]  # newest first
    assert changes[1]["detail"]["before"]["ports"] == ["2720"] and changes[1]["actor"].startswith("cli:")
    assert exodus(home, "users", "set", name).returncode == 2  # nothing to change


def test_commands_check_the_role_of_the_named_account(home: Path) -> None:
    exodus(home, "users", "add", "officer", "--role", "field_officer", "--port", "2720", EXODUS_NEW_PASSWORD=PASSWORD)
    as_officer = {"EXODUS_USER": "officer"}
    denied = exodus(home, "lists", "update", str(home / "nothing.csv"), **as_officer)
    assert denied.returncode == 2 and "officer (field_officer) may not use list.update" in denied.stderr
    assert "may not use user.manage" in exodus(home, "users", "list", **as_officer).stderr
    denied = json.loads(exodus(home, "audit", "search", "--action", "access.denied", "--format", "json").stdout)
    assert denied[0]["actor"] == "cli:officer" and denied[0]["object_id"] == "users list"
    assert denied[0]["detail"] == {"permission": "user.manage"} and denied[0]["remote"] == "local"
    screened = exodus(home, "screen", "Kalashnikov Concern", "--format", "json", **as_officer)
    assert screened.returncode == 0 and json.loads(screened.stdout)
    log = json.loads(exodus(home, "audit", "search", "--action", "screening.queried", "--format", "json").stdout)
    assert log[0]["actor"] == "cli:officer" and log[0]["remote"] == "local"
    unknown = exodus(home, "audit", "verify", EXODUS_USER="ghost")
    assert unknown.returncode == 2 and "no account named 'ghost'" in unknown.stderr


def test_token_only_mode_refuses_the_local_operator(home: Path) -> None:
    done = exodus(home, "lists", "status", EXODUS_CLI_AUTH="token")
    assert done.returncode == 2 and "requires EXODUS_TOKEN" in done.stderr


ROOT = Path(__file__).resolve().parents[2]


def test_the_sign_in_hints_of_make_run_and_the_readme_are_real_commands(home: Path) -> None:
    """Run every `exodus` command that `make run` prints and the README's sign-in section shows."""
    import re
    import shlex

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    hints = [line for line in run_target.splitlines() if "@echo" in line and "$(BIN)/exodus" in line]
    assert hints and "signin" in run_target and "EXODUS_ADMIN_PASSWORD" in run_target
    commands = [shlex.split(part.split("  ")[0].strip().strip('"'))
                for line in hints for part in line.split("$(BIN)/exodus ")[1:]]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Signing in, roles and tokens", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    commands += [shlex.split(line.split("#")[0])[1:] for line in block.splitlines() if line.startswith("exodus ")]
    assert len(commands) >= 8
    assert exodus(home, "init").returncode == 0
    for args in commands:
        args = ["newperson" if a == "NAME" else a for a in args]
        if args[:2] == ["tokens", "revoke"]:  # the README's id stands for the one just created
            listed = json.loads(exodus(home, "tokens", "list", "--format", "json").stdout)
            args[2] = str(listed[-1]["id"])
        done = exodus(home, *args, EXODUS_NEW_PASSWORD=PASSWORD)
        assert done.returncode == 0, f"exodus {' '.join(args)}: {done.stderr[-300:]}"
    assert re.search(r"Sign in as 'admin' with the password printed above", run_target)
