"""`exodus adjudicate`: actors as in the audit log, two people for a strong hit, refusals naming the permission."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from exodus.services.adjudication import STRONG_SCORE
from exodus.services.app import Exodus
from exodus.settings import load_settings
from exodus.storage.db import Database
from tests.accounts import make_account
from tests.cli import exodus, home_copy


@pytest.fixture(scope="module")
def home(exodus_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return home_copy(exodus_home, tmp_path_factory.mktemp("cli-adjudicate"))


def test_strong_hit_needs_a_second_person_and_the_actor_is_cli_login(home: Path) -> None:
    settings = load_settings({"EXODUS_HOME": str(home)})
    ex = Exodus(settings, Database(settings.database_url))
    supervisor, _ = make_account(ex, "supervisor")
    officer, _ = make_account(ex, "field_officer", ports=["2720"])
    ex.db.dispose()
    hit = json.loads(exodus(home, "screen", "Rosoboronexport", "--country", "RU", "--format", "json").stdout)[0]
    assert hit["score"] >= STRONG_SCORE
    args = ["adjudicate", "record", "--party", "Rosoboronexport", "--country", "RU", "--entry", hit["entry_id"],
            "--decision", "false_positive", "--reason", "said to be another company", "--format", "json"]

    refused = exodus(home, *args, EXODUS_USER=officer)
    assert refused.returncode == 2 and "screening.decide" in refused.stderr, refused.stderr
    unrelated = exodus(home, *[("Totally Innocent Corp" if a == "Rosoboronexport" else a) for a in args])
    assert unrelated.returncode == 2 and f"has no hit on list entry {hit['entry_id']}" in unrelated.stderr

    recorded = exodus(home, *args)
    assert recorded.returncode == 0, recorded.stderr
    row = json.loads(recorded.stdout)[0]
    assert row["decided_by"] == f"cli:{getpass.getuser()}" and row["status"] == "pending approval"
    assert "approve" in recorded.stderr

    own = exodus(home, "adjudicate", "approve", str(row["id"]))
    assert own.returncode == 2 and "another person" in own.stderr
    approved = exodus(home, "adjudicate", "approve", str(row["id"]), "--format", "json", EXODUS_USER=supervisor)
    assert approved.returncode == 0, approved.stderr
    assert json.loads(approved.stdout)[0]["approved_by"] == f"cli:{supervisor}"
    assert json.loads(exodus(home, "adjudicate", "list", "--pending", "--format", "json").stdout or "[]") == []


def test_a_contrary_decision_is_refused_unless_it_replaces_the_one_in_force(home: Path) -> None:
    settings = load_settings({"EXODUS_HOME": str(home)})
    ex = Exodus(settings, Database(settings.database_url))
    supervisor, _ = make_account(ex, "supervisor")
    ex.db.dispose()
    hit = json.loads(exodus(home, "screen", "Kalashnikov Concern", "--country", "RU", "--format", "json").stdout)[0]
    base = ["adjudicate", "record", "--party", "Kalashnikov Concern", "--country", "RU", "--entry", hit["entry_id"],
            "--format", "json"]
    matched = exodus(home, *base, "--decision", "true_match", "--reason", "confirmed match")
    assert matched.returncode == 0, matched.stderr
    match_id = json.loads(matched.stdout)[0]["id"]

    contrary = exodus(home, *base, "--decision", "false_positive", "--reason", "now fp")
    assert contrary.returncode != 0 and f"--replaces {match_id}" in contrary.stderr, contrary.stderr
    replaced = exodus(home, *base, "--decision", "false_positive", "--reason", "now fp", "--replaces", str(match_id))
    assert replaced.returncode == 0, replaced.stderr
    fp = json.loads(replaced.stdout)[0]
    if fp["status"] == "pending approval":
        assert exodus(home, "adjudicate", "approve", str(fp["id"]), EXODUS_USER=supervisor).returncode == 0
    listed = json.loads(exodus(home, "adjudicate", "list", "--party", "Kalashnikov Concern", "--country", "RU",
                               "--format", "json").stdout)
    assert [(d["id"], d["status"]) for d in listed] == [(fp["id"], "in force")]
    history = json.loads(exodus(home, "adjudicate", "list", "--party", "Kalashnikov Concern", "--country", "RU",
                                "--revoked", "--format", "json").stdout)
    assert [(d["id"], d["status"], d["superseded_by_decision"]) for d in history] == [
        (fp["id"], "in force", None), (match_id, "superseded", fp["id"])]
