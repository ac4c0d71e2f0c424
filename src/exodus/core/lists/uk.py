"""Read the UK OFSI Consolidated List in its "ConList" CSV layout.

The first line is "Last Updated,dd/mm/yyyy"; the second is the header.
Each row is one name variant (or one address, or one date of birth) of a
target; rows sharing a Group ID are one target. "Prime Alias" rows give the
main name, "AKA" and "FKA" rows the aliases.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from exodus.core.lists._text import CsvRows, clean, csv_records, decode, read_bytes, release, unique
from exodus.core.lists.countries import countries_in, to_iso2
from exodus.core.lists.model import (
    Address,
    Alias,
    AliasStrength,
    EntitySchema,
    Identifier,
    ListEntity,
    ListRelease,
    ParseProblem,
)
from exodus.errors import DataSourceError

log = logging.getLogger(__name__)

UK_URL = (
    "https://www.gov.uk/government/publications/"
    "financial-sanctions-consolidated-list-of-targets"
)
_REQUIRED = ("Name 6", "Name 1", "Group Type", "Alias Type", "Group ID")
_SCHEMAS = {
    "individual": EntitySchema.PERSON,
    "entity": EntitySchema.ORGANIZATION,
    "ship": EntitySchema.VESSEL,
}
# "(1) X123 (German) issued ... (2) 954242 (Moroccan)": numbered parts.
_NUMBERED = re.compile(r"\(\d{1,2}\)\s*")
_DOC_NUMBER = re.compile(r"\b(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{3,}\b")
_PAREN = re.compile(r"\(([^()]+)\)")


@dataclass(slots=True)
class _Group:
    group_id: str
    kind: str
    names: list[tuple[str, str]] = field(default_factory=list)  # (alias type, name)
    addresses: list[Address] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    ids: list[Identifier] = field(default_factory=list)
    dates_of_birth: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def read_uk_conlist(path: Path) -> ListRelease:
    """Read the OFSI ConList CSV into one entity per Group ID."""
    path = Path(path)
    data = read_bytes(path)
    reader = CsvRows(path, decode(data))
    first = next(reader, [])
    published = _last_updated(path, first)
    header = [h.strip() for h in next(reader, [])]
    missing = [column for column in _REQUIRED if column not in header]
    if missing:
        raise DataSourceError(f"{path}: not an OFSI ConList: header lacks {missing}")
    groups: dict[str, _Group] = {}
    problems: list[ParseProblem] = []
    for _location, record in csv_records(path, reader, header, problems, _record_problem):
        _add_row(groups, record)
    entities = [e for e in map(_entity, groups.values()) if e is not None]
    return release("uk-ofsi", path, data, published, entities, problems)


def _last_updated(path: Path, first: list[str]) -> datetime | None:
    if not first or clean(first[0]).lower() != "last updated":
        raise DataSourceError(
            f"{path}: not an OFSI ConList: "
            "first line should be 'Last Updated,dd/mm/yyyy'"
        )
    try:
        day = datetime.strptime(clean(first[1]), "%d/%m/%Y")
    except (IndexError, ValueError):
        return None
    return day.replace(tzinfo=UTC)


def _record_problem(record: dict[str, str]) -> str | None:
    if not clean(record["Group ID"]):
        return "Group ID is empty"
    if not _full_name(record):
        return "name is empty"
    return None


def _full_name(record: dict[str, str]) -> str:
    given = [clean(record.get(f"Name {i}")) for i in range(1, 6)]
    return " ".join(p for p in [*given, clean(record.get("Name 6"))] if p)


def _add_row(groups: dict[str, _Group], record: dict[str, str]) -> None:
    group_id = clean(record["Group ID"])
    group = groups.setdefault(
        group_id, _Group(group_id, clean(record["Group Type"]).lower())
    )
    pair = (clean(record["Alias Type"]).lower(), _full_name(record))
    if pair not in group.names:
        group.names.append(pair)
    address = _address(record)
    if address.full and address not in group.addresses:
        group.addresses.append(address)
    if address.country:
        group.countries.append(address.country)
    group.countries.extend(countries_in(record.get("Nationality")))
    group.ids.extend(_documents(record.get("Passport Details"), "Passport"))
    group.ids.extend(_documents(record.get("NI Number"), "National ID"))
    if dob := uk_date(clean(record.get("DOB"))):
        group.dates_of_birth.append(dob)
    group.programs.append(clean(record.get("Regime")))
    group.remarks.append(clean(record.get("Other Information")))


def _address(record: dict[str, str]) -> Address:
    lines = [clean(record.get(f"Address {i}")) for i in range(1, 7)]
    postal, country = clean(record.get("Post/Zip Code")), clean(record.get("Country"))
    full = ", ".join(p for p in [*lines, postal, country] if p)
    city = clean(record.get("Address 5")) or clean(record.get("Address 4"))
    return Address(full=full, city=city, country=to_iso2(country))


def _documents(value: str | None, type_: str) -> list[Identifier]:
    """Read document numbers from OFSI's free text, one per numbered part."""
    text = clean(value)
    if not text:
        return []
    found = []
    for part in _NUMBERED.split(text):
        number = _DOC_NUMBER.search(part)
        if not number:
            continue
        country = None
        for inner in _PAREN.findall(part):
            country = to_iso2(inner.split()[0]) or to_iso2(inner)
            if country:
                break
        found.append(Identifier(type_, number.group(0), country))
    return found


def uk_date(value: str) -> str | None:
    """Return an ISO date from "dd/mm/yyyy", where 00 means unknown."""
    match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", value)
    if not match:
        return None
    day, month, year = match.groups()
    if year == "0000":
        return None
    if month == "00":
        return year
    if day == "00":
        return f"{year}-{month}"
    return f"{year}-{month}-{day}"


def _entity(group: _Group) -> ListEntity | None:
    primes = [name for kind, name in group.names if kind == "prime alias"]
    name = primes[0] if primes else group.names[0][1]
    aliases = []
    for kind, alias_name in group.names:
        if alias_name != name:
            alias_kind = "fka" if kind == "fka" else "aka"
            aliases.append(Alias(alias_name, AliasStrength.STRONG, alias_kind))
    return ListEntity(
        id=f"UK:{group.group_id}",
        source="UK",
        source_id=group.group_id,
        schema=_SCHEMAS.get(group.kind, EntitySchema.UNKNOWN),
        name=name,
        aliases=tuple(dict.fromkeys(aliases)),
        addresses=tuple(group.addresses),
        countries=unique(group.countries),
        ids=tuple(dict.fromkeys(group.ids)),
        dates_of_birth=unique(group.dates_of_birth),
        programs=unique(group.programs),
        remarks=" | ".join(unique(group.remarks)) or None,
        source_url=UK_URL,
    )
