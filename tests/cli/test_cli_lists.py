"""`exodus lists update` as a user runs it: older releases, rollbacks on purpose, repeats."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import exodus

BUNDLED_UN = Path(__file__).parents[2] / "src/exodus/data/lists/un/UN_consolidated.xml"
GENERATED = 'dateGenerated="2026-02-27T00:00:09.554Z"'


def test_older_release_is_refused_and_a_rollback_needs_a_reason(home: Path, tmp_path: Path) -> None:
    text = BUNDLED_UN.read_text(encoding="utf-8")
    assert GENERATED in text
    older = tmp_path / "UN_consolidated.xml"
    older.write_text(text.replace(GENERATED, 'dateGenerated="2025-11-30T08:00:00Z"'), encoding="utf-8")

    refused = exodus(home, "lists", "update", str(older))
    assert refused.returncode == 2
    assert "2025-11-30" in refused.stderr and "2026-02-27" in refused.stderr
    no_reason = exodus(home, "lists", "update", str(older), "--allow-older")
    assert no_reason.returncode == 2 and "reason" in no_reason.stderr
    status = {r["source"]: r for r in json.loads(exodus(home, "lists", "status", "--format", "json").stdout)}
    assert status["un"]["published"].startswith("2026-02-27")

    rolled = exodus(home, "lists", "update", str(older), "--allow-older", "--reason", "Nov release is the checked one",
                    "--format", "json")
    assert rolled.returncode == 0, rolled.stderr
    [report] = json.loads(rolled.stdout)
    assert report["outcome"] == "rollback" and report["changed"] == 0
    again = exodus(home, "lists", "update", str(older), "--format", "json")
    assert again.returncode == 0 and json.loads(again.stdout)[0]["outcome"] == "no change"

    audit = json.loads(exodus(home, "audit", "search", "--action", "list.", "--format", "json").stdout)
    refusals = [e for e in audit if e["action"] == "list.refused"]
    assert len(refusals) == 2 and all(e["object_id"] == str(older) for e in refusals)
    assert audit[0]["action"] == "list.loaded" and audit[0]["detail"]["reason"] == "Nov release is the checked one"
