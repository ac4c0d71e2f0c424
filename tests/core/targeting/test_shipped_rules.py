"""Every shipped rule fires on a hand-made filing of its kind, and the weights give the intended actions.

Signals come from the real producers: red flags and history from redflags.py on
hand-made filings, screening, licensing and description signals from signals.py on
hand-made hits, determinations and findings (as screening and the controls core
would return them), lookouts from a hand-made lookout book.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from exodus.core.controls.declared import Finding
from exodus.core.controls.determination import Outcome, Reason
from exodus.core.filings import Filing, parse_filing
from exodus.core.targeting import redflags as rf
from exodus.core.targeting import signals as sig
from exodus.core.targeting.engine import target
from exodus.core.targeting.history import History, PartyHistory, PriceHistory, party_key
from exodus.core.targeting.lookouts import Lookout, LookoutBook, check_lookout
from exodus.core.targeting.model import Action, Signal
from exodus.core.targeting.rules import default_rules
from tests.conftest import filing_data

SHIPPED = default_rules()
DAY = date(2026, 12, 2)
HUBS = frozenset({"AE", "TR", "HK", "CN", "KZ", "MX", "IN"})
CHPL = {"854231": "Tier 1", "853224": "Tier 2", "850440": "Tier 3.A", "847150": "Tier 3.A", "880730": "Tier 3.B"}
EARLY = datetime(2026, 1, 1, tzinfo=UTC)
CHIPS = {"schedule_b": "8542310000", "description": "Microcontrollers", "eccn": "EAR99"}
LASER = {"schedule_b": "9013200000", "description": "Laser systems", "eccn": "EAR99"}
SERVO = {"schedule_b": "8501100020", "description": "Servomotors", "eccn": "EAR99"}
THERMAL = {"schedule_b": "8525890000", "description": "Thermal camera", "eccn": "6A003.b.4.b"}
ADC = {"schedule_b": "8542390000", "description": "Analog-to-digital converters", "eccn": "3A001"}
OUTBOARD = {"schedule_b": "8407210080", "description": "Outboard motors", "eccn": "EAR99"}
SERVERS = {"schedule_b": "8471500150", "description": "Rack servers", "eccn": "5A992"}
LAPTOPS = {"schedule_b": "8471300100", "description": "Laptop computers", "eccn": "5A992"}


def line(**changes: Any) -> dict[str, Any]:
    base = {"schedule_b": "8481804090", "description": "Valves for pipelines, stainless steel", "quantity": 40,
            "unit": "NO", "value_usd": 12000, "weight_kg": 220, "eccn": "EAR99", "license_code": "C33"}
    return {**base, **changes}


def consignee(**changes: Any) -> dict[str, Any]:
    base = {"name": "Hanse Maschinenbau GmbH", "address": "Industriestrasse 5", "city": "Hamburg",
            "country": "DE", "type": "D"}
    return {**base, **changes}


def filing(dest: str = "DE", lines: tuple[dict[str, Any], ...] = (), **changes: Any) -> Filing:
    party = changes.pop("ultimate_consignee", None) or consignee(country=dest)
    return parse_filing(filing_data(country_of_destination=dest, ultimate_consignee=party,
                                    lines=[line(**ln) for ln in lines] or [line()], **changes), "test")


def history(f: Filing, *, new: bool = False, usppi_new: bool = False, **kinds: Any) -> History:
    """Return a history where the filing's parties are established unless told otherwise."""
    c, u = f.ultimate_consignee, f.usppi
    return History(
        consignees={party_key(c.name, c.country): kinds.get("consignee") or
                    (PartyHistory() if new else PartyHistory(12, EARLY, 2, 1))},
        usppis={party_key(u.name, u.country): PartyHistory() if usppi_new else PartyHistory(40, EARLY, 9)},
        prices=kinds.get("prices", {}),
        prior_versions=kinds.get("versions", {}),
    )


def flags(f: Filing, **kinds: Any) -> list[Signal]:
    ctx = rf.Context(hubs=HUBS, chpl=CHPL, history=history(f, **kinds), listed_addresses=kinds.get("book", {}))
    return rf.red_flag_signals(f, ctx) + sig.filing_signals(f)


