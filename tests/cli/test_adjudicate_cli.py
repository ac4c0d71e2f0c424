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
