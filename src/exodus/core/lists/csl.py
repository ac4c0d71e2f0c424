"""Read the U.S. Consolidated Screening List (CSL) in its three shapes.

- the official trade.gov `consolidated.csv` (the 2019 layout of 28 columns,
  and the current layout with a leading `_id` column);
- the official `consolidated.json` (`{"results": [ {...}, ... ]}`, the same
  fields with arrays for addresses, ids and alt_names);
- a compact JSON (`entries` with short keys and lookup `tables`), which is
  how the bundled 2026-07-31 copy of the whole list is stored.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from exodus.core.lists._text import (
    CsvRows,
    clean,
    csv_records,
    decode,
    read_bytes,
    release,
    short_hash,
    split_clean,
    split_embedded_aliases,
    unique,
)
from exodus.core.lists.countries import countries_in, to_iso2
from exodus.core.lists.model import (
    Address,
    Alias,
    EntitySchema,
    Identifier,
    ListEntity,
    ListRelease,
    ParseProblem,
)
from exodus.core.lists.remarks import parse_ofac_dates
from exodus.errors import DataSourceError

log = logging.getLogger(__name__)

CSV_COLUMNS = (
    "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order",
    "license_requirement", "license_policy", "call_sign", "vessel_type",
    "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner",
    "remarks", "source_list_url", "alt_names", "citizenships", "dates_of_birth",
    "nationalities", "places_of_birth", "source_information_url", "ids",
)  # fmt: skip

_SCHEMAS = {
    "individual": EntitySchema.PERSON,
    "entity": EntitySchema.ORGANIZATION,
    "vessel": EntitySchema.VESSEL,
    "aircraft": EntitySchema.AIRCRAFT,
}
# Lists that name people and firms alike without a type column.
_MIXED_LISTS = frozenset({"DPL", "DTC"})
_ORG_WORDS = re.compile(
    r"\b(inc|incorporated|ltd|limited|llc|l\.l\.c|corp|corporation|co|company|"
    r"gmbh|ag|sa|s\.a|srl|bv|b\.v|plc|pte|pvt|fze|fzco|llp|lp|group|holdings?|"
    r"industries|international|trading|enterprises?|technolog(?:y|ies)|"
    r"electronics|aviation|systems|services|institute|university|bank|"
    r"establishment|factory|ooo|oao|zao|jsc|ao|airlines?|airways|shipping|"
    r"logistics|import|export|industrial|engineering|solutions|laborator(?:y|ies)|"
    r"bhd)\b\.?",
    re.IGNORECASE,
)
# "Capta List (CAP) - Treasury Department" -> "CAP".
_SOURCE_CODE = re.compile(r"\(([A-Z][A-Z0-9-]*)(?: List)?\)")
# Fields of an `ids` entry that carry no identifier, only sanctions notes.
_NOTE_ID_TYPES = (
    "secondary sanctions",
    "additional sanctions",
    "directive determination",
    "gender",
    "transactions prohibited",
    "organization established",
    "organization type",
    "target type",
    "listing date",
    "effective date",
    "caatsa section",
    "executive order",
    "website",
    "email",
    "phone",
    "former vessel flag",
)
_KNOWN_ID_TYPES = frozenset(
    {"Passport", "SWIFT/BIC", "IMO", "MMSI", "Cedula No.", "NIT #", "RUC #", "RIF #"}
)
_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(slots=True)
class CslRecord:
    """One CSL row in the fields every CSL shape shares."""

    source_label: str
    name: str
    entity_number: str = ""
    type: str = ""
    programs: tuple[str, ...] = ()
    addresses: tuple[Address, ...] = ()
    countries: tuple[str, ...] = ()
    alt_names: tuple[str, ...] = ()
    ids: tuple[Identifier, ...] = ()
    dates_of_birth: tuple[str, ...] = ()
    federal_register: str = ""
    license_requirement: str = ""
    license_policy: str = ""
    remarks: str = ""
    source_url: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def source_code(label: str) -> str:
    """Return the short list code ("EL", "NS-MBS") of a CSL source label."""
    match = _SOURCE_CODE.search(label)
    if match:
        return match.group(1)
    return clean(label).upper() or "CSL"


def guess_schema(code: str, type_: str, name: str) -> EntitySchema:
    """Return the entity schema from the CSL type, or a guess when it is blank.

    Lists without a type column hold firms (Entity List, Unverified, MEU,
    ISN) or a mix of people and firms (Denied Persons, ITAR debarred); a
    mixed-list name is a firm only if it has a company word in it.
    """
    schema = _SCHEMAS.get(type_.strip().lower())
    if schema is not None:
        return schema
    if code in _MIXED_LISTS:
        has_org_word = _ORG_WORDS.search(name) is not None
        return EntitySchema.ORGANIZATION if has_org_word else EntitySchema.UNKNOWN
    return EntitySchema.ORGANIZATION


# --- compact JSON -------------------------------------------------------------


def read_csl_compact(path: Path) -> ListRelease:
    """Read the compact CSL JSON (short keys, lookup tables)."""
    path = Path(path)
    data = read_bytes(path)
    doc = _load_json(path, data)
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise DataSourceError(f"{path}: not a compact CSL file: no 'entries' list")
    tables = doc.get("tables")
    if not isinstance(tables, dict) or not isinstance(tables.get("sources"), list):
        raise DataSourceError(f"{path}: not a compact CSL file: no 'tables.sources'")
    records: list[tuple[str, CslRecord]] = []
    problems: list[ParseProblem] = []
    for index, entry in enumerate(doc["entries"], start=1):
        location = f"{path.name} entry {index}"
        try:
            records.append((location, _compact_record(entry, tables)))
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            problems.append(ParseProblem(location, f"unreadable entry: {exc!r}"))
    return _release(
        path, data, records, problems, _parse_time(doc.get("sourceGeneratedAt"))
    )


def _compact_record(entry: Any, tables: Mapping[str, list[str]]) -> CslRecord:
    if not isinstance(entry, dict):
        raise TypeError(f"entry is a {type(entry).__name__}, not an object")
    name = clean(entry.get("n"))
    if not name:
        raise ValueError("name is empty")

    def table(key: str, table_name: str) -> str:
        index = entry.get(key)
        if index is None:
            return ""
        if not isinstance(index, int) or index < 0:
            raise ValueError(f"{key}={index!r} is not a table index")
        return clean(tables[table_name][index])

    countries = [to_iso2(str(c)) for c in entry.get("c") or ()]
    return CslRecord(
        source_label=table("s", "sources"),
        name=name,
        entity_number=clean(entry.get("e")),
        type=clean(entry.get("t")),
        programs=tuple(split_clean(table("pg", "programmes"))),
        countries=unique([c for c in countries if c]),
        alt_names=unique([clean(a) for a in entry.get("a") or ()]),
        federal_register=clean(entry.get("fr")),
        license_requirement=table("lr", "licenceRequirements"),
        license_policy=table("lp", "licencePolicies"),
        source_url=table("u", "urls"),
    )


# --- official CSV -------------------------------------------------------------


def read_csl_csv(path: Path) -> ListRelease:
    """Read the official CSL consolidated.csv, 2019 or current (`_id`) layout."""
    path = Path(path)
    data = read_bytes(path)
    reader = CsvRows(path, decode(data))
    header = [h.strip() for h in next(reader, [])]
    missing = [
        c for c in ("source", "name", "alt_names", "addresses") if c not in header
    ]
    if missing:
        raise DataSourceError(
            f"{path}: not a CSL consolidated.csv: header lacks {', '.join(missing)}"
        )
    records: list[tuple[str, CslRecord]] = []
    problems: list[ParseProblem] = []
    for location, record in csv_records(path, reader, header, problems):
        try:
            records.append((location, _csv_record(record)))
        except ValueError as exc:
            problems.append(ParseProblem(location, str(exc)))
    return _release(path, data, records, problems, None)


def _csv_record(row: Mapping[str, str]) -> CslRecord:
    name = clean(row.get("name"))
    if not name:
        raise ValueError("name is empty")
    if not clean(row.get("source")):
        raise ValueError("source is empty")
    nationalities = [
        *split_clean(row.get("citizenships")),
        *split_clean(row.get("nationalities")),
    ]
    addresses = tuple(_csv_address(a) for a in split_clean(row.get("addresses")))
    return CslRecord(
        source_label=clean(row["source"]),
        name=name,
        entity_number=clean(row.get("entity_number")),
        type=clean(row.get("type")),
        programs=tuple(split_clean(row.get("programs"))),
        addresses=addresses,
        countries=_countries(addresses, nationalities),
        alt_names=unique(split_clean(row.get("alt_names"))),
        ids=tuple(i for i in map(_csv_id, split_clean(row.get("ids"))) if i),
        dates_of_birth=_dates(split_clean(row.get("dates_of_birth"))),
        federal_register=clean(row.get("federal_register_notice")),
        license_requirement=clean(row.get("license_requirement")),
        license_policy=clean(row.get("license_policy")),
        remarks=clean(row.get("remarks")),
        source_url=clean(row.get("source_list_url")),
        extra={"_id": clean(row.get("_id"))},
    )


def _csv_address(text: str) -> Address:
    """Read "street, city, state, postal, CC": the country is the last part."""
    parts = [p.strip() for p in text.split(",")]
    country = to_iso2(parts[-1]) if parts else None
    return Address(full=text, country=country)


def _csv_id(text: str) -> Identifier | None:
    """Read one `ids` entry, in the 2019 or the current order.

    The 2019 file writes "[country, ]number, type" ("US, 80-0890696, Tax ID
    No."); the current file writes "type, number, country" ("Passport,
    836238033, KP"). Notes such as "Secondary sanctions risk" are dropped.
    """
    if any(note in text.lower() for note in _NOTE_ID_TYPES):
        return None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) < 2:
        return None
    country = ""
    if len(parts) >= 3 and _is_country_code(parts[-1]):
        type_, value, country = parts[0], ", ".join(parts[1:-1]), parts[-1]
    elif len(parts) >= 3 and _is_country_code(parts[0]):
        country, value, type_ = parts[0], ", ".join(parts[1:-1]), parts[-1]
    elif _looks_like_type(parts[-1]) or not _looks_like_type(parts[0]):
        type_, value = parts[-1], ", ".join(parts[:-1])
    else:
        type_, value = parts[0], ", ".join(parts[1:])
    if value.startswith("IMO "):
        type_, value = "IMO", value.removeprefix("IMO ").strip()
    return Identifier(type_.rstrip(" -:"), value, to_iso2(country) if country else None)


def _is_country_code(text: str) -> bool:
    return len(text) == 2 and text.isupper() and to_iso2(text) is not None


def _looks_like_type(text: str) -> bool:
    """Tell a label ("Tax ID No.", "SWIFT/BIC") from a value ("7744001497")."""
    if text in _KNOWN_ID_TYPES:
        return True
    return not any(ch.isdigit() for ch in text) and " " in text


def _dates(values: Iterable[str]) -> tuple[str, ...]:
    """Return dates of birth as ISO text, keeping ones already in ISO form."""
    found: list[str] = []
    for value in values:
        if _ISO_DATE.match(value):
            found.append(value)
        else:
            found.extend(parse_ofac_dates(value))
    return unique(found)


def _countries(addresses: Iterable[Address], names: Iterable[str]) -> tuple[str, ...]:
    codes = [a.country for a in addresses if a.country]
    for name in names:
        codes.extend(countries_in(name))
    return unique(codes)


# --- official JSON ------------------------------------------------------------


def read_csl_json(path: Path) -> ListRelease:
    """Read the official CSL consolidated.json (`{"results": [...]}`)."""
    path = Path(path)
    data = read_bytes(path)
    doc = _load_json(path, data)
    results = doc.get("results") if isinstance(doc, dict) else doc
    if not isinstance(results, list):
        raise DataSourceError(f"{path}: not a CSL consolidated.json: no 'results' list")
    records: list[tuple[str, CslRecord]] = []
    problems: list[ParseProblem] = []
    for index, item in enumerate(results, start=1):
        location = f"{path.name} result {index}"
        try:
            records.append((location, _json_record(item)))
        except (TypeError, ValueError, AttributeError) as exc:
            problems.append(ParseProblem(location, str(exc)))
    published = None
    if isinstance(doc, dict):
        published = _parse_time(_newest_source_update(doc.get("sources_used")))
    return _release(path, data, records, problems, published)


def _json_record(item: Any) -> CslRecord:
    if not isinstance(item, dict):
        raise TypeError(f"result is a {type(item).__name__}, not an object")
    name = clean(item.get("name"))
    if not name or not clean(item.get("source")):
        raise ValueError("name or source is empty")
    addresses = tuple(_json_address(a) for a in _as_list(item.get("addresses")))
    nationalities = [
        *map(clean, _as_list(item.get("citizenships"))),
        *map(clean, _as_list(item.get("nationalities"))),
    ]
    ids = tuple(i for i in map(_json_id, _as_list(item.get("ids"))) if i)
    return CslRecord(
        source_label=clean(item["source"]),
        name=name,
        entity_number=clean(item.get("entity_number")),
        type=clean(item.get("type")),
        programs=unique([clean(p) for p in _as_list(item.get("programs"))]),
        addresses=addresses,
        countries=_countries(addresses, nationalities),
        alt_names=unique([clean(a) for a in _as_list(item.get("alt_names"))]),
        ids=ids,
        dates_of_birth=_dates(clean(d) for d in _as_list(item.get("dates_of_birth"))),
        federal_register=clean(item.get("federal_register_notice")),
        license_requirement=clean(item.get("license_requirement")),
        license_policy=clean(item.get("license_policy")),
        remarks=clean(item.get("remarks")),
        source_url=clean(item.get("source_list_url")),
        extra={"_id": clean(item.get("id"))},
    )


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return split_clean(value)
    return [value]


def _json_address(value: Any) -> Address:
    if isinstance(value, str):
        return _csv_address(value)
    if not isinstance(value, dict):
        raise TypeError(f"address is a {type(value).__name__}")
    keys = ("address", "city", "state", "postal_code", "country")
    parts = [clean(value.get(key)) for key in keys]
    full = ", ".join(p for p in parts if p)
    return Address(full=full, city=parts[1], country=to_iso2(parts[4]))


def _json_id(value: Any) -> Identifier | None:
    if isinstance(value, str):
        return _csv_id(value)
    if not isinstance(value, dict):
        raise TypeError(f"id is a {type(value).__name__}")
    type_, number = clean(value.get("type")), clean(value.get("number"))
    if not number or any(note in type_.lower() for note in _NOTE_ID_TYPES):
        return None
    country = clean(value.get("country"))
    return Identifier(type_, number, to_iso2(country) if country else None)


def _newest_source_update(sources: Any) -> str | None:
    if not isinstance(sources, list):
        return None
    stamps = [
        str(s.get("source_last_updated"))
        for s in sources
        if isinstance(s, dict) and s.get("source_last_updated")
    ]
    return max(stamps) if stamps else None


# --- shared -------------------------------------------------------------------


def _load_json(path: Path, data: bytes) -> Any:
    try:
        return json.loads(decode(data))
    except json.JSONDecodeError as exc:
        raise DataSourceError(
            f"{path}: not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})"
        ) from exc


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _release(
    path: Path,
    data: bytes,
    records: list[tuple[str, CslRecord]],
    problems: list[ParseProblem],
    published: datetime | None,
) -> ListRelease:
    if not records:
        raise DataSourceError(f"{path}: no readable CSL records")
    entities = _with_unique_ids([_entity(record) for _, record in records])
    return release("csl", path, data, published, entities, problems)


def _entity(record: CslRecord) -> ListEntity:
    code = source_code(record.source_label)
    if record.entity_number:
        source_id = record.entity_number
    else:
        # Lists without entity numbers (EL, DPL, DTC, UVL, ISN, MEU) get an id
        # from name and Federal Register citation, stable across releases
        # and across the CSV, JSON and compact shapes.
        source_id = short_hash(code, record.name.lower(), record.federal_register)
    name, embedded = split_embedded_aliases(record.name)
    aliases = [Alias(a) for a in record.alt_names if a != name]
    aliases.extend(Alias(alias, kind=kind) for alias, kind in embedded)
    return ListEntity(
        id=f"{code}:{source_id}",
        source=code,
        source_id=source_id,
        schema=guess_schema(code, record.type, name),
        name=name,
        aliases=tuple(dict.fromkeys(aliases)),
        addresses=record.addresses,
        countries=record.countries,
        ids=record.ids,
        dates_of_birth=record.dates_of_birth,
        programs=record.programs,
        license_requirement=record.license_requirement or None,
        license_policy=record.license_policy or None,
        federal_register=record.federal_register or None,
        remarks=record.remarks or None,
        source_url=record.source_url or None,
    )


def _with_unique_ids(entities: list[ListEntity]) -> list[ListEntity]:
    """Give entities that share an id a suffix from their content, then a count."""
    counts = Counter(e.id for e in entities)
    if all(n == 1 for n in counts.values()):
        return entities
    seen: Counter[str] = Counter()
    result = []
    for entity in entities:
        if counts[entity.id] > 1:
            suffix = short_hash(entity.fingerprint(), length=6)
            seen[entity.id + suffix] += 1
            if seen[entity.id + suffix] > 1:
                suffix += f"-{seen[entity.id + suffix]}"
            source_id = f"{entity.source_id}-{suffix}"
            entity = replace(
                entity, id=f"{entity.source}:{source_id}", source_id=source_id
            )
        result.append(entity)
    return result
