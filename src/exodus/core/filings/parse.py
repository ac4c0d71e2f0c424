"""Read filings in the interchange schema (JSON Lines or CSV) into Filing values.

Each reader yields one `ParsedRecord` per filing: either the filing or the error
that names the record (file line) and the field. Bad records never stop a file.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import logging
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from exodus.core.countries import is_country
from exodus.core.text import utf8_lines
from exodus.core.filings.model import CommodityLine, ConsigneeType, Filing, Party, PartyRole
from exodus.errors import InvalidInput, RecordError

log = logging.getLogger(__name__)

FILING_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
PORT_CODE = re.compile(r"^\d{4}$")
SCHEDULE_B = re.compile(r"^\d{10}$")
SCHEDULE_B_PUNCTUATION = re.compile(r"[.\s-]")
# Below space (tab allowed), and lone UTF-16 surrogates, which JSON can spell ("\ud800")
# but no text encoding can store.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\ud800-\udfff]")
MAX_TEXT = 500
MAX_LINES = 999
# Plausible upper bounds of one commodity line: anything above is a keying or unit
# error (or an attack on the statistics) and is refused, naming the line and field.
MAX_VALUE_USD = 1e12
MAX_QUANTITY = 1e12
MAX_WEIGHT_KG = 1e10

PARTY_FIELDS = ("name", "address", "city", "country", "id", "type")
LINE_FIELDS = (
    "schedule_b", "description", "quantity", "unit", "value_usd", "weight_kg",
    "eccn", "usml_category", "license_code", "license_number",
)
FILING_FIELDS = (
    "filing_id", "filed_at", "export_date", "port_of_export", "mode_of_transport",
    "carrier", "country_of_destination", "routed_export", "related_parties",
)
PARTY_ROLES = tuple(role.value for role in PartyRole)
CSV_COLUMNS = (
    FILING_FIELDS
    + tuple(f"{role}.{f}" for role in PARTY_ROLES for f in PARTY_FIELDS if f != "type" or role == "ultimate_consignee")
    + LINE_FIELDS
)
RECORD_FIELDS = FILING_FIELDS + PARTY_ROLES + ("lines",)
# Boolean fields take true or false (JSON booleans, or this text in any case): AES
# writes the indicators as Y and N. Other words ("yes", "1") are refused as ambiguous.
TRUE_TEXT = ("true", "y")
FALSE_TEXT = ("false", "n")
# An export date outside this window is a keying error: refused (for new records only).
EARLIEST_EXPORT_DATE = date(2000, 1, 1)
MAX_DAYS_AHEAD = 366
# A filing cannot be filed in the future: filed_at orders the versions of a filing,
# so one dated ahead would make every real correction look stale. Clocks differ a little.
MAX_CLOCK_SKEW = timedelta(minutes=10)


def unknown_field_problem(name: str, known: Iterable[str]) -> str:
    """Say that `name` is no field of the schema, suggesting the closest known one."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return "is not a field of the schema" + (f"; did you mean {close[0]!r}?" if close else "")


def _refuse_unknown(data: Mapping[str, Any], known: Iterable[str], record: str, prefix: str = "") -> None:
    """Raise RecordError naming the first key of `data` that is not in `known`.

    A misspelt optional field would otherwise be dropped and its content lost.
    """
    known = tuple(known)
    for key in data:
        if key not in known:
            problem = ("only the ultimate consignee has a type" if key == "type" and prefix
                       else unknown_field_problem(str(key), known))
            raise RecordError(record, prefix + str(key), problem)


@dataclass(frozen=True, slots=True)
class ParsedRecord:
    """One record of an input file: a filing, or the error that rejected it."""

    location: str
    filing: Filing | None = None
    error: RecordError | None = None


