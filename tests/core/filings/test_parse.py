"""Reading filings in the interchange schema: JSON Lines, CSV, and bad records."""

from __future__ import annotations

import csv
import io
import json

import pytest

from exodus.core.filings import CSV_COLUMNS, PartyRole, filing_to_csv_rows, parse_filing, read_csv, read_jsonl
from exodus.errors import RecordError
from exodus.sample import generate
from tests.conftest import filing_data


def test_parses_a_complete_filing() -> None:
    data = filing_data(freight_forwarder={"name": "Kaskad Cargo Ltd.", "country": "US"})
    filing = parse_filing(data, "t")
    assert filing.filing_id == "X20261201000001"
    assert filing.country_of_destination == "DE"
    assert filing.ultimate_consignee.type is not None and filing.ultimate_consignee.type.value == "D"
    assert [p.role for p in filing.parties] == [PartyRole.USPPI, PartyRole.ULTIMATE_CONSIGNEE, PartyRole.FREIGHT_FORWARDER]
    assert filing.lines[0].schedule_b == "8481804090"
    assert filing.total_value_usd == 12000


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"country_of_destination": "XX"}, "country_of_destination", "ISO 3166"),
        ({"port_of_export": "27A0"}, "port_of_export", "4-digit"),
        ({"export_date": "2026-13-01"}, "export_date", "YYYY-MM-DD"),
        ({"filed_at": "yesterday"}, "filed_at", "ISO 8601"),
        ({"lines": []}, "lines", "non-empty"),
        ({"usppi": {"name": "", "country": "US"}}, "usppi.name", "required"),
        ({"ultimate_consignee": {"name": "A", "country": "DE", "type": "Z"}}, "ultimate_consignee.type", "D, G, R, O"),
        ({"routed_export": "maybe"}, "routed_export", "true or false"),
    ],
)
def test_bad_fields_are_named(change: dict, field: str, words: str) -> None:
    with pytest.raises(RecordError) as caught:
        parse_filing(filing_data(**change), "file.jsonl line 3")
    assert caught.value.field == field
    assert "line 3" in str(caught.value)
    assert words in str(caught.value)


def test_bad_line_fields_name_the_line() -> None:
    data = filing_data()
    data["lines"].append(dict(data["lines"][0], value_usd="a lot"))
    with pytest.raises(RecordError) as caught:
        parse_filing(data, "r")
    assert caught.value.field == "lines[1].value_usd"
    data["lines"][1] = dict(data["lines"][0], schedule_b="8481.80")
    with pytest.raises(RecordError, match=r"lines\[1\].schedule_b"):
        parse_filing(data, "r")


def test_negative_and_infinite_numbers_are_refused() -> None:
    data = filing_data()
    data["lines"][0]["quantity"] = -1
    with pytest.raises(RecordError, match="at least 0"):
        parse_filing(data, "r")
    data["lines"][0]["quantity"] = "inf"
    with pytest.raises(RecordError, match="finite"):
        parse_filing(data, "r")


@pytest.mark.parametrize(("field", "value"), [
    ("value_usd", 1e308), ("value_usd", "2e12"), ("quantity", 1e300), ("weight_kg", "1e11"),
    ("value_usd", float("nan")), ("quantity", "-inf"), ("weight_kg", -5),
])
def test_absurd_numbers_are_refused_naming_line_and_field(field: str, value: object) -> None:
    data = filing_data()
    data["lines"].append(dict(data["lines"][0]))
    data["lines"][1][field] = value
    with pytest.raises(RecordError, match=rf"lines\[1\]\.{field}'?: must be (at most|at least|a finite)"):
        parse_filing(data, "r")
    stored = parse_filing(data, "r", bounded=False) if isinstance(value, str) and "e1" in value else None
    if stored is not None:  # filings already stored stay readable
        assert getattr(stored.lines[1], field) == float(value)


def test_plausible_large_numbers_are_accepted() -> None:
    data = filing_data()
    data["lines"][0].update(value_usd=1e12, quantity=1e12, weight_kg=1e10)
    line = parse_filing(data, "r").lines[0]
    assert (line.value_usd, line.quantity, line.weight_kg) == (1e12, 1e12, 1e10)


def test_jsonl_reports_bad_json_and_keeps_going() -> None:
    good = json.dumps(filing_data())
    other = json.dumps(filing_data(filing_id="X2"))
    records = list(read_jsonl([good, "{not json", "", other], "f.jsonl"))
    assert [r.filing is not None for r in records] == [True, False, True]
    assert records[1].location == "f.jsonl line 2"
    assert "not valid JSON" in str(records[1].error)


def test_csv_groups_lines_by_filing_and_round_trips() -> None:
    filings = generate(40, seed=11)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    for filing in filings:
        writer.writerows(filing_to_csv_rows(filing))
    buffer.seek(0)
    parsed = [r.filing for r in read_csv(buffer, "f.csv")]
    assert parsed == filings


def test_csv_errors_cite_the_first_row_of_the_filing() -> None:
    rows = filing_to_csv_rows(parse_filing(filing_data(), "t"))
    rows[0]["country_of_destination"] = "ZZ"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    buffer.seek(0)
    (record,) = list(read_csv(buffer, "f.csv"))
    assert record.filing is None
    assert record.location == "f.csv line 2"
    assert "country_of_destination" in str(record.error)


def test_generated_filings_round_trip_through_the_interchange_form() -> None:
    for filing in generate(300, seed=5):
        assert parse_filing(filing.to_dict(), "t") == filing
