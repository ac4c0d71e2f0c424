"""Screen ad-hoc names against the active lists (CLI, API and web share this)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from exodus.core.countries import check_country
from exodus.core.screening import QueryParty, ScreeningHit, ScreeningIndex
from exodus.errors import InvalidInput

MAX_NAME = 500


@dataclass(frozen=True, slots=True)
class NameQuery:
    name: str
    country: str | None = None
    address: str | None = None
    id: str | None = None


def hit_dict(hit: ScreeningHit) -> dict[str, Any]:
    entity = hit.entity
    return {
        "entity_id": hit.entity_id, "source": hit.source, "entity_name": hit.entity_name,
        "matched_name": hit.matched_name, "score": round(float(hit.score), 3), "explanation": hit.explanation,
        "programs": list(entity.programs), "countries": list(entity.countries),
        "license_requirement": entity.license_requirement, "license_policy": entity.license_policy,
        "also": [{"entity_id": a.entity_id, "source": a.source, "score": round(float(a.score), 3)} for a in hit.also],
    }


def screen_names(index: ScreeningIndex, queries: Sequence[NameQuery], threshold: float | None = None) -> list[list[ScreeningHit]]:
    """Screen each query; raise InvalidInput naming the first bad one."""
    parties = []
    for n, q in enumerate(queries, start=1):
        if not q.name or not q.name.strip():
            raise InvalidInput(f"query {n}{f' (id {q.id})' if q.id else ''}: field 'name' is empty")
        if len(q.name) > MAX_NAME:
            raise InvalidInput(f"query {n}: field 'name' is {len(q.name)} characters long; the limit is {MAX_NAME}")
        country = check_country(q.country, f"query {n}{f' (id {q.id})' if q.id else ''}: field 'country'")
        parties.append(QueryParty(name=q.name, country=country, address=q.address or None))
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise InvalidInput(f"threshold must be between 0 and 1, got {threshold}")
    return index.screen_many(parties, threshold=threshold)
