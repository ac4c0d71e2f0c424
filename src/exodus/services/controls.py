"""License determinations on demand (CLI and API) and for the filing page.

A query names an item (ECCN, USML category, CAS number, HTS code or wording), a
destination, the parties by name and a declared end use. The parties are screened
against the active lists first, so Entity List, Military End-User, Denied Persons and
SDN rules apply to what the lists say today. The filing page judges each stored line
with the screening hits stored at targeting time and the reference edition in force
on the filing's export date, exactly as targeting did.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from exodus.core import controls
from exodus.core.controls.ccl import ECCN_RE, split_eccn
from exodus.core.filings import parse_filing
from exodus.core.lists.model import EntitySchema, ListEntity
from exodus.core.screening import ScreeningHit, ScreeningIndex
from exodus.errors import InvalidInput
from exodus.services.screening import NameQuery, screen_names
from exodus.services.targeting import assess, party_statuses

log = logging.getLogger(__name__)

MAX_PARTIES = 20
MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class DetermineQuery:
    """One item, destination, set of parties and end use to determine."""

    country: str
    eccn: str | None = None
    usml: str | None = None
    cas: str | None = None
    hts: str | None = None
    description: str | None = None
    parties: tuple[str, ...] = ()
    end_use: str | None = None
    value_usd: float | None = None
    weight_kg: float | None = None
    export_date: date | None = None

    def item(self) -> controls.ItemQuery:
        """Return the item as the controls core reads it; raise InvalidInput if none."""
        if not any((self.eccn, self.usml, self.cas, self.hts, self.description)):
            raise InvalidInput(
                "name the item: an ECCN (or EAR99), a USML category, a CAS number, "
                "an HTS code or a description"
            )
        for name in ("eccn", "usml", "cas", "hts"):
            value = getattr(self, name)
            if value is not None and len(value) > 40:
                raise InvalidInput(f"{name}: at most 40 characters, got {len(value)}")
        if self.description and len(self.description) > MAX_TEXT:
            raise InvalidInput(f"description: at most {MAX_TEXT} characters")
        eccn = _clean(self.eccn)
        if eccn and split_eccn(eccn)[0] != "EAR99" and not ECCN_RE.match(eccn.upper().replace(" ", "")):
            # A well-formed ECCN missing from the CCL is judged (it needs classifying); text that
            # is no ECCN at all is a keying mistake to correct, not an item to judge.
            raise InvalidInput(f"field 'eccn': {eccn[:40]!r} is not an ECCN (a digit, a letter A to E and "
                               "three digits, with any paragraph: 3A001.a.1) nor EAR99")
        for name in ("value_usd", "weight_kg"):
            value = getattr(self, name)
            if value is not None and not 0 <= value < 1e13:
                raise InvalidInput(f"{name} must be a non-negative number, got {value}")
        return controls.ItemQuery(
            eccn=_clean(self.eccn),
            usml=_clean(self.usml),
            cas=_clean(self.cas),
            hts=_clean(self.hts),
            description=_clean(self.description),
            value_usd=self.value_usd,
            weight_kg=self.weight_kg,
        )


def _clean(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def determine_query(
    index: ScreeningIndex | None, query: DetermineQuery, threshold: float | None = None
) -> dict[str, Any]:
    """Screen the named parties, then determine; return the determination as a dict.

    The dict is Determination.to_dict() (outcome, agencies, license_exceptions,
    reasons with citations, jurisdiction, classification, destination, reference
    edition) plus `parties`: each name with the list entries it matched.
    """
    item = query.item()
    if len(query.parties) > MAX_PARTIES:
        raise InvalidInput(f"at most {MAX_PARTIES} parties, got {len(query.parties)}")
    ref = controls.load_reference(on=query.export_date)
    dest = ref.country_code(query.country or "")
    names = [p.strip() for p in query.parties if p and p.strip()]
    hits: dict[str, list[ScreeningHit]] = {}
    if names:
        if index is None:
            raise InvalidInput("parties can only be screened with the lists loaded")
        country = dest.split("-")[0]
        found = screen_names(index, [NameQuery(n, country) for n in names], threshold)
        hits = {name: list(h) for name, h in zip(names, found, strict=True)}
    determination = controls.determine(
        ref,
        item,
        dest,
        parties=party_statuses({n: h for n, h in hits.items() if h}),
        end_use=query.end_use,
        on=query.export_date,
    )
    log.info(
        "determined %s to %s for %d parties: %s",
        determination.to_dict()["classification"] or item.usml or "item",
        dest,
        len(names),
        determination.outcome.value,
    )
    result = determination.to_dict()
    result["parties"] = [
        {"name": name, "hits": [_hit(h) for h in hits.get(name, [])]} for name in names
    ]
    return result


def _hit(hit: ScreeningHit) -> dict[str, Any]:
    return {
        "entity_id": hit.entity_id,
        "source": hit.source,
        "entity_name": hit.entity_name,
        "score": round(float(hit.score), 3),
        "also": [a.source for a in hit.also],
    }


# -- the filing page ---------------------------------------------------------------

_ENTITIES: dict[int, dict[str, ListEntity]] = {}


def _entities(index: ScreeningIndex) -> dict[str, ListEntity]:
    key = id(index)
    found = _ENTITIES.get(key)
    if found is None:
        _ENTITIES.clear()  # one index at a time: a list update makes a new one
        found = _ENTITIES[key] = {e.id: e for e in index.entities}
    return found


def stored_hits(
    index: ScreeningIndex, rows: Sequence[dict[str, Any]]
) -> dict[str, list[ScreeningHit]]:
    """Rebuild the screening hits stored with a filing, by party role.

    The listed entity is taken from the active lists (for its Entity List license
    requirement and programs); an entry since removed keeps its stored name and list.
    """
    entities = _entities(index)
    hits: dict[str, list[ScreeningHit]] = {}
    for row in rows:
        entity = entities.get(row["entity_id"]) or ListEntity(
            id=row["entity_id"],
            source=row["source"],
            source_id=row["entity_id"].split(":", 1)[-1],
            schema=EntitySchema.UNKNOWN,
            name=row["entity_name"],
        )
        hits.setdefault(row["party_role"], []).append(
            ScreeningHit(
                entity_id=row["entity_id"],
                source=row["source"],
                entity_name=row["entity_name"],
                matched_name=row["matched_name"],
                score=float(row["score"]),
                explanation=row["explanation"],
                entity=entity,
            )
        )
    return hits


def filing_licensing(index: ScreeningIndex, detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Return, per line of a stored filing, its determination and what was declared wrong.

    `detail` is the filing page model (services.worklist.filing_detail).
    """
    payload = detail["filing"]
    filing = parse_filing(payload, f"stored filing {payload.get('filing_id', '?')}", bounded=False)
    ref = controls.load_reference(on=filing.export_date)
    assessment = assess(filing, stored_hits(index, detail["screening_hits"]), ref)
    lines = []
    for line in filing.lines:
        determination = assessment.determinations[line.line_no]
        lines.append(
            {
                "line_no": line.line_no,
                "schedule_b": line.schedule_b,
                "description": line.description,
                "declared": {
                    "eccn": line.eccn,
                    "usml_category": line.usml_category,
                    "license_code": line.license_code,
                    "license_number": line.license_number,
                },
                "determination": determination.to_dict(),
                "findings": [
                    f.to_dict() for f in assessment.findings if f.line_no == line.line_no
                ],
            }
        )
    return lines
