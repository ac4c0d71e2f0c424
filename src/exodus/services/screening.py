"""Screen ad-hoc names against the active lists (CLI, API and web share this)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from exodus.core.countries import check_country
from exodus.core.screening import QueryParty, ScreeningHit, ScreeningIndex
from exodus.core.text import visible, without_hidden
from exodus.errors import InvalidInput

MAX_NAME = 500


class EmptyName(InvalidInput):
    """A name with nothing to screen: empty, blank or only invisible characters (as `name=` is refused)."""

    status = 422


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


def check_query(query: NameQuery, where: str) -> QueryParty:
    """Return the party to screen for `query`; raise InvalidInput naming `where` and the field."""
    if not query.name or not without_hidden(query.name).strip():
        # Only invisible characters (zero-width spaces...) is as empty as nothing: screening ignores them.
        shown = f" ({visible(query.name)})" if query.name and query.name.strip() else ""
        raise EmptyName(f"{where}: field 'name' is empty{shown}")
    if len(query.name) > MAX_NAME:
        raise InvalidInput(f"{where}: field 'name' is {len(query.name)} characters long; the limit is {MAX_NAME}")
    for name, text in (("name", query.name), ("address", query.address)):
        if text and "\x00" in text:
            raise InvalidInput(f"{where}: field {name!r} contains a NUL character")
        if text and any("\ud800" <= c <= "\udfff" for c in text):
            raise InvalidInput(f"{where}: field {name!r} contains a lone UTF-16 surrogate, which is no character")
    country = check_country(query.country, f"{where}: field 'country'")
    return QueryParty(name=query.name, country=country, address=query.address or None)


def query_label(number: int, query: NameQuery) -> str:
    """Name a query of a batch by its position (1-based) and, if it has one, its id."""
    return f"query {number}{f' (id {query.id})' if query.id else ''}"


def screen_names(index: ScreeningIndex, queries: Sequence[NameQuery], threshold: float | None = None) -> list[list[ScreeningHit]]:
    """Screen each query; raise InvalidInput naming the first bad one."""
    parties = [check_query(q, query_label(n, q)) for n, q in enumerate(queries, start=1)]
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise InvalidInput(f"threshold must be between 0 and 1, got {threshold}")
    return index.screen_many(parties, threshold=threshold)
