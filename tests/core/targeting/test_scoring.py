"""Score composition, the weak-signal guard and thresholds."""

from __future__ import annotations

from datetime import date

import pytest

from exodus.core.targeting.engine import combine, decide, target
from exodus.core.targeting.model import Action, Reason, Signal, Thresholds
from exodus.core.targeting.rules import (
    RuleSet,
    default_rules,
    parse_rule,
    parse_rules_text,
)
from exodus.errors import InvalidInput, RecordError

DAY = date(2026, 12, 2)


def rule(rule_id: str, weight: float, when: dict, **extra: object):  # type: ignore[no-untyped-def, type-arg]
    return parse_rule(
        {
            "id": rule_id,
            "description": rule_id,
            "category": "red-flag",
            "weight": weight,
            "when": when,
            **extra,
        },
        "test",
    )


def reason(contribution: float) -> Reason:
    return Reason("R", "red-flag", contribution, contribution, "")


def test_independent_evidence_adds_up_without_reaching_certainty() -> None:
    assert combine([reason(0.5)]) == 50.0
    assert combine([reason(0.5), reason(0.5)]) == 75.0
    assert combine([reason(0.3)] * 10) < 100.0


def test_one_rule_counts_once_at_its_strongest_signal() -> None:
    rules = RuleSet.of([rule("CHPL", 0.5, {"signal": "redflag.chpl_item"})])
    signals = [
        Signal("redflag.chpl_item", "a", strength=0.8),
        Signal("redflag.chpl_item", "b", strength=1.0),
    ]
    result = target("F1", signals, rules, on=DAY)
    assert result.score == 50.0 and len(result.reasons) == 1


def test_all_any_not_and_where() -> None:
    hub = Signal("redflag.transshipment_hub", "hub", evidence={"country": "AE"})
    chips = Signal("redflag.chpl_item", "chips")
    both = rule(
        "B",
        0.4,
        {
            "all": [
                {
                    "signal": "redflag.transshipment_hub",
                    "where": {"country": ["AE", "TR"]},
                },
                {"signal": "redflag.chpl_item"},
            ]
        },
    )
    assert both.matches([hub, chips]) and not both.matches([hub])
    either = rule(
        "E", 0.4, {"any": [{"signal": "lookout"}, {"signal": "redflag.chpl_item"}]}
    )
    assert either.matches([chips])
    unless = rule(
        "N",
        0.4,
        {
            "all": [
                {"signal": "redflag.chpl_item"},
                {"not": {"signal": "redflag.transshipment_hub"}},
            ]
        },
    )
    assert unless.matches([chips]) and not unless.matches([chips, hub])
    strong = rule("S", 0.4, {"signal": "party.listed", "min_strength": 0.9})
    assert not strong.matches([Signal("party.listed", "weak", strength=0.85)])


def test_rules_out_of_force_do_not_fire() -> None:
    old = rule(
        "OLD",
        0.9,
        {"signal": "x"},
        in_force={"from": "2020-01-01", "until": "2026-01-01"},
    )
    assert target("F", [Signal("x", "")], RuleSet.of([old]), on=DAY).score == 0.0


def test_a_lone_weak_signal_never_holds_even_with_low_thresholds() -> None:
    eager = Thresholds(review=5, examine=10, hold=20)
    assert decide(45.0, [reason(0.45)], eager) is Action.REVIEW
    assert decide(45.0, [reason(0.3), reason(0.2)], eager) is Action.HOLD
    assert decide(95.0, [reason(0.95)], Thresholds()) is Action.HOLD


def test_per_port_thresholds_change_the_action() -> None:
    rules = RuleSet.of(
        [rule("A", 0.4, {"signal": "a"}), rule("B", 0.3, {"signal": "b"})]
    )
    signals = [Signal("a", ""), Signal("b", "")]
    assert target("F", signals, rules, on=DAY).score == 58.0
    assert target("F", signals, rules, on=DAY).action is Action.EXAMINE
    assert (
        target("F", signals, rules, on=DAY, thresholds=Thresholds(30, 60, 90)).action
        is Action.REVIEW
    )
    assert (
        target("F", signals, rules, on=DAY, thresholds=Thresholds(20, 40, 55)).action
        is Action.HOLD
    )


