"""Rule matching, score composition, thresholds and rule validation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exodus.core.targeting.engine import combine, target
from exodus.core.targeting.model import Action, Signal, Thresholds
from exodus.core.targeting.rules import RuleSet, default_rules, load_rules, parse_rule
from exodus.errors import InvalidInput, RecordError

DAY = date(2026, 12, 1)


def rule(id: str, weight: float, when: dict, **extra: object):  # type: ignore[no-untyped-def]
    return parse_rule({"id": id, "category": "dual-use", "weight": weight, "when": when, **extra}, "test")


def listed(source: str, score: float, role: str = "ultimate_consignee") -> Signal:
    return Signal("party.listed", f"{role} matches {source}", subject=role, strength=score,
                  evidence={"source": source, "score": score})


def test_where_and_min_strength_select_signals() -> None:
    r = rule("R", 0.9, {"signal": "party.listed", "where": {"source": ["DPL", "SDN"]}, "min_strength": 0.8})
    assert r.matches([listed("DPL", 0.9)])
    assert not r.matches([listed("EL", 0.99)])
    assert not r.matches([listed("SDN", 0.5)])


def test_all_any_not_combinators() -> None:
    routed = Signal("filing.routed_export", "routed")
    foreign = Signal("filing.foreign_forwarder", "abroad")
    both = rule("B", 0.5, {"all": [{"signal": "filing.routed_export"}, {"signal": "filing.foreign_forwarder"}]})
    assert both.matches([routed, foreign])
    assert not both.matches([routed])
    either = rule("E", 0.5, {"any": [{"signal": "filing.routed_export"}, {"signal": "x"}]})
    assert either.matches([routed])
    unless = rule("N", 0.5, {"all": [{"signal": "filing.routed_export"}, {"not": {"signal": "filing.foreign_forwarder"}}]})
    assert unless.matches([routed]) and not unless.matches([routed, foreign])


def test_a_gated_part_must_hold_but_does_not_weaken_the_condition() -> None:
    hub = Signal("redflag.transshipment_hub", "hub")
    tier3 = Signal("redflag.chpl_item", "tier 3", strength=0.5)
    graded = rule("G", 0.6, {"all": [{"signal": "redflag.transshipment_hub"}, {"signal": "redflag.chpl_item"}]})
    gated = rule("T", 0.6, {"all": [{"signal": "redflag.transshipment_hub"},
                                    {"signal": "redflag.chpl_item", "gate": True}]})
    assert graded.strength([hub, tier3])[1] == pytest.approx(0.5)
    assert gated.strength([hub, tier3])[1] == pytest.approx(1.0)
    assert not gated.matches([hub])  # the gate must still hold
    assert target("F", [hub, tier3], RuleSet.of([gated]), on=DAY).score == pytest.approx(60.0)


@pytest.mark.parametrize(("when", "problem"), [
    ({"signal": "a", "gate": True}, "only to a part of an `all`"),
    ({"any": [{"signal": "a", "gate": True}]}, "only to a part of an `all`"),
    ({"all": [{"signal": "a", "gate": "yes"}]}, "true or false"),
])
def test_gate_is_a_flag_on_a_part_of_all(when: dict, problem: str) -> None:
    with pytest.raises(RecordError, match=problem) as refused:
        rule("R", 0.5, when)
    assert refused.value.field == "when.gate"


def test_signal_prefix_matches_whole_segments_only() -> None:
    r = rule("P", 0.5, {"signal": "line.eccn"})
    assert r.matches([Signal("line.eccn.unknown", "")])
    assert not r.matches([Signal("line.eccn_unknown", "")])


def test_independent_evidence_adds_up_but_one_weak_signal_does_not_hold() -> None:
    rules = RuleSet.of([rule("A", 0.3, {"signal": "a"}), rule("B", 0.3, {"signal": "b"}), rule("C", 0.3, {"signal": "c"})])
    one = target("F", [Signal("a", "")], rules, on=DAY)
    three = target("F", [Signal("a", ""), Signal("b", ""), Signal("c", "")], rules, on=DAY)
    assert one.score == pytest.approx(30.0)
    assert three.score == pytest.approx(100 * (1 - 0.7 ** 3))
    assert one.action is Action.REVIEW
    assert three.action is Action.EXAMINE


def test_a_rule_counts_once_at_its_strongest_signal() -> None:
    rules = RuleSet.of([rule("L", 0.9, {"signal": "party.listed"})])
    result = target("F", [listed("EL", 0.85, "usppi"), listed("EL", 0.95)], rules, on=DAY)
    assert len(result.reasons) == 1
    assert result.score == pytest.approx(100 * 0.9 * 0.95)
    assert result.reasons[0].subject == "ultimate_consignee, usppi"


def test_combine_is_bounded() -> None:
    assert combine([]) == 0.0


def test_port_thresholds_change_the_action() -> None:
    rules = RuleSet.of([rule("A", 0.55, {"signal": "a"})])
    assert target("F", [Signal("a", "")], rules, on=DAY).action is Action.EXAMINE
    strict_port = Thresholds(review=10, examine=30, hold=50)
    assert target("F", [Signal("a", "")], rules, on=DAY, thresholds=strict_port).action is Action.HOLD


def test_rules_outside_their_dates_do_not_fire() -> None:
    old = rule("OLD", 0.9, {"signal": "a"}, in_force={"from": "2020-01-01", "until": "2025-01-01"})
    assert target("F", [Signal("a", "")], RuleSet.of([old]), on=DAY).score == 0
    assert target("F", [Signal("a", "")], RuleSet.of([old]), on=date(2024, 6, 1)).score == 90


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"id": "X", "category": "nonsense", "weight": 0.5, "when": {"signal": "a"}}, "category"),
        ({"id": "X", "category": "military", "weight": 1.5, "when": {"signal": "a"}}, "weight"),
        ({"id": "X", "category": "military", "weight": 0.5, "when": {"signal": "a", "all": []}}, "when"),
        ({"id": "X", "category": "military", "weight": 0.5, "when": {"signal": "a"}, "in_force": {"from": "soon"}}, "in_force.from"),
        ({"category": "military", "weight": 0.5, "when": {"signal": "a"}}, "id"),
    ],
)
def test_bad_rules_name_the_field(data: dict, field: str) -> None:
    with pytest.raises(RecordError) as caught:
        parse_rule(data, "rules.yaml rule 1")
    assert caught.value.field == field


def test_duplicate_rule_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n" + "".join(
        f"  - {{id: R1, category: military, weight: 0.{n}, when: {{signal: party.listed}}}}\n" for n in (1, 2)))
    with pytest.raises(InvalidInput, match="R1"):
        load_rules(path)


def test_default_rules_load_and_have_a_version() -> None:
    rules = default_rules()
    assert len(rules.rules) >= 10
    assert len(rules.version) == 12
    assert {r.category for r in rules.rules} <= {"military", "dual-use", "chemical", "nuclear", "wmd", "sanctions", "documentation", "red-flag", "lookout"}
