"""Restricted-party screening: name normalisation, comparison and a list index."""

from exodus.core.screening.index import ScreeningIndex
from exodus.core.screening.match import DEFAULT_THRESHOLD, match_names
from exodus.core.screening.model import (
    AlsoListed,
    MatchResult,
    QueryParty,
    ScreeningHit,
)
from exodus.core.screening.normalize import analyze_name, normalize_name

__all__ = [
    "AlsoListed",
    "DEFAULT_THRESHOLD",
    "MatchResult",
    "QueryParty",
    "ScreeningHit",
    "ScreeningIndex",
    "analyze_name",
    "match_names",
    "normalize_name",
]