@dataclass
class Entity:
    countries: tuple[str, ...]
    programs: tuple[str, ...] = ()
    addresses: tuple[Any, ...] = ()


@dataclass
class Hit:
    source: str
    score: float
    countries: tuple[str, ...]
    entity_id: str = "X-1"
    entity_name: str = "Listed Party"
    matched_name: str = "LISTED PARTY"
    explanation: str = "names agree"
    entity: Entity = field(init=False)

    def __post_init__(self) -> None:
        self.entity = Entity(self.countries)


def listed(source: str, countries: tuple[str, ...], party_country: str = "RU", score: float = 0.95) -> list[Signal]:
    f = filing(party_country, ultimate_consignee=consignee(name="Listed Party", country=party_country))
    return sig.screening_signals({"ultimate_consignee": [Hit(source, score, countries)]}, f)


@dataclass
class Determination:
    outcome: Outcome
    reasons: tuple[Reason, ...]
    agencies: tuple[str, ...] = ("BIS",)


def determined(outcome: Outcome, *codes: str) -> Determination:
    return Determination(outcome, tuple(Reason(c, f"{c} applies", "15 CFR") for c in codes))


def found(code: str, severity: str = "high", det: Determination | None = None) -> list[Signal]:
    findings = [Finding(code, severity, f"{code} on the line", "15 CFR", 1)]
    return sig.finding_signals(findings, determinations={1: det} if det else None)


def lookout(kind: str, value: str) -> list[Signal]:
    book = LookoutBook([Lookout(1, kind, check_lookout(kind, value, "high"), "watch", "high")])
    return book.match(filing("AE", (CHIPS,), ultimate_consignee=consignee(
        name="Aurora Trading FZE", address="Jebel Ali Free Zone", city="Dubai", country="AE")))


BROKER = consignee(name="Falcon Freight Forwarding LLC", country="AE", city="Dubai")
TRADER = consignee(name="Crescent General Trading LLC", country="AE", city="Dubai")
NEW_RU = determined(Outcome.LICENSE_REQUIRED, "NS1")
PARTY_ONLY = determined(Outcome.LICENSE_REQUIRED, "ENTITY_LIST", "NLR")

