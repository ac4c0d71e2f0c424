"""Read the UN Security Council Consolidated List XML (sc-sanctions.xsd)."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from exodus.core.lists._text import clean, read_bytes, release, unique
from exodus.core.lists.countries import to_iso2
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

UN_URL = "https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"

# QUALITY of an alias: "Good" and "a.k.a." are strong, "Low" is weak.
_ALIAS_QUALITY = {
    "good": (AliasStrength.STRONG, "aka"),
    "a.k.a.": (AliasStrength.STRONG, "aka"),
    "": (AliasStrength.STRONG, "aka"),
    "low": (AliasStrength.WEAK, "aka"),
    "f.k.a.": (AliasStrength.STRONG, "fka"),
    "n.k.a.": (AliasStrength.STRONG, "nka"),
}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def read_un_xml(path: Path) -> ListRelease:
    """Read the UN consolidated XML: every INDIVIDUAL and ENTITY record."""
    path = Path(path)
    data = read_bytes(path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise DataSourceError(f"{path}: not readable XML ({exc})") from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise DataSourceError(
            f"{path}: root element is {root.tag!r}, expected 'CONSOLIDATED_LIST'"
        )
    entities: list[ListEntity] = []
    problems: list[ParseProblem] = []
    for kind, container in (("INDIVIDUAL", "INDIVIDUALS"), ("ENTITY", "ENTITIES")):
        for index, node in enumerate(root.iterfind(f"{container}/{kind}"), start=1):
            try:
                entities.append(_entity(node, kind))
            except ValueError as exc:
                location = f"{path.name} {kind} {index}"
                problems.append(ParseProblem(location, str(exc)))
    return release("un", path, data, _generated(root.get("dateGenerated")), entities, problems)


def _generated(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _text(node: ET.Element, tag: str) -> str:
    return clean(node.findtext(tag))


def _entity(node: ET.Element, kind: str) -> ListEntity:
    reference = _text(node, "REFERENCE_NUMBER")
    name = " ".join(p for p in (_text(node, t) for t in _NAME_PARTS) if p)
    if not reference:
        raise ValueError(f"record {_text(node, 'DATAID')!r} has no REFERENCE_NUMBER")
    if not name:
        raise ValueError(f"record {reference} has no name")
    addresses = tuple(_address(a) for a in node.iterfind(f"{kind}_ADDRESS"))
    addresses = tuple(a for a in addresses if a.full)
    nationalities = [to_iso2(v.text) for v in node.iterfind("NATIONALITY/VALUE")]
    countries = [a.country for a in addresses if a.country] + nationalities
    return ListEntity(
        id=f"UN:{reference}",
        source="UN",
        source_id=reference,
        schema=EntitySchema.PERSON
        if kind == "INDIVIDUAL"
        else EntitySchema.ORGANIZATION,
        name=name,
        aliases=_aliases(node, kind, name),
        addresses=addresses,
        countries=unique([c for c in countries if c]),
        ids=tuple(i for i in map(_document, node.iterfind("INDIVIDUAL_DOCUMENT")) if i),
        dates_of_birth=_dates_of_birth(node),
        programs=unique([_text(node, "UN_LIST_TYPE")]),
        remarks=_text(node, "COMMENTS1") or None,
        source_url=UN_URL,
    )


def _aliases(node: ET.Element, kind: str, name: str) -> tuple[Alias, ...]:
    aliases: list[Alias] = []
    for alias in node.iterfind(f"{kind}_ALIAS"):
        alias_name = _text(alias, "ALIAS_NAME")
        if not alias_name or alias_name == name:
            continue
        quality = _text(alias, "QUALITY").lower()
        strength, alias_kind = _ALIAS_QUALITY.get(
            quality, (AliasStrength.STRONG, "aka")
        )
        aliases.append(Alias(alias_name, strength, alias_kind))
    original = _text(node, "NAME_ORIGINAL_SCRIPT")
    if original:
        aliases.append(Alias(original, AliasStrength.STRONG, "original_script"))
    return tuple(dict.fromkeys(aliases))


def _address(node: ET.Element) -> Address:
    parts = [
        _text(node, tag)
        for tag in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
    ]
    full = ", ".join(p for p in parts if p)
    return Address(full=full, city=parts[1], country=to_iso2(parts[4]))


def _document(node: ET.Element) -> Identifier | None:
    number = _text(node, "NUMBER")
    if not number:
        return None
    type_ = _text(node, "TYPE_OF_DOCUMENT") or _text(node, "TYPE_OF_DOCUMENT2")
    country = _text(node, "ISSUING_COUNTRY") or _text(node, "COUNTRY_OF_ISSUE")
    return Identifier(type_ or "Document", number, to_iso2(country))


def _dates_of_birth(node: ET.Element) -> tuple[str, ...]:
    """Return exact dates, years, and each year of a BETWEEN range."""
    found: list[str] = []
    for dob in node.iterfind("INDIVIDUAL_DATE_OF_BIRTH"):
        if date := _text(dob, "DATE"):
            found.append(date[:10])
        elif year := _text(dob, "YEAR"):
            found.append(year)
        elif (start := _text(dob, "FROM_YEAR")) and (end := _text(dob, "TO_YEAR")):
            if start.isdigit() and end.isdigit() and 0 <= int(end) - int(start) <= 20:
                found.extend(str(y) for y in range(int(start), int(end) + 1))
    return unique(found)
