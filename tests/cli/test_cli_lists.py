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


def test_an_ofac_file_without_its_side_files_is_refused_and_a_folder_is_read(home: Path, tmp_path: Path) -> None:
    bundled = BUNDLED_UN.parents[1] / "ofac"
    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / "cons_prim.csv").write_bytes((bundled / "cons_prim.csv").read_bytes())
    refused = exodus(home, "lists", "update", str(lone / "cons_prim.csv"))
    assert refused.returncode == 2 and "cons_alt.csv, cons_add.csv, cons_comments.csv missing" in refused.stderr
    assert exodus(home, "lists", "update", str(lone)).returncode == 2  # the folder: the same set, as incomplete

    whole = tmp_path / "whole"
    whole.mkdir()
    for name in ("cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"):
        (whole / name).write_bytes((bundled / name).read_bytes())
    done = exodus(home, "lists", "update", str(whole), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [(r["source"], r["outcome"]) for r in json.loads(done.stdout)] == [("ofac-cons", "no change")]
    empty = exodus(home, "lists", "update", str(tmp_path / "lone" / ".."))
    assert empty.returncode == 2 and "without OFAC sdn.csv or cons_prim.csv" in empty.stderr


def test_rescreen_with_nothing_pending_says_so(home: Path) -> None:
    done = exodus(home, "lists", "rescreen")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "nothing pending"
    as_json = exodus(home, "lists", "rescreen", "--format", "json")
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == [{"rescreened_filings": []}]