# rule id -> signals of a hand-made filing of that kind
CASES: dict[str, Any] = {
    "SCR-BLOCKED": lambda: listed("SDN", ("RU",)),
    "SCR-END-USER": lambda: listed("EL", ("RU",)),
    "SCR-OTHER-LIST": lambda: listed("UVL", ("RU",)),
    "SCR-NAME-ONLY": lambda: listed("SDN", ("CN",), party_country="DE"),
    "LIC-PROHIBITED": lambda: sig.determination_signals(1, determined(Outcome.PROHIBITED, "ITAR_126_1", "USML")),
    "LIC-REQUIRED-UNDECLARED": lambda: found("NLR_LICENSE_REQUIRED", det=NEW_RU),
    "DOC-EXCEPTION-FAILS": lambda: found("LICENSE_EXCEPTION_INELIGIBLE", det=NEW_RU),
    "DOC-LICENSE-MISMATCH": lambda: found("LICENSE_CODE_JURISDICTION", "medium"),
    "DOC-LICENSE-NUMBER": lambda: found("LICENSE_NUMBER_MISSING", "medium"),
    "DOC-CLASSIFICATION": lambda: found("ECCN_UNKNOWN"),
    "DESC-CONTROLLED-CHEMICAL": lambda: found("CHEMICAL_NAME", "high"),
    "DESC-DEA-CHEMICAL": lambda: found("CHEMICAL_NAME", "medium"),
    "DESC-RESEMBLES-CONTROLLED": lambda: found("DESCRIPTION_RESEMBLES_CONTROLLED", "medium"),
    "RF-HS-SUGGESTS-CONTROLLED": lambda: flags(filing("DE", (LASER,))),
    "RF-HS-SUGGESTS-CONTROLLED-HUB": lambda: flags(filing("AE", (LASER,))),
    "RF-AT-ONLY-DECLARED-EAR99-IRAN-HUB": lambda: flags(filing("TR", (OUTBOARD,))),
    "RF-WEAPONS-DECLARED-UNCONTROLLED": lambda: flags(filing("MX", ({"schedule_b": "9306210000",
                                                                       "description": "Cartridges"},))),
    "RF-HUB": lambda: flags(filing("AE")),
    "DESC-HIGH-PRIORITY-DIVERSION": lambda: flags(filing("AE", (CHIPS,))),
    "RF-CONTROLLED-TO-HUB": lambda: flags(filing("AE", (ADC,))),
    "RF-UAV-COMPONENT": lambda: flags(filing("AE", (SERVO,))),
    "RF-SENSITIVE-FAMILY": lambda: flags(filing("DE", (THERMAL,))),
    "RF-INTERMEDIARY": lambda: flags(filing("DE", ultimate_consignee={**BROKER, "country": "DE"})),
    "RF-INTERMEDIARY-HUB": lambda: flags(filing("AE", ultimate_consignee=BROKER)),
    "RF-TRADING-HOUSE-IRAN-HUB-PRIORITY": lambda: flags(filing("AE", (SERVERS,), ultimate_consignee=TRADER)),
    "RF-INTERMEDIARY-SENSITIVE": lambda: flags(filing("DE", (CHIPS,), ultimate_consignee={**BROKER, "country": "DE"})),
    "RF-RESELLER-HUB-CONTROLLED": lambda: flags(filing("AE", (CHIPS,), ultimate_consignee=consignee(
        name="Orion Electronics LLC", country="AE", city="Dubai", type="R"))),
    "RF-FREE-ZONE-CONTROLLED": lambda: flags(filing("AE", (CHIPS,), ultimate_consignee=consignee(
        name="Orion Electronics LLC", address="Jebel Ali Free Zone, LOB 16", country="AE", city="Dubai"))),
    "RF-RESIDENTIAL": lambda: flags(filing("DE", ultimate_consignee=consignee(address="Apt 12, 4 Lindenstrasse"))),
    "RF-NEW-CONSIGNEE-HUB": lambda: flags(filing("AE"), new=True),
    "RF-NEW-CONSIGNEE-SENSITIVE": lambda: flags(filing("DE", (THERMAL,)), new=True),
    "RF-NEW-CONSIGNEE-SENSITIVE-HUB": lambda: flags(filing("AE", (CHIPS,)), new=True),
    "RF-NEW-EXPORTER-CONTROLLED": lambda: flags(filing("DE", (CHIPS,)), usppi_new=True),
    "RF-NETWORK": lambda: flags(filing("DE", (CHIPS,)), consignee=PartyHistory(30, EARLY, partners=7)),
    "RF-MANY-FORWARDERS": lambda: flags(filing("DE", (CHIPS,)), consignee=PartyHistory(30, EARLY, 2, 5)),
    "RF-CHANGED-AFTER-FILING": lambda: flags(f := filing("DE"), versions={f.filing_id: ("Other GmbH", "RU")}),
    "RF-THIRD-COUNTRY": lambda: flags(filing("TR", ultimate_consignee=consignee(country="RU", city="Moscow"))),
    "RTE-ROUTED-FOREIGN-FORWARDER": lambda: flags(filing("DE", routed_export=True, freight_forwarder={
        "name": "Rhein Spedition GmbH", "address": "Hafenstr. 1", "city": "Hamburg", "country": "DE"})),
    "RF-GENERIC-DESCRIPTION": lambda: flags(filing("DE", ({"description": "goods for industrial customers"},))),
    "RF-COVER-DESCRIPTION": lambda: flags(filing("DE", ({"schedule_b": "6815110000", "description": "clothing"},))),
    "RF-VAGUE-DESCRIPTION-HUB": lambda: flags(filing("AE", ({"description": "spare parts"},))),
    "RF-HOUSEHOLD-GOODS-REGION": lambda: flags(filing("HN", ({"schedule_b": "9403600000",
                                                               "description": "household goods"},))),
    "RF-LATE-FILING": lambda: flags(filing("DE", filed_at="2026-12-04T09:00:00Z", export_date="2026-12-02")),
    "RF-VALUE-NEAR-THRESHOLD": lambda: flags(filing("DE", ({"value_usd": 2450},))),
    "RF-UNIT-VALUE": lambda: flags(filing("DE", ({"quantity": 4000, "value_usd": 12000},)),
                                   prices={"848180": PriceHistory(200, 5.7, 0.3)}),
    "RF-PARCEL-FORWARDER": lambda: flags(filing("DE", usppi={"name": "Sky Package Forwarding Inc.",
                                                            "address": "1 Main St", "city": "Newark, NJ",
                                                            "country": "US"})),
    "RF-SHARED-ADDRESS": lambda: flags(filing("DE"), book={rf.address_key("Industriestrasse 5", "Hamburg", "DE"):
                                                        ("SDN:1", "Listed Front GmbH")}),
    "LKO-PARTY": lambda: lookout("party", "Aurora Trading FZE"),
    "LKO-GOODS-ROUTE": lambda: lookout("hs", "8542.31"),
}


