"""`exodus audit verify` and `exodus audit search` on a real home: tampering is found and reported."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC
from pathlib import Path

from sqlalchemy import create_engine, select, text, update
from sqlalchemy.orm import Session

from exodus.storage.audit import GENESIS, AuditEvent, _digest
from exodus.storage.models import AuditEventRow, AuditHeadRow
from tests.cli import exodus


def sql(home: Path, statement: str) -> None:
    engine = create_engine(f"sqlite:///{home / 'exodus.db'}")
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def head_of(done: subprocess.CompletedProcess[str]) -> str:
    return done.stderr.split("head ", 1)[1].split()[0]


def test_verify_reports_an_edited_entry_and_a_deleted_one(home: Path) -> None:
    exodus(home, "screen", "Kalashnikov Concern")  # reads on the record, by the local operator
    exodus(home, "screen", "Rosoboronexport")
    intact = exodus(home, "audit", "verify")
    assert intact.returncode == 0 and "audit chain intact" in intact.stderr and len(head_of(intact)) == 64
    sql(home, "UPDATE audit_events SET actor = 'cli:somebody-else' WHERE object_id = 'Rosoboronexport'")
    edited = exodus(home, "audit", "verify")
    assert edited.returncode == 1 and "content does not match its hash (entry was edited)" in edited.stderr
    sql(home, "DELETE FROM audit_events WHERE object_id = 'Kalashnikov Concern'")
    deleted = exodus(home, "audit", "verify")
    assert deleted.returncode == 1 and "an entry was removed or reordered" in deleted.stderr


def test_verify_reports_the_last_entries_cut_off(home: Path) -> None:
    exodus(home, "screen", "Kalashnikov Concern")
    sql(home, "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)")
    cut = exodus(home, "audit", "verify")
    assert cut.returncode == 1 and "entries were removed" in cut.stderr


def test_a_noted_head_catches_a_chain_rewritten_from_scratch(home: Path) -> None:
    noted = head_of(exodus(home, "audit", "verify"))
    assert exodus(home, "audit", "verify", "--head", noted).returncode == 0
    # Someone with write access edits the first entry and recomputes every hash after it.
    engine = create_engine(f"sqlite:///{home / 'exodus.db'}")
    with Session(engine) as session, session.begin():
        prev = GENESIS
        for n, row in enumerate(session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars()):
            row.actor = "cli:rewritten" if n == 0 else row.actor
            event = AuditEvent(row.actor, row.action, row.object_type, row.object_id, row.detail, row.remote)
            row.prev_hash, row.hash = prev, _digest(prev, row.at.replace(tzinfo=UTC), event)
            prev = row.hash
        session.execute(update(AuditHeadRow).values(last_hash=prev))
    engine.dispose()
    assert exodus(home, "audit", "verify").returncode == 0  # the rewrite is self-consistent...
    anchored = exodus(home, "audit", "verify", "--head", noted)
    assert anchored.returncode == 1 and f"no entry has the hash {noted}" in anchored.stderr  # ...but not anchored


def test_a_head_that_is_not_a_hash_is_refused_as_bad_input(home: Path) -> None:
    noted = head_of(exodus(home, "audit", "verify"))
    for wrong in ("zz", noted[:-1], noted + "0", "g" * 64):
        refused = exodus(home, "audit", "verify", "--head", wrong)
        assert refused.returncode == 2 and "head must be a 64-character hexadecimal hash" in refused.stderr, wrong
        assert "rewritten" not in refused.stderr
    assert exodus(home, "audit", "verify", "--head", noted.upper()).returncode == 0


def test_search_filters_and_is_itself_recorded(home: Path) -> None:
    exodus(home, "screen", "Kalashnikov Concern")
    found = exodus(home, "audit", "search", "--action", "screening.", "--type", "party", "--until", "2999-01-01",
                   "--format", "json")
    rows = json.loads(found.stdout)
    assert rows[0]["action"] == "screening.queried" and rows[0]["remote"] == "local"
    assert all(r["action"].startswith("screening.") and r["object_type"] == "party" for r in rows)
    assert json.loads(exodus(home, "audit", "search", "--since", "2999-01-01", "--format", "json").stdout) == []
    bad = exodus(home, "audit", "search", "--until", "soon")
    assert bad.returncode == 2 and "--until must be an ISO date" in bad.stderr
    searched = json.loads(exodus(home, "audit", "search", "--action", "audit.searched", "--format", "json").stdout)
    assert searched and searched[0]["detail"].get("action") in ("screening.", None)
