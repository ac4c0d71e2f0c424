"""Property tests: a malformed rule or rule file is refused with InvalidInput, never a crash."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exodus.core.targeting.model import Signal
from exodus.core.targeting.rules import parse_rule, parse_rules_text
from exodus.errors import InvalidInput

FUZZ = settings(max_examples=200, deadline=None)
GOOD = {"id": "RF-HUB", "description": "Drone parts to a hub.", "category": "red-flag", "weight": 0.3,
        "when": {"all": [{"signal": "redflag.transshipment_hub"}, {"not": {"signal": "party.listed"}}]},
        "in_force": {"from": "2026-01-01", "until": None}}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["signal", "all", "any", "not", "where", "min_strength", "x"]) | st.text(max_size=8),
        inner, max_size=4),
    max_leaves=15,
)


SIGNALS = [Signal("party.listed", "hit", "ultimate_consignee", 0.9, {"source": "SDN", "country": "agrees"}),
           Signal("redflag.transshipment_hub", "hub", strength=0.6, evidence={"country": "AE", "flags": ["RT-02"]})]


def parses_or_explains(data: Any) -> None:
    try:
        rule = parse_rule(data, "fuzz")
    except InvalidInput:
        return
    assert rule.id and rule.category
    matched, strength = rule.strength(SIGNALS)  # a rule that parses never fails when it is matched
    assert 0.0 <= strength <= 1.0 and bool(matched) == (strength > 0 or any(s.code == "not" for s in matched))


@FUZZ
@given(json_values)
def test_any_value_is_a_rule_or_an_invalid_input(data: Any) -> None:
    parses_or_explains(data)


@FUZZ
@given(st.sampled_from(list(GOOD)), json_values)
def test_one_bad_field_of_a_good_rule(field: str, value: Any) -> None:
    data = copy.deepcopy(GOOD)
    data[field] = value
    parses_or_explains(data)


@pytest.mark.parametrize("value", [True, 3, "2026-01-01", ["2026-01-01"], 0.5])
def test_in_force_that_is_not_a_mapping_is_refused(value: Any) -> None:
    with pytest.raises(InvalidInput, match="in_force"):
        parse_rule({**GOOD, "in_force": value}, "fuzz")


def test_in_force_null_or_empty_means_always() -> None:
    for value in (None, {}):
        rule = parse_rule({**GOOD, "in_force": value}, "fuzz")
        assert rule.valid_from is None and rule.valid_until is None


@pytest.mark.parametrize(("when", "field"), [
    ({"signal": "party.listed", "min_strength": "high"}, "min_strength"),
    ({"signal": "party.listed", "min_strength": 1.5}, "min_strength"),
    ({"signal": "party.listed", "where": {"source": [{"nested": 1}]}}, "where.source"),
])
def test_conditions_that_would_fail_when_matched_are_refused(when: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        parse_rule({**GOOD, "when": when}, "fuzz")


@pytest.mark.parametrize("group", ["", "  ", 3, ["a"]])
def test_a_group_must_be_a_name(group: Any) -> None:
    with pytest.raises(InvalidInput, match="group"):
        parse_rule({**GOOD, "group": group}, "fuzz")


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_a_rule_set_or_an_invalid_input(text: str) -> None:
    try:
        parse_rules_text(text, "fuzz.yaml")
    except InvalidInput:
        pass


@FUZZ
@given(st.sampled_from(["- ", "- id: X\n  when: ", "- id: X\n  category: lookout\n  weight: ", "{", "[", "&a [*a, *a]"]),
       st.text(max_size=100))
def test_yaml_shaped_text_is_a_rule_set_or_an_invalid_input(prefix: str, rest: str) -> None:
    try:
        parse_rules_text(prefix + rest, "fuzz.yaml")
    except InvalidInput:
        pass
