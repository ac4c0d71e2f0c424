"""Property tests: no input makes the filing readers fail other than with a clear InvalidInput."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exodus.core.filings import parse_filing, read_filings_text
from exodus.errors import InvalidInput
from tests.conftest import BASE_FILING

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
FIELDS = [k for k in BASE_FILING if k != "lines"]
LINE_FIELDS = list(BASE_FILING["lines"][0])


def parses_or_explains(data: Any) -> None:
    try:
        filing = parse_filing(data, "fuzz")
    except InvalidInput as exc:
        assert "fuzz" in exc.detail
        return
    assert filing.filing_id and filing.lines


@FUZZ
@given(json_values)
def test_any_json_value_is_a_filing_or_an_invalid_input(data: Any) -> None:
    parses_or_explains(data)


@FUZZ
@given(st.sampled_from(FIELDS), json_values)
def test_one_bad_field_of_a_good_filing_is_named(field: str, value: Any) -> None:
    data = copy.deepcopy(BASE_FILING)
    data[field] = value
    parses_or_explains(data)


@FUZZ
@given(st.sampled_from(LINE_FIELDS), json_values)
def test_one_bad_field_of_a_commodity_line_is_named(field: str, value: Any) -> None:
    data = copy.deepcopy(BASE_FILING)
    data["lines"][0][field] = value
    parses_or_explains(data)


@FUZZ
@given(st.text(max_size=400))
def test_any_text_as_json_lines_yields_records_or_errors(text: str) -> None:
    for record in read_filings_text(text, "upload.jsonl", "jsonl"):
        assert (record.filing is None) != (record.error is None)


@FUZZ
@given(st.text(max_size=400), st.booleans())
def test_any_text_as_csv_yields_records_or_a_header_error(body: str, with_header: bool) -> None:
    text = ("filing_id,schedule_b,port_of_export,value_usd\n" if with_header else "") + body
    try:
        records = list(read_filings_text(text, "upload.csv", "csv"))
    except InvalidInput as exc:
        assert "upload.csv" in exc.detail
        return
    assert all((r.filing is None) != (r.error is None) for r in records)
