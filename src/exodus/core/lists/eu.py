"""Read the EU Financial Sanctions Files (FSF) flat CSV, v1.0 layout.

Each line is wrapped in double quotes and split with `;`; a line holds one
name, address, birth, identity or citizenship record of an entity, and
lines sharing an Entity_logical_id are one entity. The same column names
repeat per record kind, so fields are taken by position. Countries are
ISO alpha-3 codes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from exodus.core.lists._text import clean, decode, read_bytes, release, unique
from exodus.core.lists.countries import to_iso2
from exodus.core.lists.model import (
    Address,
    Alias,
    EntitySchema,
    Identifier,
    ListEntity,
    ListRelease,
    ParseProblem,
)
from exodus.errors import DataSourceError

log = logging.getLogger(__name__)

EU_URL = "https://data.europa.eu/data/datasets/consolidated-list-of-persons-groups-and-entities-subject-to-eu-financial-sanctions"
COLUMNS = 59
# Field positions of the v1.0 layout.
DATE_FILE, ENTITY_ID, SUBJECT_TYPE, PROGRAMME, ENTITY_REMARK = 0, 1, 2, 6, 7
NAME_ID, WHOLENAME, NAME_LANGUAGE = 8, 17, 21
LASTNAME, FIRSTNAME, MIDDLENAME = 14, 15, 16
ADDR_ID, ADDR_NUMBER, ADDR_STREET, ADDR_ZIP, ADDR_CITY, ADDR_COUNTRY = (
    22, 28, 29, 30, 31, 32,
)  # fmt: skip
BIRTH_ID, BIRTH_DATE, BIRTH_COUNTRY = 34, 40, 42
IDEN_ID, IDEN_NUMBER, IDEN_COUNTRY = 43, 49, 50
CITI_ID, CITI_COUNTRY = 51, 57
EU_REF = 58
_SCHEMAS = {"P": EntitySchema.PERSON, "E": EntitySchema.ORGANIZATION}


@dataclass(slots=True)
class _Draft:
    entity_id: str
    subject_type: str
    names: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    ids: list[Identifier] = field(default_factory=list)
    dates_of_birth: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    reference: str = ""


def read_eu_fsf(path: Path) -> ListRelease:
    """Read the EU FSF flat CSV into one entity per Entity_logical_id."""
    path = Path(path)
    data = read_bytes(path)
    lines = _lines(decode(data))
    header = next(lines, (0, []))[1]
    if (
        len(header) < COLUMNS
        or header[ENTITY_ID] != "Entity_logical_id"
        or (header[WHOLENAME] != "Naal_wholename")
    ):
        raise DataSourceError(
            f"{path}: not an EU FSF v1.0 flat CSV: header starts {header[:3]!r}"
        )
    drafts: dict[str, _Draft] = {}
    problems: list[ParseProblem] = []
    published = None
    for number, fields in lines:
        problem = _row_problem(fields)
        if problem:
            problems.append(ParseProblem(f"{path.name} line {number}", problem))
            continue
        published = published or _date_file(fields[DATE_FILE])
        _add_row(drafts, fields)
    entities = [e for e in map(_entity, drafts.values()) if e is not None]
    return release("eu-fsf", path, data, published, entities, problems)


def _lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) with the outer quotes and tab padding removed."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\t\r\n ")
        if not line:
            continue
        if line.startswith('"'):
            line = line[1:]
        if line.endswith('"'):
            line = line[:-1]
        # Commas inside a field were written as tabs; put them back.
        line = line.replace('""', '"').replace("\t", ",")
        yield number, line.split(";")


def _row_problem(fields: list[str]) -> str | None:
    if len(fields) != COLUMNS:
        return f"expected {COLUMNS} fields, found {len(fields)}"
    if not fields[ENTITY_ID].strip().isdigit():
        return f"Entity_logical_id {fields[ENTITY_ID][:20]!r} is not a number"
    return None


def _date_file(value: str) -> datetime | None:
    try:
        return datetime.strptime(value.strip(), "%d/%m/%Y").replace(tzinfo=UTC)
    except ValueError:
        return None


def _add_row(drafts: dict[str, _Draft], fields: list[str]) -> None:
    entity_id = fields[ENTITY_ID].strip()
    draft = drafts.setdefault(entity_id, _Draft(entity_id, clean(fields[SUBJECT_TYPE])))
    draft.programs.append(clean(fields[PROGRAMME]))
    draft.remarks.append(clean(fields[ENTITY_REMARK]))
    draft.reference = draft.reference or clean(fields[EU_REF])
    if clean(fields[NAME_ID]):
        _add_name(draft, fields)
    if clean(fields[ADDR_ID]):
        _add_address(draft, fields)
    if clean(fields[BIRTH_ID]) and (born := clean(fields[BIRTH_DATE])):
        draft.dates_of_birth.append(born)
    if clean(fields[IDEN_ID]) and (number := clean(fields[IDEN_NUMBER])):
        country = to_iso2(clean(fields[IDEN_COUNTRY]))
        draft.ids.append(Identifier("Identification", number, country))
    if clean(fields[CITI_ID]) and (code := to_iso2(clean(fields[CITI_COUNTRY]))):
        draft.countries.append(code)


def _add_name(draft: _Draft, fields: list[str]) -> None:
    whole = clean(fields[WHOLENAME])
    if not whole:
        parts = (fields[FIRSTNAME], fields[MIDDLENAME], fields[LASTNAME])
        whole = " ".join(p for p in map(clean, parts) if p)
    if whole and whole not in draft.names:
        draft.names.append(whole)


def _add_address(draft: _Draft, fields: list[str]) -> None:
    parts = [clean(fields[i]) for i in (ADDR_NUMBER, ADDR_STREET, ADDR_ZIP, ADDR_CITY)]
    country = to_iso2(clean(fields[ADDR_COUNTRY]))
    full = ", ".join(p for p in [*parts, clean(fields[ADDR_COUNTRY])] if p)
    address = Address(full=full, city=parts[3], country=country)
    if full and address not in draft.addresses:
        draft.addresses.append(address)
    if country:
        draft.countries.append(country)


def _entity(draft: _Draft) -> ListEntity | None:
    if not draft.names:
        # TODO: entities whose name lines fall outside a truncated file are skipped.
        return None
    name, *others = draft.names
    return ListEntity(
        id=f"EU:{draft.entity_id}",
        source="EU",
        source_id=draft.entity_id,
        schema=_SCHEMAS.get(draft.subject_type, EntitySchema.UNKNOWN),
        name=name,
        aliases=tuple(Alias(other) for other in others),
        addresses=tuple(draft.addresses),
        countries=unique(draft.countries),
        ids=tuple(dict.fromkeys(draft.ids)),
        dates_of_birth=unique(draft.dates_of_birth),
        programs=unique(draft.programs),
        remarks=" | ".join(unique(draft.remarks)) or None,
        source_url=EU_URL,
    )
