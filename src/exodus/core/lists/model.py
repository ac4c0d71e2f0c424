"""One entity model for every screening list (CSL, OFAC, UN, BIS, UK, EU)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class EntitySchema(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class AliasStrength(StrEnum):
    STRONG = "strong"
    WEAK = "weak"


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    strength: AliasStrength = AliasStrength.STRONG
    kind: str = "aka"  # aka, fka, nka, original_script, translation


@dataclass(frozen=True, slots=True)
class Address:
    full: str = ""
    city: str = ""
    country: str | None = None  # ISO 3166 alpha-2


@dataclass(frozen=True, slots=True)
class Identifier:
    type: str
    value: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class ListEntity:
    """A listed party as one source list publishes it.

    `id` is stable across releases of the same list: `"<source>:<source_id>"`.
    """

    id: str
    source: str  # short code: SDN, EL, DPL, DTC, SSI, UVL, ISN, MEU, CMIC, UN, UK, EU ...
    source_id: str
    schema: EntitySchema
    name: str
    aliases: tuple[Alias, ...] = ()
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()
    ids: tuple[Identifier, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register: str | None = None
    remarks: str | None = None
    source_url: str | None = None

    def all_names(self, include_weak: bool = True) -> tuple[str, ...]:
        """Return the primary name then every alias name."""
        names = [self.name]
        for alias in self.aliases:
            if include_weak or alias.strength is AliasStrength.STRONG:
                names.append(alias.name)
        return tuple(names)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ListEntity:
        return cls(
            id=data["id"],
            source=data["source"],
            source_id=data["source_id"],
            schema=EntitySchema(data.get("schema", "unknown")),
            name=data["name"],
            aliases=tuple(
                Alias(a["name"], AliasStrength(a.get("strength", "strong")), a.get("kind", "aka"))
                for a in data.get("aliases", ())
            ),
            addresses=tuple(Address(**a) for a in data.get("addresses", ())),
            countries=tuple(data.get("countries", ())),
            ids=tuple(Identifier(**i) for i in data.get("ids", ())),
            dates_of_birth=tuple(data.get("dates_of_birth", ())),
            programs=tuple(data.get("programs", ())),
            license_requirement=data.get("license_requirement"),
            license_policy=data.get("license_policy"),
            federal_register=data.get("federal_register"),
            remarks=data.get("remarks"),
            source_url=data.get("source_url"),
        )

    def fingerprint(self) -> str:
        """Return a digest of the entity's content, used to tell a changed entry."""
        blob = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """A row of a list file that could not be read; the rest of the file still loads."""

    location: str  # e.g. "sdn.csv line 1234"
    problem: str


@dataclass(slots=True)
class ListRelease:
    """The entities of one release of one list file, with what identifies it."""

    source: str  # the list family loaded, e.g. "csl", "ofac-sdn", "un"
    published: datetime | None
    checksum: str  # sha256 of the file bytes
    origin: str  # file path or URL it came from
    entities: list[ListEntity] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
