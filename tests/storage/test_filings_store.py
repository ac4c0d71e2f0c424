"""Storing filings on SQLite and PostgreSQL: new, unchanged, corrected, bad, strict."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from exodus.services.ingest import ingest_file
from exodus.storage.audit import verify
from exodus.storage.db import Database
from exodus.storage.filings import filing_history, load_filing
from exodus.storage.models import AuditEventRow, FilingRow, FilingVersionRow, LineRow, PartyRow
from tests.conftest import filing_data


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def count(db: Database, table: type) -> int:
    with db.session() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_ingest_stores_good_and_reports_bad_by_line_and_field(database: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "day.jsonl", [
        filing_data(filing_id="A1"),
        filing_data(filing_id="A2", country_of_destination="Germany"),
        "{broken",
        filing_data(filing_id="A3"),
    ])
    report = ingest_file(database, path, actor="tester")
    assert sorted(report.created) == ["A1", "A3"]
    assert len(report.errors) == 2
    assert "day.jsonl line 2" in report.errors[0] and "country_of_destination" in report.errors[0]
    assert "day.jsonl line 3" in report.errors[1]
    assert count(database, FilingRow) == 2
    assert count(database, PartyRow) == 4
    assert count(database, LineRow) == 2


def test_reingesting_the_same_file_changes_nothing(database: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "day.jsonl", [filing_data(filing_id=f"B{n}") for n in range(5)])
    ingest_file(database, path, actor="tester")
    again = ingest_file(database, path, actor="tester")
    assert again.created == [] and again.corrected == []
    assert len(again.unchanged) == 5
    assert count(database, FilingRow) == 5
    assert count(database, FilingVersionRow) == 5


def test_corrected_filing_replaces_and_keeps_history(database: Database, tmp_path: Path) -> None:
    ingest_file(database, write_jsonl(tmp_path / "v1.jsonl", [filing_data(filing_id="C1")]), actor="first")
    corrected = filing_data(filing_id="C1", country_of_destination="NL")
    corrected["lines"][0]["value_usd"] = 15000
    report = ingest_file(database, write_jsonl(tmp_path / "v2.jsonl", [corrected]), actor="second")
    assert report.corrected == ["C1"]
    with database.session() as session:
        row, filing = load_filing(session, "C1")  # type: ignore[misc]
        assert row.version == 2
        assert filing.country_of_destination == "NL"
        history = filing_history(session, row.id)
        assert [v.version for v in history] == [1, 2]
        assert history[0].payload["country_of_destination"] == "DE"
        assert [v.received_by for v in history] == ["first", "second"]
    assert count(database, LineRow) == 1  # children replaced, not duplicated


def test_strict_stores_nothing_when_any_record_is_bad(database: Database, tmp_path: Path) -> None:
    ingest_file(database, write_jsonl(tmp_path / "old.jsonl", [filing_data(filing_id="KEEP")]), actor="t")
    path = write_jsonl(tmp_path / "day.jsonl", [filing_data(filing_id="S1"), filing_data(filing_id="S2", port_of_export="x")])
    report = ingest_file(database, path, actor="tester", strict=True)
    assert report.stored is False
    assert report.created == []
    with database.session() as session:
        ids = set(session.execute(select(FilingRow.filing_id)).scalars())
    assert ids == {"KEEP"}  # nothing new, nothing already stored lost


def test_every_change_is_audited_and_the_chain_verifies(database: Database, tmp_path: Path) -> None:
    ingest_file(database, write_jsonl(tmp_path / "a.jsonl", [filing_data(filing_id="D1")]), actor="alice")
    ingest_file(database, write_jsonl(tmp_path / "b.jsonl", [filing_data(filing_id="D1", carrier="OTHER")]), actor="bob")
    with database.session() as session:
        events = session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars().all()
        assert [(e.actor, e.action, e.object_id) for e in events] == [
            ("alice", "filing.created", "D1"), ("bob", "filing.corrected", "D1")]
        assert verify(session).ok


def test_audit_tampering_is_detected(database: Database, tmp_path: Path) -> None:
    ingest_file(database, write_jsonl(tmp_path / "a.jsonl", [filing_data(filing_id=f"E{n}") for n in range(3)]), actor="alice")
    with database.session() as session:
        first = session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars().first()
        first.actor = "mallory"  # type: ignore[union-attr]
    with database.session() as session:
        report = verify(session)
        assert not report.ok
        assert any("edited" in p for p in report.problems)
    with database.session() as session:
        last = session.execute(select(AuditEventRow).order_by(AuditEventRow.id.desc())).scalars().first()
        session.delete(last)
    with database.session() as session:
        assert any("removed" in p for p in verify(session).problems)


def test_batches_larger_than_one_round_trip(database: Database, tmp_path: Path) -> None:
    from exodus.sample import generate

    filings = generate(250, seed=2)
    path = write_jsonl(tmp_path / "many.jsonl", [f.to_dict() for f in filings])
    report = ingest_file(database, path, actor="t", batch_size=100)
    assert len(report.created) == len({f.filing_id for f in filings}) == 250
    assert count(database, LineRow) == sum(len(f.lines) for f in filings)


def test_tampering_with_sign_in_token_and_read_events_is_detected(database: Database, tmp_path: Path) -> None:
    from exodus.auth import accounts as acc
    from exodus.auth.trail import note

    ingest_file(database, write_jsonl(tmp_path / "a.jsonl", [filing_data(filing_id="R1")]), actor="feed")
    with database.session() as session:
        acc.create_user(session, acc.SYSTEM, username="reader", roles=["analyst"], password="quiet morning tea 1")
    with database.session() as session:
        reader = acc.principal_for(acc.get_user(session, "reader"), via="session", remote="10.9.0.1")
        acc.authenticate(session, "reader", "quiet morning tea 1", "10.9.0.1")
        note(session, reader, "filing.viewed", "filing", "R1", {"version": 1})
        acc.create_token(session, acc.SYSTEM, "reader", "script")
        note(session, reader, "screening.queried", "party", "ACME", {"hits": 0})
    with database.session() as session:
        actions = [a for (a,) in session.execute(select(AuditEventRow.action).order_by(AuditEventRow.id))]
        assert actions == ["filing.created", "user.created", "signin.succeeded", "filing.viewed",
                           "token.created", "screening.queried"]
        assert verify(session).ok
        viewed = session.execute(select(AuditEventRow).where(AuditEventRow.action == "filing.viewed")).scalar_one()
        viewed.remote = "10.9.9.9"  # hide where the read came from
    with database.session() as session:
        assert any(f"entry {viewed.id}" in p and "edited" in p for p in verify(session).problems)
        session.delete(session.get(AuditEventRow, viewed.id))  # then drop the read altogether
    with database.session() as session:
        problems = verify(session).problems
        assert any("removed or reordered" in p for p in problems) and any("head records" in p for p in problems)


def _correction(filing_id: str, filed_at: str) -> dict[str, object]:
    data = filing_data(filing_id=filing_id, filed_at=filed_at, country_of_destination="NL")
    data["lines"][0]["value_usd"] = 15000  # type: ignore[index]
    return data


def test_an_older_record_never_undoes_a_correction(database: Database, tmp_path: Path) -> None:
    original = filing_data(filing_id="S1", filed_at="2026-12-01T09:30:00Z")
    ingest_file(database, write_jsonl(tmp_path / "v1.jsonl", [original]), actor="tester")
    ingest_file(database, write_jsonl(tmp_path / "v2.jsonl", [_correction("S1", "2026-12-01T15:00:00Z")]),
                actor="tester")
    again = ingest_file(database, write_jsonl(tmp_path / "v1-again.jsonl", [original]), actor="tester")
    assert again.stale == ["S1"] and again.corrected == [] and again.unchanged == []
    assert again.to_dict()["stale"] == 1
    same = ingest_file(database, write_jsonl(tmp_path / "v2-again.jsonl", [_correction("S1", "2026-12-01T15:00:00Z")]),
                       actor="tester")
    assert same.unchanged == ["S1"] and same.stale == []
    with database.session() as session:
        row, filing = load_filing(session, "S1")  # type: ignore[misc]
        assert row.version == 2 and filing.country_of_destination == "NL"
        assert [v.version for v in filing_history(session, row.id)] == [1, 2]


def test_repeated_ids_in_one_file_keep_every_version_and_counts_add_up(
        database: Database, tmp_path: Path) -> None:
    original = filing_data(filing_id="D1", filed_at="2026-12-01T09:30:00Z")
    records: list[object] = [
        _correction("D1", "2026-12-01T15:00:00Z"),  # the correction comes first in the file
        original, original,                            # then the original and an identical copy
        filing_data(filing_id="D2"),
        filing_data(filing_id="D3", country_of_destination="Germany"),
    ]
    report = ingest_file(database, write_jsonl(tmp_path / "day.jsonl", records), actor="tester")
    summary = report.to_dict()
    assert (summary["created"], summary["corrected"], summary["unchanged"], summary["stale"],
            summary["rejected"]) == (2, 1, 1, 0, 1)
    assert sum(summary[k] for k in ("created", "corrected", "unchanged", "stale", "rejected")) == summary["read"] == 5
    assert report.filing_ids == ["D1", "D2"]
    with database.session() as session:
        row, filing = load_filing(session, "D1")  # type: ignore[misc]
        assert row.version == 2 and filing.country_of_destination == "NL"
        history = filing_history(session, row.id)
        assert [(v.version, v.payload["country_of_destination"]) for v in history] == [(1, "DE"), (2, "NL")]
        events = session.execute(select(AuditEventRow.action).where(AuditEventRow.object_id == "D1")
                                 .order_by(AuditEventRow.id)).scalars().all()
        assert list(events) == ["filing.created", "filing.corrected"]
    assert count(database, LineRow) == 2  # D1's current lines and D2's


def test_repeated_ids_across_batches_apply_in_order(database: Database, tmp_path: Path) -> None:
    from exodus.services.ingest import ingest_records
    from exodus.core.filings import read_jsonl

    lines = [json.dumps(r) for r in (filing_data(filing_id="E1"), _correction("E1", "2026-12-02T00:00:00Z"),
                                     filing_data(filing_id="E1"))]
    report = ingest_records(database, read_jsonl(lines, "day.jsonl"), actor="tester", batch_size=1)
    assert (len(report.created), len(report.corrected), len(report.stale)) == (1, 1, 1)
    with database.session() as session:
        row, filing = load_filing(session, "E1")  # type: ignore[misc]
        assert row.version == 2 and filing.country_of_destination == "NL"


def test_stale_records_are_named_in_the_report(database: Database, tmp_path: Path) -> None:
    ingest_file(database, write_jsonl(tmp_path / "new.jsonl", [filing_data(filing_id="S1")]), actor="tester")
    old = filing_data(filing_id="S1", filed_at="2026-11-30T09:30:00Z", carrier="OLD CARRIER")
    report = ingest_file(database, write_jsonl(tmp_path / "old.jsonl", [old]), actor="tester")
    assert report.stale == ["S1"] and report.to_dict()["stale"] == 1
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("old.jsonl line 1 (filing S1): stale")
    assert report.to_dict()["warnings"] == report.warnings


def test_concurrent_ingests_of_the_same_ids_all_finish(database: Database, tmp_path: Path) -> None:
    """Ingests racing on the same filing ids retry instead of failing on the unique keys."""
    import threading

    from exodus.services.ingest import ingest_records
    from exodus.core.filings import read_jsonl

    ids = [f"C{n:04d}" for n in range(150)]
    texts = ["\n".join(json.dumps(filing_data(filing_id=i, carrier=f"CARRIER {k}")) for i in ids) for k in range(3)]
    start = threading.Barrier(len(texts))
    reports: list[object] = []
    failures: list[BaseException] = []

    def run(text: str) -> None:
        start.wait()
        try:
            reports.append(ingest_records(database, read_jsonl(text.splitlines(), "conc.jsonl"), actor="tester",
                                          batch_size=50))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(reports) == 3
    for report in reports:
        assert not report.errors  # type: ignore[attr-defined]
        done = report.to_dict()  # type: ignore[attr-defined]
        assert done["created"] + done["corrected"] + done["unchanged"] + done["stale"] == len(ids)
    assert sum(len(r.created) for r in reports) == len(ids)  # type: ignore[attr-defined]
    assert count(database, FilingRow) == len(ids)
    with database.session() as session:
        versions = session.execute(select(FilingRow.version, func.count(FilingVersionRow.id))
                                   .join(FilingVersionRow, FilingVersionRow.filing_pk == FilingRow.id)
                                   .group_by(FilingRow.id, FilingRow.version)).all()
    assert all(current == stored for current, stored in versions)  # versions 1..n, none lost or doubled
