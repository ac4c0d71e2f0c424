"""Targeting rules as data: each names the signals it fires on, a weight and a category.

A rule file (YAML) holds a list of rules:

    - id: SCR-DENIED
      description: A party matches a list that forbids any export.
      category: sanctions
      weight: 0.95
      when: {signal: party.listed, where: {source: [DPL, SDN]}}
      in_force: {from: 2020-01-01, until: null}

`when` is a condition: `{signal: PREFIX, where: {FIELD: VALUE | [VALUES]}, min_strength: X}`,
or `{all: [...]}`, `{any: [...]}`, `{not: COND}`. A rule fires once per matching
signal subject; its reasons carry the signal's text and evidence.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from exodus.core.targeting.model import Signal
from exodus.core.targeting.signals import closest_signal, known_signal
from exodus.core.text import is_hidden
from exodus.errors import InvalidInput, RecordError

CATEGORIES = ("military", "dual-use", "chemical", "nuclear", "wmd", "sanctions", "documentation", "red-flag", "lookout")
_COMBINATORS = ("all", "any", "not")
RULE_FIELDS = ("id", "description", "category", "weight", "when", "in_force", "group")
_CONDITION_FIELDS = ("signal", "where", "min_strength", "gate", *_COMBINATORS)
# Ids appear in every targeting reason and in the audit trail: short, plain ASCII,
# like the shipped ones (SCR-BLOCKED, RF-HUB); the column holds 80 characters.
RULE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
# The shipped rules nest conditions 3 deep; deeper nesting is a mistake or an attack.
MAX_CONDITION_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    description: str
    category: str
    weight: float
    when: dict[str, Any]
    valid_from: date | None = None
    valid_until: date | None = None
    group: str | None = None

    def in_force(self, on: date) -> bool:
        if self.valid_from and on < self.valid_from:
            return False
        return not (self.valid_until and on >= self.valid_until)

    def matches(self, signals: Sequence[Signal]) -> list[Signal]:
        """Return the signals that make this rule fire (empty when it does not)."""
        return _match(self.when, signals)[0]

    def strength(self, signals: Sequence[Signal]) -> tuple[list[Signal], float]:
        """Return the signals that make this rule fire and the strength of its condition."""
        return _match(self.when, signals)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "id": self.id, "description": self.description, "category": self.category,
            "weight": self.weight, "when": self.when,
            "in_force": {"from": self.valid_from.isoformat() if self.valid_from else None,
                         "until": self.valid_until.isoformat() if self.valid_until else None},
        }
        if self.group:
            data["group"] = self.group
        return data


def _signal_fits(cond: dict[str, Any], signal: Signal) -> bool:
    prefix = cond["signal"]
    if not (signal.code == prefix or signal.code.startswith(prefix + ".")):
        return False
    if signal.strength < float(cond.get("min_strength", 0.0)):
        return False
    for key, wanted in (cond.get("where") or {}).items():
        value = signal.evidence.get(key)
        options = wanted if isinstance(wanted, list) else [wanted]
        if isinstance(value, list | tuple | set):
            if not set(value) & set(options):
                return False
        elif value not in options:
            return False
    return True


_NOTHING: tuple[list[Signal], float] = ([], 0.0)


def _match(cond: dict[str, Any], signals: Sequence[Signal]) -> tuple[list[Signal], float]:
    """Return the signals that satisfy `cond` and the condition's strength (0 when unmet)."""
    if "signal" in cond:
        hits = [s for s in signals if _signal_fits(cond, s)]
        return (hits, max(s.strength for s in hits)) if hits else _NOTHING
    if "all" in cond:
        found: list[Signal] = []
        weakest = 1.0
        for part in cond["all"]:
            hits, strength = _match(part, signals)
            if not hits:
                return _NOTHING
            found += hits
            if not part.get("gate"):
                weakest = min(weakest, strength)
        return found, weakest
    if "any" in cond:
        found, strongest = [], 0.0
        for part in cond["any"]:
            hits, strength = _match(part, signals)
            found += hits
            strongest = max(strongest, strength) if hits else strongest
        return (found, strongest) if found else _NOTHING
    if "not" in cond:
        # A negation contributes no evidence of its own; it only gates.
        return _NOTHING if _match(cond["not"], signals)[0] else ([Signal("not", "")], 1.0)
    return _NOTHING


