"""The limit on audit entries for refusals: per source for unknown callers, per actor for denials."""

from __future__ import annotations

from sqlalchemy import select

from exodus.auth.refusals import (
    DENIALS_SUPPRESSED,
    DENIED,
    REFUSED,
    SUPPRESSED,
    Refusal,
    RefusalLimiter,
    audit_refusal,
)
from exodus.storage.audit import AuditEvent, verify
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
    [summary] = limiter.flush()  # one summary for the window, however many sources
    # .0 and .1 wrote 3 each, .2 the last 2 the total allowed; .3 and all later ones only counted
    assert summary.detail["top"] == [{"source": "other sources", "suppressed": 138},
                                     {"source": "198.51.100.3", "suppressed": 3},
                                     {"source": "198.51.100.2", "suppressed": 1}]
    assert summary.detail["suppressed"] == 150 - 8
    assert summary.detail["sources"] == 2 and summary.detail["suppressed_untracked"] == 138
    assert summary.object_id == "more than 2 sources" and summary.remote is None
    assert len(limiter._written) == 0  # the window's counts are gone after the summary


def test_a_thousand_sources_in_a_minute_write_the_cap_and_one_summary() -> None:
    clock = Clock()
    limiter = RefusalLimiter(clock=clock)  # the defaults the server uses: 10 per source, 300 in all
    events = [e for n in range(1000) for e in limiter.admit(refusal(f"10.{n // 250}.{n % 250}.1"))]
    # some of the suppressed sources again, so the summary has a top to name
    events += [e for n in range(30) for _ in range(n % 4) for e in limiter.admit(refusal(f"10.3.{n}.1"))]
    clock.now += 60
    events += limiter.admit(refusal("192.0.2.77"))  # the next window starts with the last one's summary
    refused = [e for e in events if e.action == REFUSED]
    summaries = [e for e in events if e.action == SUPPRESSED]
    assert len(refused) == 300 + 1 and len(summaries) == 1
    [summary] = summaries
    extra = sum(n % 4 for n in range(30))
    assert summary.detail["suppressed"] == 700 + extra
    assert summary.detail["sources"] == 700  # the 1000 sources less the 300 written
    assert summary.detail["suppressed_untracked"] == 0
    top = summary.detail["top"]
    # 10.3.n.1 suppressed once plus n % 4 times: seven 4s, seven 3s, then the 2s, largest first
    assert [t["suppressed"] for t in top] == [4] * 7 + [3] * 7 + [2] * 6
    assert top[0] == {"source": "10.3.11.1", "suppressed": 4}  # ties in the order of the address text
    assert summary.detail["reason"].startswith(f"{700 + extra} more refusals from 700 sources suppressed in 1 minute")
    assert summary.remote is None and summary.object_type == "source"
    assert limiter.flush() == []


def test_denials_are_limited_per_actor_with_one_summary() -> None:
    clock = Clock()
    limiter = RefusalLimiter(per_source=10, by="actor", action=DENIALS_SUPPRESSED, noun="denial", clock=clock)
    denial = AuditEvent("token:kim#4", DENIED, "filing", "F-1", {"permission": "filing.read"}, "192.0.2.5")
    written = [e for _ in range(300) for e in limiter.admit(denial)]
    assert written == [denial] * 10
    # another account is not held back by the first one's flood
    other = AuditEvent("lee", DENIED, "route", "GET /api/audit", {}, "192.0.2.6")
    assert limiter.admit(other) == [other]
    clock.now += 60
    summary, again = limiter.admit(denial)
    assert again == denial
    assert (summary.action, summary.actor, summary.object_type, summary.object_id) == (
        DENIALS_SUPPRESSED, "token:kim#4", "actor", "token:kim#4")
    assert summary.detail["suppressed"] == 290 and summary.detail["actors"] == 1
    assert summary.detail["reason"] == "290 more denials from token:kim#4 suppressed in 1 minute"


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
