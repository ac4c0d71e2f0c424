"""Targeting end to end on the real lists: filings in, scores, actions and reasons out."""

from __future__ import annotations

from exodus.core.filings import parse_filing
from exodus.core.filings.parse import ParsedRecord
from exodus.services import worklist as wl
from tests.conftest import filing_data, unique_id


def run(app, *datas):  # type: ignore[no-untyped-def]
    records = [ParsedRecord(f"test {n}", filing=parse_filing(d, "test")) for n, d in enumerate(datas)]
    report = app.ingest_parsed(records, actor="tester")
    assert not report.errors
    return {r.filing_id: r for r in app.target([d["filing_id"] for d in datas])}


def rule_ids(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {r.rule_id for r in result.reasons}


def test_ordinary_ear99_goods_to_an_ally_are_released(exodus_app) -> None:  # type: ignore[no-untyped-def]
    fid = unique_id()
    result = run(exodus_app, filing_data(filing_id=fid))[fid]
    assert result.action.value == "release", result.reasons
    assert result.score < 25


def test_denied_or_blocked_consignee_is_held_with_the_list_entry_as_evidence(exodus_app) -> None:  # type: ignore[no-untyped-def]
    fid = unique_id()
    data = filing_data(filing_id=fid, country_of_destination="RU",
                       ultimate_consignee={"name": "Joint Stock Company Kalashnikov Concern", "country": "RU", "type": "O"})
    result = run(exodus_app, data)[fid]
    assert result.action.value == "hold"
    listed = [r for r in result.reasons if r.rule_id.startswith("SCR-")]
    assert listed, result.reasons
    assert listed[0].evidence["entity_id"]
    assert "KALASHNIKOV" in listed[0].evidence["entity_name"].upper()


def test_controlled_item_declared_nlr_to_an_embargoed_destination_is_held(exodus_app) -> None:  # type: ignore[no-untyped-def]
    fid = unique_id()
    line = {"schedule_b": "8542310015", "description": "integrated circuits, processors", "quantity": 500,
            "unit": "NO", "value_usd": 90000, "weight_kg": 3, "eccn": "3A001", "license_code": "C33"}
    data = filing_data(filing_id=fid, country_of_destination="IR", lines=[line],
                       ultimate_consignee={"name": "Pars Sanat Trading", "country": "IR", "type": "R"})
    result = run(exodus_app, data)[fid]
    assert result.action.value == "hold"
    assert {"LIC-PROHIBITED", "LIC-REQUIRED-UNDECLARED"} & rule_ids(result)
    citations = str([r.evidence for r in result.reasons])
    assert "746" in citations or "560" in citations  # Part 746 embargo or OFAC ITSR


def test_worklist_is_ranked_and_filtered_by_port(exodus_app) -> None:  # type: ignore[no-untyped-def]
    low, high = unique_id("L"), unique_id("H")
    risky = filing_data(filing_id=high, port_of_export="5309", country_of_destination="IR",
                        ultimate_consignee={"name": "Tehran Trading", "country": "IR", "type": "R"})
    run(exodus_app, filing_data(filing_id=low, port_of_export="5309"), risky)
    with exodus_app.db.session() as session:
        total, items = wl.worklist(session, wl.WorklistFilter(port="5309", limit=500))
        ids = [i["filing_id"] for i in items]
        assert ids.index(high) < ids.index(low)
        assert all(i["port_of_export"] == "5309" for i in items)
        scores = [i["score"] for i in items]
        assert scores == sorted(scores, reverse=True)
        _, held = wl.worklist(session, wl.WorklistFilter(port="5309", action="hold", limit=500))
        assert high in [i["filing_id"] for i in held] and low not in [i["filing_id"] for i in held]


def test_filing_detail_shows_hits_reasons_and_history(exodus_app) -> None:  # type: ignore[no-untyped-def]
    fid = unique_id()
    data = filing_data(filing_id=fid, ultimate_consignee={"name": "Kalashnikov Concern JSC", "country": "RU", "type": "O"},
                       country_of_destination="RU")
    run(exodus_app, data)
    with exodus_app.db.session() as session:
        detail = wl.filing_detail(session, fid)
    assert detail["result"]["action"] == "hold"
    assert any(h["party_role"] == "ultimate_consignee" for h in detail["screening_hits"])
    assert [v["version"] for v in detail["history"]] == [1]