def _unknown_key(name: Any, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
    return f"is not a field of a rule; did you mean {close[0]!r}?" if close else (
        f"is not a field of a rule (known: {', '.join(known)})")


def _check_condition(cond: Any, where: str, strict: bool = False, depth: int = 1,
                     in_all: bool = False) -> None:
    if depth > MAX_CONDITION_DEPTH:
        raise RecordError(where, "when", f"conditions nest more than {MAX_CONDITION_DEPTH} levels deep")
    if not isinstance(cond, dict) or len(set(cond) & {"signal", *_COMBINATORS}) != 1:
        raise RecordError(where, "when", "must be an object with exactly one of signal, all, any, not")
    if "gate" in cond:
        if not isinstance(cond["gate"], bool):
            raise RecordError(where, "when.gate", f"must be true or false, got {cond['gate']!r}")
        if not in_all:
            raise RecordError(where, "when.gate", "applies only to a part of an `all` condition")
    if strict:
        for key in cond:
            if key not in _CONDITION_FIELDS:
                raise RecordError(where, f"when.{key}", _unknown_key(key, _CONDITION_FIELDS))
    if "signal" in cond:
        if not isinstance(cond["signal"], str) or not cond["signal"]:
            raise RecordError(where, "when.signal", "must be a non-empty signal code")
        if strict and not known_signal(cond["signal"]):
            closest = closest_signal(cond["signal"])
            hint = f"; did you mean {closest!r}?" if closest else " (docs/rules.md lists the signals)"
            raise RecordError(where, "when.signal", f"no signal is called {cond['signal']!r}{hint}")
        if "where" in cond and not isinstance(cond["where"], dict):
            raise RecordError(where, "when.where", "must be an object of field: value(s)")
        for field_name, wanted in (cond.get("where") or {}).items():
            options = wanted if isinstance(wanted, list) else [wanted]
            if not all(o is None or isinstance(o, str | int | float | bool) for o in options):
                raise RecordError(where, f"when.where.{field_name}", "must be a value or a list of values")
        if "min_strength" in cond:
            strength = cond["min_strength"]
            if isinstance(strength, bool) or not isinstance(strength, int | float) or not 0.0 <= strength <= 1.0:
                raise RecordError(where, "when.min_strength", f"must be a number in [0, 1], got {strength!r}")
    elif "not" in cond:
        _check_condition(cond["not"], where, strict, depth + 1)
    else:
        parts = cond.get("all") or cond.get("any")
        if not isinstance(parts, list) or not parts:
            raise RecordError(where, "when", "all/any must be a non-empty list")
        for part in parts:
            _check_condition(part, where, strict, depth + 1, in_all="all" in cond)


def _day(value: Any, where: str, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise RecordError(where, name, f"must be a date YYYY-MM-DD, got {value!r}") from None


IN_FORCE_FIELDS = ("from", "until")
MAX_DESCRIPTION = 2000


def _grades(cond: dict[str, Any]) -> bool:
    """Return whether every way the condition can hold is graded by a signal (not by a gate or a `not`).

    An `all` is graded when one of its parts that is not a gate is; an `any` only when
    each of its parts is, since the part that holds sets its strength and a `not`
    part would hold at full strength.
    """
    if "signal" in cond:
        return True
    if "any" in cond:
        return all(_grades(part) for part in cond["any"])
    if "all" in cond:
        return any(_grades(part) for part in cond["all"] if not part.get("gate"))
    return False  # `not` only gates


def _check_description(description: Any, where: str) -> None:
    if not isinstance(description, str):
        raise RecordError(where, "description", f"must be text, got {type(description).__name__}")
    if len(description) > MAX_DESCRIPTION:
        raise RecordError(where, "description",
                          f"is {len(description)} characters long; the limit is {MAX_DESCRIPTION}")
    control = next((c for c in description if (unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")
                    or is_hidden(c)) and c not in "\n\t"), None)
    if control is not None:
        raise RecordError(where, "description", f"holds the invisible or control character U+{ord(control):04X}; "
                          "a description is read by officers and must show all it says")


def parse_rule(data: Any, where: str, *, strict: bool = False) -> Rule:
    """Validate one rule mapping; raise RecordError naming the field.

    `strict` is for a rule being written or proposed: its signals must be ones
    Exodus emits and its in_force range must not end before it starts. Stored
    versions are read without it, so they load whatever the catalogue became.
    """
    if not isinstance(data, dict):
        raise RecordError(where, "(rule)", "must be an object")
    rule_id = data.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise RecordError(where, "id", "is required")
    if strict and not RULE_ID.fullmatch(rule_id.strip()):
        raise RecordError(where, "id", f"must be 1 to 80 letters, digits, '-', '_' or '.' starting with a letter or "
                          f"digit (like SCR-BLOCKED), got {rule_id[:40]!r}{'...' if len(rule_id) > 40 else ''}")
    where = f"{where} (rule {rule_id})"
    if strict:
        for key in data:
            if key not in RULE_FIELDS:
                raise RecordError(where, str(key)[:40], _unknown_key(key, RULE_FIELDS))
    category = data.get("category")
    if category not in CATEGORIES:
        raise RecordError(where, "category", f"must be one of {', '.join(CATEGORIES)}, got {category!r}")
    raw_weight = data.get("weight")
    if strict and (isinstance(raw_weight, bool) or not isinstance(raw_weight, int | float)):
        # true or "0.3" would be read as 1.0 or 0.3: a rule written now states a number.
        raise RecordError(where, "weight", f"must be a number in [0, 1], got {raw_weight!r}")
    try:
        weight = float(raw_weight)  # type: ignore[arg-type]  # None and junk raise TypeError/ValueError
    except (TypeError, ValueError):
        raise RecordError(where, "weight", f"must be a number in [0, 1], got {raw_weight!r}") from None
    if not 0.0 <= weight <= 1.0:
        raise RecordError(where, "weight", f"must be in [0, 1], got {weight}")
    weight += 0.0  # -0.0 is 0.0
    _check_condition(data.get("when"), where, strict)
    if strict and not _grades(data["when"]):
        raise RecordError(where, "when", "nothing in it grades the rule: a `not` alone, an `all` whose "
                          "parts are all gates, or an `any` with such a part, would fire at full strength on "
                          "every filing it admits; name a signal that is not a gate on every branch")
    in_force = data.get("in_force")
    if in_force is None:
        in_force = {}
    if not isinstance(in_force, dict):
        raise RecordError(where, "in_force", f"must be an object with from and until dates, got {in_force!r}")
    if strict:
        for key in in_force:
            if key not in IN_FORCE_FIELDS:
                close = difflib.get_close_matches(str(key), IN_FORCE_FIELDS, n=1, cutoff=0.6)
                raise RecordError(where, f"in_force.{str(key)[:40]}", (
                    f"is not a field of in_force; did you mean {close[0]!r}?" if close
                    else "is not a field of in_force (known: from, until)"))
    description = data.get("description")
    if strict and description is not None:
        _check_description(description, where)
    group = data.get("group")
    if group is not None and (not isinstance(group, str) or not group.strip()):
        raise RecordError(where, "group", f"must be a non-empty name, got {group!r}")
    valid_from = _day(in_force.get("from"), where, "in_force.from")
    valid_until = _day(in_force.get("until"), where, "in_force.until")
    if strict and valid_from and valid_until and valid_until <= valid_from:
        raise RecordError(where, "in_force.until",
                          f"{valid_until} is not after in_force.from {valid_from}; the rule would never be in force")
    return Rule(
        id=rule_id.strip(),
        description=str(data.get("description") or "").strip() or rule_id,
        category=category,
        weight=weight,
        when=data["when"],
        valid_from=valid_from,
        valid_until=valid_until,
        group=group.strip() if group else None,
    )


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str = field(default="")

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> RuleSet:
        rules = tuple(rules)
        ids = [r.id for r in rules]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise InvalidInput(f"rule ids must be unique; repeated: {sorted(dupes)}")
        # The version names the content, whatever order the rules come in.
        blob = json.dumps(sorted((r.to_dict() for r in rules), key=lambda d: d["id"]), sort_keys=True)
        return cls(rules, hashlib.sha256(blob.encode()).hexdigest()[:12])

    def in_force(self, on: date) -> list[Rule]:
        return [r for r in self.rules if r.in_force(on)]


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping naming one key twice (the last would silently win)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if isinstance(key, Hashable) and key in seen:
                first = seen[key].start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice (first at line {first.line + 1}, "
                    f"column {first.column + 1}); say it once", key_node.start_mark)
            if isinstance(key, Hashable):
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def read_yaml(text: str, name: str) -> Any:
    """Parse YAML (or JSON) text; a syntax error or a key given twice names `name`, the line and the column."""
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark, start = exc.problem_mark or exc.context_mark, exc.context_mark
        where = f"{name} line {mark.line + 1}, column {mark.column + 1}" if mark else name
        context = (f" ({exc.context} that starts at line {start.line + 1}, column {start.column + 1})"
                   if exc.context and start and exc.problem_mark else "")
        raise InvalidInput(f"{where}: not valid YAML: {exc.problem or exc.context or exc}{context}") from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{name}: not valid YAML: {exc}") from None


def parse_rules_text(text: str, name: str = "rules") -> RuleSet:
    """Read a rule set from YAML (or JSON) text; errors name the rule and field."""
    data = read_yaml(text, name)
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InvalidInput(f"{name}: expected a list of rules")
    return RuleSet.of(parse_rule(item, f"{name} rule {n}", strict=True) for n, item in enumerate(items, start=1))


def load_rules(path: Path) -> RuleSet:
    """Read a YAML rule file."""
    return parse_rules_text(path.read_text(encoding="utf-8"), str(path.name))


def default_rules() -> RuleSet:
    """Return the rule set shipped with Exodus."""
    path = resources.files("exodus.core.targeting") / "rules" / "default.yaml"
    return load_rules(Path(str(path)))
