"""Price history stays finite when stored lines carry absurd numbers (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import math

import pytest

from exodus.core.filings import parse_filing
from exodus.services.history import load_history
from exodus.storage.db import Database
from exodus.storage.filings import store_filings
from tests.conftest import filing_data


def _line(value: float, quantity: float = 1.0) -> dict[str, object]:
    return {"schedule_b": "8481804090", "description": "Valves", "quantity": quantity, "unit": "NO",
            "value_usd": value, "weight_kg": 1}


def test_absurd_stored_values_do_not_overflow_the_price_history(
        database: Database, caplog: pytest.LogCaptureFixture) -> None:
    # Filings stored before ingest refused absurd numbers (bounds are skipped here).
    stored = [
        parse_filing(filing_data(filing_id=f"P{n}", lines=[_line(value)]), "t", bounded=False)
        for n, value in enumerate([100.0, 120.0, 80.0, 1e308, 5e300])
    ] + [parse_filing(filing_data(filing_id="P9", lines=[_line(1e6, 1e-300)]), "t", bounded=False)]
    with database.session() as session:
        store_filings(session, [(f, "test") for f in stored], actor="tester")
    target = parse_filing(filing_data(filing_id="NEW", lines=[_line(100.0)]), "t")
    with caplog.at_level(logging.WARNING, logger="exodus.services.history"), database.session() as session:
        history = load_history(session, [target])
    price = history.prices["848180"]
    assert price.lines == 3
    assert math.isfinite(price.mean) and math.isfinite(price.spread)
    assert math.exp(price.mean) == pytest.approx(100.0, rel=0.05)
    assert "3 stored lines with an implausible unit value left out" in caplog.text
