"""The per-source limit on audit entries for refusals of unknown callers."""

from __future__ import annotations

from sqlalchemy import select

from exodus.auth.refusals import REFUSED, SUPPRESSED, Refusal, RefusalLimiter, audit_refusal
from exodus.storage.audit import verify
from exodus.storage.db import Database
from exodus.storage.models import AuditEventRow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def refusal(source: str, reason: str = "unknown API token") -> Refusal:
    return Refusal(source, reason, "GET /api/worklist")


def test_a_source_gets_its_entries_then_one_summary_when_the_window_ends() -> None:
    clock = Clock()
    limiter = RefusalLimiter(per_source=3, total=100, window=60, clock=clock)
    written = [limiter.admit(refusal("192.0.2.1")) for _ in range(10)]
    assert [len(w) for w in written] == [1, 1, 1] + [0] * 7
    assert all(w[0].action == REFUSED and w[0].remote == "192.0.2.1" for w in written[:3])
    # another source is not held back by the first one's flood
    assert len(limiter.admit(refusal("192.0.2.2"))) == 1
    clock.now += 61
    after = limiter.admit(refusal("192.0.2.1"))
    summary, again = after
    assert summary.action == SUPPRESSED and summary.object_id == "192.0.2.1" and summary.remote == "192.0.2.1"
    assert summary.detail["suppressed"] == 7
    assert summary.detail["reason"] == "7 more refusals from 192.0.2.1 suppressed in 1 minute"
    assert again.action == REFUSED  # a new window: the source is written again
    assert limiter.flush() == []  # nothing was suppressed in the new window


def test_the_total_and_the_number_of_sources_are_bounded() -> None:
    limiter = RefusalLimiter(per_source=5, total=8, window=60, max_sources=4, clock=Clock())
    written = sum(len(limiter.admit(refusal(f"198.51.100.{n}"))) for n in range(50) for _ in range(3))
    assert written == 8  # at most `total` entries in a window, whatever the number of sources
    summaries = limiter.flush()
    # .0 and .1 wrote 3 each, .2 the last 2 the total allowed; .3 and all later ones only counted
    assert {s.object_id: s.detail["suppressed"] for s in summaries} == {
        "198.51.100.2": 1, "198.51.100.3": 3, "other sources": 138}
    assert sum(s.detail["suppressed"] for s in summaries) == 150 - 8
    assert next(s for s in summaries if s.object_id == "other sources").remote is None
    assert len(limiter._written) == 0  # the window's counts are gone after the summary


def test_refusals_are_written_to_the_chain_without_secrets(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(f"sqlite:///{tmp_path / 'exodus.db'}")
    db.ensure_schema()
    clock = Clock()
    limiter = RefusalLimiter(per_source=2, window=60, clock=clock)
    for _ in range(5):
        audit_refusal(db, limiter, refusal("203.0.113.9"))
    clock.now += 60
    audit_refusal(db, limiter, refusal("203.0.113.10", "expired session of 'jsmith'"))
    with db.session() as session:
        rows = session.execute(select(AuditEventRow).order_by(AuditEventRow.id)).scalars().all()
        assert [(r.action, r.remote) for r in rows] == [
            (REFUSED, "203.0.113.9"), (REFUSED, "203.0.113.9"), (SUPPRESSED, "203.0.113.9"), (REFUSED, "203.0.113.10")]
        assert rows[0].actor == "anonymous" and rows[0].object_id == "GET /api/worklist"
        assert rows[0].detail == {"reason": "unknown API token"} and rows[2].detail["suppressed"] == 3
        assert verify(session).ok
    db.dispose()