class _Fields:
    """Typed field access that raises RecordError naming the field path."""

    def __init__(self, data: Mapping[str, Any], record: str, prefix: str = "") -> None:
        if not isinstance(data, Mapping):
            raise RecordError(record, prefix.rstrip(".") or "(record)", "must be an object")
        self.data = data
        self.record = record
        self.prefix = prefix

    def fail(self, name: str, problem: str) -> RecordError:
        return RecordError(self.record, self.prefix + name, problem)

    def raw(self, name: str) -> Any:
        value = self.data.get(name)
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                return None
        return value

    def text(self, name: str, *, required: bool = True, limit: int = MAX_TEXT) -> str | None:
        value = self.data.get(name)
        if type(value) is str:
            value = value.strip()
            if value and len(value) <= limit and not CONTROL_CHARACTERS.search(value):
                return value  # the usual case, answered without the checks below
        value = self.raw(name)
        if value is None:
            if required:
                raise self.fail(name, "is required")
            return None
        if not isinstance(value, str | int):
            raise self.fail(name, f"must be text, got {type(value).__name__}")
        value = str(value)
        if len(value) > limit:
            raise self.fail(name, f"is {len(value)} characters long; the limit is {limit}")
        found = CONTROL_CHARACTERS.search(value)
        if found:
            raise self.fail(name, "contains a lone UTF-16 surrogate, which is no character"
                            if "\ud800" <= found.group() <= "\udfff" else "contains control characters")
        return value

    def number(self, name: str, *, required: bool = True, minimum: float = 0.0,
               maximum: float = float("inf")) -> float | None:
        value = self.raw(name)
        if value is None:
            if required:
                raise self.fail(name, "is required")
            return None
        if isinstance(value, bool):
            raise self.fail(name, f"must be a number, got {value!r}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise self.fail(name, f"must be a number, got {value!r}") from None
        if not math.isfinite(number):
            raise self.fail(name, f"must be a finite number, got {value!r}")
        if number < minimum:
            raise self.fail(name, f"must be at least {minimum:g}, got {value!r}")
        if number > maximum:
            raise self.fail(name, f"must be at most {maximum:g}, got {value!r}")
        return number

    def flag(self, name: str) -> bool:
        value = self.raw(name)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower() if isinstance(value, str) else None
        if text in TRUE_TEXT:
            return True
        if text in FALSE_TEXT:
            return False
        raise self.fail(name, f"must be true or false (or Y or N), got {value!r}")

    def when(self, name: str, *, bounded: bool = False) -> datetime:
        value = self.text(name)
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise self.fail(name, f"must be an ISO 8601 date-time, got {value!r}") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        moment = moment.astimezone(timezone.utc)
        if bounded:
            now = datetime.now(timezone.utc)
            if moment > now + MAX_CLOCK_SKEW:
                skew = int(MAX_CLOCK_SKEW.total_seconds() // 60)
                raise self.fail(name, f"must not be later than now ({now.isoformat(timespec='seconds')}, "
                                      f"allowing {skew} minutes of clock difference), got {value!r}")
        return moment

    def day(self, name: str, *, bounded: bool = False) -> date:
        value = self.text(name)
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(name, f"must be an ISO 8601 date (YYYY-MM-DD), got {value!r}") from None
        if bounded:
            latest = datetime.now(timezone.utc).date() + timedelta(days=MAX_DAYS_AHEAD)
            if not EARLIEST_EXPORT_DATE <= day <= latest:
                raise self.fail(name, f"must be between {EARLIEST_EXPORT_DATE.isoformat()} and "
                                      f"{latest.isoformat()} (a year ahead), got {value!r}")
        return day

    def country(self, name: str) -> str:
        value = str(self.text(name)).upper()
        if not is_country(value):
            raise self.fail(name, f"must be an ISO 3166-1 alpha-2 country code, got {value!r}")
        return value


def _party(data: Any, record: str, role: PartyRole, bounded: bool = True) -> Party:
    fields = _Fields(data, record, f"{role.value}.")
    if bounded:
        known = PARTY_FIELDS if role is PartyRole.ULTIMATE_CONSIGNEE else tuple(f for f in PARTY_FIELDS if f != "type")
        _refuse_unknown(data, known, record, fields.prefix)
    kind = None
    if role is PartyRole.ULTIMATE_CONSIGNEE:
        raw_type = fields.text("type", required=False)
        if raw_type is not None:
            try:
                kind = ConsigneeType(raw_type.upper()[:1])
            except ValueError:
                raise fields.fail("type", f"must be one of D, G, R, O, got {raw_type!r}") from None
    return Party(
        role=role,
        name=str(fields.text("name")),
        country=fields.country("country"),
        address=fields.text("address", required=False) or "",
        city=fields.text("city", required=False, limit=100) or "",
        id=fields.text("id", required=False, limit=64),
        type=kind,
    )


USML = re.compile(r"^\s*(?:CAT(?:EGORY)?\.?\s*)?([IVXLC]+)\s*(\(.*)?$", re.I)


def normalize_usml(value: str) -> str:
    """Write a USML category as the regulation does: roman numeral, lower-case paragraphs."""
    match = USML.match(value)
    if not match:
        return value.strip()
    return match.group(1).upper() + (match.group(2) or "").replace(" ", "").lower()


def _line(data: Any, record: str, number: int, bounded: bool = True) -> CommodityLine:
    fields = _Fields(data, record, f"lines[{number - 1}].")
    if bounded:
        _refuse_unknown(data, LINE_FIELDS, record, fields.prefix)
    unbounded = float("inf")
    schedule_b = SCHEDULE_B_PUNCTUATION.sub("", str(fields.text("schedule_b", limit=20)))
    if not SCHEDULE_B.match(schedule_b):
        raise fields.fail("schedule_b", f"must be a 10-digit Schedule B/HTS number, got {schedule_b!r}")
    eccn = fields.text("eccn", required=False, limit=20)
    usml = fields.text("usml_category", required=False, limit=20)
    return CommodityLine(
        line_no=number,
        schedule_b=schedule_b,
        description=str(fields.text("description")),
        quantity=float(fields.number("quantity", maximum=MAX_QUANTITY if bounded else unbounded)),  # type: ignore[arg-type]
        unit=str(fields.text("unit", limit=10)).upper(),
        value_usd=float(fields.number("value_usd", maximum=MAX_VALUE_USD if bounded else unbounded)),  # type: ignore[arg-type]
        weight_kg=float(fields.number("weight_kg", required=False, maximum=MAX_WEIGHT_KG if bounded else unbounded) or 0.0),
        eccn=eccn.upper() if eccn else None,
        usml_category=normalize_usml(usml) if usml else None,
        license_code=(fields.text("license_code", required=False, limit=10) or "").upper() or None,
        license_number=fields.text("license_number", required=False, limit=40),
    )


@cache
def _mot_codes() -> tuple[str, ...]:
    from exodus.core.controls.reference import load_reference  # reference data loads on first use

    return tuple(sorted(load_reference().mot_codes))


def _mode_of_transport(fields: _Fields, bounded: bool) -> str:
    mode = str(fields.text("mode_of_transport", limit=20))
    if bounded and mode not in _mot_codes():
        raise fields.fail("mode_of_transport", f"must be an AES mode of transport code ({', '.join(_mot_codes())}; "
                                               f"docs/filings.md), got {mode!r}")
    return mode


def parse_filing(data: Any, record: str, *, bounded: bool = True) -> Filing:
    """Validate one filing in interchange form; raise RecordError naming the field.

    `bounded=False` skips the checks of new records (plausibility bounds such as
    MAX_VALUE_USD, the export date window, a filed_at in the future, a port not in
    Schedule D, unknown fields): for filings already
    stored, which stay readable even if they were accepted before a check.
    """
    fields = _Fields(data, record)
    if bounded and "filing_id" not in data:
        _refuse_unknown(data, RECORD_FIELDS, record)  # e.g. 'filingid': say so rather than "required"
    filing_id = str(fields.text("filing_id", limit=64))
    if not FILING_ID.match(filing_id):
        raise fields.fail("filing_id", f"must be letters, digits and . _ : - (max 64), got {filing_id!r}")
    record = f"{record} (filing {filing_id})"
    fields = _Fields(data, record)
    if bounded:
        _refuse_unknown(data, RECORD_FIELDS, record)
    port = str(fields.text("port_of_export", limit=4))
    if not PORT_CODE.match(port):
        raise fields.fail("port_of_export", f"must be a 4-digit Schedule D port code, got {port!r}")
    if bounded:
        from exodus.core.ports import is_port, reference_edition  # reference data loads on first use

        if not is_port(port):
            raise fields.fail("port_of_export", f"is not a Schedule D port of export (reference edition "
                                                f"{reference_edition()}), got {port!r}")
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise fields.fail("lines", "must be a non-empty list of commodity lines")
    if len(raw_lines) > MAX_LINES:
        raise fields.fail("lines", f"has {len(raw_lines)} lines; the limit is {MAX_LINES}")
    optional = {}
    for role in (PartyRole.INTERMEDIATE_CONSIGNEE, PartyRole.FREIGHT_FORWARDER):
        value = data.get(role.value)
        if value not in (None, {}, ""):
            optional[role.value] = _party(value, record, role, bounded)
    if "usppi" not in data:
        raise fields.fail("usppi", "is required")
    if "ultimate_consignee" not in data:
        raise fields.fail("ultimate_consignee", "is required")
    return Filing(
        filing_id=filing_id,
        filed_at=fields.when("filed_at", bounded=bounded),
        export_date=fields.day("export_date", bounded=bounded),
        port_of_export=port,
        mode_of_transport=_mode_of_transport(fields, bounded),
        carrier=str(fields.text("carrier", limit=100)),
        country_of_destination=fields.country("country_of_destination"),
        usppi=_party(data["usppi"], record, PartyRole.USPPI, bounded),
        ultimate_consignee=_party(data["ultimate_consignee"], record, PartyRole.ULTIMATE_CONSIGNEE, bounded),
        lines=tuple(_line(item, record, n, bounded) for n, item in enumerate(raw_lines, start=1)),
        routed_export=fields.flag("routed_export"),
        related_parties=fields.flag("related_parties"),
        **optional,
    )


def _parsed(location: str, data: Any) -> ParsedRecord:
    try:
        return ParsedRecord(location, filing=parse_filing(data, location))
    except RecordError as exc:
        return ParsedRecord(location, error=exc)


def read_jsonl(lines: Iterable[str], name: str = "input") -> Iterator[ParsedRecord]:
    """Yield one ParsedRecord per non-blank JSON line."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        location = f"{name} line {number}"
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            yield ParsedRecord(location, error=RecordError(location, "(record)", f"is not valid JSON: {exc.msg}"))
            continue
        yield _parsed(location, data)


def _csv_row_to_parts(row: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    filing: dict[str, Any] = {k: row.get(k) for k in FILING_FIELDS}
    for role in PARTY_ROLES:
        party = {f: row.get(f"{role}.{f}") for f in PARTY_FIELDS if f"{role}.{f}" in row}
        if any((v or "").strip() for v in party.values()):
            filing[role] = party
    line = {f: row.get(f) for f in LINE_FIELDS}
    return filing, line


def read_csv(text: Iterable[str], name: str = "input") -> Iterator[ParsedRecord]:
    """Yield one ParsedRecord per filing from rows of one commodity line each.

    Rows of the same filing_id are grouped in the order they first appear; the
    filing-level fields are taken from the first row of each filing.
    """
    reader = csv.DictReader(text)
    missing = {"filing_id", "schedule_b"} - set(reader.fieldnames or ())
    if missing:
        raise InvalidInput(f"{name}: CSV header lacks required columns {sorted(missing)}")
    for column in reader.fieldnames or ():
        if column not in CSV_COLUMNS:
            # Every row would lose this column's content: refuse the file, naming it.
            raise InvalidInput(f"{name} line 1: column {column!r} {unknown_field_problem(column, CSV_COLUMNS)}; "
                               "nothing was read")
    groups: dict[str, tuple[int, dict[str, Any], list[dict[str, Any]]]] = {}
    for row in reader:
        line_no = reader.line_num
        if None in row:
            yield ParsedRecord(f"{name} line {line_no}", error=RecordError(f"{name} line {line_no}", "(row)", "has more cells than the header"))
            continue
        filing, line = _csv_row_to_parts(row)
        key = (filing.get("filing_id") or "").strip() or f"(row {line_no})"
        if key not in groups:
            groups[key] = (line_no, filing, [])
        groups[key][2].append(line)
    for first_line, filing, lines in groups.values():
        filing["lines"] = lines
        yield _parsed(f"{name} line {first_line}", filing)


# The kind of a filing file, by its extension: what read_filings reads (and sample writes).
FILE_KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}


def file_kind(path: Path) -> str:
    """Return 'jsonl' or 'csv' for a filing file by its extension; InvalidInput naming it otherwise."""
    suffix = path.suffix.lower()
    if suffix not in FILE_KINDS:
        raise InvalidInput(f"{path}: unknown filing file type {suffix or '(none)'!r}; use .jsonl or .csv")
    return FILE_KINDS[suffix]


def read_filings(path: Path) -> Iterator[ParsedRecord]:
    """Read a JSON Lines (.jsonl/.json/.ndjson) or CSV (.csv) file of filings."""
    if file_kind(path) == "csv":
        yield from read_csv(utf8_lines(path), path.name)
    else:
        yield from read_jsonl(utf8_lines(path), path.name)


def read_filings_text(text: str, name: str, kind: str) -> Iterator[ParsedRecord]:
    """Read filings from an uploaded text in `kind` 'jsonl' or 'csv'."""
    if kind == "csv":
        return read_csv(io.StringIO(text, newline=""), name)
    return read_jsonl(io.StringIO(text), name)


def filing_to_csv_rows(filing: Filing) -> list[dict[str, Any]]:
    """Return the CSV rows (one per commodity line) of `filing`."""
    data = filing.to_dict()
    base: dict[str, Any] = {k: data.get(k) for k in FILING_FIELDS}
    for role in PARTY_ROLES:
        party = data.get(role) or {}
        for f in PARTY_FIELDS:
            column = f"{role}.{f}"
            if column in CSV_COLUMNS:
                base[column] = party.get(f, "")
    rows = []
    for line in data["lines"]:
        row = dict(base)
        row.update({f: line.get(f, "") for f in LINE_FIELDS})
        rows.append(row)
    return rows
