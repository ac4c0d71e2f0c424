"""Rules as versioned data, lookouts with notifications, per-port thresholds and what-if, on a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from exodus.core.targeting.model import Thresholds
from exodus.core.targeting.rules import default_rules
from exodus.errors import Conflict, IdMismatch, InvalidInput, NotFound, RecordError
from exodus.services import lookouts as lk
from exodus.services import rules as rs
from exodus.services.whatif import propose
from exodus.storage.models import AuditEventRow
from tests.conftest import filing_data, unique_id

NEW_RULE = {
    "id": "RF-TEST-HUB-CHIPS",
    "description": "Chips to a hub.",
    "category": "red-flag",
    "weight": 0.3,
    "when": {
        "all": [
            {"signal": "redflag.transshipment_hub"},
            {"signal": "redflag.chpl_item"},
        ]
    },
}


def test_rules_seed_once_then_change_with_who_when_and_why(database) -> None:  # type: ignore[no-untyped-def]
    shipped = default_rules()
    assert rs.seed_rules(database) == len(shipped.rules)
    assert rs.seed_rules(database) == 0
    with database.session() as session:
        assert rs.active_rules(session).version == shipped.version
        rs.create_rule(session, NEW_RULE, actor="user:ana", reason="hub advisory")
        rs.change_rule(
            session,
            NEW_RULE["id"],
            {**NEW_RULE, "weight": 0.35},
            actor="user:bo",
            reason="too weak",
        )
        with pytest.raises(Conflict):
            rs.create_rule(session, NEW_RULE, actor="user:ana", reason="again")
        with pytest.raises(InvalidInput, match="why"):
            rs.change_rule(
                session, NEW_RULE["id"], NEW_RULE, actor="user:bo", reason=""
            )
    with database.session() as session:
        active = {r.id: r for r in rs.active_rules(session).rules}
        assert active[NEW_RULE["id"]].weight == 0.35
        rs.retire_rule(session, "RF-HUB", actor="user:ana", reason="noise")
    with database.session() as session:
        assert "RF-HUB" not in {r.id for r in rs.active_rules(session).rules}
        history = rs.rule_history(session, NEW_RULE["id"])
        assert [
            (h["version"], h["change"], h["actor"], h["reason"]) for h in history
        ] == [
            (1, "created", "user:ana", "hub advisory"),
            (2, "changed", "user:bo", "too weak"),
        ]
        assert rs.rule_history(session, "RF-HUB")[-1]["change"] == "retired"
        actions = set(session.execute(select(AuditEventRow.action)).scalars())
        assert {"rule.created", "rule.changed", "rule.retired"} <= actions
        with pytest.raises(NotFound):
            rs.retire_rule(session, "NO-SUCH-RULE", actor="user:ana", reason="x y z")


def test_thresholds_per_port_are_validated_and_stored(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        lk.set_thresholds(
            session,
            "2720",
            Thresholds(20, 40, 70),
            actor="user:sup",
            reason="busy airport",
        )
        with pytest.raises(InvalidInput):
            lk.set_thresholds(
                session, "LAX", Thresholds(20, 40, 70), actor="user:sup", reason=""
            )
    with database.session() as session:
        assert lk.port_thresholds(session) == {"2720": Thresholds(20, 40, 70)}
        lk.clear_thresholds(session, "2720", actor="user:sup", reason="back to defaults")
    with database.session() as session:
        assert lk.port_thresholds(session) == {}


@pytest.mark.parametrize("port, reason, says", [
    ("2720", "", "why"),            # a real port, no reason
    ("2720", "  x ", "why"),         # a reason too short to say anything
    ("9999", "test", "not a Schedule D port"),  # four digits, but no such port
    ("0000", "test", "not a Schedule D port"),
])
def test_threshold_changes_need_a_reason_and_a_real_port(database, port, reason, says) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session, pytest.raises(InvalidInput, match=says):
        lk.set_thresholds(session, port, Thresholds(20, 40, 70), actor="user:sup", reason=reason)
    with database.session() as session:
        assert lk.port_thresholds(session) == {}


def test_clearing_thresholds_needs_a_reason_and_is_audited(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        lk.set_thresholds(session, "0101", Thresholds(20, 40, 70), actor="user:sup", reason="busy port")
    with database.session() as session, pytest.raises(InvalidInput, match="why"):
        lk.clear_thresholds(session, "0101", actor="user:sup", reason="")
    with database.session() as session:
        assert lk.clear_thresholds(session, "0101", actor="user:sup", reason="season over")["port"] == "0101"
        cleared = session.execute(select(AuditEventRow).where(AuditEventRow.action == "thresholds.cleared")).scalars()
        assert [e.detail["reason"] for e in cleared] == ["season over"]
    with database.session() as session:
        assert lk.port_thresholds(session) == {}


def test_a_stale_rule_edit_is_refused_naming_the_current_version_and_who(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        rs.create_rule(session, NEW_RULE, actor="user:ana", reason="hub advisory")
    # Two analysts both open version 1; the first to save wins, the second is told.
    with database.session() as session:
        rs.change_rule(session, NEW_RULE["id"], {**NEW_RULE, "weight": 0.9}, actor="user:bo",
                       reason="stronger", base_version=1)
    with database.session() as session, pytest.raises(Conflict, match=r"version 2.*user:bo.*version 1"):
        rs.change_rule(session, NEW_RULE["id"], {**NEW_RULE, "weight": 0.05}, actor="user:cy",
                       reason="weaker", base_version=1)
    with database.session() as session:
        rs.change_rule(session, NEW_RULE["id"], {**NEW_RULE, "weight": 0.05}, actor="user:cy",
                       reason="weaker after all", base_version=2)
        assert [h["actor"] for h in rs.rule_history(session, NEW_RULE["id"])] == ["user:ana", "user:bo", "user:cy"]
        assert {r.id: r.weight for r in rs.active_rules(session).rules}[NEW_RULE["id"]] == 0.05


def test_a_rule_body_naming_another_rule_is_refused(database) -> None:  # type: ignore[no-untyped-def]
    rs.seed_rules(database)
    with database.session() as session:
        rs.create_rule(session, NEW_RULE, actor="user:ana", reason="hub advisory")
    with database.session() as session, pytest.raises(IdMismatch) as refused:
        rs.change_rule(session, NEW_RULE["id"], {**NEW_RULE, "id": "SCR-BLOCKED"}, actor="user:bo",
                       reason="wrong body", base_version=1)
    assert "SCR-BLOCKED" in refused.value.detail and NEW_RULE["id"] in refused.value.detail
    assert refused.value.status == 422
    with database.session() as session:
        assert [h["version"] for h in rs.rule_history(session, NEW_RULE["id"])] == [1]
        assert rs.rule_version(session, "SCR-BLOCKED") == 1


@pytest.mark.parametrize("when, field, hint", [
    ({"signal": "filing.routed_exprot"}, "when.signal", "filing.routed_export"),
    ({"all": [{"signal": "redflag.transshipment_hub"}, {"not": {"signal": "redflag.transhipment_hub"}}]},
     "when.signal", "redflag.transshipment_hub"),
    ({"any": [{"signal": "party.lsited"}]}, "when.signal", "party.listed"),
])
def test_a_rule_naming_an_unknown_signal_is_refused_with_the_closest(database, when, field, hint) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session, pytest.raises(RecordError) as refused:
        rs.create_rule(session, {**NEW_RULE, "when": when}, actor="user:ana", reason="typo")
    assert refused.value.field == field and NEW_RULE["id"] in refused.value.record
    assert f"did you mean {hint!r}" in refused.value.detail


def test_a_rule_never_in_force_is_refused(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session, pytest.raises(RecordError) as refused:
        rs.create_rule(session, {**NEW_RULE, "in_force": {"from": "2027-01-01", "until": "2026-01-01"}},
                       actor="user:ana", reason="dates")
    assert refused.value.field == "in_force.until"
    with database.session() as session:  # a family prefix and an open range are fine
        rs.create_rule(session, {**NEW_RULE, "when": {"signal": "redflag"}, "in_force": {"from": "2026-01-01"}},
                       actor="user:ana", reason="any red flag")


def test_propose_adds_replaces_and_retires() -> None:
    current = default_rules()
    proposed = propose(
        current,
        [NEW_RULE, {**NEW_RULE, "id": "RF-HUB", "weight": 0.5}],
        ["RF-RESIDENTIAL"],
    )
    ids = {r.id: r for r in proposed.rules}
    assert (
        NEW_RULE["id"] in ids
        and ids["RF-HUB"].weight == 0.5
        and "RF-RESIDENTIAL" not in ids
    )
    with pytest.raises(InvalidInput):
        propose(current, [], ["NOPE"])


def _consignee(name: str) -> dict[str, str]:
    return {
        "name": name,
        "address": "Jebel Ali Free Zone LOB 16",
        "city": "Dubai",
        "country": "AE",
        "type": "R",
    }


def test_lookouts_flag_filings_notify_once_and_expire(exodus_app) -> None:  # type: ignore[no-untyped-def]
    name = f"Zephyrine Quartz {unique_id('')} Trading"
    with exodus_app.db.session() as session:
        live = lk.create_lookout(
            session,
            kind="party",
            value=name,
            reason="is-informed letter",
            priority="high",
            actor="user:ana",
        )
        gone = lk.create_lookout(
            session,
            kind="party",
            value=name,
            reason="old lead",
            priority="high",
            expires=date.today() + timedelta(days=1),  # ends before the filing is exported
            actor="user:ana",
        )
    fid = unique_id()
    from exodus.core.filings import ParsedRecord, parse_filing

    record = ParsedRecord(
        "t",
        filing=parse_filing(
            filing_data(
                filing_id=fid,
                export_date=(date.today() + timedelta(days=10)).isoformat(),
                country_of_destination="AE",
                ultimate_consignee=_consignee(name.upper()),
            ),
            "t",
        ),
    )
    exodus_app.ingest_parsed([record], actor="test")
    (result,) = exodus_app.target([fid])
    lookout_reasons = [r for r in result.reasons if r.category == "lookout"]
    assert lookout_reasons and lookout_reasons[0].evidence["lookout_id"] == live["id"]
    exodus_app.target([fid])  # targeting again tells nobody twice
    with exodus_app.db.session() as session:
        told = [n for n in lk.notifications(session) if n["filing_id"] == fid]
        assert [n["lookout_id"] for n in told] == [live["id"]] and gone["id"] != live[
            "id"
        ]
        assert lk.mark_read(session, [told[0]["id"]], actor="user:ana") == 1
        lk.cancel_lookout(session, live["id"], actor="user:ana", reason="resolved")
    (again,) = exodus_app.target([fid])
    assert not [r for r in again.reasons if r.category == "lookout"]


def test_what_if_reports_added_examinations_per_port(exodus_app) -> None:  # type: ignore[no-untyped-def]
    from exodus.core.filings import ParsedRecord, parse_filing

    fid = unique_id()
    data = filing_data(
        filing_id=fid,
        export_date="2031-03-03",
        filed_at="2031-03-02T10:00:00Z",
        port_of_export="5309",
        country_of_destination="AE",
        ultimate_consignee=_consignee("Nimbus Tools LLC"),
    )
    # An export date years ahead keeps the what-if period to this filing; an ingest
    # would refuse it as implausible, so it is parsed as a stored filing is.
    exodus_app.ingest_parsed(
        [ParsedRecord("t", filing=parse_filing(data, "t", bounded=False))], actor="test"
    )
    with exodus_app.db.session() as session:
        rs.seed_rules(exodus_app.db)
        current = rs.active_rules(session)
    watch_ae = {
        "id": "TEST-AE-WATCH",
        "description": "Everything to AE.",
        "category": "red-flag",
        "weight": 0.9,
        "when": {"signal": "redflag.transshipment_hub", "where": {"country": "AE"}},
    }
    report = exodus_app.what_if(
        propose(current, [watch_ae]), date(2031, 3, 1), date(2031, 3, 31)
    )
    assert report["filings"] == 1
    (port,) = report["ports"]
    assert (
        port["port"] == "5309" and port["added"] == 1 and port["workload_change"] == 1
    )
    assert port["examples"]["added"][0]["filing_id"] == fid
    assert "TEST-AE-WATCH" in port["examples"]["added"][0]["rules_added"]
    assert sum(port["before"].values()) == sum(port["after"].values()) == 1


def test_a_rule_added_to_an_empty_store_joins_the_shipped_set(database) -> None:  # type: ignore[no-untyped-def]
    shipped = default_rules()
    with database.session() as session:
        rs.create_rule(session, NEW_RULE, actor="user:ana", reason="hub advisory")
    with database.session() as session:
        active = {r.id for r in rs.active_rules(session).rules}
        assert active == {r.id for r in shipped.rules} | {NEW_RULE["id"]}
        assert len(rs.list_rules(session)) == len(shipped.rules) + 1


@pytest.mark.parametrize("reason", ["...", "\u200b\u200b\u200b", "a\u200bb", "  - -  "])
def test_a_reason_that_says_nothing_is_refused_everywhere(database, reason: str) -> None:  # type: ignore[no-untyped-def]
    rs.seed_rules(database)
    with database.session() as session:
        with pytest.raises(InvalidInput, match="letters or digits"):
            rs.retire_rule(session, "RF-HUB", actor="user:ana", reason=reason)
        with pytest.raises(InvalidInput, match="letters or digits"):
            lk.create_lookout(session, kind="country", value="AE", reason=reason, actor="user:ana")
        with pytest.raises(InvalidInput, match="letters or digits"):
            lk.set_thresholds(session, "2720", Thresholds(20, 40, 70), actor="user:sup", reason=reason)
    with database.session() as session:
        assert "RF-HUB" in {r.id for r in rs.active_rules(session).rules}
        assert lk.port_thresholds(session) == {}


def test_a_file_or_proposal_giving_one_rule_id_twice_is_refused() -> None:
    text = ("- {id: DUP-1, category: red-flag, weight: 0.25, when: {signal: redflag.transshipment_hub}}\n"
            "- {id: DUP-1, category: red-flag, weight: 0.9, when: {signal: redflag.transshipment_hub}}\n")
    with pytest.raises(InvalidInput, match="rules 1 and 2 both have id 'DUP-1'"):
        rs.rules_in_text(text, "r2.yaml")
    one = {"id": "DUP-1", "category": "red-flag", "weight": 0.25, "when": {"signal": "redflag.transshipment_hub"}}
    with pytest.raises(InvalidInput, match="rules 1 and 2 both have id 'DUP-1'"):
        propose(default_rules(), [one, {**one, "weight": 0.9}])


def test_the_audit_of_a_rule_change_says_what_changed_and_a_retired_rule_comes_back_as_reinstated(
        database) -> None:  # type: ignore[no-untyped-def]
    rs.seed_rules(database)
    rule = {**NEW_RULE, "id": "RF-TEST-AUDIT"}
    with database.session() as session:
        rs.create_rule(session, rule, actor="user:ana", reason="hub advisory")
        rs.change_rule(session, rule["id"], {**rule, "weight": 0.4}, actor="user:bo", reason="too weak",
                       base_version=1)
        with pytest.raises(Conflict, match="is at version 2, changed by user:bo"):
            rs.retire_rule(session, rule["id"], actor="user:cy", reason="stale view", base_version=1)
        rs.retire_rule(session, rule["id"], actor="user:cy", reason="superseded advisory", base_version=2)
        rs.change_rule(session, rule["id"], {**rule, "weight": 0.4}, actor="user:ana", reason="advisory renewed")
    with database.session() as session:
        events = session.execute(select(AuditEventRow).where(AuditEventRow.object_id == rule["id"])
                                 .order_by(AuditEventRow.id)).scalars().all()
        assert [e.action for e in events] == ["rule.created", "rule.changed", "rule.retired", "rule.reinstated"]
        changed = events[1].detail
        assert changed["from_version"] == 1 and changed["version"] == 2
        assert changed["changes"] == {"weight": {"old": 0.3, "new": 0.4}}
        assert events[2].detail["changes"] == {"retired": {"old": False, "new": True}}
        assert events[3].detail["changes"] == {"retired": {"old": True, "new": False}}
        assert [h["change"] for h in rs.rule_history(session, rule["id"])][-1] == "reinstated"


def test_the_audit_of_thresholds_keeps_the_values_they_replaced(database) -> None:  # type: ignore[no-untyped-def]
    with database.session() as session:
        lk.set_thresholds(session, "2720", Thresholds(20, 40, 70), actor="user:sup", reason="busy airport")
        lk.set_thresholds(session, "2720", Thresholds(30, 55, 85), actor="user:sup", reason="fewer examinations")
        lk.clear_thresholds(session, "2720", actor="user:sup", reason="back to defaults")
    with database.session() as session:
        events = session.execute(select(AuditEventRow).where(AuditEventRow.object_id == "2720",
                                                             AuditEventRow.action.like("thresholds.%"))
                                 .order_by(AuditEventRow.id)).scalars().all()
        assert [e.detail["previous"] for e in events] == [
            Thresholds().to_dict(), {"review": 20.0, "examine": 40.0, "hold": 70.0},
            {"review": 30.0, "examine": 55.0, "hold": 85.0}]


@pytest.mark.parametrize("reason", ["\u3164\u3164\u3164", "\uffa0\uffa0\uffa0", "\u115f\u115f\u115f"])
def test_a_reason_of_blank_letters_says_nothing(database, reason: str) -> None:  # type: ignore[no-untyped-def]
    rs.seed_rules(database)
    with database.session() as session, pytest.raises(InvalidInput, match="letters or digits"):
        rs.retire_rule(session, "RF-HUB", actor="user:ana", reason=reason)
