"""Read the BIS Denied Persons List text file (dpl.txt).

The file is tab-separated with every field in double quotes and a header
row. A party denied at several addresses has one row per address; rows
with the same name and effective date are one entity.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from exodus.core.lists._text import (
    CsvRows,
    clean,
    csv_records,
    decode,
    read_bytes,
    release,
    short_hash,
    split_embedded_aliases,
)
from exodus.core.lists.countries import to_iso2
from exodus.core.lists.csl import guess_schema
from exodus.core.lists.model import (
    Address,
    Alias,
    ListEntity,
    ListRelease,
    ParseProblem,
)
from exodus.errors import DataSourceError

log = logging.getLogger(__name__)

DPL_URL = "https://www.bis.gov/licensing/end-user-guidance/denied-persons-list-dpl"
DPL_COLUMNS = (
    "Name", "Street_Address", "City", "State", "Country", "Postal_Code",
    "Effective_Date", "Expiration_Date", "Standard_Order", "Last_Update",
    "Action", "FR_Citation",
)  # fmt: skip
_US_STATE = re.compile(r"^[A-Z]{2}$")


@dataclass(slots=True)
class _Party:
    name: str
    effective: str
    citations: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def read_dpl(path: Path) -> ListRelease:
    """Read dpl.txt into one entity per denied party."""
    path = Path(path)
    data = read_bytes(path)
    reader = CsvRows(path, decode(data), delimiter="\t")
    header = [h.strip() for h in next(reader, [])]
    if header[:2] != ["Name", "Street_Address"] or "FR_Citation" not in header:
        raise DataSourceError(
            f"{path}: not a Denied Persons List file: header starts {header[:3]!r}"
        )
    parties: dict[tuple[str, str], _Party] = {}
    problems: list[ParseProblem] = []
    updates: list[str] = []
    for _location, record in csv_records(path, reader, header, problems, _record_problem):
        updates.append(clean(record.get("Last_Update")))
        _add_row(parties, record)
    entities = [_entity(party) for party in parties.values()]
    return release("bis-dpl", path, data, _newest_update(updates), entities, problems)


def _record_problem(record: dict[str, str]) -> str | None:
    if not clean(record["Name"]):
        return "name is empty"
    return None


def _add_row(parties: dict[tuple[str, str], _Party], record: dict[str, str]) -> None:
    name = clean(record["Name"])
    effective = clean(record.get("Effective_Date"))
    party = parties.setdefault((name.upper(), effective), _Party(name, effective))
    citation = clean(record.get("FR_Citation"))
    if citation and citation not in party.citations:
        party.citations.append(citation)
    address = _address(record)
    if address.full and address not in party.addresses:
        party.addresses.append(address)
    remark = _remark(record)
    if remark not in party.remarks:
        party.remarks.append(remark)


def _address(record: dict[str, str]) -> Address:
    street, city = clean(record.get("Street_Address")), clean(record.get("City"))
    state, postal = clean(record.get("State")), clean(record.get("Postal_Code"))
    country_text = clean(record.get("Country"))
    country = to_iso2(country_text) if country_text else None
    # The file leaves Country blank for U.S. addresses that give a state.
    if country is None and not country_text and _US_STATE.match(state):
        country = "US"
    parts = (street, city, state, postal, country_text or (country or ""))
    return Address(full=", ".join(p for p in parts if p), city=city, country=country)


def _remark(record: dict[str, str]) -> str:
    fields = (
        ("effective", "Effective_Date"),
        ("expires", "Expiration_Date"),
        ("standard order", "Standard_Order"),
        ("action", "Action"),
    )
    parts = [
        f"{label} {clean(record.get(key))}"
        for label, key in fields
        if clean(record.get(key))
    ]
    return "; ".join(parts)


def _entity(party: _Party) -> ListEntity:
    source_id = short_hash("DPL", party.name.upper(), party.effective)
    countries = tuple(dict.fromkeys(a.country for a in party.addresses if a.country))
    name, embedded = split_embedded_aliases(party.name)
    return ListEntity(
        id=f"DPL:{source_id}",
        source="DPL",
        source_id=source_id,
        schema=guess_schema("DPL", "", name),
        name=name,
        aliases=tuple(Alias(alias, kind=kind) for alias, kind in embedded),
        addresses=tuple(party.addresses),
        countries=countries,
        federal_register="; ".join(party.citations) or None,
        remarks=" | ".join(r for r in party.remarks if r) or None,
        source_url=DPL_URL,
    )


def _newest_update(values: list[str]) -> datetime | None:
    """Return the newest Last_Update that is not in the future (typos exist)."""
    today = date.today()
    newest: date | None = None
    for value in values:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            continue
        if day <= today and (newest is None or day > newest):
            newest = day
    if newest is None:
        return None
    return datetime(newest.year, newest.month, newest.day, tzinfo=UTC)
