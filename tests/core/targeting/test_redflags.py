"""Each red-flag producer on hand-made filings: it fires when its condition holds and not otherwise."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from exodus.core.filings import parse_filing
from exodus.core.targeting import redflags as rf
from exodus.core.targeting.history import History, PartyHistory, PriceHistory, party_key
from tests.conftest import filing_data

HUBS = frozenset({"AE", "TR", "HK", "CN", "KZ"})
CHPL = {"854231": "Tier 1", "853224": "Tier 2"}
CTX = rf.Context(hubs=HUBS, chpl=CHPL)


def filing(**changes: Any):  # type: ignore[no-untyped-def]
    return parse_filing(filing_data(**changes), "test")


def line(**changes: Any) -> dict[str, Any]:
    base = {
        "schedule_b": "8481804090",
        "description": "Valves for pipelines, stainless steel",
        "quantity": 40,
        "unit": "NO",
        "value_usd": 12000,
        "weight_kg": 220,
        "eccn": "EAR99",
        "license_code": "C33",
    }
    return {**base, **changes}


def consignee(**changes: Any) -> dict[str, Any]:
    base = {
        "name": "Hanse Maschinenbau GmbH",
        "address": "Industriestrasse 5",
        "city": "Hamburg",
        "country": "DE",
        "type": "D",
    }
    return {**base, **changes}


def codes(signals) -> set[str]:  # type: ignore[no-untyped-def]
    return {s.code for s in signals}


def test_plain_filing_raises_no_red_flag() -> None:
    assert rf.red_flag_signals(filing(), CTX) == []


def test_forwarder_named_consignee_is_an_intermediary() -> None:
    found = rf.consignee_intermediary(
        filing(ultimate_consignee=consignee(name="Falcon Freight Forwarding LLC")), CTX
    )
    assert (
        found[0].evidence["kind"] == "forwarder"
        and "CP-01" in found[0].evidence["flags"]
    )
    bank = rf.consignee_intermediary(
        filing(ultimate_consignee=consignee(name="Gulf Commercial Bank PJSC")), CTX
    )
    assert bank[0].evidence["kind"] == "bank" and "PY-04" in bank[0].evidence["flags"]


def test_reseller_in_hub_needs_both_hub_and_reseller_type() -> None:
    hub = consignee(country="AE", city="Dubai", type="R")
    assert rf.reseller_in_hub(
        filing(country_of_destination="AE", ultimate_consignee=hub), CTX
    )
    assert not rf.reseller_in_hub(filing(ultimate_consignee=consignee(type="R")), CTX)


def test_residential_and_free_zone_addresses() -> None:
    home = consignee(address="Apt 12, 4 Lenin St")
    assert rf.residential_address(filing(ultimate_consignee=home), CTX)[0].evidence[
        "flags"
    ] == ["CP-04"]
    zone = consignee(
        name="Orion Trading FZE",
        address="Jebel Ali Free Zone, LOB 16",
        country="AE",
        city="Dubai",
    )
    found = rf.free_trade_zone(
        filing(ultimate_consignee=zone, country_of_destination="AE"), CTX
    )
    assert found and found[0].evidence["zone"] in ("JAFZA", "FZE/FZCO")


def test_hub_destination_and_third_country() -> None:
    f = filing(
        country_of_destination="TR",
        ultimate_consignee=consignee(country="RU", city="Moscow"),
    )
    assert rf.transshipment_hub(f, CTX)[0].evidence["country"] == "TR"
    third = rf.third_country(f, CTX)
    assert (
        third[0].evidence["country"] == "RU" and "DOC-06" in third[0].evidence["flags"]
    )


def test_chpl_sensitive_family_and_hs_suggests_controlled() -> None:
    chips = filing(
        lines=[line(schedule_b="8542310000", description="Microcontrollers")]
    )
    assert rf.chpl_item(chips, CTX)[0].evidence["tier"] == "Tier 1"
    thermal = filing(
        lines=[
            line(
                schedule_b="8525890000",
                description="Thermal camera",
                eccn="6A003.b.4.b",
                license_code="C30",
                license_number="D123456",
            )
        ]
    )
    assert "thermal" in rf.sensitive_family(thermal, CTX)[0].evidence["family"]
    hidden = filing(lines=[line(schedule_b="9013200000", description="Laser systems")])
    assert rf.hs_suggests_controlled(hidden, CTX)[0].evidence["family"] == "lasers"
    assert not rf.hs_suggests_controlled(
        thermal, CTX
    )  # declared on the CCL: nothing hidden
    assert rf.hs_suggests_controlled(hidden, CTX)[0].evidence["level"] == "controlled"


def test_hs_suggests_controlled_tells_anti_terrorism_only_families() -> None:
    """Vessels, marine engines and civil aircraft parts are on the CCL for AT only."""
    for schedule_b, family in (
        ("8407210080", "outboard marine engines"),
        ("8903110015", "boats and yachts"),
        ("8906900010", "vessels"),
        ("8807300015", "aircraft parts"),
    ):
        goods = filing(lines=[line(schedule_b=schedule_b, description="Marine goods")])
        found = rf.hs_suggests_controlled(goods, CTX)
        assert [(s.evidence["family"], s.evidence["level"]) for s in found] == [
            (family, "at-only")
        ]
    # a vehicle engine (8407.31) is no marine engine
    engine = line(schedule_b="8407310040", description="Motorcycle engines")
    assert not rf.hs_suggests_controlled(filing(lines=[engine]), CTX)
    # declared under its ECCN, nothing is hidden
    outboard = line(schedule_b="8407210080", description="Outboards", eccn="8A992")
    assert not rf.hs_suggests_controlled(filing(lines=[outboard]), CTX)


def test_uav_components_only_towards_iran_hubs() -> None:
    servo = [line(schedule_b="8501100020", description="Servomotors")]
    assert rf.uav_component(filing(country_of_destination="AE", lines=servo), CTX)
    assert not rf.uav_component(filing(lines=servo), CTX)


def test_cover_and_generic_descriptions() -> None:
    clothing = filing(lines=[line(schedule_b="6815110000", description="clothing")])
    assert "cover wording" in rf.cover_description(clothing, CTX)[0].evidence["problem"]
    goods = filing(lines=[line(description="goods for Turkish buyers")])
    assert "names no goods" in rf.cover_description(goods, CTX)[0].evidence["problem"]
    shirts = filing(lines=[line(schedule_b="6205200000", description="clothing")])
    assert not rf.cover_description(shirts, CTX)


def test_household_goods_to_arms_region() -> None:
    boxes = [line(schedule_b="9403600000", description="household goods")]
    assert rf.household_goods_to_arms_region(
        filing(country_of_destination="HN", lines=boxes), CTX
    )
    assert not rf.household_goods_to_arms_region(filing(lines=boxes), CTX)


def test_late_filing_value_threshold_and_parcel_forwarder() -> None:
    assert (
        rf.late_filing(
            filing(filed_at="2026-12-04T09:00:00Z", export_date="2026-12-02"), CTX
        )[0].evidence["days"]
        == 2
    )
    assert not rf.late_filing(filing(), CTX)
    assert rf.value_near_threshold(filing(lines=[line(value_usd=2450)]), CTX)
    usppi = {
        "name": "Sky Package Forwarding Inc.",
        "address": "1 Main St",
        "city": "Newark, NJ",
        "country": "US",
    }
    assert rf.usppi_parcel_forwarder(filing(usppi=usppi), CTX)


def test_shared_address_with_listed_party() -> None:
    book = {
        rf.address_key("12 Tverskaya St", "Moscow", "RU"): (
            "SDN:123",
            "Listed Front LLC",
        )
    }
    f = filing(
        ultimate_consignee=consignee(
            address="12 Tverskaya St", city="Moscow", country="RU"
        )
    )
    found = rf.shared_address(f, rf.Context(listed_addresses=book))
    assert found[0].evidence["entity_id"] == "SDN:123" and found[0].evidence[
        "flags"
    ] == ["PS-04"]


def _history(f, **kinds: Any) -> History:  # type: ignore[no-untyped-def]
    c = f.ultimate_consignee
    return History(
        consignees={
            party_key(c.name, c.country): kinds.get("consignee", PartyHistory())
        },
        usppis={
            party_key(f.usppi.name, f.usppi.country): kinds.get("usppi", PartyHistory())
        },
        prices=kinds.get("prices", {}),
        prior_versions=kinds.get("versions", {}),
    )


def test_history_new_rare_and_established_consignee() -> None:
    f = filing()
    early = datetime(2026, 1, 1, tzinfo=UTC)
    assert (
        rf.new_consignee(f, rf.Context(history=_history(f)))[0].evidence["status"]
        == "new"
    )
    rare = _history(f, consignee=PartyHistory(1, early, 1))
    assert rf.new_consignee(f, rf.Context(history=rare))[0].evidence["status"] == "rare"
    known = _history(
        f, consignee=PartyHistory(12, early, 2), usppi=PartyHistory(40, early, 9)
    )
    assert not rf.new_consignee(f, rf.Context(history=known))
    assert not rf.new_usppi(f, rf.Context(history=known))
    assert rf.new_usppi(f, rf.Context(history=_history(f)))
    assert not rf.new_consignee(f, CTX)  # no history loaded: history flags stay silent


def test_history_network_unit_value_and_changes() -> None:
    f = filing()
    early = datetime(2026, 1, 1, tzinfo=UTC)
    busy = _history(f, consignee=PartyHistory(30, early, partners=7, forwarders=5))
    assert codes(rf.consignee_network(f, rf.Context(history=busy))) == {
        "history.consignee_many_exporters",
        "history.consignee_many_forwarders",
    }
    # Stored valves cost about USD 300 each; these are declared at USD 3 each.
    cheap = filing(lines=[line(quantity=4000, value_usd=12000)])
    prices = _history(cheap, prices={"848180": PriceHistory(200, 5.7, 0.3)})
    found = rf.unit_value_outlier(cheap, rf.Context(history=prices))
    assert found[0].evidence["direction"] == "below"
    assert not rf.unit_value_outlier(f, rf.Context(history=prices))
    moved = _history(f, versions={f.filing_id: ("Hanse Maschinenbau GmbH", "RU")})
    assert (
        "destination was RU"
        in rf.changed_after_filing(f, rf.Context(history=moved))[0].text
    )


def test_hub_strength_names_diversion_hubs_fully_and_russia_only_hubs_less() -> None:
    ctx = rf.Context(hubs=frozenset({"AE", "MX"}), chpl=CHPL)
    assert rf.transshipment_hub(filing(country_of_destination="AE"), ctx)[0].strength == 1.0
    mexico = rf.transshipment_hub(filing(country_of_destination="MX"), ctx)[0]
    assert mexico.strength == rf.RT02_ONLY_STRENGTH < 1.0 and mexico.evidence["flags"] == ["RT-02"]
    assert not rf.transshipment_hub(filing(), ctx)


def test_chpl_strength_follows_the_tier_and_a_license_is_noted() -> None:
    assert [rf.chpl_strength(t) for t in ("Tier 1", "Tier 2", "Tier 3.A", "Tier 4.B")] == [1.0, 0.8, 0.5, 0.4]
    ics = rf.chpl_item(filing(lines=[line(schedule_b="8542310000", description="Microcontrollers")]), CTX)[0]
    assert ics.strength == 1.0 and ics.evidence["licensed"] is False
    licensed = filing(lines=[line(schedule_b="8532240000", description="Capacitors", eccn="3A001",
                                  license_code="C30", license_number="D123456")])
    caps = rf.chpl_item(licensed, CTX)[0]
    assert caps.strength == 0.8 and caps.evidence["licensed"] is True


def test_uav_kinds_outside_the_chpl_weigh_half() -> None:
    servo = rf.uav_component(filing(country_of_destination="AE",
                                    lines=[line(schedule_b="8501100020", description="Servomotors")]), CTX)[0]
    chips = rf.uav_component(filing(country_of_destination="AE",
                                    lines=[line(schedule_b="8542310000", description="Microcontrollers")]), CTX)[0]
    assert servo.strength == 0.5 and chips.strength == 1.0


def test_a_free_zone_legal_form_is_not_a_trading_house() -> None:
    zone = filing(ultimate_consignee=consignee(name="Orion Electronics FZE", country="AE", city="Dubai"),
                  country_of_destination="AE")
    assert not rf.consignee_intermediary(zone, CTX)
    assert rf.free_trade_zone(zone, CTX)[0].evidence["zone"] == "FZE/FZCO"
