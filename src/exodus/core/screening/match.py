"""Compare two names directly, without a list index."""

from __future__ import annotations

from exodus.core.screening.compare import compare_keys, default_weight
from exodus.core.screening.model import MatchResult
from exodus.core.screening.normalize import ORGANIZATION, PERSON, NameKey, analyze_name

# Scores at or above this mean "likely the same party". Read off the threshold sweep
# of benchmarks/screening_benchmark.py on the public match pairs: 0.70-0.80 all keep
# screening precision above 0.95, but below 0.8 hits on unlisted generated names
# rise several-fold and pairwise precision falls under 0.95 (see README.md).
DEFAULT_THRESHOLD = 0.8


def match_names(a: str, b: str, *, schema: str | None = None) -> MatchResult:
    """Compare a query name with a list name and say whether they are one party."""
    query, candidate = analyze_name(a), analyze_name(b)
    if schema:
        kind = PERSON if schema.lower() in ("person", "individual") else ORGANIZATION
        query, candidate = _as_kind(query, kind), _as_kind(candidate, kind)
    compared = compare_keys(query, candidate, default_weight)
    return MatchResult(
        score=compared.score,
        match=compared.score >= DEFAULT_THRESHOLD,
        explanation=compared.explain(a, b),
    )


def _as_kind(key: NameKey, kind: str) -> NameKey:
    """Return a copy of the key with a declared kind."""
    return NameKey(
        key.original,
        key.tokens,
        key.numbers,
        key.legal_forms,
        key.sequence,
        key.abjad,
        kind,
    )
