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
        ({"mode_of_transport": "99"}, "mode_of_transport", "AES mode of transport code"),
        ({"mode_of_transport": "air"}, "mode_of_transport", "got 'air'"),
        ({"port_of_export": "9999"}, "port_of_export", "not a Schedule D port"),
        ({"port_of_export": "0000"}, "port_of_export", "got '0000'"),
        ({"filed_at": "2099-01-01T00:00:00+00:00"}, "filed_at", "must not be later than now"),
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


@pytest.mark.parametrize(
    ("change", "field", "suggestion"),
    [
        ({"intermediate_consigne": {"name": "Relay Trading FZE", "country": "AE"}},
         "intermediate_consigne", "intermediate_consignee"),
        ({"extra_field": "x"}, "extra_field", None),
        ({"usppi": {"name": "Keystone Instruments Inc.", "country": "US", "adress": "100 Commerce St"}},
         "usppi.adress", "address"),
        ({"lines": [dict(filing_data()["lines"][0], weight_k=220)]}, "lines[0].weight_k", "weight_kg"),
    ],
)
def test_unknown_fields_reject_the_record_with_the_closest_known_field(
        change: dict, field: str, suggestion: str | None) -> None:
    with pytest.raises(RecordError) as caught:
        parse_filing(filing_data(**change), "day.jsonl line 4")
    assert caught.value.field == field
    assert "(filing X20261201000001)" in caught.value.record
    assert "not a field of the schema" in caught.value.problem
    assert (f"did you mean {suggestion!r}" in caught.value.problem) if suggestion else "did you mean" not in caught.value.problem


def test_a_misspelt_filing_id_is_named_as_unknown_not_as_missing() -> None:
    data = filing_data()
    data["filingid"] = data.pop("filing_id")
    with pytest.raises(RecordError, match="did you mean 'filing_id'") as caught:
        parse_filing(data, "r")
    assert caught.value.field == "filingid"


def test_only_the_ultimate_consignee_has_a_type() -> None:
    with pytest.raises(RecordError, match="only the ultimate consignee has a type") as caught:
        parse_filing(filing_data(usppi={"name": "Keystone", "country": "US", "type": "D"}), "r")
    assert caught.value.field == "usppi.type"


@pytest.mark.parametrize(("value", "expected"), [
    (True, True), (False, False), ("true", True), ("FALSE", False), ("Y", True), ("n", False), ("", False),
])
def test_booleans_take_true_false_y_or_n(value: object, expected: bool) -> None:
    assert parse_filing(filing_data(routed_export=value), "r").routed_export is expected


@pytest.mark.parametrize("value", ["yes", "no", "1", "0", 1, 0, "t"])
def test_ambiguous_booleans_are_refused(value: object) -> None:
    with pytest.raises(RecordError, match="must be true or false") as caught:
        parse_filing(filing_data(related_parties=value), "r")
    assert caught.value.field == "related_parties"


@pytest.mark.parametrize("day", ["9999-12-31", "1900-01-01", "1999-12-31"])
def test_implausible_export_dates_are_refused_naming_the_field(day: str) -> None:
    data = filing_data(export_date=day)
    with pytest.raises(RecordError, match="must be between 2000-01-01 and") as caught:
        parse_filing(data, "r")
    assert caught.value.field == "export_date"
    assert parse_filing(data, "stored", bounded=False).export_date.isoformat() == day  # stored filings stay readable


def test_export_date_may_be_up_to_a_year_ahead() -> None:
    from datetime import date, timedelta

    ahead = date.today() + timedelta(days=300)
    assert parse_filing(filing_data(export_date=ahead.isoformat()), "r").export_date == ahead
    assert parse_filing(filing_data(export_date="2000-01-01"), "r").export_date == date(2000, 1, 1)


def test_csv_with_an_unknown_column_is_refused_naming_it() -> None:
    from exodus.errors import InvalidInput

    rows = filing_to_csv_rows(parse_filing(filing_data(), "r"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*CSV_COLUMNS, "intermediate_consignee.nme"])
    writer.writeheader()
    writer.writerows(rows)
    with pytest.raises(InvalidInput, match=r"day.csv line 1: column 'intermediate_consignee.nme' .*"
                                           r"did you mean 'intermediate_consignee.name'"):
        list(read_csv(io.StringIO(out.getvalue()), "day.csv"))


def test_every_listed_mode_of_transport_is_taken_and_stored_filings_stay_readable() -> None:
    for mode in ("10", "11", "12", "20", "21", "30", "31", "32", "33", "34", "40", "41", "50", "60", "70"):
        assert parse_filing(filing_data(mode_of_transport=mode), "r").mode_of_transport == mode
    assert parse_filing(filing_data(mode_of_transport="99"), "stored", bounded=False).mode_of_transport == "99"


def test_filed_at_may_be_a_few_minutes_ahead_but_not_more() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    from exodus.core.filings.parse import MAX_CLOCK_SKEW

    now = datetime.now(UTC)
    near = (now + MAX_CLOCK_SKEW - timedelta(minutes=1)).isoformat()
    assert parse_filing(filing_data(filed_at=near), "r").filed_at == datetime.fromisoformat(near)
    # A time zone ahead of UTC is compared as the instant it names.
    later = (now + MAX_CLOCK_SKEW + timedelta(minutes=2)).astimezone(timezone(timedelta(hours=5))).isoformat()
    with pytest.raises(RecordError) as caught:
        parse_filing(filing_data(filing_id="F1", filed_at=later), "day.jsonl line 2")
    assert caught.value.field == "filed_at" and "day.jsonl line 2 (filing F1)" in str(caught.value)


def test_stored_filings_with_a_future_time_or_retired_port_stay_readable() -> None:
    data = filing_data(filed_at="2099-01-01T00:00:00+00:00", port_of_export="9999")
    filing = parse_filing(data, "stored", bounded=False)
    assert filing.port_of_export == "9999" and filing.filed_at.year == 2099


def test_sample_filings_use_real_ports() -> None:
    from exodus.core.ports import is_port

    ports = {f.port_of_export for f in generate(400, seed=3)}
    assert len(ports) > 5 and all(is_port(p) for p in ports)


def test_total_value_is_rounded_to_cents() -> None:
    data = filing_data()
    data["lines"] = [dict(data["lines"][0], value_usd=v) for v in (0.1, 0.2, 119646.26)]
    assert parse_filing(data, "r").total_value_usd == 119646.56
