"""Compare two names directly, without a list index."""

from __future__ import annotations

import re
from dataclasses import replace

from exodus.core.screening.compare import compare_keys, default_weight
from exodus.core.screening.model import MatchResult
from exodus.core.screening.normalize import ORGANIZATION, PERSON, NameKey, analyze_name
from exodus.core.screening.phonetic import korean_readings

# Scores at or above this mean "likely the same party". Read off the threshold sweep
# of benchmarks/screening_benchmark.py on the public match pairs: 0.70-0.80 all keep
# screening precision above 0.95, but below 0.8 hits on unlisted generated names
# rise several-fold and pairwise precision falls under 0.95 (see README.md).
DEFAULT_THRESHOLD = 0.8


def match_names(a: str, b: str, *, schema: str | None = None) -> MatchResult:
    """Compare a query name with a list name and say whether they are one party."""
    best: tuple[float, str] | None = None
    for reading in query_readings(a):
        for listed in (b, without_brackets(b)):
            if not listed:
                continue
            query, candidate = analyze_name(reading), analyze_name(listed)
            if schema:
                kind = PERSON if schema.lower() in ("person", "individual") else ORGANIZATION
                query, candidate = _as_kind(query, kind), _as_kind(candidate, kind)
            compared = compare_keys(query, candidate, default_weight)
            if best is None or compared.score > best[0]:
                text = compared.explain(a, listed)
                if reading != a:
                    text += f" Read as the Korean name {reading}."
                best = (compared.score, text)
    assert best is not None
    return MatchResult(
        score=best[0], match=best[0] >= DEFAULT_THRESHOLD, explanation=best[1]
    )


_BRACKETS = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")


def query_readings(name: str) -> tuple[str, ...]:
    """Return the name and its other readings (Korean readings of Han characters)."""
    return (name, *korean_readings(name))


def without_brackets(name: str) -> str:
    """Return a name without its bracketed parts (an acronym or other name), or ''.

    Lists put a short or former name in brackets after the name: "Changsha
    Tianyi Space Science and Technology Research (SpaceTy)".
    """
    short = _BRACKETS.sub("", name).strip(" ,;")
    if short == name.strip() or len(short) < 3:
        return ""
    return short


def _as_kind(key: NameKey, kind: str) -> NameKey:
    """Return a copy of the key with a declared kind."""
    return replace(key, kind=kind)
