"""Signals, reasons and results of targeting a filing."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from exodus.errors import InvalidInput


class Action(StrEnum):
    """What the port should do with a filing, from least to most intrusive."""

    RELEASE = "release"
    REVIEW = "review"  # document review
    EXAMINE = "examine"
    HOLD = "hold"  # hold for license determination

    @property
    def rank(self) -> int:
        return list(Action).index(self)


@dataclass(frozen=True, slots=True)
class Signal:
    """A fact about a filing that rules can react to.

    `code` is dotted (party.listed, line.license_mismatch ...); `strength` in [0, 1]
    scales the weight of any rule that fires on it (e.g. a screening score).
    """

    code: str
    text: str
    subject: str = ""
    strength: float = 1.0
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a rule fired, with the evidence a person can check."""

    rule_id: str
    category: str
    weight: float
    contribution: float
    text: str
    subject: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "weight": self.weight,
            "contribution": round(self.contribution, 2),
            "text": self.text,
            "subject": self.subject,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Score cut-offs (0-100) at which a port reviews, examines or holds."""

    review: float = 25.0
    examine: float = 50.0
    hold: float = 80.0

    def __post_init__(self) -> None:
        if not 0.0 < self.review < self.examine < self.hold <= 100.0:
            raise InvalidInput(
                "thresholds must rise: 0 < review < examine < hold <= 100, got "
                f"review={self.review}, examine={self.examine}, hold={self.hold}"
            )

    def to_dict(self) -> dict[str, float]:
        return {"review": self.review, "examine": self.examine, "hold": self.hold}

    def action_for(self, score: float) -> Action:
        if score >= self.hold:
            return Action.HOLD
        if score >= self.examine:
            return Action.EXAMINE
        if score >= self.review:
            return Action.REVIEW
        return Action.RELEASE


@dataclass(frozen=True, slots=True)
class TargetingResult:
    filing_id: str
    score: float
    action: Action
    reasons: tuple[Reason, ...]
    ruleset: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "filing_id": self.filing_id,
            "score": round(self.score, 1),
            "action": self.action.value,
            "ruleset": self.ruleset,
            "reasons": [r.to_dict() for r in self.reasons],
        }
