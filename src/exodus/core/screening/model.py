"""What screening takes in and gives back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exodus.core.lists.model import ListEntity


@dataclass(frozen=True, slots=True)
class QueryParty:
    """A party to screen: its name and whatever else the filing says about it."""

    name: str
    country: str | None = None  # ISO 3166 alpha-2
    address: str | None = None
    schema: str | None = None  # "person", "organization", ... when known
    ids: Sequence[str] = ()  # passport, registration, IMO numbers ...


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The comparison of two names: score in [0, 1], decision and reasons."""

    score: float
    match: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class AlsoListed:
    """Another list entry for the same real party as a hit (same OFAC number...)."""

    entity_id: str
    source: str
    score: float


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    """A listed party that a screened name may be, with the evidence."""

    entity_id: str
    source: str
    entity_name: str
    matched_name: str  # the entity's name or alias that matched best
    score: float  # calibrated: at or above DEFAULT_THRESHOLD means a likely match
    explanation: str
    entity: ListEntity
    # Entries of other lists for the same party, weaker or equal to this one.
    also: tuple[AlsoListed, ...] = ()
