"""Analysts' decisions: recorded with who/when/why, suppressing until the entry changes."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any

import pytest

from exodus.core.lists import load_bundled
from exodus.core.lists.model import ListEntity
from exodus.core.screening import QueryParty, ScreeningHit
from exodus.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from exodus.services import adjudication
from exodus.storage.db import Database
from exodus.storage.decisions import ScreeningDecisionRow


@pytest.fixture(scope="module")
def jade() -> ListEntity:
    entities = [e for r in load_bundled() for e in r.entities]
    return next(e for e in entities if e.source == "SDN" and e.name == "JADE")


def _hit(entity: ListEntity) -> ScreeningHit:
    return ScreeningHit(entity.id, entity.source, entity.name, entity.name, 0.85, "test", entity)


def test_false_positive_suppresses_until_the_entry_changes(
    database: Database, jade: ListEntity
) -> None:
    party = QueryParty("Jade Shipping Ltd.", "HK")
    with database.session() as session:
        row = adjudication.record_decision(
            session, party_name="JADE SHIPPING LTD", country="hk", entity=jade,
            verdict="false positive", reason="Hong Kong forwarder, not the vessel",
            user="analyst1",
        )  # fmt: skip
        assert row.decided_by == "analyst1" and row.decided_at is not None
    with database.session() as session:
        book = adjudication.SuppressionBook.load(session)
    kept, suppressed = book.split(party, [_hit(jade)])
    assert kept == [] and len(suppressed) == 1
    assert suppressed[0].to_dict()["suppressed_by"]["reason"].startswith("Hong Kong")

    # Another country is another party: nothing suppressed.
    kept, _ = book.split(QueryParty("Jade Shipping Ltd.", "SG"), [_hit(jade)])
    assert len(kept) == 1

    # The list entry changed (new alias): the hit is back for a fresh look.
    changed = dataclasses.replace(jade, remarks=(jade.remarks or "") + " amended")
    kept, suppressed = book.split(party, [_hit(changed)])
    assert len(kept) == 1 and suppressed == []


def test_revoked_and_true_match_decisions_do_not_suppress(
    database: Database, jade: ListEntity
) -> None:
    party = QueryParty("Jade Marine", None)
    with database.session() as session:
        first = adjudication.record_decision(
            session, party_name="Jade Marine", country=None, entity=jade,
            verdict="false_positive", reason="unrelated", user="analyst1",
        )  # fmt: skip
        first_id = first.id
    with database.session() as session:
        adjudication.revoke_decision(session, first_id, "supervisor1")
        with pytest.raises(Conflict):
            adjudication.revoke_decision(session, first_id, "supervisor1")
    with database.session() as session:
        assert adjudication.SuppressionBook.load(session).split(party, [_hit(jade)])[1] == []
        adjudication.record_decision(
            session, party_name="Jade Marine", country=None, entity=jade,
            verdict="true_match", reason="operator of the vessel", user="analyst2",
        )  # fmt: skip
    with database.session() as session:
        book = adjudication.SuppressionBook.load(session)
        history = adjudication.list_decisions(
            session, party_name="jade marine", include_revoked=True
        )
    assert book.split(party, [_hit(jade)])[1] == []
    assert [d.decision for d in history] == ["true_match", "false_positive"]
    assert history[1].revoked_by == "supervisor1"


def test_decision_needs_a_known_verdict_and_a_reason(
    database: Database, jade: ListEntity
) -> None:
    with database.session() as session:
        with pytest.raises(InvalidInput, match="unknown"):
            adjudication.record_decision(
                session, party_name="X", country=None, entity=jade,
                verdict="maybe", reason="r", user="u",
            )  # fmt: skip
        for meaningless in (" ", "ok", "...", "\u200b\u200bno", "- - -"):
            with pytest.raises(InvalidInput, match="at least 3 letters or digits"):
                adjudication.record_decision(
                    session, party_name="X", country=None, entity=jade,
                    verdict="false_positive", reason=meaningless, user="u",
                )  # fmt: skip
        row = adjudication.record_decision(session, party_name="X", country=None, entity=jade,
                                           verdict="false_positive", reason=" not him ", user="u")
        assert row.reason == "not him"


def _scored(entity: ListEntity, score: float, explanation: str = "test") -> ScreeningHit:
    return ScreeningHit(entity.id, entity.source, entity.name, entity.name, score, explanation, entity)


def test_a_strong_hit_waits_for_another_persons_approval(
    database: Database, jade: ListEntity
) -> None:
    party = QueryParty("Jade Holdings", "PA")
    strong = _scored(jade, adjudication.STRONG_SCORE)
    with database.session() as session:
        row = adjudication.record_decision(
            session, party_name="Jade Holdings", country="PA", entity=jade,
            verdict="false_positive", reason="another firm", user="user:ann", hit=strong,
        )  # fmt: skip
        decision_id = row.id
        assert adjudication.status(row) == "pending approval" and row.hit_score == strong.score
    with database.session() as session:
        assert adjudication.SuppressionBook.load(session).split(party, [strong])[1] == []
        assert [r.id for r in adjudication.list_decisions(session, pending=True)] == [decision_id]
        with pytest.raises(PermissionDenied, match="another person"):
            adjudication.approve_decision(session, decision_id, "cli:ann")  # same person, other channel
    with database.session() as session:
        row = adjudication.approve_decision(session, decision_id, "user:bob")
        assert row.approved_by == "user:bob" and adjudication.status(row) == "in force"
        with pytest.raises(Conflict, match="already approved"):
            adjudication.approve_decision(session, decision_id, "user:carl")
    with database.session() as session:
        kept, suppressed = adjudication.SuppressionBook.load(session).split(party, [strong])
    assert kept == [] and len(suppressed) == 1


def test_weak_hits_and_true_matches_take_one_step(database: Database, jade: ListEntity) -> None:
    weak = _scored(jade, adjudication.STRONG_SCORE - 0.01)
    by_id = _scored(jade, 0.80, "Identifier 'IMO 1234567' matches the listed IMO number.")
    assert not adjudication.is_strong(weak) and adjudication.is_strong(by_id)
    with database.session() as session:
        one = adjudication.record_decision(
            session, party_name="Jade Trading", country="SG", entity=jade,
            verdict="false_positive", reason="another firm", user="user:ann", hit=weak,
        )  # fmt: skip
        two = adjudication.record_decision(
            session, party_name="Jade Trading", country="SG", entity=jade,
            verdict="true_match", reason="the listed one", user="user:ann",
            hit=_scored(jade, 1.0), replaces=one.id,
        )  # fmt: skip
        assert adjudication.status(two) == "in force" and adjudication.status(one) == "superseded"
        with pytest.raises(Conflict, match="needs no approval"):
            adjudication.approve_decision(session, two.id, "user:bob")


def test_only_a_party_with_a_hit_on_the_entry_can_be_decided(exodus_app: Any) -> None:
    from exodus.auth.principal import Principal

    who = Principal("svc-analyst", ("analyst",), via="cli")
    listed = exodus_app.index().screen("Rosoboronexport", country="RU")[0]
    with pytest.raises(adjudication.NoHit, match=f"has no hit on list entry {listed.entity_id}"):
        adjudication.decide(exodus_app, who, party_name="Totally Innocent Corp", country="US",
                            entity_id=listed.entity_id, verdict="false_positive", reason="not them", via="test")
    with exodus_app.db.session() as session:
        assert adjudication.list_decisions(session, party_name="Totally Innocent Corp", country="US") == []

    # The listed party itself (no country: a party key no other test uses) is decided, with its score.
    row = adjudication.decide(exodus_app, who, party_name="Rosoboronexport", country=None,
                              entity_id=listed.entity_id, verdict="true_match", reason="the listed one",
                              via="test")
    assert row["status"] == "in force" and row["hit_score"] is not None and row["hit_score"] >= 0.8
    adjudication.revoke(exodus_app, who, row["id"], via="test")


def test_one_decision_on_record_per_party_and_entry(database: Database, jade: ListEntity) -> None:
    party = QueryParty("Jade Freight", "RU")
    strong = _scored(jade, 1.0)

    def record(verdict: str, user: str, replaces: int | None = None) -> int:
        with database.session() as session:
            return adjudication.record_decision(
                session, party_name="Jade Freight", country="RU", entity=jade, verdict=verdict,
                reason=f"{verdict} said by {user}", user=user, hit=strong, replaces=replaces).id

    matched = record("true_match", "user:ann")
    with pytest.raises(Conflict, match=f"decision {matched} \\(true_match, in force.*--replaces {matched}"):
        record("false_positive", "user:ann")
    with pytest.raises(Conflict, match=f"decision {matched} .*already on record"):
        record("true_match", "user:carl")
    # Replaced explicitly: the false positive waits for approval and the true match stays in force until then.
    fp = record("false_positive", "user:ann", replaces=matched)
    with pytest.raises(Conflict, match=f"decision {fp} \\(false_positive, pending approval"):
        record("false_positive", "user:dan", replaces=matched)  # a duplicate pending request
    with database.session() as session:
        assert adjudication.status(session.get(ScreeningDecisionRow, matched)) == "in force"
        assert adjudication.SuppressionBook.load(session).split(party, [strong])[1] == []
        adjudication.approve_decision(session, fp, "user:bob")
    with database.session() as session:
        old = session.get(ScreeningDecisionRow, matched)
        assert adjudication.status(old) == "superseded"
        assert (old.superseded_by_id, old.superseded_by) == (fp, "user:bob") and old.superseded_at is not None
        assert adjudication.decision_dict(session.get(ScreeningDecisionRow, fp))["replaces"] == matched
        assert [r.id for r in adjudication.list_decisions(session, party_name="Jade Freight", country="RU")] == [fp]
        assert [r.id for r in adjudication.list_decisions(session, party_name="Jade Freight", country="RU",
                                                          include_revoked=True)] == [fp, matched]
        assert len(adjudication.SuppressionBook.load(session).split(party, [strong])[1]) == 1
        with pytest.raises(Conflict, match="superseded"):
            adjudication.revoke_decision(session, matched, "user:bob")
    with pytest.raises(Conflict, match=f"decision {matched} is superseded"):
        record("true_match", "user:ann", replaces=matched)
    with pytest.raises(NotFound):
        record("true_match", "user:ann", replaces=10**6)
    # A true match replacing it is in force at once; the false positive is superseded at once.
    again = record("true_match", "user:carl", replaces=fp)
    with database.session() as session:
        assert adjudication.status(session.get(ScreeningDecisionRow, fp)) == "superseded"
        assert adjudication.SuppressionBook.load(session).split(party, [strong])[1] == []
        assert session.get(ScreeningDecisionRow, fp).superseded_by_id == again


def test_a_true_match_in_force_beats_a_false_positive_beside_it(database: Database, jade: ListEntity) -> None:
    """Decisions recorded before contrary ones were refused: the true match wins, whatever the order."""
    party = QueryParty("Jade Cargo", "CN")
    with database.session() as session:
        for verdict in ("true_match", "false_positive"):
            session.add(ScreeningDecisionRow(
                party_key=adjudication.party_key("Jade Cargo", "CN"), party_name="Jade Cargo", party_country="CN",
                entity_id=jade.id, entity_source=jade.source, entity_name=jade.name,
                entity_fingerprint=jade.fingerprint(), decision=verdict, reason="legacy row",
                decided_by="user:ann", decided_at=datetime.now(timezone.utc)))
    with database.session() as session:
        kept, suppressed = adjudication.SuppressionBook.load(session).split(party, [_hit(jade)])
    assert len(kept) == 1 and suppressed == []


def test_a_decision_replaces_only_one_on_the_same_party_and_entry(database: Database, jade: ListEntity) -> None:
    with database.session() as session:
        other = adjudication.record_decision(session, party_name="Jade Other", country=None, entity=jade,
                                             verdict="true_match", reason="the listed one", user="u")
        with pytest.raises(InvalidInput, match=f"decision {other.id} is on 'Jade Other'"):
            adjudication.record_decision(session, party_name="Jade Elsewhere", country=None, entity=jade,
                                         verdict="false_positive", reason="not them", user="u", replaces=other.id)


def test_decisions_sent_at_the_same_instant_leave_one_on_record(database: Database, jade: ListEntity) -> None:
    """Three analysts decide the same party and entry at once: one decision is stored, two are refused."""
    import threading

    strong = _scored(jade, 1.0)
    start = threading.Barrier(3)
    outcomes: list[str] = []

    def record(verdict: str, user: str) -> None:
        start.wait()
        try:
            with database.session() as session:
                adjudication.record_decision(
                    session, party_name="Jade Parallel Trading", country="AE", entity=jade, verdict=verdict,
                    reason=f"{verdict} by {user}", user=user, hit=strong)
            outcomes.append("stored")
        except Conflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=record, args=args) for args in
               (("true_match", "user:ann"), ("true_match", "user:bo"), ("false_positive", "user:cy"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "refused", "stored"]
    with database.session() as session:
        on_record = adjudication.list_decisions(session, party_name="Jade Parallel Trading", country="AE",
                                                include_revoked=True)
        assert len(on_record) == 1


def test_an_approval_and_a_revocation_at_the_same_instant_cannot_both_hold(
        database: Database, jade: ListEntity) -> None:
    import threading

    with database.session() as session:
        pending = adjudication.record_decision(
            session, party_name="Jade Race Ltd", country="HK", entity=jade, verdict="false_positive",
            reason="another company in Kowloon", user="user:ann", hit=_scored(jade, 1.0)).id
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def act(name: str, change: Any, user: str) -> None:
        start.wait()
        try:
            with database.session() as session:
                change(session, pending, user)
            outcomes[name] = "done"
        except Conflict:
            outcomes[name] = "refused"

    threads = [threading.Thread(target=act, args=("approve", adjudication.approve_decision, "user:bo")),
               threading.Thread(target=act, args=("revoke", adjudication.revoke_decision, "user:ann"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.session() as session:
        row = session.get(ScreeningDecisionRow, pending)
        approved, revoked = row.approved_at is not None, row.revoked_at is not None
    # Either order is lawful (approved then revoked, or revoked and the approval refused),
    # but never an approval recorded on a decision already revoked.
    if outcomes["approve"] == "done" and outcomes["revoke"] == "done":
        assert approved and revoked and row.approved_at <= row.revoked_at
    else:
        assert outcomes == {"approve": "refused", "revoke": "done"} and revoked and not approved
