"""A command run as an unknown or disabled EXODUS_USER, or with a bogus EXODUS_TOKEN, is refused and audited."""

from __future__ import annotations

import json
import os
import pwd
from pathlib import Path

from tests.cli import exodus

PASSWORD = "a long enough passphrase"
BOGUS = "exo_" + "Z" * 43


def refusals(home: Path) -> list[dict]:  # type: ignore[type-arg]
    """Return the refused commands, newest first (the shared home may hold refused API requests too)."""
    found = exodus(home, "audit", "search", "--action", "auth.refused", "--type", "command", "--format", "json")
    assert found.returncode == 0, found.stderr
    return json.loads(found.stdout)  # type: ignore[no-any-return]


def test_unknown_and_disabled_accounts_and_bogus_tokens_are_audited(home: Path) -> None:
    # The command runs with a bare environment (no USER or LOGNAME): its login comes from the password database.
    login = pwd.getpwuid(os.getuid()).pw_name
    unknown = exodus(home, "lists", "status", EXODUS_USER="ghost")
    assert unknown.returncode == 2 and "no account named 'ghost'" in unknown.stderr
    assert exodus(home, "users", "add", "leaver", "--role", "analyst", EXODUS_NEW_PASSWORD=PASSWORD).returncode == 0
    assert exodus(home, "users", "disable", "leaver").returncode == 0
    disabled = exodus(home, "screen", "Kalashnikov Concern", EXODUS_USER="leaver")
    assert disabled.returncode == 2 and "account 'leaver' is disabled" in disabled.stderr
    bogus = exodus(home, "audit", "verify", EXODUS_TOKEN=BOGUS)
    assert bogus.returncode == 2 and "EXODUS_TOKEN is not a valid" in bogus.stderr
    assert "unknown API token" in bogus.stderr

    token_entry, disabled_entry, unknown_entry = refusals(home)  # newest first
    for entry in (token_entry, disabled_entry, unknown_entry):
        assert entry["actor"] == f"cli:{login}" and entry["remote"] == "local" and entry["object_type"] == "command"
    assert unknown_entry["object_id"] == "lists status"
    assert unknown_entry["detail"] == {"reason": "no account named 'ghost'", "as_user": "ghost"}
    assert disabled_entry["object_id"] == "screen Kalashnikov Concern"
    assert disabled_entry["detail"] == {"reason": "account 'leaver' is disabled", "as_user": "leaver"}
    assert token_entry["object_id"] == "audit verify"
    assert "unknown API token" in token_entry["detail"]["reason"] and "as_user" not in token_entry["detail"]
    assert BOGUS not in json.dumps(token_entry) and BOGUS[4:20] not in json.dumps(token_entry)
    chain = exodus(home, "audit", "verify")
    assert chain.returncode == 0, chain.stdout + chain.stderr


def test_a_revoked_token_names_the_token_not_its_secret(home: Path) -> None:
    assert exodus(home, "users", "add", "gateway", "--role", "feed", "--no-password").returncode == 0
    secret = exodus(home, "tokens", "create", "gateway", "--name", "nightly").stdout.strip()
    token_id = json.loads(exodus(home, "tokens", "list", "--format", "json").stdout)[-1]["id"]
    assert exodus(home, "tokens", "revoke", str(token_id)).returncode == 0
    assert exodus(home, "lists", "status", EXODUS_TOKEN=secret).returncode == 2
    [entry] = refusals(home)
    assert f"revoked API token {token_id} of 'gateway'" in entry["detail"]["reason"]
    assert secret not in json.dumps(entry)
