"""A rule being written is checked against the signals Exodus emits and against its own dates."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from exodus.core.targeting.rules import (
    MAX_CONDITION_DEPTH,
    RULE_ID,
    default_rules,
    parse_rule,
    parse_rules_text,
    read_yaml,
)
from exodus.core.targeting.signals import SIGNAL_CODES, closest_signal, known_signal
from exodus.errors import InvalidInput, RecordError

RULE = {"id": "RF-X", "category": "red-flag", "weight": 0.3, "when": {"signal": "redflag.transshipment_hub"}}


def _source(package: str, name: str) -> str:
    return (resources.files(package) / name).read_text(encoding="utf-8")


def _produced() -> set[str]:
    """Every signal code the producers spell out in their source."""
    flags = _source("exodus.core.targeting", "redflags.py")
    found = {f"redflag.{n}" for n in re.findall(r'_flag\(\s*"([a-z0-9_]+)"', flags)}
    found |= {f"history.{n}" for n in re.findall(r'_history_signal\(\s*"([a-z0-9_]+)"', flags)}
    controls = _source("exodus.core.controls", "declared.py") + _source("exodus.core.controls", "describe.py")
    codes = re.findall(r'(?:\.add\(|Finding\(|_chemical_finding\(\s*line,)\s*"([A-Z][A-Z0-9_]+)"', controls)
    codes += re.findall(r'\bcode(?:, \w+)* = "([A-Z][A-Z0-9_]+)"', controls)
    return found | {f"line.{c.lower()}" for c in codes}


def test_the_catalogue_holds_every_signal_the_producers_emit() -> None:
    produced = _produced()
    assert len(produced) > 40
    assert produced - SIGNAL_CODES == set()
    # and nothing it names has gone from the producers
    spelled = {c for c in SIGNAL_CODES if c.split(".")[0] in {"redflag", "history", "line"}}
    assert spelled - produced == set()


@pytest.mark.parametrize("code, known", [
    ("party.listed", True), ("redflag", True), ("line", True), ("determination.prohibited", True),
    ("lookout.route", True), ("filing.routed_exprot", False), ("party", True), ("party.list", False),
    ("redflag.transshipment", False), ("", False),
])
def test_a_signal_condition_is_known_only_as_a_whole_code_or_a_dotted_prefix(code: str, known: bool) -> None:
    assert known_signal(code) is known


def test_the_closest_known_signal_is_suggested() -> None:
    assert closest_signal("filing.routed_exprot") == "filing.routed_export"
    assert closest_signal("history.consigne_new") == "history.consignee_new"
    assert closest_signal("zzzzzzzz") is None


def test_only_rules_being_written_are_checked() -> None:
    # A stored version is read as stored, so a catalogue change never breaks loading.
    odd = {**RULE, "when": {"signal": "retired.signal"}, "in_force": {"from": "2027-01-01", "until": "2026-01-01"}}
    assert parse_rule(odd, "stored").id == "RF-X"
    with pytest.raises(RecordError) as refused:
        parse_rule(odd, "new", strict=True)
    assert refused.value.field == "when.signal" and "RF-X" in refused.value.record
    with pytest.raises(RecordError, match="never be in force"):
        parse_rule({**odd, "when": RULE["when"]}, "new", strict=True)
    with pytest.raises(RecordError, match="never be in force"):  # an empty range too
        parse_rule({**RULE, "in_force": {"from": "2026-01-01", "until": "2026-01-01"}}, "new", strict=True)


def test_a_rule_file_names_the_rule_and_the_misspelt_signal() -> None:
    text = ("- {id: A, category: red-flag, weight: 0.2, when: {signal: redflag.uav_component}}\n"
            "- {id: B, category: red-flag, weight: 0.2, when: {any: [{signal: party.listed}, "
            "{not: {signal: filing.foreign_forwarde}}]}}\n")
    with pytest.raises(RecordError) as refused:
        parse_rules_text(text, "two.yaml")
    assert refused.value.record == "two.yaml rule 2 (rule B)"
    assert "did you mean 'filing.foreign_forwarder'" in refused.value.detail


@pytest.mark.parametrize("text, where", [
    ("id: [unclosed", "x.yaml line 1, column 14"),
    ("- id: A\n  when: {signal: a\n  weight: 1\n", "x.yaml line 3, column 9"),
    ("a: b\n c: d", "x.yaml line 2, column 3"),
])
def test_invalid_yaml_names_the_line_and_column(text: str, where: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_yaml(text, "x.yaml")
    assert refused.value.detail.startswith(f"{where}: not valid YAML")


def _nested(depth: int) -> dict:  # type: ignore[type-arg]
    cond: dict = {"signal": "redflag.transshipment_hub"}  # type: ignore[type-arg]
    for n in range(depth - 1):
        cond = {"all": [cond]} if n % 2 else {"any": [cond]}
    return cond


def test_conditions_nest_only_so_deep() -> None:
    assert parse_rule({**RULE, "when": _nested(MAX_CONDITION_DEPTH)}, "new", strict=True).id == "RF-X"
    for depth in (MAX_CONDITION_DEPTH + 1, 200):
        with pytest.raises(RecordError) as refused:
            parse_rule({**RULE, "when": _nested(depth)}, "new rule", strict=True)
        assert refused.value.field == "when" and "RF-X" in refused.value.record
        assert f"more than {MAX_CONDITION_DEPTH} levels" in refused.value.problem


@pytest.mark.parametrize("rule_id", ["x" * 81, "T-ÜNI", "T-X\u202e", "-LEADING", "has space", "A\x00B"])
def test_a_new_rule_id_is_short_plain_ascii(rule_id: str) -> None:
    with pytest.raises(RecordError) as refused:
        parse_rule({**RULE, "id": rule_id}, "new rule", strict=True)
    assert refused.value.field == "id" and len(refused.value.detail) < 300


def test_every_shipped_rule_id_fits_the_id_pattern() -> None:
    assert all(RULE_ID.fullmatch(r.id) for r in default_rules().rules)
    assert parse_rule({**RULE, "id": "x" * 80}, "new", strict=True).id == "x" * 80


def test_an_unknown_rule_key_is_refused_with_the_closest_known_one() -> None:
    with pytest.raises(RecordError) as refused:
        parse_rule({**RULE, "wieght": 1}, "new rule", strict=True)
    assert refused.value.field == "wieght" and "did you mean 'weight'?" in refused.value.problem
    with pytest.raises(RecordError) as inner:
        parse_rule({**RULE, "when": {"signal": "party.listed", "min_strenght": 0.9}}, "new rule", strict=True)
    assert inner.value.field == "when.min_strenght" and "did you mean 'min_strength'?" in inner.value.problem
    # A stored version is read as stored.
    assert parse_rule({**RULE, "wieght": 1}, "stored").weight == RULE["weight"]


@pytest.mark.parametrize(("changes", "field", "problem"), [
    ({"weight": True}, "weight", "must be a number"),
    ({"weight": "0.3"}, "weight", "must be a number"),
    ({"in_force": {"from": None, "untill": "2027-01-01"}}, "in_force.untill", "did you mean 'until'"),
    ({"when": {"not": {"signal": "party.listed"}}}, "when", "nothing in it grades the rule"),
    ({"when": {"all": [{"signal": "party.listed", "gate": True},
                       {"signal": "redflag.transshipment_hub", "gate": True}]}}, "when", "nothing in it grades"),
    ({"description": "x" * 2001}, "description", "the limit is 2000"),
    ({"description": "reads one way\u202e and another"}, "description", "U+202E"),
    ({"description": "bad\x00desc"}, "description", "U+0000"),
])
def test_a_new_rule_states_what_it_means(changes: dict, field: str, problem: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(RecordError) as refused:
        parse_rule({**RULE, **changes}, "new rule", strict=True)
    assert refused.value.field == field and problem in refused.value.problem


def test_a_graded_part_beside_gates_and_a_not_beside_a_signal_are_fine() -> None:
    when = {"all": [{"signal": "party.listed"}, {"signal": "redflag.transshipment_hub", "gate": True},
                    {"not": {"signal": "filing.routed_export"}}]}
    assert parse_rule({**RULE, "when": when}, "new rule", strict=True).when == when
    # stored versions are read as they were written, even under today's stricter checks
    assert parse_rule({**RULE, "weight": "0.3"}, "stored").weight == 0.3


def test_yaml_giving_a_key_twice_is_refused_with_both_places() -> None:
    from exodus.core.targeting.rules import read_yaml
    from exodus.errors import InvalidInput

    with pytest.raises(InvalidInput, match=r"r\.yaml line 3, column 3: .*'weight' is given twice \(first at line 2"):
        read_yaml("- id: A\n  weight: 0.1\n  weight: 0.95\n", "r.yaml")


@pytest.mark.parametrize("blank", ["\u3164", "\u115f", "\uffa0", "\u034f", "\u2800", "\ufe0f", "\u2028"])
def test_a_description_with_a_character_that_shows_nothing_is_refused(blank: str) -> None:
    with pytest.raises(RecordError) as refused:
        parse_rule({**RULE, "description": f"hub{blank}rule"}, "new rule", strict=True)
    assert refused.value.field == "description" and f"U+{ord(blank):04X}" in refused.value.problem


def test_a_negative_zero_weight_is_stored_as_zero() -> None:
    assert str(parse_rule({**RULE, "weight": -0.0}, "new rule", strict=True).weight) == "0.0"
