"""`exodus rules apply` and `exodus thresholds`: bad input ends with one line, all or nothing, with reasons."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli import exodus

GOOD = """- id: RF-T-GOOD
  description: Drones to a hub.
  category: red-flag
  weight: 0.3
  when: {all: [{signal: redflag.transshipment_hub}, {signal: redflag.uav_component}]}
"""


def rule_ids(home: Path) -> set[str]:
    listed = exodus(home, "rules", "list", "--retired", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    return {r["id"] for r in json.loads(listed.stdout)}


def test_invalid_yaml_is_reported_by_file_line_and_column(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "r4.yaml"
    path.write_text("- id: RF-T-X\n  when: [unclosed\n")
    done = exodus(home, "rules", "apply", str(path), "--reason", "bad yaml")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    said = " ".join(done.stderr.split())
    assert "r4.yaml line 3, column 1: not valid YAML" in said and "starts at line 2, column 9" in said


def test_a_file_with_one_invalid_rule_stores_none_and_says_nothing_was_added(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(GOOD + "- {id: RF-T-BAD, category: red-flag, weight: 0.2, when: {signal: filing.routed_exprot}}\n")
    done = exodus(home, "rules", "apply", str(path), "--reason", "two rules")
    assert done.returncode == 2
    assert "added" not in done.stderr
    assert "RF-T-BAD" in done.stderr and "filing.routed_export" in done.stderr
    assert not {"RF-T-GOOD", "RF-T-BAD"} & rule_ids(home)
    path.write_text(GOOD)
    done = exodus(home, "rules", "apply", str(path), "--reason", "one rule")
    assert done.returncode == 0 and "added RF-T-GOOD" in done.stderr
    # A rule that states the version it was edited from is refused once that is stale.
    path.write_text(GOOD.replace("weight: 0.3", "weight: 0.4") + "  base_version: 1\n")
    assert exodus(home, "rules", "apply", str(path), "--reason", "first edit").returncode == 0
    stale = exodus(home, "rules", "apply", str(path), "--reason", "second edit")
    assert stale.returncode == 2 and "version 2" in stale.stderr
    # The rule as it stands, applied again, stores no new version.
    path.write_text(GOOD.replace("weight: 0.3", "weight: 0.4"))
    again = exodus(home, "rules", "apply", str(path), "--reason", "same again")
    assert again.returncode == 0 and "unchanged RF-T-GOOD" in again.stderr
    history = exodus(home, "rules", "history", "RF-T-GOOD", "--format", "json")
    assert history.returncode == 0, history.stderr
    assert sorted(v["version"] for v in json.loads(history.stdout)) == [1, 2]


def test_thresholds_need_a_reason_and_a_real_port_and_can_be_cleared(home: Path) -> None:
    assert exodus(home, "thresholds", "set", "2720", "10", "20", "30").returncode == 2  # no --reason
    unknown = exodus(home, "thresholds", "set", "9999", "10", "20", "30", "--reason", "test")
    assert unknown.returncode == 2 and "Schedule D" in unknown.stderr
    assert exodus(home, "thresholds", "set", "2720", "10", "20", "30", "--reason", "busy airport").returncode == 0
    listed = json.loads(exodus(home, "thresholds", "list", "--format", "json").stdout)
    assert [t["reason"] for t in listed if t["port"] == "2720"] == ["busy airport"]
    cleared = exodus(home, "thresholds", "clear", "2720", "--reason", "season over")
    assert cleared.returncode == 0, cleared.stderr
    listed = json.loads(exodus(home, "thresholds", "list", "--format", "json").stdout)
    assert "2720" not in {t["port"] for t in listed}
    again = exodus(home, "thresholds", "clear", "2720", "--reason", "season over")
    assert again.returncode == 2 and "default" in again.stderr


def test_rules_show_prints_one_rule_and_names_a_missing_one(home: Path) -> None:
    shown = exodus(home, "rules", "show", "RF-HUB")
    assert shown.returncode == 0, shown.stderr
    assert "id: RF-HUB" in shown.stdout and "version:" in shown.stdout and "when:" in shown.stdout
    as_json = json.loads(exodus(home, "rules", "show", "RF-HUB", "--format", "json").stdout)
    assert as_json[0]["id"] == "RF-HUB" and as_json[0]["retired"] is False
    missing = exodus(home, "rules", "show", "NO-SUCH-RULE")
    assert missing.returncode != 0 and "no rule 'NO-SUCH-RULE'" in missing.stderr and "Traceback" not in missing.stderr


def test_applying_a_retired_rule_says_reinstated_and_an_empty_period_says_so(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "r-back.yaml"
    path.write_text(GOOD.replace("RF-T-GOOD", "RF-T-BACK"))
    assert exodus(home, "rules", "apply", str(path), "--reason", "new advisory").returncode == 0
    assert exodus(home, "rules", "retire", "RF-T-BACK", "--reason", "advisory withdrawn").returncode == 0
    path.write_text(GOOD.replace("RF-T-GOOD", "RF-T-BACK").replace("weight: 0.3", "weight: 0.35"))
    back = exodus(home, "rules", "apply", str(path), "--reason", "advisory renewed")
    assert back.returncode == 0 and "reinstated RF-T-BACK" in back.stderr
    empty = exodus(home, "rules", "whatif", "--rules", str(path), "--from", "2001-01-01", "--to", "2001-01-31")
    assert empty.returncode == 0 and "no stored filings were exported from 2001-01-01 to 2001-01-31" in empty.stderr