@pytest.mark.parametrize(
    "values", [(50, 25, 80), (0, 50, 80), (25, 50, 101), (25, 25, 80)]
)
def test_thresholds_must_rise(values: tuple[float, float, float]) -> None:
    with pytest.raises(InvalidInput):
        Thresholds(*values)


def test_shipped_rules_parse_and_bad_rules_name_the_field() -> None:
    shipped = default_rules()
    assert {r.category for r in shipped.rules} >= {
        "sanctions",
        "dual-use",
        "red-flag",
        "lookout",
        "documentation",
    }
    with pytest.raises(RecordError, match="weight"):
        parse_rules_text("- {id: X, category: red-flag, weight: 2, when: {signal: party.listed}}")
    with pytest.raises(RecordError, match="category"):
        parse_rules_text("- {id: X, category: magic, weight: 0.2, when: {signal: party.listed}}")
    with pytest.raises(InvalidInput, match="unique"):
        parse_rules_text(
            "- {id: X, category: red-flag, weight: 0.2, when: {signal: party.listed}}\n"
            "- {id: X, category: red-flag, weight: 0.3, when: {signal: redflag}}"
        )


def test_rules_of_one_group_count_once_at_the_strongest() -> None:
    rules = RuleSet.of([
        rule("BROKER", 0.1, {"signal": "redflag.consignee_intermediary"}, group="broker"),
        rule("BROKER-HUB", 0.3, {"all": [{"signal": "redflag.consignee_intermediary"},
                                         {"signal": "redflag.transshipment_hub"}]}, group="broker"),
        rule("HUB", 0.2, {"signal": "redflag.transshipment_hub"}),
    ])
    signals = [Signal("redflag.consignee_intermediary", "broker"), Signal("redflag.transshipment_hub", "hub")]
    result = target("F", signals, rules, on=DAY)
    assert [r.rule_id for r in result.reasons] == ["BROKER-HUB", "HUB"]
    assert result.score == 44.0  # 1 - 0.7 * 0.8; BROKER (0.1) adds nothing
    assert result.reasons[0].evidence["group"] == "broker"
    assert result.reasons[0].evidence["group_also"] == ["BROKER"]
    ungrouped = RuleSet.of([rule(r.id, r.weight, r.when) for r in rules.rules])
    assert target("F", signals, ungrouped, on=DAY).score == 49.6  # 1 - 0.9 * 0.7 * 0.8


def test_a_combination_is_as_strong_as_its_weakest_part() -> None:
    both = rule("B", 0.5, {"all": [{"signal": "redflag.chpl_item"}, {"signal": "redflag.transshipment_hub"}]})
    either = rule("E", 0.5, {"any": [{"signal": "redflag.chpl_item"}, {"signal": "redflag.transshipment_hub"}]})
    gated = rule("G", 0.5, {"all": [{"signal": "redflag.chpl_item"}, {"not": {"signal": "party.listed"}}]})
    signals = [Signal("redflag.chpl_item", "tier 3", strength=0.5), Signal("redflag.chpl_item", "tier 1"),
               Signal("redflag.transshipment_hub", "RT-02 hub", strength=0.6)]
    assert both.strength(signals)[1] == 0.6  # min(max(0.5, 1.0), 0.6)
    assert either.strength(signals)[1] == 1.0
    assert gated.strength(signals)[1] == 1.0  # a negation only gates
    assert target("F", signals, RuleSet.of([both]), on=DAY).score == 30.0
    assert both.strength(signals[:2]) == ([], 0.0)


def test_a_group_must_be_a_name_and_round_trips() -> None:
    grouped = rule("A", 0.2, {"signal": "a"}, group="  route ")
    assert grouped.group == "route" and grouped.to_dict()["group"] == "route"
    assert parse_rule(grouped.to_dict(), "again") == grouped
    assert "group" not in rule("B", 0.2, {"signal": "a"}).to_dict()
    with pytest.raises(RecordError, match="group"):
        rule("C", 0.2, {"signal": "a"}, group=7)
