"""Stored filings are judged by the reference edition in force on their export date."""

from __future__ import annotations

from datetime import date

import pytest

from exodus.core.controls import reference
from exodus.core.screening import ScreeningIndex
from exodus.services.controls import DetermineQuery, determine_query, filing_licensing
from exodus.services.targeting import Targeter
from tests.conftest import filing_data
from tests.core.controls.test_reference import _second_edition


def _detail(export_date: str) -> dict:  # type: ignore[type-arg]
    line = {"schedule_b": "8542310015", "description": "processors", "quantity": 10, "unit": "NO",
            "value_usd": 5000, "weight_kg": 1, "eccn": "3A001.a.1", "license_code": "C33"}
    payload = filing_data(filing_id=f"E{export_date.replace('-', '')}", export_date=export_date,
                          filed_at=f"{export_date}T08:00:00Z", lines=[line])
    return {"filing": payload, "screening_hits": []}


def test_filings_follow_the_edition_of_their_export_date(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The second edition marks Germany NS2 from 2027-03-01 (see test_reference).
    monkeypatch.setattr(reference, "DEFAULT_ROOT", _second_edition(tmp_path))
    index = ScreeningIndex()
    before = filing_licensing(index, _detail("2027-02-28"))[0]
    after = filing_licensing(index, _detail("2027-03-01"))[0]
    assert before["determination"]["reference_edition"] == "base"
    assert before["determination"]["outcome"] == "no_license_required"
    assert after["determination"]["reference_edition"] == "2027-03-01"
    assert after["determination"]["outcome"] != "no_license_required"
    assert "NLR_LICENSE_REQUIRED" in {f["code"] for f in after["findings"]}
    assert "NLR_LICENSE_REQUIRED" not in {f["code"] for f in before["findings"]}
    # Targeting picks the edition the same way, per export date.
    targeter = Targeter(index)
    assert targeter.reference(date(2027, 2, 28)).edition == "base"
    assert targeter.reference(date(2027, 3, 1)).edition == "2027-03-01"
    # And so does an on-demand determination given a date.
    on_date = determine_query(None, DetermineQuery("DE", eccn="3A001.a.1", export_date=date(2027, 3, 2)))
    assert on_date["reference_edition"] == "2027-03-01" and on_date["outcome"] != "no_license_required"