def matching(signals: list[Signal]) -> set[str]:
    return {rule.id for rule in SHIPPED.rules if rule.matches(signals)}


def test_every_shipped_rule_has_a_hand_made_case() -> None:
    assert {r.id for r in SHIPPED.rules} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_each_shipped_rule_fires_on_its_kind(rule_id: str) -> None:
    assert rule_id in matching(CASES[rule_id]())


def test_a_plain_filing_fires_no_rule() -> None:
    assert matching(flags(filing("DE"))) == set()


def test_party_rules_follow_how_sure_the_identity_is() -> None:
    name_only = matching(listed("SDN", ("CN",), party_country="DE"))
    assert "SCR-NAME-ONLY" in name_only and "SCR-BLOCKED" not in name_only
    assert "SCR-NAME-ONLY" not in matching(listed("SDN", ("RU",)))
    assert "SCR-BLOCKED" in matching(listed("SDN", ()))  # the entry names no country: nothing contradicts
    assert not matching(listed("SDN", ("RU",), score=0.7))  # below the screening threshold


def test_licensing_rules_leave_party_determinations_to_the_party_rules() -> None:
    assert not matching(found("NLR_LICENSE_REQUIRED", det=PARTY_ONLY))
    assert not matching(sig.determination_signals(1, determined(Outcome.PROHIBITED, "SDN", "NS1")))
    assert "LIC-PROHIBITED" in matching(sig.determination_signals(1, determined(Outcome.PROHIBITED, "SDN",
                                                                                  "ITAR_126_1")))


def test_licensed_high_priority_goods_do_not_count_as_diversion() -> None:
    licensed = {**CHIPS, "eccn": "3A001", "license_code": "C30", "license_number": "D123456"}
    fired = matching(flags(filing("AE", (licensed,)), new=True))
    assert not fired & {"DESC-HIGH-PRIORITY-DIVERSION", "RF-NEW-CONSIGNEE-SENSITIVE-HUB", "RF-CONTROLLED-TO-HUB"}


def test_at_only_goods_declared_ear99_are_not_sensitive_goods_where_at_only_eccns_are_not() -> None:
    # Rules that leave out goods declared under an AT-only ECCN leave out the same goods declared
    # EAR99 under their HS code: that declaration is counted once, by the DOC-03 rules.
    broker_de = {**BROKER, "country": "DE"}
    for eccn in ("EAR99", "8A992"):
        fired = matching(flags(filing("DE", ({**OUTBOARD, "eccn": eccn},), ultimate_consignee=broker_de),
                               usppi_new=True, consignee=PartyHistory(30, EARLY, 2, 5)))
        assert not fired & {"RF-INTERMEDIARY-SENSITIVE", "RF-NEW-EXPORTER-CONTROLLED", "RF-MANY-FORWARDERS"}
    fired = matching(flags(filing("DE", (LASER,), ultimate_consignee=broker_de),
                           usppi_new=True, consignee=PartyHistory(30, EARLY, 2, 5)))
    assert {"RF-INTERMEDIARY-SENSITIVE", "RF-NEW-EXPORTER-CONTROLLED", "RF-MANY-FORWARDERS"} <= fired
    # at a hub named for diversion to Iran a new consignee of such goods still weighs (RT-03)
    assert "RF-NEW-CONSIGNEE-SENSITIVE-HUB" in matching(flags(filing("TR", (OUTBOARD,)), new=True))


