"""The versions of a filing: a future filed_at cannot block corrections, and each correction's changes are told."""

from __future__ import annotations

import json
from pathlib import Path

from exodus.core.filings import read_jsonl
from exodus.services.filing_versions import history_with_changes
from exodus.services.ingest import ingest_file, ingest_records
from exodus.storage.db import Database
from tests.conftest import filing_data


def _ingest(db: Database, tmp_path: Path, name: str, *records: dict) -> object:
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return ingest_file(db, path, actor=f"by-{name}")


def test_a_future_filed_at_is_refused_so_a_later_correction_is_stored(database: Database, tmp_path: Path) -> None:
    first = _ingest(database, tmp_path, "ahead.jsonl", filing_data(filing_id="FUT1", filed_at="2099-01-01T00:00:00+00:00"))
    assert first.created == [] and len(first.errors) == 1
    assert "ahead.jsonl line 1 (filing FUT1)" in first.errors[0] and "'filed_at'" in first.errors[0]
    stored = _ingest(database, tmp_path, "v1.jsonl", filing_data(filing_id="FUT1"))
    assert stored.created == ["FUT1"]
    fixed = _ingest(database, tmp_path, "v2.jsonl", filing_data(filing_id="FUT1", filed_at="2026-12-02T09:00:00Z",
                                                                carrier="CORRECTED CARRIER"))
    assert fixed.corrected == ["FUT1"] and fixed.stale == []


def test_an_unknown_port_is_refused_at_ingest_naming_record_and_field(database: Database, tmp_path: Path) -> None:
    report = _ingest(database, tmp_path, "ports.jsonl", filing_data(filing_id="P1", port_of_export="2720"),
                     filing_data(filing_id="P2", port_of_export="9999"))
    assert report.created == ["P1"]
    (error,) = report.errors
    assert "ports.jsonl line 2 (filing P2)" in error and "'port_of_export'" in error and "9999" in error


def test_history_tells_what_each_correction_changed(database: Database, tmp_path: Path) -> None:
    base = filing_data(filing_id="H1")
    second = filing_data(filing_id="H1", filed_at="2026-12-02T09:00:00Z", carrier="NEW CARRIER",
                         ultimate_consignee=dict(base["ultimate_consignee"], name="Other Buyer GmbH"))
    third = json.loads(json.dumps(second))
    third["filed_at"] = "2026-12-03T09:00:00Z"
    third["lines"].append(dict(third["lines"][0], value_usd=5.5))
    lines = [json.dumps(r) for r in (base, second, third)]
    report = ingest_records(database, read_jsonl(lines, "three.jsonl"), actor="tester")
    assert report.created == ["H1"] and report.corrected == ["H1", "H1"]
    with database.session() as session:
        history = history_with_changes(session, "H1")
    assert [v["version"] for v in history] == [1, 2, 3]
    assert history[0]["changes"] == [] and history[0]["origin"] == "three.jsonl line 1"
    assert history[1]["filed_at"] == "2026-12-02T09:00:00+00:00"
    assert {c["field"]: (c["old"], c["new"]) for c in history[1]["changes"]} == {
        "filed_at": ("2026-12-01T09:30:00+00:00", "2026-12-02T09:00:00+00:00"),
        "carrier": (base["carrier"], "NEW CARRIER"),
        "ultimate_consignee.name": (base["ultimate_consignee"]["name"], "Other Buyer GmbH"),
    }
    added = {c["field"]: c for c in history[2]["changes"] if c["field"].startswith("lines[1].")}
    assert added["lines[1].value_usd"]["old"] is None and added["lines[1].value_usd"]["new"] == 5.5
    assert not [c for c in history[2]["changes"] if c["field"].startswith("lines[0].")]
