"""The audit chain stays one unbroken chain when many writers append at once."""

from __future__ import annotations

import threading

from sqlalchemy import select

from exodus.storage import audit
from exodus.storage.db import Database
from exodus.storage.models import AuditEventRow


def test_concurrent_writers_keep_one_chain(database: Database) -> None:
    with database.session() as session:  # the head row exists before the race starts
        audit.record(session, [audit.AuditEvent("setup", "test.started", "test", "0")])
    writers, each = 8, 15
    failures: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(each):
                with database.session() as session:
                    # A read before the write, as a page view does before it is audited.
                    session.execute(select(AuditEventRow.id).limit(1)).all()
                    audit.record(session, [audit.AuditEvent(f"user:{worker}", "filing.viewed", "filing", str(n))])
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    with database.session() as session:
        report = audit.verify(session)
        prevs = session.execute(select(AuditEventRow.prev_hash)).scalars().all()
    assert report.ok, report
    assert len(prevs) == 1 + writers * each
    assert len(set(prevs)) == len(prevs)  # no two entries follow the same one