def score(signals: list[Signal]) -> tuple[float, Action]:
    result = target("F", signals, SHIPPED, on=DAY)
    return result.score, result.action


@pytest.mark.parametrize(("signals", "action"), [
    # ordinary goods to a hub, from a known or a new consignee: release
    (lambda: flags(filing("AE")), Action.RELEASE),
    (lambda: flags(filing("AE"), new=True), Action.RELEASE),
    # top-tier chips to a diversion hub: review; for a new consignee (CP-03): examine
    (lambda: flags(filing("AE", (CHIPS,))), Action.REVIEW),
    (lambda: flags(filing("AE", (CHIPS,)), new=True), Action.EXAMINE),
    # the same chips to a hub named only for Russia, or lower-tier goods: no examination
    (lambda: flags(filing("MX", (CHIPS,)), new=True), Action.REVIEW),
    (lambda: flags(filing("AE", ({"schedule_b": "8504409510", "description": "Power supplies"},)), new=True),
     Action.REVIEW),
    # a forwarder as ultimate consignee of top-tier chips in a hub (CP-01): examine
    (lambda: flags(filing("AE", (CHIPS,), ultimate_consignee=BROKER)), Action.EXAMINE),
    # goods whose only control is the anti-terrorism one (8A992 outboard motors) declared
    # EAR99: review; the same bound for a hub named for diversion to Iran (RT-03): examine;
    # to a hub named only for Russia, or declared under their ECCN: no examination
    (lambda: flags(filing("DE", (OUTBOARD,))), Action.REVIEW),
    (lambda: flags(filing("TR", (OUTBOARD,))), Action.EXAMINE),
    (lambda: flags(filing("MX", (OUTBOARD,))), Action.REVIEW),
    (lambda: flags(filing("TR", ({**OUTBOARD, "eccn": "8A992"},))), Action.RELEASE),
    # EAR99 lasers (controlled for more than AT) at an Iran hub stay at review without more
    (lambda: flags(filing("AE", (LASER,))), Action.REVIEW),
    # an intermediary consignee of goods declared EAR99 under an HS code of controlled items
    # (DOC-03 and CP-01): examine; under an HS code of AT-only items outside a hub, the goods
    # count as DOC-03 only, as they would declared under their AT-only ECCN: review
    (lambda: flags(filing("DE", (LASER,), ultimate_consignee={**BROKER, "country": "DE"})), Action.EXAMINE),
    (lambda: flags(filing("DE", (OUTBOARD,), ultimate_consignee={**BROKER, "country": "DE"})), Action.REVIEW),
    # a trading house at a hub named for diversion to Iran receiving CHPL computers under
    # their AT-only ECCN (what needs a license for Iran): examine; laptops (not on the CHPL),
    # the same servers for a trading house in a hub named only for Russia, or for an
    # ordinary firm at the Iran hub (released: third-tier CHPL goods alone weigh little): no
    # examination
    (lambda: flags(filing("AE", (SERVERS,), ultimate_consignee=TRADER)), Action.EXAMINE),
    (lambda: flags(filing("AE", (LAPTOPS,), ultimate_consignee=TRADER)), Action.REVIEW),
    (lambda: flags(filing("MX", (SERVERS,), ultimate_consignee={**TRADER, "country": "MX", "city": "Monterrey"})),
     Action.REVIEW),
    (lambda: flags(filing("AE", (SERVERS,), ultimate_consignee=consignee(
        name="Crescent Hospital LLC", country="AE", city="Dubai"))), Action.RELEASE),
    # a description that names no goods: examine; a lone name-only list match: review
    (lambda: flags(filing("DE", ({"description": "goods for industrial customers"},))), Action.EXAMINE),
    (lambda: listed("SDN", ("CN",), party_country="DE"), Action.REVIEW),
    # a corroborated blocked party, or a license required and not declared: hold
    (lambda: listed("SDN", ("RU",)), Action.HOLD),
    (lambda: found("NLR_LICENSE_REQUIRED", det=NEW_RU), Action.HOLD),
])
def test_shipped_weights_give_the_intended_action(signals: Any, action: Action) -> None:
    assert score(signals())[1] is action, score(signals())
