"""Rules as versioned data, lookouts with notifications, per-port thresholds and what-if, on a database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from exodus.core.targeting.model import Thresholds
from exodus.core.targeting.rules import default_rules
from exodus.errors import Conflict, InvalidInput, NotFound
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
        lk.clear_thresholds(session, "2720", actor="user:sup")
    with database.session() as session:
        assert lk.port_thresholds(session) == {}


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
    exodus_app.ingest_parsed(
        [ParsedRecord("t", filing=parse_filing(data, "t"))], actor="test"
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
