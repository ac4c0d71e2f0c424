"""Stage timing: seconds add up per stage, and a timed pipeline names every stage it runs."""

from __future__ import annotations

import time

from exodus.core.filings import parse_filing
from exodus.core.filings.parse import ParsedRecord
from exodus.services import targeting as tg
from exodus.services.stages import Stopwatch
from exodus.storage.db import Database
from tests.conftest import filing_data, unique_id


def test_stopwatch_adds_up_wall_and_cpu_seconds_per_stage() -> None:
    clock = Stopwatch()
    for _ in range(2):
        with clock("sleep"):
            time.sleep(0.02)
    with clock("work"):
        sum(i * i for i in range(200_000))

    def slow_items():  # type: ignore[no-untyped-def]
        for n in range(3):
            time.sleep(0.01)
            yield n

    assert list(clock.iterate("produce", slow_items())) == [0, 1, 2]
    rows = {stage: (wall, cpu) for stage, wall, cpu in clock.rows()}
    assert [stage for stage, _, _ in clock.rows()] == ["sleep", "work", "produce"]
    assert rows["sleep"][0] >= 0.04 and rows["sleep"][1] < rows["sleep"][0]
    assert rows["work"][1] > 0
    assert rows["produce"][0] >= 0.03


def test_ingest_and_target_times_each_stage(exodus_app, database: Database) -> None:  # type: ignore[no-untyped-def]
    records = [ParsedRecord("t", filing=parse_filing(filing_data(filing_id=unique_id()), "test")) for _ in range(3)]
    targeter = tg.Targeter(exodus_app.index())
    report, results = tg.ingest_and_target(database, targeter, records, actor="tester")
    assert len(results) == 3 and not report.errors
    stages = [stage for stage, _, _ in targeter.clock.rows()]
    assert stages == ["parse", "store filings", "history", "screen", "determine", "signals", "red flags",
                      "lookouts", "score", "store results"]

